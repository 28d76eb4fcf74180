"""The legal clock's arithmetic: which place and law a request falls under, and when it must be
acknowledged, answered, and at the latest answered after an extension.

Every request has two dates. `due` is the law's last moment: the end of the last day in the
place's time zone, moved past a weekend or holiday where the law moves it. `target` is the
careful date ops work to: the same day before any move, never later than `due`. Reminders count
to the target; the overdue escalation fires only after the legal due.

The rules themselves, with their citations, are the table in `rightsflow.domain.regimes`.
"""

from __future__ import annotations

import calendar
import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from rightsflow.domain.clock import to_iso, utc_now
from rightsflow.domain.errors import InvalidRequest
from rightsflow.domain.lifecycle import OPT_OUTS, RequestType
from rightsflow.domain.regimes import (
    DPF_COMPLAINT,
    FALLBACK_RULE,
    NATIONAL_LAW_COUNTRIES,
    PLACES,
    POLICY_ACK,
    REGIMES_BY_CODE,
    Acknowledgment,
    Answer,
    Extension,
    Holidays,
    Period,
    Place,
    Regime,
)
from rightsflow.domain.verification import Assurance, assurance_for

if TYPE_CHECKING:
    import holidays

__all__ = [
    "PLACES",
    "REGIMES_BY_CODE",
    "Clock",
    "DeadlineReport",
    "Period",
    "Place",
    "Regime",
    "add_business_days",
    "add_months",
    "calculate",
    "clock_for",
    "deadline_report",
    "end_of_local_day",
    "normalise_jurisdiction",
    "place_for",
]

JURISDICTION_PATTERN = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")

# Complaints are answered on the Data Privacy Framework's clock, in the company's own time zone
# (Boston), wherever they come from.
COMPLAINT_PLACE = Place("DPF", "any place (complaints)", DPF_COMPLAINT, ("America/New_York",))


# Codes people use for a place whose ISO 3166 code is another, mapped where that is unambiguous:
# ISO 3166-1 reserves UK for the United Kingdom at the UK's request (its code is GB).
JURISDICTION_ALIASES = {"UK": "GB"}
# Our own region code (the EU/EEA as a whole: the default), and the EU's code for Greece (EL),
# which the table lists beside GR. Neither takes a subdivision.
REGION_CODES = frozenset({"EU", "EL"})
_SUBDIVISION = re.compile(r"^[A-Z0-9]{1,3}$")


