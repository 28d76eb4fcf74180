"""The closing notice: the outcome in plain words, and the person's right to complain to an
authority, in the person's language."""

from __future__ import annotations

import re

from rightsflow.domain.appeals import appeal_answer, appeal_offer
from rightsflow.domain.data_map import load_data_map
from rightsflow.domain.language import Words, words
from rightsflow.domain.lifecycle import RequestType, Status
from rightsflow.domain.notices import Notice, Paragraph, compose
from rightsflow.domain.regimes import REGIMES_BY_CODE
from rightsflow.domain.requests import Channel, RightsRequest
from rightsflow.domain.rights import right_for
from rightsflow.domain.routing import BrandPart, brand_notes


def _recipient_lines(say: Words, record: RightsRequest) -> list[str]:
    if not record.recipient_notices:
        return []
    recipients = load_data_map().recipients
    told = sorted(
        say.translate(recipients[name].description)
        for name, notice in record.recipient_notices.items()
        if notice.get("status") == "notified"
    )
    missed = sorted(
        say.translate(recipients[name].description)
        for name, notice in record.recipient_notices.items()
        if notice.get("status") != "notified"
    )
    lines = [""]
    if told:
        lines.append(
            say.gettext(
                "We told those who received your data from us: %(recipients)s.",
                recipients="; ".join(told),
            )
        )
    if missed:
        lines.append(
            say.gettext(
                "We could not reach: %(recipients)s. Our team is following this up.",
                recipients="; ".join(missed),
            )
        )
    return lines


def _brand_lines(record: RightsRequest) -> list[str]:
    parts = {brand: BrandPart.model_validate(part) for brand, part in record.brand_parts.items()}
    return brand_notes(load_data_map(), parts, record.language)


def closing_summary(record: RightsRequest, gdpr_page_url: str) -> str:
    """What was done, in the person's language: the fulfilment summary written when the work
    was assembled, or why nothing was done. Reasons the product wrote are translated; what ops
    or a Brand wrote is quoted as written."""
    say = words(record.language)
    if record.status is Status.UNVERIFIED:
        return say.gettext(
            "We could not verify that the request came from you: %(reason)s. Nothing was "
            "disclosed or changed. To start again, make a new request on our privacy page: "
            "%(url)s",
            reason=say.translate(record.unverified_reason or ""),
            url=gdpr_page_url,
        )
    if record.status is Status.DECLINED:
        declined = (
            say.gettext(
                "We declined your request: %(reason)s.",
                reason=say.clause(say.translate(record.decline_reason)),
            )
            if record.decline_reason
            else say.gettext("We declined your request; see our privacy policy.")
        )
        return "\n".join([declined, *_brand_lines(record)])
    if record.type is RequestType.COMPLAINT:
        return "\n\n".join(
            [say.gettext("Our answer to your complaint:"), record.complaint_answer or ""]
        )
    if record.type is RequestType.APPEAL:
        return appeal_answer(record)
    summary = record.result_summary or say.gettext(
        "Your request was recorded, acknowledged and closed."
    )
    return "\n".join([summary, *_recipient_lines(say, record)])


def _outcome(say: Words, record: RightsRequest, right: str) -> str:
    """The first line: the outcome, said of the person's own request, or of the one a Brand
    instructed or the company started (neither is the person's, and neither is verified)."""
    values = {"request_id": record.request_id, "right": right}
    declined = record.status is Status.DECLINED
    if record.channel is Channel.BRAND_API:
        brand = load_data_map().brands.get(record.brand or "")
        values["brand"] = brand.name if brand is not None else str(record.brand)
        if declined:
            return say.gettext(
                "The request %(request_id)s for %(right)s, which %(brand)s instructed us to "
                "carry out, is declined.",
                **values,
            )
        return say.gettext(
            "The request %(request_id)s for %(right)s, which %(brand)s instructed us to carry "
            "out, is completed.",
            **values,
        )
    if record.channel is Channel.OPS:
        if declined:
            return say.gettext(
                "The request %(request_id)s for %(right)s, which we started ourselves, is "
                "declined.",
                **values,
            )
        return say.gettext(
            "The request %(request_id)s for %(right)s, which we started ourselves, is completed.",
            **values,
        )
    if declined:
        return say.gettext("Your request %(request_id)s for %(right)s is declined.", **values)
    if record.status is Status.UNVERIFIED:
        return say.gettext(
            "Your request %(request_id)s for %(right)s is closed without action, because we "
            "could not verify that it came from you.",
            **values,
        )
    return say.gettext("Your request %(request_id)s for %(right)s is completed.", **values)


def complaint_line(say: Words, regime_code: str) -> str:
    """Where the person may complain, under the request's law (`Regime.complaint`): under the
    GDPR any supervisory authority (Art. 77), else the authority the regimes table names."""
    regime = REGIMES_BY_CODE.get(regime_code)
    if regime is None or not regime.complaint:
        return say.gettext(
            "If you are not satisfied with how we handled your request or your personal "
            "data, you have the right to lodge a complaint with a data protection "
            "authority, in particular in the country where you live or work, or where "
            "you think the law was broken."
        )
    return say.gettext(
        "If you are not satisfied with how we handled this request or your personal data, you "
        "can complain to the authority that oversees this law: %(authority)s.",
        authority=say.translate(regime.complaint),
    )


def closing_notice(
    record: RightsRequest, gdpr_page_url: str, appeal_token: str | None = None
) -> Notice:
    """The closing e-mail; a decision open to appeal says how and until when (`appeal_token`
    is the secret the person appeals with, minted when the decision is closed)."""
    say = words(record.language)
    right = right_for(record.type, record.language, record.regime)
    appeal = (
        appeal_offer(record, appeal_token, record.appeal_until, gdpr_page_url)
        if appeal_token and record.appeal_until
        else ""
    )
    summary = closing_summary(record, gdpr_page_url)
    complaint = complaint_line(say, record.regime)
    # The page (to start again, or to download a package), linked wherever the summary names it.
    links = [url.rstrip(".,;:)") for url in re.findall(r"https?://\S+", summary)]
    return compose(
        say,
        say.gettext("Your privacy request %(request_id)s is closed", request_id=record.request_id),
        [
            Paragraph(_outcome(say, record, right.label)),
            Paragraph(summary, links=links),
            Paragraph(appeal, links=[gdpr_page_url]) if appeal else None,
            Paragraph(
                complaint,
                links=[url.rstrip(".,;:)") for url in re.findall(r"https?://\S+", complaint)],
            ),
        ],
    )
