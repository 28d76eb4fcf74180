"""The closing notice: the outcome in plain words, and the person's right to complain to an authority."""

from __future__ import annotations

from rightsflow.domain.lifecycle import RequestType, Status
from rightsflow.domain.notices import Notice, render
from rightsflow.domain.requests import RightsRequest
from rightsflow.domain.rights import RIGHTS

OUTCOME_WORDS = {
    Status.COMPLETED: "completed",
    Status.DECLINED: "declined",
    Status.UNVERIFIED: "closed without action, because we could not verify that it came from you",
}


def closing_summary(record: RightsRequest, gdpr_page_url: str) -> str:
    if record.status is Status.UNVERIFIED:
        return (
            f"We could not verify that the request came from you: {record.unverified_reason}. "
            "Nothing was disclosed or changed. To start again, make a new request on our "
            f"privacy page: {gdpr_page_url}"
        )
    if record.status is Status.DECLINED:
        return f"We declined your request: {record.decline_reason or 'see our privacy policy'}."
    if record.type is RequestType.COMPLAINT:
        return f"Our answer to your complaint:\n\n{record.complaint_answer or ''}"
    return record.result_summary or "Your request was recorded, acknowledged and closed."


def closing_notice(record: RightsRequest, gdpr_page_url: str) -> Notice:
    right = RIGHTS[record.type]
    return render(
        "completion",
        "Your privacy request $request_id is closed",
        {
            "request_id": record.request_id,
            "right_label": right.label,
            "outcome": OUTCOME_WORDS.get(record.status, str(record.status)),
            "summary": closing_summary(record, gdpr_page_url),
        },
    )