@cache
def iso_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, as the time zone database keeps them (`iso3166.tab` of the
    tzdata package, which every function ships for its time zones)."""
    text = resources.files("tzdata").joinpath("zoneinfo/iso3166.tab").read_text("utf-8")
    return frozenset(
        line.split("\t", 1)[0] for line in text.splitlines() if line and not line.startswith("#")
    )


@cache
def _laws_by_subdivision() -> frozenset[str]:
    """Countries whose privacy law is their states' or provinces' (US, CA): there the
    subdivision decides the law, so it must be a real one. Elsewhere the law is national and a
    subdivision (DE-BY, GB-LND) changes nothing."""
    return frozenset(
        code.split("-", 1)[0]
        for code in PLACES
        if "-" in code and code.split("-", 1)[0] not in NATIONAL_LAW_COUNTRIES
    )


@cache
def subdivisions_of(country: str) -> frozenset[str]:
    """The ISO 3166-2 subdivision codes (without the country) of a country whose law is its
    subdivisions' (US states, DC and territories; Canadian provinces and territories), as the
    holidays package, which the clock already uses for their calendars, lists them."""
    import holidays  # noqa: PLC0415 - as _calendar

    listed = holidays.list_supported_countries().get(country, [])
    return frozenset(code for code in listed if _SUBDIVISION.fullmatch(code))


@cache
def _needs_subdivision() -> frozenset[str]:
    """Countries the table knows only by state (US): a code without the state names no law."""
    return frozenset(country for country in _laws_by_subdivision() if country not in PLACES)


def _listing(codes: list[str]) -> str:
    return ", ".join(codes)


def normalise_jurisdiction(raw: str) -> str:
    """The jurisdiction code a request is counted under: an ISO 3166 code, upper case (`de`
    is `DE`), `UK` read as `GB` (and `UK-SCT` as `GB-SCT`), or our region code `EU`. ValueError,
    saying what is accepted, for anything else: a code that is not ISO 3166 (`EU-DE`, `XX`), a
    subdivision its country does not have (`GB-XYZ`), or a country whose laws are its states'
    given without the state (`US`). A real place the table does not know (`MX`, `US-NY`) is
    accepted: it runs on the strictest clock of the table (the fallback)."""
    code = raw.strip().upper()
    if not JURISDICTION_PATTERN.fullmatch(code):
        raise ValueError(
            "must be an ISO 3166 code: a country such as DE, GB or FR, a state or province "
            "such as US-CA or CA-QC, or EU"
        )
    country, _, subdivision = code.partition("-")
    country = JURISDICTION_ALIASES.get(country, country)
    code = f"{country}-{subdivision}" if subdivision else country
    if code in PLACES:
        return code
    if country in REGION_CODES:
        raise ValueError(
            f"{country} takes no subdivision: give the country's own ISO 3166 code alone "
            "(DE, not EU-DE)"
        )
    if country not in iso_countries():
        raise ValueError(
            f"{country} is not an ISO 3166 country code. Accepted: any ISO 3166 country code; "
            "the places whose law we know are "
            f"{_listing(sorted(PLACES))} (UK is read as GB)"
        )
    if country not in _laws_by_subdivision():
        return code
    known = sorted(c for c in PLACES if c.startswith(f"{country}-"))
    if not subdivision and country in _needs_subdivision():
        raise ValueError(
            f"{country} needs its state, whose law applies: {_listing(known)}; another "
            f"state's ISO 3166-2 code (such as {country}-NY) gets the strictest clock"
        )
    if subdivision and subdivision not in subdivisions_of(country):
        raise ValueError(
            f"{code} is not an ISO 3166-2 subdivision of {country}; the ones whose law we know "
            f"are {_listing(known)}, and any other real one gets the strictest clock"
        )
    return code


def place_for(jurisdiction: str) -> Place | None:
    """The place a code names; a subdivision of a country whose privacy law is national (DE-BY)
    is that country; anything else is unknown (None)."""
    place = PLACES.get(jurisdiction)
    if place is not None:
        return place
    country = jurisdiction.split("-", maxsplit=1)[0]
    if country in NATIONAL_LAW_COUNTRIES:
        return PLACES[country]
    return None


def reading_zone(jurisdiction: str) -> str:
    """The time zone an instant is told in to a person of `jurisdiction` (e-mails, notices):
    the place's `reading_zone` (for `EU`, Central European Time, whichever zone's day the
    deadline was counted in); for an unknown place, UTC, as its clock follows the strictest
    zone of the whole table, which nobody there would recognise."""
    place = place_for(jurisdiction)
    return place.reading_zone if place is not None else "UTC"


# ---------------------------------------------------------------------------- calendar arithmetic
def add_months(day: date, months: int) -> date:
    """Calendar months (Reg. 1182/71 Art. 3(2)(c)): the same date, or the month's last day."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


@cache
def _calendar(country: str, subdivision: str | None) -> holidays.HolidayBase:
    # Loaded by the first clock that counts a place's public holidays, not by every import.
    import holidays  # noqa: PLC0415

    return holidays.country_holidays(country, subdiv=subdivision)


@cache
def holiday_test(calendars: Holidays | None) -> Callable[[date], bool]:
    """Whether a day is a public holiday that counts: one every listed calendar keeps."""
    if calendars is None:
        return lambda _: False
    books = [_calendar(country, subdivision) for country, subdivision in calendars.calendars]
    return lambda day: all(day in book for book in books)


def is_business_day(day: date, place: Place) -> bool:
    return day.weekday() < 5 and not holiday_test(place.holidays)(day)


