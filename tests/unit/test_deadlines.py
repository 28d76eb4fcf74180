"""The legal clock, regime by regime, at its edges: month ends (leap and not), late evening and
just after midnight locally against UTC, DST days, last days on weekends and public holidays,
business days across Thanksgiving and Christmas, extensions, and unknown places."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rightsflow.domain import deadlines
from rightsflow.domain.errors import InvalidRequest
from rightsflow.domain.lifecycle import RequestType
from rightsflow.domain.notices import local_time
from rightsflow.domain.regimes import PLACES, REGIMES

T = RequestType


def at(zone: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:  # noqa: PLR0917
    """A moment as a wall clock in `zone` shows it."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


def utc(  # noqa: PLR0917
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@dataclass(frozen=True)
class Case:
    why: str
    jurisdiction: str
    request_type: RequestType
    received: datetime
    target: date  # the last day before any move (what ops work to)
    due: date  # the law's last day
    latest: date | None = None  # the latest day an extension may reach


CASES = [
    # ---------------------------------------------------------------- GDPR (Germany, Ireland)
    Case(
        "31 Jan: the month ends on 28 Feb, a Saturday; Reg. 1182/71 Art. 3(4) moves it to "
        "Monday (the issue's example)",
        "DE",
        T.ACCESS,
        at("Europe/Berlin", 2026, 1, 31, 10),
        date(2026, 2, 28),
        date(2026, 3, 2),
        date(2026, 4, 28),
    ),
    Case(
        "31 Jan of a leap year: 29 Feb, a Tuesday; the extension's 29 April is a Saturday: 1 May",
        "DE",
        T.ACCESS,
        at("Europe/Berlin", 2028, 1, 31, 10),
        date(2028, 2, 29),
        date(2028, 2, 29),
        date(2028, 5, 1),
    ),
    Case(
        "the last day of a 31-day month: the next month's last day",
        "DE",
        T.ERASURE,
        at("Europe/Berlin", 2026, 3, 31, 10),
        date(2026, 4, 30),
        date(2026, 4, 30),
    ),
    Case(
        "a month ending on a Sunday moves to Monday",
        "DE",
        T.ACCESS,
        at("Europe/Berlin", 2026, 2, 1, 9),
        date(2026, 3, 1),
        date(2026, 3, 2),
    ),
    Case(
        "late evening in Berlin: still 9 March",
        "DE",
        T.ACCESS,
        at("Europe/Berlin", 2026, 3, 9, 23, 30),
        date(2026, 4, 9),
        date(2026, 4, 9),
    ),
    Case(
        "just after midnight in Berlin, still 9 March in UTC: counted from 10 March",
        "DE",
        T.ACCESS,
        at("Europe/Berlin", 2026, 3, 10, 0, 10),
        date(2026, 4, 10),
        date(2026, 4, 10),
    ),
    Case(
        "Christmas Day is not moved: whose holidays count is unsettled for a controller "
        "outside the EU (earlier reading)",
        "DE",
        T.ACCESS,
        at("Europe/Berlin", 2026, 11, 25, 10),
        date(2026, 12, 25),
        date(2026, 12, 25),
    ),
    Case(
        "23:30 in Dublin on 9 March is 9 April in Irish time, not Brussels time (the "
        "issue's example)",
        "IE",
        T.ACCESS,
        at("Europe/Dublin", 2026, 3, 9, 23, 30),
        date(2026, 4, 9),
        date(2026, 4, 9),
    ),
    # ---------------------------------------------------------------- UK GDPR
    Case(
        "26 Nov: 26 Dec is a Saturday and 28 Dec a bank holiday: 29 Dec (the issue's example)",
        "GB",
        T.ACCESS,
        at("Europe/London", 2026, 11, 26, 10),
        date(2026, 12, 26),
        date(2026, 12, 29),
    ),
    Case(
        "31 Jan: extended to three months from receipt, 30 April (the ICO)",
        "GB",
        T.ACCESS,
        at("Europe/London", 2026, 1, 31, 10),
        date(2026, 2, 28),
        date(2026, 3, 2),
        date(2026, 4, 30),
    ),
    Case(
        "Good Friday is kept in every UK nation; Easter Monday not in Scotland: for GB it "
        "ends on the Monday",
        "GB",
        T.ACCESS,
        at("Europe/London", 2026, 3, 3, 10),
        date(2026, 4, 3),
        date(2026, 4, 6),
    ),
    Case(
        "in England, Good Friday and Easter Monday are both bank holidays",
        "GB-ENG",
        T.ACCESS,
        at("Europe/London", 2026, 3, 3, 10),
        date(2026, 4, 3),
        date(2026, 4, 7),
    ),
    Case(
        "in England a month ending on a Sunday moves to Monday",
        "GB-ENG",
        T.ACCESS,
        at("Europe/London", 2026, 2, 1, 10),
        date(2026, 3, 1),
        date(2026, 3, 2),
    ),
    # ---------------------------------------------------------------- Switzerland
    Case(
        "30 days, not a month: 5 Jan -> 4 Feb (the issue's example)",
        "CH",
        T.ACCESS,
        at("Europe/Zurich", 2026, 1, 5, 10),
        date(2026, 2, 4),
        date(2026, 2, 4),
        date(2026, 4, 6),
    ),
    Case(
        "30 days ending on a Saturday move to Monday (SR 173.110.3)",
        "CH",
        T.ACCESS,
        at("Europe/Zurich", 2026, 1, 1, 10),
        date(2026, 1, 31),
        date(2026, 2, 2),
    ),
    Case(
        "Christmas Day is not moved: holidays count at the place of performance, unsettled",
        "CH",
        T.ACCESS,
        at("Europe/Zurich", 2026, 11, 25, 10),
        date(2026, 12, 25),
        date(2026, 12, 25),
    ),
    Case(
        "30 days ending on a Sunday move to Monday (CO Art. 78(1))",
        "CH",
        T.ACCESS,
        at("Europe/Zurich", 2026, 1, 30, 10),
        date(2026, 3, 1),
        date(2026, 3, 2),
    ),
    # ---------------------------------------------------------------- CCPA
    Case(
        "45 days; extension to 90 days from receipt: 1 May in California",
        "US-CA",
        T.ACCESS,
        at("America/Los_Angeles", 2026, 1, 31, 12),
        date(2026, 3, 17),
        date(2026, 3, 17),
        date(2026, 5, 1),
    ),
    Case(
        "late evening in California is the next day in UTC: counted from 28 Nov",
        "US-CA",
        T.ERASURE,
        utc(2026, 11, 29, 3),
        date(2027, 1, 12),
        date(2027, 1, 12),
    ),
    Case(
        "a Saturday is not moved (whether Civ. Code §§ 10-11 apply is unsettled)",
        "US-CA",
        T.ACCESS,
        at("America/Los_Angeles", 2026, 1, 21, 12),
        date(2026, 3, 7),
        date(2026, 3, 7),
    ),
    Case(
        "nor is a Sunday",
        "US-CA",
        T.ACCESS,
        at("America/Los_Angeles", 2026, 1, 22, 12),
        date(2026, 3, 8),
        date(2026, 3, 8),
    ),
    Case(
        "Christmas Day is not moved either",
        "US-CA",
        T.ACCESS,
        at("America/Los_Angeles", 2026, 11, 10, 12),
        date(2026, 12, 25),
        date(2026, 12, 25),
    ),
    Case(
        "opt-out: 15 business days across Thanksgiving (the day after is a California "
        "holiday only, so it counts)",
        "US-CA",
        T.OPT_OUT_SALE_SHARING,
        at("America/Los_Angeles", 2026, 11, 20, 12),
        date(2026, 12, 14),
        date(2026, 12, 14),
    ),
    Case(
        "limit sensitive PI: 15 business days across Christmas and New Year",
        "US-CA",
        T.LIMIT_SENSITIVE_PI,
        at("America/Los_Angeles", 2026, 12, 18, 12),
        date(2027, 1, 12),
        date(2027, 1, 12),
    ),
    # ---------------------------------------------------------------- US state laws
    Case(
        "Virginia: 45 days, +45 once",
        "US-VA",
        T.ACCESS,
        at("America/New_York", 2026, 1, 1, 10),
        date(2026, 2, 15),
        date(2026, 2, 15),
        date(2026, 4, 1),
    ),
    Case(
        "Virginia: an appeal is answered within 60 days",
        "US-VA",
        T.APPEAL,
        at("America/New_York", 2026, 3, 9, 10),
        date(2026, 5, 8),
        date(2026, 5, 8),
    ),
    Case(
        "Colorado: an appeal within 45 days, +60",
        "US-CO",
        T.APPEAL,
        at("America/Denver", 2026, 1, 1, 10),
        date(2026, 2, 15),
        date(2026, 2, 15),
        date(2026, 4, 16),
    ),
    Case(
        "Iowa: 90 days, +45",
        "US-IA",
        T.ACCESS,
        at("America/Chicago", 2026, 1, 1, 9),
        date(2026, 4, 1),
        date(2026, 4, 1),
        date(2026, 5, 16),
    ),
    Case(
        "Rhode Island: consent revoked within 15 days",
        "US-RI",
        T.WITHDRAW_CONSENT,
        at("America/New_York", 2026, 1, 1, 10),
        date(2026, 1, 16),
        date(2026, 1, 16),
    ),
    # ---------------------------------------------------------------- Canada
    Case(
        "PIPEDA: Canada Day moves the last day (Interpretation Act s. 26)",
        "CA-ON",
        T.ACCESS,
        at("America/Toronto", 2026, 6, 1, 10),
        date(2026, 7, 1),
        date(2026, 7, 2),
        date(2026, 7, 31),
    ),
    Case(
        "PIPEDA: a Saturday is no holiday in the Interpretation Act",
        "CA-ON",
        T.ACCESS,
        at("America/Toronto", 2026, 10, 1, 10),
        date(2026, 10, 31),
        date(2026, 10, 31),
        date(2026, 11, 30),
    ),
    Case(
        "PIPEDA: a Sunday is",
        "CA-ON",
        T.ACCESS,
        at("America/Toronto", 2026, 10, 2, 10),
        date(2026, 11, 1),
        date(2026, 11, 2),
    ),
    Case(
        "Quebec: 30 days, Saint-Jean-Baptiste moves it, no extension",
        "CA-QC",
        T.ACCESS,
        at("America/Toronto", 2026, 5, 25, 10),
        date(2026, 6, 24),
        date(2026, 6, 25),
    ),
    # ---------------------------------------------------------------- Brazil
    Case(
        "LGPD: 15 days; Tiradentes moves the last day (Civil Code Art. 132 §1)",
        "BR",
        T.ACCESS,
        at("America/Sao_Paulo", 2026, 4, 6, 12),
        date(2026, 4, 21),
        date(2026, 4, 22),
    ),
    Case(
        "LGPD: a Sunday moves to Monday",
        "BR",
        T.ACCESS,
        at("America/Sao_Paulo", 2026, 2, 14, 12),
        date(2026, 3, 1),
        date(2026, 3, 2),
    ),
    Case(
        "LGPD: a Saturday is not moved (unsettled; earlier reading)",
        "BR",
        T.ACCESS,
        at("America/Sao_Paulo", 2026, 2, 13, 12),
        date(2026, 2, 28),
        date(2026, 2, 28),
    ),
    # ---------------------------------------------------------------- South Korea
    Case(
        "PIPA: 10 days; Chuseok and the weekend move it to Monday (Civil Act Art. 161)",
        "KR",
        T.ACCESS,
        at("Asia/Seoul", 2026, 9, 14, 12),
        date(2026, 9, 24),
        date(2026, 9, 28),
    ),
    Case(
        "PIPA: a Saturday moves too",
        "KR",
        T.ERASURE,
        at("Asia/Seoul", 2026, 9, 30, 12),
        date(2026, 10, 10),
        date(2026, 10, 12),
    ),
    # ---------------------------------------------------------------- elsewhere
    Case(
        "South Africa: 30 days, +30 once (PAIA s. 57)",
        "ZA",
        T.ACCESS,
        at("Africa/Johannesburg", 2026, 3, 1, 10),
        date(2026, 3, 31),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ),
    Case(
        "Singapore: 30 days; Sunday and the observed Vesak holiday move it",
        "SG",
        T.ACCESS,
        at("Asia/Singapore", 2026, 5, 1, 10),
        date(2026, 5, 31),
        date(2026, 6, 2),
    ),
    Case(
        "a complaint runs on the 45-day DPF clock in Boston, wherever it comes from",
        "DE",
        T.COMPLAINT,
        at("America/New_York", 2026, 6, 1, 11),
        date(2026, 7, 16),
        date(2026, 7, 16),
    ),
    Case(
        "a subdivision of a country with a national law is that country",
        "DE-BY",
        T.ACCESS,
        at("Europe/Berlin", 2026, 1, 31, 10),
        date(2026, 2, 28),
        date(2026, 3, 2),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.jurisdiction}:{c.why[:40]}" for c in CASES])
def test_the_clock_of_each_regime_at_its_edges(case: Case) -> None:
    # GIVEN a request from a place, received at a moment of the place's local time
    # WHEN its clock is computed
    clock = deadlines.clock_for(case.jurisdiction, case.request_type, case.received)
    # THEN ops work to the last day of the period, the law's last day is where the law moves it
    assert clock.target_local == case.target, case.why
    assert clock.due_local == case.due, case.why
    assert clock.latest_extended_local == (case.latest or clock.latest_extended_local)
    # AND both end at the last second of that day in the place's own time zone
    zone = ZoneInfo(clock.time_zone)
    assert clock.due.astimezone(zone).replace(tzinfo=None) == datetime.combine(
        case.due, datetime.max.time().replace(microsecond=0)
    )
    assert clock.target <= clock.due
    assert not clock.fallback


@pytest.mark.parametrize(
    ("received", "due_utc"),
    [
        # The EU moves to summer time on 29 March 2026: the due moment is 23:59:59 CEST
        (utc(2026, 3, 29, 1, 30), utc(2026, 4, 29, 21, 59, 59)),
        # ... and back on 25 October: 23:59:59 CET
        (utc(2026, 10, 25, 0, 30), utc(2026, 11, 25, 22, 59, 59)),
    ],
)
def test_dst_days_end_at_the_local_midnight_of_the_due_day(
    received: datetime, due_utc: datetime
) -> None:
    assert deadlines.clock_for("DE", T.ACCESS, received).due == due_utc


def test_a_receipt_in_california_on_the_day_clocks_spring_forward_counts_that_day() -> None:
    # 10:00 UTC on 8 March 2026 is 03:00 PDT, an hour after the clocks changed
    clock = deadlines.clock_for("US-CA", T.ACCESS, utc(2026, 3, 8, 10))
    assert clock.due_local == date(2026, 4, 22)
    assert clock.due == utc(2026, 4, 23, 6, 59, 59)


def test_every_country_counts_in_its_own_zone_so_due_moments_differ_by_the_offset() -> None:
    received = utc(2026, 3, 9, 12)
    finland = deadlines.clock_for("FI", T.ACCESS, received)
    portugal = deadlines.clock_for("PT", T.ACCESS, received)
    assert finland.due == utc(2026, 4, 9, 20, 59, 59)  # 23:59:59 EEST
    assert portugal.due == utc(2026, 4, 9, 22, 59, 59)  # 23:59:59 WEST in Lisbon
    assert portugal.time_zone == "Europe/Lisbon"  # the Azores' day ends an hour later


def test_a_region_counts_in_the_zone_whose_day_ends_first_for_that_receipt() -> None:
    # GIVEN the place is only "EU": every zone where the GDPR applies is a candidate
    evening = deadlines.clock_for("EU", T.ACCESS, utc(2026, 3, 9, 19))
    after_midnight = deadlines.clock_for("EU", T.ACCESS, utc(2026, 3, 10, 2))
    # THEN in the evening Réunion's 9 March ends first; just after midnight UTC, French
    # Guiana's 9 March (still evening there) does
    assert (evening.time_zone, evening.due) == ("Indian/Reunion", utc(2026, 4, 9, 19, 59, 59))
    assert after_midnight.time_zone == "America/Cayenne"
    assert after_midnight.due == utc(2026, 4, 10, 2, 59, 59)
    for zone in PLACES["EU"].zones:
        alone = deadlines.clock_for("EU", T.ACCESS, utc(2026, 3, 10, 2), zone=zone)
        assert after_midnight.due <= alone.due


def test_a_region_s_deadline_is_told_to_people_in_a_zone_they_recognise_at_the_same_instant() -> (
    None
):
    # GIVEN an EU request received in the evening, counted in Réunion's day (ends first)
    clock = deadlines.clock_for("EU", T.ACCESS, utc(2026, 3, 9, 19))
    assert clock.time_zone == "Indian/Reunion"
    # WHEN its due moment is told to the person (e-mails: the place's reading zone)
    told = local_time(clock.due.isoformat(), deadlines.reading_zone("EU"), "en")
    told_de = local_time(clock.due.isoformat(), deadlines.reading_zone("EU"), "de")
    # THEN it is the same instant (19:59:59 UTC), in Central European time, not "Réunion Time"
    assert told == "April 9, 2026, 9:59\u202fPM Central European Summer Time"
    assert told_de == "9. April 2026, 21:59 MESZ"


@pytest.mark.parametrize(
    ("jurisdiction", "zone"),
    [
        ("EU", "Europe/Brussels"),
        ("RE", "Indian/Reunion"),  # someone in Réunion reads Réunion time
        ("DE", "Europe/Berlin"),
        ("DE-BY", "Europe/Berlin"),
        ("PT", "Europe/Lisbon"),
        ("US-TX", "America/Chicago"),
        ("CA", "America/Toronto"),
        ("BR", "America/Sao_Paulo"),
        ("AU", "Australia/Sydney"),
        ("ZZ", "UTC"),  # unknown: counted in the table's strictest zone, told in UTC
    ],
)
def test_every_place_tells_times_in_one_zone_of_its_own(jurisdiction: str, zone: str) -> None:
    assert deadlines.reading_zone(jurisdiction) == zone
    place = deadlines.place_for(jurisdiction)
    assert place is None or zone in place.zones


def test_ccpa_acknowledgment_is_due_within_10_business_days_by_law() -> None:
    clock = deadlines.clock_for("US-CA", T.ACCESS, at("America/Los_Angeles", 2026, 12, 18, 10))
    # 25 Dec and 1 Jan are holidays, weekends skipped: the tenth business day is 5 January
    assert clock.acknowledge_local == date(2027, 1, 5)
    assert clock.acknowledge_basis == "law"


def test_opt_outs_have_no_acknowledgment_of_their_own_and_no_extension() -> None:
    for place in ("US-CA", "US-VA", "DE"):
        clock = deadlines.clock_for(place, T.OPT_OUT_SALE_SHARING, utc(2026, 5, 4, 15))
        assert clock.acknowledge_by is None
        assert clock.acknowledge_basis == "policy"
    assert (
        deadlines.clock_for("US-CA", T.OPT_OUT_SALE_SHARING, utc(2026, 5, 4, 15)).extension is None
    )


def test_an_unknown_place_gets_the_strictest_clock_of_the_table_computed_and_unmoved() -> None:
    # GIVEN a receipt whose Korean 10th day is Chuseok
    received = at("Asia/Seoul", 2026, 9, 14, 12)
    # WHEN the place is unknown
    clock = deadlines.clock_for("ZZ", T.ACCESS, received)
    # THEN it is the earliest clock of every place of the table, nothing moved, marked fallback
    every = [
        deadlines.clock_for(code, T.ACCESS, received, zone=zone)
        for code, place in PLACES.items()
        for zone in place.zones
    ]
    assert clock.fallback
    assert clock.regime.code == "KR_PIPA"
    assert clock.due == clock.target == min(c.target for c in every)
    assert clock.due_local == date(2026, 9, 24)


@pytest.mark.parametrize("code", ["ZZ", "US-NY", "US", "CA-BC", "XK-01"])
def test_places_the_table_does_not_know_fall_back(code: str) -> None:
    assert deadlines.clock_for(code, T.ACCESS, utc(2026, 2, 1, 12)).fallback


def test_an_appeal_needs_a_law_that_gives_one() -> None:
    with pytest.raises(InvalidRequest) as refused:
        deadlines.clock_for("DE", T.APPEAL, utc(2026, 2, 1, 12))
    assert refused.value.field == "type"
    assert "no right to appeal" in refused.value.problem


def test_target_is_never_later_than_due_for_any_place_type_or_day() -> None:
    start = utc(2026, 12, 20, 23, 30)
    for code in PLACES:
        for request_type in (T.ACCESS, T.OPT_OUT_SALE_SHARING, T.WITHDRAW_CONSENT):
            for day in range(0, 14, 3):
                clock = deadlines.clock_for(code, request_type, start + timedelta(days=day))
                assert clock.target <= clock.due, (code, request_type, day)
                if clock.latest_extended_due is not None:
                    assert clock.latest_extended_due > clock.due


def test_every_place_names_real_zones_and_holiday_calendars_and_every_rule_is_cited() -> None:
    for code, place in PLACES.items():
        assert deadlines.JURISDICTION_PATTERN.fullmatch(code)
        for zone in place.zones:
            ZoneInfo(zone)
        deadlines.holiday_test(place.holidays)(date(2026, 12, 25))
    for regime in REGIMES:
        assert regime.law
        assert regime.counting
        assert regime.no_verification
        assert regime.roll is not None or regime.no_roll
        assert regime.answers[-1].types is None
        for answer in regime.answers:
            assert answer.basis
            assert answer.extension is not None or answer.no_extension
            if answer.extension is not None:
                assert answer.extension.basis
        if regime.appeal is not None:
            assert regime.appeal.basis
            assert regime.appeal.window_basis


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 12, 15), date(2027, 1, 15)),
    ],
)
def test_one_calendar_month_later(start: date, expected: date) -> None:
    assert deadlines.add_months(start, 1) == expected


