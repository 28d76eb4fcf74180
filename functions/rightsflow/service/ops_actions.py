"""What a person on the ops team can do to a request: extend its deadline, re-drive it, answer it."""

from __future__ import annotations

from datetime import date
from typing import Any

from rightsflow.domain.clock import from_iso, to_iso, utc_now
from rightsflow.domain.errors import (
    IllegalTransition,
    InvalidRequest,
    NotWaitingForOps,
    WorkflowStartFailed,
)
from rightsflow.domain.extension import plan_extension
from rightsflow.domain.lifecycle import RequestType, Status
from rightsflow.domain.notices import extension_notice
from rightsflow.domain.requests import Extension, RightsRequest, record_clock
from rightsflow.domain.timescale import TimeScale
from rightsflow.integration.mailer import Mailer
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.workflow import Workflow
from rightsflow.service.changes import record_change
from rightsflow.service.handoff import OPS_ANSWER, OPS_DECISION, OPS_REVIEW
from rightsflow.service.intake import WORKFLOW_START, start_or_park


def extend_deadline(
    store: RequestsStore,
    mailer: Mailer,
    request_id: str,
    *,
    reason: str,
    actor: str,
    until: date | None = None,
    scale: TimeScale | None = None,
) -> RightsRequest:
    """Extend the due date within the law, tell the person why and until when, and record it.

    `until` is the new due day in the regime's time zone; without it, the latest the law allows.
    """
    record = store.get(request_id)
    if record.status.is_terminal:
        raise IllegalTransition(f"request is {record.status}: a closed request has no deadline")
    clock = record_clock(record)
    received_at = from_iso(record.received_at)
    legal_now = (scale or TimeScale()).to_legal(utc_now(), received_at)
    new = plan_extension(
        clock,
        current_due=from_iso(record.due_at),
        extensions_made=len(record.extensions),
        legal_now=legal_now,
        reason=reason,
        until=until,
    )
    new_due_iso = to_iso(new.due)
    new_target_iso = to_iso(new.target)
    notice = extension_notice(
        record.language,
        request_id=record.request_id,
        previous_due=record.due_at,
        new_due=new_due_iso,
        reason=reason.strip(),
        law=record.regime_law,
        time_zone=record.reading_zone,
    )
    # Telling the person is what the law asks; a retry after a failed write may tell them twice,
    # never zero times.
    mailer.send(record.email, notice)
    entry = Extension(
        previous_due_at=record.due_at,
        new_due_at=new_due_iso,
        new_target_at=new_target_iso,
        reason=reason.strip(),
        at=to_iso(utc_now()),
        by=actor,
    )
    return record_change(
        store,
        request_id,
        action="deadline_extended",
        component=f"ops:{actor}",
        updates={
            "due_at": new_due_iso,
            "target_at": new_target_iso,
            "extensions": [*record.extensions, entry],
        },
        detail={
            "previous_due_at": record.due_at,
            "new_due_at": new_due_iso,
            "new_target_at": new_target_iso,
            "reason": reason,
        },
    )


def _waiting(record: RightsRequest, waiting_for: str) -> str:
    if record.waiting_for != waiting_for or not record.ops_task_token:
        raise NotWaitingForOps(f"request {record.request_id} is not waiting for {waiting_for}")
    return record.ops_task_token


def _resume(
    store: RequestsStore,
    workflow: Workflow,
    request_id: str,
    *,
    waiting_for: str,
    decision: str,
    action: str,
    actor: str,
    status: Status | None = None,
    updates: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
) -> RightsRequest:
    """Record an ops decision on a request the workflow waits for, then hand it the decision."""
    record = store.get(request_id)
    token = _waiting(record, waiting_for)
    record = record_change(
        store,
        request_id,
        action=action,
        component=f"ops:{actor}",
        status=status,
        updates={"waiting_for": None, "ops_task_token": None, **(updates or {})},
        detail=detail,
    )
    workflow.resume(token, {"decision": decision})
    return record


def _required(text: str, field: str, why: str) -> str:
    if not text.strip():
        raise InvalidRequest(field, why)
    return text.strip()