def add_business_days(day: date, count: int, place: Place) -> date:
    """The business day `count` business days after `day` (day itself not counted)."""
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if is_business_day(current, place):
            remaining -= 1
    return current


def add_period(day: date, period: Period, place: Place) -> date:
    """The last day of `period` counted from the day after `day`."""
    day = add_months(day, period.months) + timedelta(days=period.days)
    return add_business_days(day, period.business_days, place)


def roll_forward(day: date, regime: Regime, place: Place) -> date:
    """Where the law moves a last day off a weekend or holiday, the day it moves to."""
    if regime.roll is None:
        return day
    holiday = holiday_test(place.holidays) if regime.roll.holidays else (lambda _: False)
    while day.weekday() in regime.roll.weekdays or holiday(day):
        day += timedelta(days=1)
    return day


def end_of_local_day(day: date, zone: str) -> datetime:
    """The last second of `day` in `zone`, as a UTC time."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def local_day(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


# ---------------------------------------------------------------------------- one request's clock
@dataclass(frozen=True)
class Clock:
    """The dates of one request: instants in UTC, local dates in `time_zone`."""

    jurisdiction: str
    place: Place
    regime: Regime
    answer: Answer
    request_type: RequestType
    time_zone: str
    fallback: bool
    received_at: datetime
    acknowledgment: Acknowledgment | None
    acknowledge_by: datetime | None
    acknowledge_local: date | None
    due: datetime
    due_local: date
    target: datetime
    target_local: date
    latest_extended_due: datetime | None
    latest_extended_local: date | None
    latest_extended_target: datetime | None
    extension_notice_by_local: date | None

    @property
    def extension(self) -> Extension | None:
        return self.answer.extension

    @property
    def acknowledge_basis(self) -> Literal["law", "policy"]:
        return "law" if self.acknowledgment is not None and self.acknowledgment.by_law else "policy"

    def citations(self) -> list[str]:
        """Every rule this clock applied, with where it comes from."""
        regime = self.regime
        lines = [f"{self.answer.period}: {self.answer.basis}", f"counting: {regime.counting}"]
        if regime.roll is not None:
            lines.append(f"a last day on a {regime.roll} moves on: {regime.roll.basis}")
        else:
            lines.append(f"last day {regime.no_roll}")
        if self.answer.extension is not None:
            lines.append(f"extension {self.answer.extension}: {self.answer.extension.basis}")
        else:
            lines.append(f"no extension: {self.answer.no_extension}")
        if self.acknowledgment is not None:
            lines.append(
                f"acknowledge within {self.acknowledgment.period}: {self.acknowledgment.basis}"
            )
        else:
            lines.append("no acknowledgment: the law sets none and our notice follows at once")
        lines.append(f"verification: {regime.no_verification}")
        if len(self.place.zones) > 1:
            lines.append(
                f"time zone {self.time_zone}: of {', '.join(self.place.zones)}, the one whose "
                "day ends first for this receipt"
            )
        if self.fallback:
            lines.append(f"fallback: {FALLBACK_RULE}")
        return lines


def _answer(regime: Regime, request_type: RequestType) -> Answer:
    if request_type is RequestType.APPEAL:
        appeal = regime.appeal
        if appeal is None:
            raise InvalidRequest("type", f"{regime.law}: {regime.no_appeal}")
        return Answer(appeal.answer, appeal.basis, appeal.extension, "", POLICY_ACK)
    return regime.answer_for(request_type)


def _acknowledgment(answer: Answer, request_type: RequestType) -> Acknowledgment | None:
    """Our policy acknowledges every request within a business day, except opt-outs: they are
    applied at once and the person told so at once, unless the law asks for more."""
    ack = answer.acknowledge
    if ack is not None and not ack.by_law and request_type in OPT_OUTS:
        return None
    return ack


def _clock_in_zone(
    jurisdiction: str,
    place: Place,
    regime: Regime,
    request_type: RequestType,
    received_at: datetime,
    *,
    zone: str,
    fallback: bool = False,
) -> Clock:
    answer = _answer(regime, request_type)
    start = local_day(received_at, zone)
    first = add_period(start, answer.period, place)
    due_local = roll_forward(first, regime, place)
    ack = _acknowledgment(answer, request_type)
    ack_local = add_period(start, ack.period, place) if ack is not None else None
    latest_target_local: date | None = None
    latest_local: date | None = None
    if answer.extension is not None:
        candidates = []
        if answer.extension.after_first is not None:
            candidates.append(add_period(first, answer.extension.after_first, place))
        if answer.extension.from_receipt is not None:
            candidates.append(add_period(start, answer.extension.from_receipt, place))
        latest_target_local = min(candidates)
        latest_local = roll_forward(latest_target_local, regime, place)
    return Clock(
        jurisdiction=jurisdiction,
        place=place,
        regime=regime,
        answer=answer,
        request_type=request_type,
        time_zone=zone,
        fallback=fallback,
        received_at=received_at.astimezone(UTC),
        acknowledgment=ack,
        acknowledge_by=end_of_local_day(ack_local, zone) if ack_local is not None else None,
        acknowledge_local=ack_local,
        due=end_of_local_day(due_local, zone),
        due_local=due_local,
        target=end_of_local_day(first, zone),
        target_local=first,
        latest_extended_due=end_of_local_day(latest_local, zone) if latest_local else None,
        latest_extended_local=latest_local,
        latest_extended_target=(
            end_of_local_day(latest_target_local, zone) if latest_target_local else None
        ),
        extension_notice_by_local=due_local if answer.extension is not None else None,
    )


def _earliest(clocks: list[Clock], *, by_zone_name: bool = False) -> Clock:
    """The clock that ends first; among equals, the place's first-listed zone (its main one:
    Lisbon, not Madeira), or for the fallback the zone's name."""
    if by_zone_name:
        return min(clocks, key=lambda clock: (clock.due, clock.target, clock.time_zone))
    return min(clocks, key=lambda clock: (clock.due, clock.target))


