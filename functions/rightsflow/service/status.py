"""What a person may read about their request, given its id and the status token."""

from __future__ import annotations

from rightsflow.domain.errors import RequestNotFound
from rightsflow.domain.identifiers import secret_matches
from rightsflow.domain.requests import HistoryEntry, PublicView
from rightsflow.integration.requests_store import RequestsStore


def public_view(store: RequestsStore, request_id: str, status_token: str | None) -> PublicView:
    """The person's view; a wrong or missing token is indistinguishable from an unknown id."""
    record = store.get(request_id)
    if not status_token or not secret_matches(status_token, record.status_token_hash):
        raise RequestNotFound(request_id)
    history = [
        HistoryEntry(status=event.to_status, at=event.at)
        for event in store.audit_trail(request_id)
        if event.to_status is not None
    ]
    return PublicView(
        request_id=record.request_id,
        type=record.type,
        status=record.status,
        group_id=record.group_id,
        received_at=record.received_at,
        due_at=record.due_at,
        updated_at=record.updated_at,
        history=history,
        language=record.language,
        time_zone=record.time_zone,
        scope=record.scope,
    )
