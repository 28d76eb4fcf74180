"""Extensions: only within the law's limit, only in time (the law's last moment of the first
period, weekends moved where the law moves them), only with a reason; refusals quote the legal
dates of the place, not UTC ones."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rightsflow.domain import deadlines
from rightsflow.domain.errors import ExtensionRefused, InvalidRequest
from rightsflow.domain.extension import ExtendedDates, plan_extension
from rightsflow.domain.lifecycle import RequestType


def _clock(
    place: str, received: datetime, kind: RequestType = RequestType.ACCESS
) -> deadlines.Clock:
    return deadlines.clock_for(place, kind, received)


def _plan(clock: deadlines.Clock, legal_now: datetime, **overrides: object) -> ExtendedDates:
    arguments: dict[str, object] = {
        "current_due": clock.due,
        "extensions_made": 0,
        "legal_now": legal_now,
        "reason": "the data sits in archives that take weeks to search",
        **overrides,
    }
    return plan_extension(clock, **arguments)  # type: ignore[arg-type]


BERLIN = ZoneInfo("Europe/Berlin")
DE_JAN_31 = _clock("DE", datetime(2026, 1, 31, 10, tzinfo=BERLIN))


def test_without_a_date_the_gdpr_deadline_moves_to_the_earlier_reading_of_the_limit() -> None:
    # GIVEN a GDPR request received 31 January (first month ends Saturday 28 February)
    new = _plan(DE_JAN_31, datetime(2026, 2, 10, tzinfo=BERLIN))
    # THEN the latest is two months after the unrolled first month: 28 April, end of day
    assert new.due == datetime(2026, 4, 28, 23, 59, 59, tzinfo=BERLIN)
    assert new.target == new.due


def test_the_uk_extension_runs_three_months_from_receipt() -> None:
    clock = _clock("GB", datetime(2026, 1, 31, 10, tzinfo=ZoneInfo("Europe/London")))
    new = _plan(clock, datetime(2026, 2, 10, tzinfo=ZoneInfo("Europe/London")))
    assert new.due.astimezone(ZoneInfo("Europe/London")).date() == date(2026, 4, 30)


def test_an_extension_told_on_the_monday_the_law_moved_the_month_to_is_accepted() -> None:
    # GIVEN the first month ended on Saturday 28 February, moved by law to Monday 2 March
    monday_evening = datetime(2026, 3, 2, 18, tzinfo=BERLIN)
    # WHEN ops extend on the Monday
    new = _plan(DE_JAN_31, monday_evening)
    # THEN it is lawful
    assert new.due > DE_JAN_31.due
    # AND on Tuesday it is too late, and the refusal names Monday in Berlin
    with pytest.raises(ExtensionRefused, match="ended on 2026-03-02 \\(Europe/Berlin\\)"):
        _plan(DE_JAN_31, monday_evening + timedelta(days=1))


def test_the_swiss_delay_notice_is_accepted_on_day_30_and_refused_on_day_31() -> None:
    zurich = ZoneInfo("Europe/Zurich")
    clock = _clock("CH", datetime(2026, 1, 5, 10, tzinfo=zurich))
    assert _plan(clock, datetime(2026, 2, 4, 23, tzinfo=zurich)).due > clock.due
    with pytest.raises(ExtensionRefused, match="first period ended on 2026-02-04"):
        _plan(clock, datetime(2026, 2, 5, 0, 30, tzinfo=zurich))


def test_a_chosen_date_within_the_limit_is_the_new_due_date() -> None:
    new = _plan(DE_JAN_31, datetime(2026, 2, 10, tzinfo=BERLIN), until=date(2026, 4, 20))
    assert new.due == datetime(2026, 4, 20, 23, 59, 59, tzinfo=BERLIN)
    assert new.target == new.due


def test_a_chosen_date_the_law_reaches_only_by_moving_off_a_weekend_keeps_the_earlier_target() -> (
    None
):
    # GIVEN a 31 January 2028 request: the limit, 29 April, is a Saturday; the law ends Monday
    clock = _clock("DE", datetime(2028, 1, 31, 10, tzinfo=BERLIN))
    new = _plan(clock, datetime(2028, 2, 10, tzinfo=BERLIN), until=date(2028, 5, 1))
    assert new.due == datetime(2028, 5, 1, 23, 59, 59, tzinfo=BERLIN)
    assert new.target == datetime(2028, 4, 29, 23, 59, 59, tzinfo=BERLIN)


def test_an_extension_past_the_limit_is_refused_with_the_local_legal_date() -> None:
    # GIVEN a California request received 31 January: 90 days end on 1 May in California
    # (2 May in UTC)
    los_angeles = ZoneInfo("America/Los_Angeles")
    clock = _clock("US-CA", datetime(2026, 1, 31, 12, tzinfo=los_angeles))
    with pytest.raises(ExtensionRefused) as refused:
        _plan(clock, datetime(2026, 2, 10, tzinfo=los_angeles), until=date(2026, 5, 2))
    assert "latest allowed due date, 2026-05-01 in America/Los_Angeles" in str(refused.value)
    assert "2026-05-02" in str(refused.value).split("past")[0]


def test_ccpa_allows_one_extension_only() -> None:
    clock = _clock("US-CA", datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("America/Los_Angeles")))
    with pytest.raises(ExtensionRefused, match="already extended once"):
        _plan(clock, clock.received_at + timedelta(days=3), extensions_made=1)


@pytest.mark.parametrize(
    ("place", "kind"),
    [
        ("BR", RequestType.ACCESS),
        ("KR", RequestType.ACCESS),
        ("US-CA", RequestType.OPT_OUT_SALE_SHARING),
    ],
)
def test_some_laws_allow_none(place: str, kind: RequestType) -> None:
    clock = _clock(place, datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("UTC")), kind)
    with pytest.raises(ExtensionRefused, match="allows no extension"):
        _plan(clock, clock.received_at + timedelta(days=1))


def test_a_reason_is_required() -> None:
    with pytest.raises(InvalidRequest) as raised:
        _plan(DE_JAN_31, datetime(2026, 2, 10, tzinfo=BERLIN), reason="  ")
    assert raised.value.field == "reason"


def test_the_new_date_must_be_later_than_the_current_one() -> None:
    with pytest.raises(ExtensionRefused, match="not later than the current due date, 2026-03-02"):
        _plan(DE_JAN_31, datetime(2026, 2, 10, tzinfo=BERLIN), until=date(2026, 3, 1))


def test_extending_to_the_maximum_twice_says_it_is_already_the_latest() -> None:
    # GIVEN a GDPR deadline already extended to the latest the law allows
    legal_now = datetime(2026, 2, 10, tzinfo=BERLIN)
    latest = _plan(DE_JAN_31, legal_now)
    # WHEN ops extend it again without a date
    with pytest.raises(ExtensionRefused) as refused:
        _plan(DE_JAN_31, legal_now, current_due=latest.due, extensions_made=1)
    # THEN the answer says so in words, with the local date, not "None is not later than..."
    assert "2026-04-28 in Europe/Berlin, is already the latest the law allows" in str(refused.value)
    assert "None" not in str(refused.value)