def _fallback(jurisdiction: str, request_type: RequestType, received_at: datetime) -> Clock:
    """The strictest clock of the table for this type and receipt; no last day moves."""
    candidates = []
    for place in PLACES.values():
        regime = dataclasses.replace(
            place.regime, roll=None, no_roll=f"not moved ({FALLBACK_RULE})"
        )
        if request_type is RequestType.APPEAL and regime.appeal is None:
            continue
        for zone in place.zones:
            candidates.append(
                _clock_in_zone(
                    jurisdiction, place, regime, request_type, received_at, zone=zone, fallback=True
                )
            )
    if not candidates:
        raise InvalidRequest("type", "an appeal needs a place whose law gives a right to appeal")
    return _earliest(candidates, by_zone_name=True)


def clock_for(
    jurisdiction: str,
    request_type: RequestType,
    received_at: datetime,
    zone: str | None = None,
) -> Clock:
    """The clock of a request received at `received_at` (any time zone). `zone` pins the time
    zone a stored request was counted in; otherwise, of the place's zones, the one whose day
    ends first for this receipt. InvalidRequest (field `type`) for an appeal where the law gives
    no right to appeal."""
    if request_type is RequestType.COMPLAINT:
        place = COMPLAINT_PLACE
    else:
        found = place_for(jurisdiction)
        if found is None:
            return _fallback(jurisdiction, request_type, received_at)
        place = found
    zones = (zone,) if zone else place.zones
    return _earliest(
        [
            _clock_in_zone(jurisdiction, place, place.regime, request_type, received_at, zone=each)
            for each in zones
        ]
    )


# ---------------------------------------------------------------------------- the calculator
VERIFICATION_WORDS: dict[Assurance, Literal["none", "email", "email+identifier"]] = {
    Assurance.NONE: "none",
    Assurance.EMAIL: "email",
    Assurance.EMAIL_AND_SECOND_IDENTIFIER: "email+identifier",
}


