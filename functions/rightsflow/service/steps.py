"""The workflow's steps: what each Task state of the state machine does to a request."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from pydantic import BaseModel

from rightsflow.domain.appeals import appeal_window_end, is_appealable
from rightsflow.domain.clock import from_iso, to_iso, utc_now
from rightsflow.domain.closing import closing_notice
from rightsflow.domain.data_map import load_data_map
from rightsflow.domain.identifiers import hash_secret, new_status_token
from rightsflow.domain.lifecycle import ANSWERED_BY_OPS, Status
from rightsflow.domain.notices import Origin, acknowledgment_notice
from rightsflow.domain.requests import Channel, RightsRequest
from rightsflow.domain.rights import right_for
from rightsflow.domain.verification import Assurance, assurance_for
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


def record_intake(store: RequestsStore, request_id: str, execution_arn: str) -> dict[str, Any]:
    record = record_change(
        store,
        request_id,
        action="workflow_started",
        component="RecordIntake",
        updates={"execution_arn": execution_arn},
    )
    return step_state(record)


def _identity_note(record: RightsRequest) -> str:
    """Which note the acknowledgment ends with (`rightsflow.domain.notices.identity_note`)."""
    if record.type in ANSWERED_BY_OPS:
        return "written"
    if assurance_for(record.type, record.details) is Assurance.NONE:
        return "no_code"
    return "code"


def _origin(record: RightsRequest) -> Origin | None:
    """Who made a request the person did not make: a Brand (named as the data map names it)
    or the company (with ops' recorded reason); None for the person's own request."""
    if record.channel is Channel.BRAND_API:
        brand = load_data_map().brands.get(record.brand or "")
        return Origin(brand=brand.name if brand is not None else str(record.brand))
    if record.channel is Channel.OPS:
        reason = record.details.get("ops_reason")
        return Origin(reason=reason if isinstance(reason, str) else None)
    return None


def acknowledge_receipt(
    store: RequestsStore, mailer: Mailer, gdpr_page_url: str, request_id: str
) -> dict[str, Any]:
    """Send the acknowledgment once; a retried step finds it recorded and sends nothing more.
    Where neither the law nor our policy asks for one (an opt-out, told at once when applied),
    none is sent."""
    record = store.get(request_id)
    if record.acknowledged_at is None and record.acknowledge_by is not None:
        right = right_for(record.type, record.language, record.regime)
        notice = acknowledgment_notice(
            record.language,
            request_id=record.request_id,
            right=(right.label, right.article, right.promise),
            received_at=record.received_at,
            due_at=record.due_at,
            law=record.regime_law,
            time_zone=record.reading_zone,
            status_url=f"{gdpr_page_url}?"
            + urlencode({"request_id": record.request_id, "lang": record.language}),
            identity=_identity_note(record),
            gpc=record.gpc,
            # Only the web page showed a status token; an e-mailed request's token is in the
            # e-mail intake's acknowledgment, so this one (a fallback) cannot name it.
            status_hint={Channel.WEB: "web", Channel.EMAIL: "email"}.get(record.channel),
            origin=_origin(record),
        )
        mailer.send(record.email, notice)
        acknowledged_at = utc_now()
        # Real time, even locally: compressed time applies to the workflow's waits only.
        on_time = acknowledged_at <= from_iso(record.acknowledge_by)
        record = record_change(
            store,
            request_id,
            action="acknowledgment_sent",
            component="AcknowledgeReceipt",
            updates={"acknowledged_at": to_iso(acknowledged_at), "acknowledged_on_time": on_time},
            detail={"acknowledge_by": record.acknowledge_by, "on_time": on_time},
        )
        latency = (acknowledged_at - from_iso(record.received_at)).total_seconds()
        metrics.add_metric(name="AcknowledgmentLatency", unit="Seconds", value=latency)
        logger.info("acknowledgment sent", extra={"request_id": request_id})
    return step_state(record)


def close_request(
    store: RequestsStore, mailer: Mailer, gdpr_page_url: str, request_id: str
) -> dict[str, Any]:
    """Close the request (completed, unless an earlier step already decided otherwise), then
    send the closing notice; each half is skipped when a retry finds it done. A decision
    declining the request in whole or part, under a law with a right to appeal, says how and
    until when to appeal, with a fresh appeal token."""
    record = store.get(request_id)
    if record.status is Status.DECLINED and record.closing_notice_sent_at is None:
        metrics.add_dimension(name="type", value=record.type)
        metrics.add_metric(name="RequestsDeclined", unit="Count", value=1)
    if not record.status.is_terminal:
        record = record_change(
            store,
            request_id,
            action="request_completed",
            component="CloseRequest",
            status=Status.COMPLETED,
            updates={"waiting_for": None, "ops_task_token": None, "attention_reason": None},
        )
        metrics.add_dimension(name="type", value=record.type)
        metrics.add_dimension(name="channel", value=record.channel)
        metrics.add_metric(name="RequestsCompleted", unit="Count", value=1)
    if record.closing_notice_sent_at is None:
        appeal_token = None
        if is_appealable(record):
            appeal_token = new_status_token()
            until = to_iso(
                appeal_window_end(record, from_iso(record.closed_at or record.updated_at))
            )
            record = record_change(
                store,
                request_id,
                action="appeal_offered",
                component="CloseRequest",
                updates={"appeal_token_hash": hash_secret(appeal_token), "appeal_until": until},
                detail={"appeal_until": until},
            )
        mailer.send(record.email, closing_notice(record, gdpr_page_url, appeal_token))
        record = record_change(
            store,
            request_id,
            action="closing_notice_sent",
            component="CloseRequest",
            updates={"closing_notice_sent_at": to_iso(utc_now())},
        )
    return step_state(record)
