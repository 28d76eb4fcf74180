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


def closing_summary(record: RightsRequest) -> str:
    if record.type is RequestType.COMPLAINT:
        return f"Our answer to your complaint:\n\n{record.complaint_answer or ''}"
    return "Your request was recorded, acknowledged and closed."


def closing_notice(record: RightsRequest) -> Notice:
    right = RIGHTS[record.type]
    return render(
        "completion",
        "Your privacy request $request_id is closed",
        {
            "request_id": record.request_id,
            "right_label": right.label,
            "outcome": OUTCOME_WORDS.get(record.status, str(record.status)),
            "summary": closing_summary(record),
        },
    )