class DeadlineReport(BaseModel):
    """What the deadline calculator answers (CLI `--json` and `GET /deadlines`): instants in
    ISO 8601 UTC, local dates as YYYY-MM-DD in `time_zone`."""

    jurisdiction: str
    regime: str
    law: str
    time_zone: str
    received_at: str
    acknowledge_by: str | None
    acknowledge_by_local_date: str | None
    acknowledge_basis: Literal["law", "policy"]
    due: str
    due_local_date: str
    target: str
    target_local_date: str
    latest_extended_due: str | None
    latest_extended_local_date: str | None
    extension_notice_by_local_date: str | None
    verification: Literal["none", "email", "email+identifier"]
    fallback: bool
    citations: list[str]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def deadline_report(
    jurisdiction: str, request_type: RequestType, received_at: datetime
) -> DeadlineReport:
    """The clock a request of `request_type` from `jurisdiction` received at `received_at` would
    run on. InvalidRequest naming the field for a malformed code, or an appeal where the law
    gives none."""
    try:
        code = normalise_jurisdiction(jurisdiction)
    except ValueError as error:
        raise InvalidRequest("jurisdiction", str(error)) from error
    try:
        clock = clock_for(code, request_type, received_at)
    except OverflowError as error:  # past the calendar's end: say which field, never a 5xx
        raise InvalidRequest(
            "received_at", "is too far in the future to count a deadline from"
        ) from error
    return DeadlineReport(
        jurisdiction=clock.jurisdiction,
        regime=clock.regime.code,
        law=clock.regime.law,
        time_zone=clock.time_zone,
        received_at=to_iso(clock.received_at),
        acknowledge_by=to_iso(clock.acknowledge_by) if clock.acknowledge_by else None,
        acknowledge_by_local_date=_day(clock.acknowledge_local),
        acknowledge_basis=clock.acknowledge_basis,
        due=to_iso(clock.due),
        due_local_date=clock.due_local.isoformat(),
        target=to_iso(clock.target),
        target_local_date=clock.target_local.isoformat(),
        latest_extended_due=(
            to_iso(clock.latest_extended_due) if clock.latest_extended_due else None
        ),
        latest_extended_local_date=_day(clock.latest_extended_local),
        extension_notice_by_local_date=_day(clock.extension_notice_by_local),
        verification=VERIFICATION_WORDS[assurance_for(request_type, {})],
        fallback=clock.fallback,
        citations=clock.citations(),
    )


def calculate(jurisdiction: str, request_type: str, received_at: str | None) -> DeadlineReport:
    """The calculator from what a person types (CLI flags, query parameters); InvalidRequest
    naming the field (`jurisdiction`, `type`, `received_at`) that is wrong."""
    try:
        kind = RequestType(request_type.strip().lower())
    except ValueError as error:
        choices = ", ".join(t.value for t in RequestType if t is not RequestType.LIFT_RESTRICTION)
        raise InvalidRequest("type", f"must be one of: {choices}") from error
    return deadline_report(jurisdiction, kind, parse_received_at(received_at))


# A receipt from which every period of the table (a year at most, with extensions and moves)
# still ends on a date Python, ISO 8601 and DynamoDB can write.
LATEST_RECEIPT = datetime(9999, 1, 1, tzinfo=UTC)


def parse_received_at(text: str | None) -> datetime:
    """An ISO 8601 time with a UTC offset (default: now). InvalidRequest (`received_at`)
    otherwise: without an offset the local day of receipt, where the law starts counting, is
    unknown."""
    if text is None or not text.strip():
        return utc_now()
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise InvalidRequest(
            "received_at",
            "must be an ISO 8601 time such as 2026-01-31T10:00:00+01:00 (in a URL, write + as %2B)",
        ) from error
    if moment.tzinfo is None:
        raise InvalidRequest(
            "received_at",
            "needs a UTC offset such as +01:00 or Z: the day of receipt depends on it",
        )
    if moment >= LATEST_RECEIPT:
        raise InvalidRequest(
            "received_at",
            f"must be before {LATEST_RECEIPT.date().isoformat()}: the dates counted from it "
            "would run past the last date a calendar can write (9999-12-31)",
        )
    return moment