@pytest.mark.parametrize("bad", ["Germany", "d", "DE_", "US-", ""])
def test_malformed_codes_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="ISO 3166"):
        deadlines.normalise_jurisdiction(bad)


def test_codes_are_normalised_to_upper_case() -> None:
    assert deadlines.normalise_jurisdiction(" us-ca ") == "US-CA"


@pytest.mark.parametrize(
    ("given", "read_as"),
    [("UK", "GB"), ("uk", "GB"), ("UK-SCT", "GB-SCT"), ("GB", "GB"), ("EU", "EU"), ("EL", "EL")],
)
def test_uk_is_the_united_kingdom(given: str, read_as: str) -> None:
    # ISO 3166-1 reserves UK for the United Kingdom (GB): unambiguous, so it is read as GB
    assert deadlines.normalise_jurisdiction(given) == read_as
    assert deadlines.clock_for(read_as, T.ACCESS, utc(2026, 2, 1, 12)).regime.code in {
        "UK_GDPR",
        "GDPR",
    }


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ("EU-DE", "DE, not EU-DE"),  # EU is a region, not a country with subdivisions
        ("XX", "not an ISO 3166 country code"),
        ("ZZ", "US-CA"),  # the message lists the places whose law we know
        ("XK", "not an ISO 3166 country code"),
        ("US", "US needs its state"),  # the law is the state's: which one?
        ("US-ZZ", "not an ISO 3166-2 subdivision of US"),
        ("CA-XX", "CA-QC"),
    ],
)
def test_codes_that_are_not_iso_3166_are_refused_saying_what_is_accepted(
    bad: str, says: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(says)):
        deadlines.normalise_jurisdiction(bad)