def retry_parked(
    store: RequestsStore, workflow: Workflow, request_id: str, *, actor: str, reason: str
) -> RightsRequest:
    """Re-drive a parked request. Every step skips what it already did, so nothing is done twice.

    A request whose workflow never started is started now (raises WorkflowStartFailed, after
    recording it parked again, if Step Functions still refuses)."""
    _required(reason, "reason", "say why the request can be retried now")
    record = store.get(request_id)
    if record.waiting_for == WORKFLOW_START:
        return _start_unstarted(store, workflow, record, actor=actor, reason=reason)
    return _resume(
        store,
        workflow,
        request_id,
        waiting_for=OPS_DECISION,
        decision="retry",
        action="retried_by_ops",
        actor=actor,
        status=record.parked_from if record.status is Status.NEEDS_ATTENTION else None,
        updates={"attention_reason": None, "parked_from": None},
        detail={"reason": reason},
    )


def answer_complaint(
    store: RequestsStore, workflow: Workflow, request_id: str, *, actor: str, answer: str
) -> RightsRequest:
    """Record ops' written answer to a complaint; the workflow then sends it and closes."""
    written = _required(answer, "answer", "a complaint needs a written answer")
    if store.get(request_id).type is RequestType.APPEAL:
        raise NotWaitingForOps(f"{request_id} is an appeal: answer it with a decision")
    return _resume(
        store,
        workflow,
        request_id,
        waiting_for=OPS_ANSWER,
        decision="answered",
        action="complaint_answered",
        actor=actor,
        updates={"complaint_answer": written},
    )


APPEAL_DECISIONS = ("granted", "denied")


def answer_appeal(
    store: RequestsStore,
    workflow: Workflow,
    request_id: str,
    *,
    actor: str,
    decision: str,
    answer: str,
) -> RightsRequest:
    """Record ops' written decision on an appeal (granted or denied, with the reasons); the
    workflow then sends it, with how to complain to the Attorney General where it is denied."""
    if decision not in APPEAL_DECISIONS:
        raise InvalidRequest("decision", "an appeal is either granted or denied")
    written = _required(answer, "answer", "an appeal needs a written answer with the reasons")
    if store.get(request_id).type is not RequestType.APPEAL:
        raise NotWaitingForOps(f"{request_id} is not an appeal")
    return _resume(
        store,
        workflow,
        request_id,
        waiting_for=OPS_ANSWER,
        decision="answered",
        action=f"appeal_{decision}",
        actor=actor,
        updates={"appeal_decision": decision, "appeal_answer": written},
        detail={"decision": decision},
    )


def approve_review(
    store: RequestsStore, workflow: Workflow, request_id: str, *, actor: str, reason: str
) -> RightsRequest:
    """Ops are satisfied the request comes from the person: it goes on."""
    _required(reason, "reason", "say why the request is approved")
    return _resume(
        store,
        workflow,
        request_id,
        waiting_for=OPS_REVIEW,
        decision="approve",
        action="approved_by_ops",
        actor=actor,
        status=Status.IN_PROGRESS,
        updates={"attention_reason": None, "reviewed_by_ops": True},
        detail={"reason": reason},
    )


def reject_review(
    store: RequestsStore, workflow: Workflow, request_id: str, *, actor: str, reason: str
) -> RightsRequest:
    """Ops decline the request (identity not established); the person is told why on closing."""
    why = _required(reason, "reason", "say why the request is rejected: the person is told")
    return _resume(
        store,
        workflow,
        request_id,
        waiting_for=OPS_REVIEW,
        decision="reject",
        action="rejected_by_ops",
        actor=actor,
        status=Status.DECLINED,
        updates={"decline_reason": why},
        detail={"reason": reason},
    )


def _start_unstarted(
    store: RequestsStore, workflow: Workflow, record: RightsRequest, *, actor: str, reason: str
) -> RightsRequest:
    record = record_change(
        store,
        record.request_id,
        action="retried_by_ops",
        component=f"ops:{actor}",
        status=record.parked_from or Status.RECEIVED,
        updates={"waiting_for": None, "attention_reason": None, "parked_from": None},
        detail={"reason": reason, "starts": "workflow"},
    )
    record = start_or_park(store, workflow, record, f"ops:{actor}")
    if record.waiting_for == WORKFLOW_START:
        raise WorkflowStartFailed(f"{record.request_id}: still refused")
    return record
