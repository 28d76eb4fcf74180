"""Taking in an appeal: checked against the decision it appeals (its status token, the law, the
window), then stored linked to it, so that one decision is appealed at most once."""

from __future__ import annotations

from datetime import datetime

from rightsflow.domain.appeals import NO_SUCH_DECISION, check_appeal
from rightsflow.domain.audit import AuditEvent
from rightsflow.domain.errors import InvalidRequest, RequestNotFound
from rightsflow.domain.requests import RightsRequest, Submission
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.observability import logger
from rightsflow.service.changes import Change, apply_change

COMPONENT = "intake"


def prepare(
    store: RequestsStore, submission: Submission, now: datetime
) -> tuple[Submission, RightsRequest]:
    """The appeal as it will be stored, and the request it appeals. InvalidRequest naming the
    field when the decision may not be appealed (now, by this token, from this address). The
    appeal runs on the clock of the appealed request's place; its token is never stored."""
    appeal_of = str(submission.details["appeal_of"])
    try:
        appealed = store.get(appeal_of)
    except RequestNotFound as error:
        raise InvalidRequest("details.appeal_of", NO_SUCH_DECISION) from error
    check_appeal(
        appealed,
        token=str(submission.details["status_token"]),
        email=str(submission.email),
        now=now,
    )
    details = {key: value for key, value in submission.details.items() if key != "status_token"}
    stored = submission.model_copy(
        update={
            "details": details,
            "jurisdiction": appealed.jurisdiction,
            "brand": appealed.brand,
            "name": submission.name or appealed.name,
        }
    )
    return stored, appealed


def create_linked(
    store: RequestsStore, record: RightsRequest, event: AuditEvent, appealed_id: str
) -> None:
    """Mark the decision as appealed by `record`, then store `record`. The mark is written
    first and only if no other appeal holds it; if storing the appeal then fails, the mark is
    taken back, so the person can try again."""

    def mark(current: RightsRequest) -> Change | None:
        if current.appeal_id == record.request_id:
            return None
        if current.appeal_id is not None:
            raise InvalidRequest(
                "details.appeal_of", f"this decision was already appealed ({current.appeal_id})"
            )
        return Change(
            "decision_appealed",
            COMPONENT,
            updates={"appeal_id": record.request_id},
            detail={"appeal_id": record.request_id},
        )

    apply_change(store, appealed_id, mark)
    try:
        store.create(record, event)
    except Exception:
        logger.exception(
            "appeal not stored; releasing the decision", extra={"request_id": appealed_id}
        )

        def release(current: RightsRequest) -> Change | None:
            if current.appeal_id != record.request_id:
                return None
            return Change("appeal_not_stored", COMPONENT, updates={"appeal_id": None})

        apply_change(store, appealed_id, release)
        raise