@pytest.mark.parametrize("real", ["MX", "NZ", "US-NY", "US-FL", "CA-BC", "DE-BY", "GB-LND"])
def test_real_places_are_accepted_and_national_laws_cover_their_subdivisions(real: str) -> None:
    code = deadlines.normalise_jurisdiction(real)
    assert code == real
    clock = deadlines.clock_for(code, T.ACCESS, utc(2026, 2, 1, 12))
    # the strictest clock only where the table has no law for the place
    assert clock.fallback is (real in {"MX", "NZ", "US-NY", "US-FL", "CA-BC"})


def test_the_request_of_someone_who_writes_uk_runs_on_the_uk_clock() -> None:
    from rightsflow.domain.requests import Submission

    submission = Submission.model_validate(
        {"type": "access", "email": "a@example.com", "jurisdiction": "UK"}
    )
    assert submission.jurisdiction == "GB"
    clock = deadlines.clock_for(submission.jurisdiction, T.ACCESS, utc(2026, 1, 31, 10))
    assert (clock.regime.code, clock.fallback, clock.time_zone) == (
        "UK_GDPR",
        False,
        "Europe/London",
    )


# ---------------------------------------------------------------------------- the calculator
def test_the_calculator_answers_exactly_the_keys_the_issue_names() -> None:
    report = deadlines.calculate("de", "access", "2026-01-31T10:00:00+01:00")
    assert list(report.model_dump()) == [
        "jurisdiction", "regime", "law", "time_zone", "received_at", "acknowledge_by",
        "acknowledge_by_local_date", "acknowledge_basis", "due", "due_local_date", "target",
        "target_local_date", "latest_extended_due", "latest_extended_local_date",
        "extension_notice_by_local_date", "verification", "fallback", "citations",
    ]  # fmt: skip
    assert report.jurisdiction == "DE"
    assert report.received_at == "2026-01-31T09:00:00.000Z"
    assert (report.due, report.due_local_date) == ("2026-03-02T22:59:59.000Z", "2026-03-02")
    assert report.target_local_date == "2026-02-28"
    assert report.latest_extended_local_date == "2026-04-28"
    assert report.extension_notice_by_local_date == "2026-03-02"
    assert report.verification == "email+identifier"
    assert any("1182/71 Art. 3(4)" in line for line in report.citations)


