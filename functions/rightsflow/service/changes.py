"""Changing a stored request: every change passes the lifecycle rules and leaves an audit event."""

from __future__ import annotations

from typing import Any

from rightsflow.domain.audit import audit_event
from rightsflow.domain.clock import to_iso, utc_now
from rightsflow.domain.errors import ConcurrentUpdate
from rightsflow.domain.lifecycle import Status, check_transition
from rightsflow.domain.requests import RightsRequest
from rightsflow.integration.requests_store import RequestsStore

_ATTEMPTS = 5


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
    """Apply `updates` (and a move to `status`) to the request, with its audit event, atomically.

    Re-applying a change already made (a retried workflow step) changes nothing and writes nothing.
    Concurrent writers are resolved by re-reading and trying again.
    """
    updates = updates or {}
    for _ in range(_ATTEMPTS):
        current = store.get(request_id)
        target = status or current.status
        already_done = target == current.status and all(
            getattr(current, key) == value for key, value in updates.items()
        )
        if already_done:
            return current
        if target != current.status:
            check_transition(current.status, target)
        now = utc_now()
        after = current.model_copy(update={**updates, "status": target, "updated_at": to_iso(now)})
        event = audit_event(
            request_id,
            action,
            component,
            now,
            from_status=current.status,
            to_status=target if target != current.status else None,
            detail=detail,
        )
        try:
            return store.save(current, after, event)
        except ConcurrentUpdate:
            continue
    raise ConcurrentUpdate(request_id)
