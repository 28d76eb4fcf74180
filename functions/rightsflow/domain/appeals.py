"""Appeals against a decision declining a request in whole or in part, where the law gives one
(the US state laws): which decisions may be appealed and until when, what every such denial must
say about appealing, and what the answer to an appeal says."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from rightsflow.domain.clock import from_iso
from rightsflow.domain.deadlines import (
    add_period,
    end_of_local_day,
    local_day,
    place_for,
)
from rightsflow.domain.errors import InvalidRequest
from rightsflow.domain.identifiers import secret_matches
from rightsflow.domain.identity import normalise_email
from rightsflow.domain.language import Words, words
from rightsflow.domain.lifecycle import ANSWERED_BY_OPS, Status
from rightsflow.domain.regimes import REGIMES_BY_CODE, Appeal, Period, Place
from rightsflow.domain.requests import RightsRequest

# The same answer for an unknown id and a wrong token: neither reveals whether the other exists.
NO_SUCH_DECISION = "no request with this id and status token"


def appeal_right(record: RightsRequest) -> Appeal | None:
    regime = REGIMES_BY_CODE.get(record.regime)
    return regime.appeal if regime is not None else None


def is_appealable(record: RightsRequest) -> bool:
    """A decision declining the request in whole or in part, under a law with a right to appeal.
    Complaints and appeals themselves are answered in writing and not appealed again."""
    if appeal_right(record) is None or record.type in ANSWERED_BY_OPS:
        return False
    if record.status in {Status.DECLINED, Status.UNVERIFIED}:
        return True
    return record.status is Status.COMPLETED and record.declined_in_part


def _place(record: RightsRequest) -> Place | None:
    return place_for(record.jurisdiction)


def appeal_window_end(record: RightsRequest, decided_at: datetime) -> datetime:
    """The last moment an appeal is accepted: the window counted from the decision's local day."""
    appeal = appeal_right(record)
    place = _place(record)
    if appeal is None or place is None:
        raise ValueError(f"{record.request_id} cannot be appealed")
    zone = record.time_zone or place.zones[0]
    last = add_period(local_day(decided_at, zone), appeal.window, place)
    return end_of_local_day(last, zone)


def check_appeal(appealed: RightsRequest, *, token: str, email: str, now: datetime) -> None:
    """Whether `appealed` may be appealed now by whoever holds `token`: InvalidRequest naming
    the field and the rule otherwise."""
    hashes = [h for h in (appealed.status_token_hash, appealed.appeal_token_hash) if h]
    if not any(secret_matches(token.strip(), stored) for stored in hashes):
        raise InvalidRequest("details.appeal_of", NO_SUCH_DECISION)
    appeal = appeal_right(appealed)
    regime = REGIMES_BY_CODE.get(appealed.regime)
    if appeal is None or regime is None:
        law = regime.law if regime is not None else appealed.regime_law
        no_appeal = regime.no_appeal if regime is not None else "no right to appeal"
        raise InvalidRequest("details.appeal_of", f"{law}: {no_appeal}")
    if not appealed.status.is_terminal:
        raise InvalidRequest(
            "details.appeal_of", "the request is still open: only a decision can be appealed"
        )
    if not is_appealable(appealed):
        raise InvalidRequest(
            "details.appeal_of",
            "only a decision declining a request in whole or in part can be appealed",
        )
    until = (
        from_iso(appealed.appeal_until)
        if appealed.appeal_until
        else appeal_window_end(appealed, from_iso(appealed.closed_at or appealed.updated_at))
    )
    if now > until:
        closed = local_day(until, appealed.time_zone or "UTC")
        raise InvalidRequest(
            "details.appeal_of",
            f"the time to appeal ended on {closed} ({appeal.window_basis})",
        )
    if appealed.appeal_id is not None:
        raise InvalidRequest(
            "details.appeal_of", f"this decision was already appealed ({appealed.appeal_id})"
        )
    if normalise_email(email) != normalise_email(appealed.email):
        raise InvalidRequest("email", "must be the e-mail address of the request appealed")


# ---------------------------------------------------------------------------- what is written
def period_words(say: Words, period: Period) -> str:
    """A period of the law in the person's language ("60 days", "60 Tagen" where the sentence
    needs it is the translators' business: the whole sentence is one message)."""
    # i18n: a period, written inside "within %(period)s of receiving it" (the appeal offer)
    if period.months:
        return say.ngettext("%(count)d month", "%(count)d months", period.months)
    if period.business_days:
        # i18n: a period, written inside "within %(period)s of receiving it" (the appeal offer)
        return say.ngettext(
            "%(count)d business day", "%(count)d business days", period.business_days
        )
    # i18n: a period, written inside "within %(period)s of receiving it" (the appeal offer)
    return say.ngettext("%(count)d day", "%(count)d days", period.days)


def appeal_url(page_url: str, request_id: str, language: str = "en") -> str:
    """The privacy page's appeal form, with the decision's request id filled in, in the
    person's language."""
    return f"{page_url}?{urlencode({'appeal_of': request_id, 'lang': language})}"


def appeal_offer(record: RightsRequest, token: str, until_iso: str, page_url: str) -> str:
    """What a denial under a law with a right to appeal says about appealing it."""
    appeal = appeal_right(record)
    if appeal is None:
        return ""
    say = words(record.language)
    return say.gettext(
        'You can appeal this decision until %(until)s. To appeal, use the form "%(form)s" on '
        "our privacy page (%(url)s) with the request id %(request_id)s and this appeal token:\n"
        "  %(token)s\n"
        "We answer every appeal in writing within %(period)s of receiving it.",
        until=say.moment(until_iso, record.reading_zone),
        form=say.gettext("Appeal a decision"),
        url=appeal_url(page_url, record.request_id, say.language),
        request_id=record.request_id,
        token=token,
        period=period_words(say, appeal.answer),
    )


def appeal_answer(record: RightsRequest) -> str:
    """The closing text of an appeal: ops' decision and reasons, and, where it is denied and the
    law says so, how to complain to the Attorney General (the office as the law's table names
    it, in English: it is a name people look up)."""
    say = words(record.language)
    appeal_of = record.details.get("appeal_of", "")
    decision = (
        say.gettext(
            "Your appeal against our decision on request %(appeal_of)s is granted.",
            appeal_of=appeal_of,
        )
        if record.appeal_decision == "granted"
        else say.gettext(
            "Your appeal against our decision on request %(appeal_of)s is denied.",
            appeal_of=appeal_of,
        )
    )
    lines = [decision, "", record.appeal_answer or ""]
    appeal = appeal_right(record)
    if record.appeal_decision != "granted" and appeal is not None and appeal.attorney_general:
        office, _, url = appeal.attorney_general.removeprefix("the ").rpartition(": ")
        lines += [
            "",
            say.gettext(
                "If you disagree with this decision, you can submit a complaint to your state's "
                "authority: %(office)s (%(url)s).",
                office=office or url,
                url=url,
            ),
        ]
    return "\n".join(lines)
