"""The legal clock at its edges: month ends, leap years, time zones, unknown jurisdictions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from rightsflow.domain import deadlines


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),  # leap year
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 12, 15), date(2027, 1, 15)),
        (date(2026, 2, 28), date(2026, 3, 28)),
    ],
)
def test_one_calendar_month_later(start: date, expected: date) -> None:
    assert deadlines.add_months(start, 1) == expected


def test_gdpr_answer_is_due_at_the_end_of_the_same_day_next_month_in_brussels() -> None:
    received = datetime(2026, 1, 31, 10, 0, tzinfo=UTC)
    due = deadlines.answer_due(deadlines.GDPR, received)
    # 28 February 2026, 23:59:59 in Brussels (CET, UTC+1)
    assert due == datetime(2026, 2, 28, 22, 59, 59, tzinfo=UTC)


def test_receipt_late_in_the_utc_day_counts_from_the_local_day() -> None:
    # 23:30 UTC on 31 March is already 1 April in Brussels (CEST)
    received = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    due = deadlines.answer_due(deadlines.GDPR, received)
    assert due.date() == date(2026, 5, 1)


def test_ccpa_answer_is_due_45_calendar_days_later_in_california() -> None:
    received = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)  # still 28 Nov in Los Angeles
    due = deadlines.answer_due(deadlines.CCPA, received)
    assert due == datetime(2027, 1, 13, 7, 59, 59, tzinfo=UTC)  # 12 Jan 23:59:59 PST


@pytest.mark.parametrize(
    ("code", "regime"),
    [
        ("EU", "GDPR"),
        ("DE", "GDPR"),
        ("NO", "GDPR"),
        ("GB", "UK_GDPR"),
        ("US-CA", "CCPA"),
        ("BR", "LGPD"),
        ("CH", "CH_FADP"),
    ],
)
def test_jurisdictions_map_to_their_regime(code: str, regime: str) -> None:
    choice = deadlines.regime_for(code)
    assert choice.regime.code == regime
    assert not choice.fallback


def test_an_unknown_jurisdiction_gets_the_strictest_clock_and_says_so() -> None:
    received = datetime(2026, 2, 1, 12, tzinfo=UTC)
    choice = deadlines.regime_for("ZZ")
    assert choice.fallback
    earliest = min(
        deadlines.answer_due(regime, received) for regime in deadlines.JURISDICTION_REGIMES.values()
    )
    assert deadlines.answer_due(choice.regime, received) == earliest


@pytest.mark.parametrize("bad", ["Germany", "d", "DE_", "US-", ""])
def test_malformed_codes_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="country or region code"):
        deadlines.normalise_jurisdiction(bad)


def test_codes_are_normalised_to_upper_case() -> None:
    assert deadlines.normalise_jurisdiction(" us-ca ") == "US-CA"


def test_complaints_run_on_the_45_day_privacy_framework_clock_wherever_they_come_from() -> None:
    from rightsflow.domain.lifecycle import RequestType

    for place in ("DE", "US-CA", "ZZ"):
        choice = deadlines.regime_for(place, RequestType.COMPLAINT)
        assert choice.regime is deadlines.DPF_COMPLAINT
        assert not choice.fallback
    received = datetime(2026, 6, 1, 15, tzinfo=UTC)
    due = deadlines.answer_due(deadlines.DPF_COMPLAINT, received)
    assert due.date() == date(2026, 7, 17)  # 16 July 23:59:59 in New York is 17 July in UTC


def test_business_days_skip_weekends() -> None:
    friday = date(2026, 10, 2)
    assert deadlines.add_business_days(friday, 1, deadlines.GDPR) == date(2026, 10, 5)  # Monday
    assert deadlines.add_business_days(friday, 10, deadlines.GDPR) == date(2026, 10, 16)


def test_business_days_skip_the_regimes_public_holidays() -> None:
    # Thanksgiving (26 Nov) and the day after are California state holidays.
    wednesday = date(2026, 11, 25)
    assert deadlines.add_business_days(wednesday, 1, deadlines.CCPA) == date(2026, 11, 30)
    # ... but not in the EU, where only the weekend is skipped.
    assert deadlines.add_business_days(wednesday, 1, deadlines.GDPR) == date(2026, 11, 26)


def test_ccpa_acknowledgment_is_due_within_10_business_days() -> None:
    received = datetime(2026, 12, 18, 18, 0, tzinfo=UTC)  # a Friday morning in California
    by = deadlines.acknowledge_by(deadlines.CCPA, received)
    # 25 Dec and 1 Jan are holidays, weekends skipped: the tenth business day is 5 January
    assert deadlines.local_day(deadlines.CCPA, by) == date(2027, 1, 5)


def test_gdpr_may_be_extended_by_two_further_months() -> None:
    received = datetime(2026, 1, 31, 10, tzinfo=UTC)
    latest = deadlines.latest_extended_due(deadlines.GDPR, received)
    assert latest is not None
    assert latest.date() == date(2026, 4, 28)  # 28 Feb + 2 months


def test_lgpd_cannot_be_extended() -> None:
    assert deadlines.latest_extended_due(deadlines.LGPD, datetime(2026, 1, 1, tzinfo=UTC)) is None