def test_the_calculator_says_what_needs_no_code() -> None:
    report = deadlines.calculate("US-CA", "opt_out_sale_sharing", "2026-11-20T12:00:00-08:00")
    assert report.verification == "none"
    assert report.acknowledge_by is None
    assert report.latest_extended_due is None
    assert report.extension_notice_by_local_date is None
    assert report.due_local_date == "2026-12-14"


@pytest.mark.parametrize(
    ("jurisdiction", "request_type", "received", "field"),
    [
        ("Germany", "access", None, "jurisdiction"),
        ("DE", "acces", None, "type"),
        ("DE", "access", "2026-01-31T10:00:00", "received_at"),
        ("DE", "access", "2026-01-31T10:00:00 01:00", "received_at"),
        ("DE", "appeal", None, "type"),
    ],
)
def test_the_calculator_names_the_input_that_is_wrong(
    jurisdiction: str, request_type: str, received: str | None, field: str
) -> None:
    with pytest.raises(InvalidRequest) as refused:
        deadlines.calculate(jurisdiction, request_type, received)
    assert refused.value.field == field


def test_without_a_receipt_time_the_calculator_counts_from_now() -> None:
    before = datetime.now(UTC)
    report = deadlines.calculate("BR", "access", None)
    received = datetime.fromisoformat(report.received_at.replace("Z", "+00:00"))
    assert before - timedelta(seconds=1) <= received <= datetime.now(UTC)
    assert received.tzinfo == UTC or received.utcoffset() == timedelta(0)


