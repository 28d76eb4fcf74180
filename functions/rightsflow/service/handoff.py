"""Handing a request to the ops team: the workflow waits (with a task token) for a person's decision."""

from __future__ import annotations

from rightsflow.domain.audit import audit_event
from rightsflow.domain.clock import utc_now
from rightsflow.domain.errors import explanation
from rightsflow.domain.lifecycle import RequestType, Status
from rightsflow.domain.requests import ops_facts
from rightsflow.integration.ops_notifier import OpsNotifier
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.observability import logger, metrics
from rightsflow.service.changes import record_change

OPS_DECISION = "ops_decision"
OPS_ANSWER = "ops_answer"
OPS_REVIEW = "ops_review"


def park_for_ops(
    store: RequestsStore,
    notifier: OpsNotifier,
    request_id: str,
    *,
    error: str,
    cause: str,
    task_token: str,
) -> None:
    """A step failed past its retries: keep the request, show it as needs_attention, tell ops,
    and wait for their decision. The legal clock keeps running meanwhile."""
    record = store.get(request_id)
    explained = explanation(error, cause)
    reason = f"workflow step failed with {error}" + (f": {explained}" if explained else "")
    waiting = {
        "waiting_for": OPS_DECISION,
        "ops_task_token": task_token,
        "attention_reason": reason,
    }
    if record.status.is_terminal:
        # The outcome stands (a closing notice failed, say); ops decide whether to try again.
        record = record_change(
            store,
            request_id,
            action="post_outcome_failure",
            component="ParkForOps",
            updates=waiting,
            detail={"error": error, "cause": cause[:300]},
        )
    else:
        record = record_change(
            store,
            request_id,
            action="parked_for_ops",
            component="ParkForOps",
            status=Status.NEEDS_ATTENTION,
            updates={**waiting, "parked_from": record.parked_from or record.status},
            detail={"error": error, "cause": cause[:300]},
        )
    notifier.publish(
        "request_parked",
        f"Privacy request {request_id} needs attention",
        {**ops_facts(record), "error": error, "reason": reason},
    )
    metrics.add_metric(name="RequestsParked", unit="Count", value=1)
    logger.warning("request parked for ops", extra={"request_id": request_id, "error": error})


def _await_ops(
    store: RequestsStore,
    notifier: OpsNotifier,
    request_id: str,
    task_token: str,
    *,
    waiting_for: str,
    status: Status,
    action: str,
    component: str,
    event: str,
    subject: str,
) -> None:
    record = record_change(
        store,
        request_id,
        action=action,
        component=component,
        status=status,
        updates={"waiting_for": waiting_for, "ops_task_token": task_token},
    )
    notifier.publish(event, subject, {**ops_facts(record), "reason": record.attention_reason or ""})


def await_ops_answer(
    store: RequestsStore, notifier: OpsNotifier, request_id: str, task_token: str
) -> None:
    """A complaint, or an appeal against a decision, is answered in writing by a person on the
    ops team; the workflow waits."""
    appeal = store.get(request_id).type is RequestType.APPEAL
    _await_ops(
        store,
        notifier,
        request_id,
        task_token,
        waiting_for=OPS_ANSWER,
        status=Status.IN_PROGRESS,
        action="appeal_assigned_to_ops" if appeal else "complaint_assigned_to_ops",
        component="AwaitOpsAnswer",
        event="appeal_received" if appeal else "complaint_received",
        subject=(
            f"Appeal {request_id} needs a written decision"
            if appeal
            else f"Complaint {request_id} needs a written answer"
        ),
    )


def await_ops_review(
    store: RequestsStore, notifier: OpsNotifier, request_id: str, task_token: str
) -> None:
    """The identity check (or the request itself) needs a person: ops approve or reject."""
    _await_ops(
        store,
        notifier,
        request_id,
        task_token,
        waiting_for=OPS_REVIEW,
        status=Status.NEEDS_ATTENTION,
        action="sent_for_ops_review",
        component="ReviewByOps",
        event="review_needed",
        subject=f"Privacy request {request_id} needs a review",
    )


def report_clock_failure(
    store: RequestsStore, notifier: OpsNotifier, request_id: str, error: str
) -> None:
    """The clock could not keep time: no reminder or escalation will come, so ops must know."""
    store.record_event(
        audit_event(request_id, "clock_failed", "LegalClock", utc_now(), detail={"error": error})
    )
    record = store.get(request_id)
    notifier.publish(
        "clock_failed",
        f"Reminders stopped for privacy request {request_id}",
        {**ops_facts(record), "error": error},
    )
    metrics.add_metric(name="ClockFailures", unit="Count", value=1)
