"""The workflow's steps: what each Task state of the state machine does to a request."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from pydantic import BaseModel

from rightsflow.domain.audit import audit_event
from rightsflow.domain.clock import from_iso, to_iso, utc_now
from rightsflow.domain.lifecycle import Status
from rightsflow.domain.notices import render
from rightsflow.domain.requests import RightsRequest
from rightsflow.domain.rights import RIGHTS
from rightsflow.integration.mailer import Mailer
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.observability import logger, metrics
from rightsflow.service.changes import record_change


class StepState(BaseModel):
    """What travels between states: ids and routing facts only, never personal data."""

    request_id: str
    type: str
    channel: str
    regime: str


def step_state(record: RightsRequest) -> dict[str, Any]:
    return StepState(
        request_id=record.request_id,
        type=record.type,
        channel=record.channel,
        regime=record.regime,
    ).model_dump()


def _human_date(iso: str) -> str:
    return from_iso(iso).strftime("%d %B %Y, %H:%M UTC")


def record_intake(store: RequestsStore, request_id: str, execution_arn: str) -> dict[str, Any]:
    record = record_change(
        store,
        request_id,
        action="workflow_started",
        component="RecordIntake",
        updates={"execution_arn": execution_arn},
    )
    return step_state(record)


def acknowledge_receipt(
    store: RequestsStore, mailer: Mailer, gdpr_page_url: str, request_id: str
) -> dict[str, Any]:
    """Send the acknowledgment once; a retried step finds it recorded and sends nothing more."""
    record = store.get(request_id)
    if record.acknowledged_at is None:
        right = RIGHTS[record.type]
        notice = render(
            "acknowledgment",
            "We received your privacy request $request_id",
            {
                "request_id": record.request_id,
                "right_label": right.label,
                "right_article": right.article,
                "right_promise": right.promise,
                "received_at": _human_date(record.received_at),
                "due_at": _human_date(record.due_at),
                "law": record.regime_law,
                "status_url": f"{gdpr_page_url}?{urlencode({'request_id': record.request_id})}",
            },
        )
        mailer.send(record.email, notice)
        acknowledged_at = utc_now()
        record = record_change(
            store,
            request_id,
            action="acknowledgment_sent",
            component="AcknowledgeReceipt",
            updates={"acknowledged_at": to_iso(acknowledged_at)},
            detail={"channel": "email"},
        )
        latency = (acknowledged_at - from_iso(record.received_at)).total_seconds()
        metrics.add_metric(name="AcknowledgmentLatency", unit="Seconds", value=latency)
        logger.info("acknowledgment sent", extra={"request_id": request_id})
    return step_state(record)


def complete_request(store: RequestsStore, mailer: Mailer, request_id: str) -> dict[str, Any]:
    """Close the request, then tell the person; each half is skipped when a retry finds it done."""
    record = store.get(request_id)
    if record.status is not Status.COMPLETED:
        record = record_change(
            store,
            request_id,
            action="request_completed",
            component="CompleteRequest",
            status=Status.COMPLETED,
        )
        metrics.add_metric(name="RequestsCompleted", unit="Count", value=1)
    if record.closing_notice_sent_at is None:
        right = RIGHTS[record.type]
        notice = render(
            "completion",
            "Your privacy request $request_id is closed",
            {
                "request_id": record.request_id,
                "right_label": right.label,
                "outcome": "completed",
                "summary": "Your request was recorded, acknowledged and closed.",
            },
        )
        mailer.send(record.email, notice)
        record = record_change(
            store,
            request_id,
            action="closing_notice_sent",
            component="CompleteRequest",
            updates={"closing_notice_sent_at": to_iso(utc_now())},
        )
    return step_state(record)


def park_for_ops(store: RequestsStore, request_id: str, error: str, cause: str) -> dict[str, Any]:
    """Keep a request whose workflow failed, visibly, for ops: nothing is lost or left silent."""
    record = store.get(request_id)
    reason = f"workflow step failed with {error}"
    if record.status.is_terminal:
        # Work after the end (a late notice, say) failed: the outcome stands, the failure is noted.
        store.record_event(
            audit_event(
                request_id,
                "post_completion_failure",
                "ParkForOps",
                utc_now(),
                detail={"error": error, "cause": cause[:300]},
            )
        )
        return step_state(record)
    record = record_change(
        store,
        request_id,
        action="parked_for_ops",
        component="ParkForOps",
        status=Status.NEEDS_ATTENTION,
        updates={"attention_reason": reason},
        detail={"error": error, "cause": cause[:300]},
    )
    metrics.add_metric(name="RequestsParked", unit="Count", value=1)
    logger.warning("request parked for ops", extra={"request_id": request_id, "error": error})
    return step_state(record)