def test_every_place_reads_times_in_one_of_its_own_zones() -> None:
    for place in PLACES.values():
        assert place.reading_zone in place.zones, place.code


# ---------------------------------------------------------------------------- places with many zones
def _zone_tab() -> dict[str, set[str]]:
    from importlib import resources

    text = resources.files("tzdata").joinpath("zoneinfo/zone.tab").read_text("utf-8")
    zones: dict[str, set[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            country, _, zone = line.split("\t")[:3]
            zones.setdefault(country, set()).add(zone)
    return zones


# Zones of a country where its regime does not run, with the reason.
NOT_UNDER_THE_REGIME = {
    "CY": {"Asia/Famagusta"},  # northern Cyprus: the acquis suspended (Protocol No 10, 2003)
}


def test_every_country_counts_every_zone_the_time_zone_database_gives_it() -> None:
    # GIVEN the time zone database's zones of each ISO country code
    tab = _zone_tab()
    for code, place in PLACES.items():
        if "-" in code or code not in tab:
            continue
        # THEN the place counts in every one of them (its day may end first there)
        missing = tab[code] - set(place.zones) - NOT_UNDER_THE_REGIME.get(code, set())
        assert not missing, (code, missing)


def test_quebec_ends_where_its_day_ends_first_blanc_sablon_in_winter_the_islands_in_summer() -> (
    None
):
    # GIVEN a request from Quebec in January: the Lower North Shore keeps Atlantic Standard
    # Time all year, an hour ahead of Montreal
    winter = deadlines.clock_for("CA-QC", T.ACCESS, utc(2026, 1, 10, 12))
    # THEN the 30th day ends at 23:59:59 AST (03:59:59 UTC), not Toronto's 04:59:59
    assert (winter.time_zone, winter.due_local) == ("America/Blanc-Sablon", date(2026, 2, 9))
    assert winter.due == utc(2026, 2, 10, 3, 59, 59)
    # AND in summer the Îles-de-la-Madeleine (Atlantic Daylight Time) end first
    summer = deadlines.clock_for("CA-QC", T.ACCESS, utc(2026, 7, 6, 12))
    assert (summer.time_zone, summer.due) == ("America/Halifax", utc(2026, 8, 6, 2, 59, 59))


def test_australia_counts_norfolk_island_whose_day_ends_first() -> None:
    # GIVEN a request to an Australian business received on 10 January 2026
    clock = deadlines.clock_for("AU", T.ACCESS, utc(2026, 1, 10))
    # THEN the 30 days end at midnight on Norfolk Island (UTC+12 in summer), before Lord Howe
    assert (clock.time_zone, clock.due) == ("Pacific/Norfolk", utc(2026, 2, 9, 11, 59, 59))
    lord_howe = deadlines.clock_for("AU", T.ACCESS, utc(2026, 1, 10), zone="Australia/Lord_Howe")
    assert clock.due < lord_howe.due
    # AND the external Territories' own codes are Australian places, not unknown ones
    for territory in ("NF", "CX", "CC"):
        assert deadlines.normalise_jurisdiction(territory) == territory
        assert deadlines.clock_for(territory, T.ACCESS, utc(2026, 1, 10)).regime.code == (
            "AU_PRIVACY_ACT"
        )


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("US-TX", "America/Denver"),  # El Paso
        ("US-OR", "America/Boise"),  # Malheur County
        ("US-TN", "America/New_York"),  # East Tennessee
        ("US-KY", "America/Chicago"),  # Western Kentucky
        ("US-IN", "America/Chicago"),  # north-west and south-west Indiana
        ("US-NE", "America/Denver"),  # western Nebraska
        ("PT", "Atlantic/Azores"),
        ("ES", "Atlantic/Canary"),
        ("FR", "Indian/Reunion"),  # France's outermost regions are under the GDPR
        ("CA-ON", "America/Winnipeg"),  # north-western Ontario
        ("CA-SK", "America/Edmonton"),  # Lloydminster
    ],
)
def test_places_split_across_zones_count_each_part(code: str, zone: str) -> None:
    assert zone in PLACES[code].zones
    received = utc(2026, 3, 10, 5, 30)
    clock = deadlines.clock_for(code, T.ACCESS, received)
    assert clock.due <= deadlines.clock_for(code, T.ACCESS, received, zone=zone).due
