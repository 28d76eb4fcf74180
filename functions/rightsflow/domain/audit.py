"""The audit trail: one event per thing that happened to a request, with no raw personal data."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from rightsflow.domain.clock import to_iso
from rightsflow.domain.lifecycle import Status


class AuditEvent(BaseModel):
    request_id: str
    event_id: str  # sorts in time order within a request
    at: str
    action: str
    component: str
    from_status: Status | None = None
    to_status: Status | None = None
    detail: dict[str, Any] = Field(default_factory=dict)


def audit_event(
    request_id: str,
    action: str,
    component: str,
    at: datetime,
    *,
    from_status: Status | None = None,
    to_status: Status | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    stamp = at.strftime("%Y%m%dT%H%M%S.%fZ")
    return AuditEvent(
        request_id=request_id,
        event_id=f"{stamp}#{uuid.uuid4().hex[:8]}",
        at=to_iso(at),
        action=action,
        component=component,
        from_status=from_status,
        to_status=to_status,
        detail=detail or {},
    )
