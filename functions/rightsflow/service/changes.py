"""Changing a stored request: every change passes the lifecycle rules and leaves an audit event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rightsflow.domain.audit import audit_event
from rightsflow.domain.clock import to_iso, utc_now
from rightsflow.domain.errors import ConcurrentUpdate
from rightsflow.domain.lifecycle import Status, check_transition
from rightsflow.domain.requests import RightsRequest
from rightsflow.integration.requests_store import RequestsStore

_ATTEMPTS = 5


@dataclass
class Change:
    """One change to a request, decided from what the request is now."""

    action: str
    component: str
    status: Status | None = None
    updates: dict[str, Any] = field(default_factory=dict)
    detail: dict[str, Any] = field(default_factory=dict)


def apply_change(
    store: RequestsStore,
    request_id: str,
    decide: Callable[[RightsRequest], Change | None],
) -> RightsRequest:
    """Read the request, let `decide` say what changes (None: nothing), write it with its audit
    event atomically; if someone else wrote in between, read again and decide again."""
    for _ in range(_ATTEMPTS):
        current = store.get(request_id)
        change = decide(current)
        if change is None:
            return current
        target = change.status or current.status
        if target != current.status:
            check_transition(current.status, target)
        now = utc_now()
        closing = (
            {"closed_at": to_iso(now)}
            if target.is_terminal and not current.status.is_terminal
            else {}
        )
        after = current.model_copy(
            update={**change.updates, **closing, "status": target, "updated_at": to_iso(now)}
        )
        event = audit_event(
            request_id,
            change.action,
            change.component,
            now,
            from_status=current.status,
            to_status=target if target != current.status else None,
            detail=change.detail,
        )
        try:
            return store.save(current, after, event)
        except ConcurrentUpdate:
            continue
    raise ConcurrentUpdate(request_id)


def record_change(
    store: RequestsStore,
    request_id: str,
    *,
    action: str,
    component: str,
    status: Status | None = None,
    updates: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
) -> RightsRequest:
    """Apply fixed `updates` (and a move to `status`). Re-applying a change already made (a
    retried workflow step) changes nothing and writes nothing."""
    updates = updates or {}

    def decide(current: RightsRequest) -> Change | None:
        target = status or current.status
        already_done = target == current.status and all(
            getattr(current, key) == value for key, value in updates.items()
        )
        if already_done:
            return None
        return Change(action, component, status, updates, detail or {})

    return apply_change(store, request_id, decide)
