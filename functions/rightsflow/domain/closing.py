"""The closing notice: the outcome in plain words, and the person's right to complain to an authority."""

from __future__ import annotations

from rightsflow.domain.appeals import appeal_answer, appeal_offer
from rightsflow.domain.data_map import load_data_map
from rightsflow.domain.lifecycle import RequestType, Status
from rightsflow.domain.notices import Notice, render
from rightsflow.domain.requests import RightsRequest
from rightsflow.domain.rights import right_for
from rightsflow.domain.routing import BrandPart, brand_notes

OUTCOME_WORDS_DE = {
    Status.COMPLETED: "erledigt",
    Status.DECLINED: "abgelehnt",
    Status.UNVERIFIED: "ohne Bearbeitung geschlossen, da wir nicht prüfen konnten, dass sie von Ihnen stammt",
}
OUTCOME_WORDS = {
    Status.COMPLETED: "completed",
    Status.DECLINED: "declined",
    Status.UNVERIFIED: "closed without action, because we could not verify that it came from you",
}


def _recipient_lines(record: RightsRequest) -> list[str]:
    if not record.recipient_notices:
        return []
    recipients = load_data_map().recipients
    told = sorted(
        recipients[name].description
        for name, notice in record.recipient_notices.items()
        if notice.get("status") == "notified"
    )
    missed = sorted(
        recipients[name].description
        for name, notice in record.recipient_notices.items()
        if notice.get("status") != "notified"
    )
    lines = [""]
    if told:
        lines.append("We told those who received your data from us: " + "; ".join(told) + ".")
    if missed:
        lines.append(
            "We could not reach: " + "; ".join(missed) + ". Our team is following this up."
        )
    return lines


def _brand_lines(record: RightsRequest) -> list[str]:
    parts = {brand: BrandPart.model_validate(part) for brand, part in record.brand_parts.items()}
    return brand_notes(load_data_map(), parts)


def closing_summary(record: RightsRequest, gdpr_page_url: str) -> str:
    if record.status is Status.UNVERIFIED:
        return (
            f"We could not verify that the request came from you: {record.unverified_reason}. "
            "Nothing was disclosed or changed. To start again, make a new request on our "
            f"privacy page: {gdpr_page_url}"
        )
    if record.status is Status.DECLINED:
        lines = [f"We declined your request: {record.decline_reason or 'see our privacy policy'}."]
        return "\n".join([*lines, *_brand_lines(record)])
    if record.type is RequestType.COMPLAINT:
        return f"Our answer to your complaint:\n\n{record.complaint_answer or ''}"
    if record.type is RequestType.APPEAL:
        return appeal_answer(record)
    summary = record.result_summary or "Your request was recorded, acknowledged and closed."
    return "\n".join([summary, *_recipient_lines(record)])


def closing_notice(
    record: RightsRequest, gdpr_page_url: str, appeal_token: str | None = None
) -> Notice:
    """The closing e-mail; a decision open to appeal says how and until when (`appeal_token`
    is the secret the person appeals with, minted when the decision is closed)."""
    right = right_for(record.type, record.language)
    appeal = (
        appeal_offer(record, appeal_token, record.appeal_until, gdpr_page_url)
        if appeal_token and record.appeal_until
        else ""
    )
    return render(
        "completion",
        {
            "request_id": record.request_id,
            "right_label": right.label,
            "outcome": (OUTCOME_WORDS_DE if record.language == "de" else OUTCOME_WORDS).get(
                record.status, str(record.status)
            ),
            "summary": closing_summary(record, gdpr_page_url),
            "appeal": appeal,
        },
        record.language,
    )
