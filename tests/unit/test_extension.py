"""Extensions: only within the law's limit, only in time, only with a reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from rightsflow.domain import deadlines
from rightsflow.domain.errors import ExtensionRefused, InvalidRequest
from rightsflow.domain.extension import plan_extension

RECEIVED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _plan(regime: deadlines.Regime, **overrides: object) -> datetime:
    due = deadlines.answer_due(regime, RECEIVED)
    arguments: dict[str, object] = {
        "received_at": RECEIVED,
        "original_due": due,
        "current_due": due,
        "extensions_made": 0,
        "legal_now": RECEIVED + timedelta(days=3),
        "reason": "the data sits in archives that take weeks to search",
        **overrides,
    }
    return plan_extension(regime, **arguments)  # type: ignore[arg-type]


def test_without_a_date_the_gdpr_deadline_moves_to_the_latest_the_law_allows() -> None:
    assert _plan(deadlines.GDPR) == deadlines.latest_extended_due(deadlines.GDPR, RECEIVED)


def test_a_chosen_date_within_the_limit_is_the_new_due_date() -> None:
    new_due = _plan(deadlines.GDPR, until=date(2026, 4, 20))
    assert new_due.date() == date(2026, 4, 20)


def test_an_extension_past_the_limit_is_refused() -> None:
    with pytest.raises(ExtensionRefused, match="past the latest allowed"):
        _plan(deadlines.GDPR, until=date(2026, 8, 1))


def test_an_extension_after_the_first_month_is_refused() -> None:
    with pytest.raises(ExtensionRefused, match="first period has ended"):
        _plan(deadlines.GDPR, legal_now=RECEIVED + timedelta(days=40))


def test_ccpa_allows_one_extension_only() -> None:
    with pytest.raises(ExtensionRefused, match="already extended once"):
        _plan(deadlines.CCPA, extensions_made=1)


def test_lgpd_allows_none() -> None:
    with pytest.raises(ExtensionRefused, match="allows no extension"):
        _plan(deadlines.LGPD)


def test_a_reason_is_required() -> None:
    with pytest.raises(InvalidRequest) as raised:
        _plan(deadlines.GDPR, reason="  ")
    assert raised.value.field == "reason"


def test_the_new_date_must_be_later_than_the_current_one() -> None:
    with pytest.raises(ExtensionRefused, match="not later"):
        _plan(deadlines.GDPR, until=date(2026, 3, 20))


def test_extending_to_the_maximum_twice_says_it_is_already_the_latest() -> None:
    # GIVEN a GDPR deadline already extended to the latest the law allows
    latest = _plan(deadlines.GDPR)
    # WHEN ops extend it again without a date
    with pytest.raises(ExtensionRefused) as refused:
        _plan(deadlines.GDPR, current_due=latest, extensions_made=1)
    # THEN the answer says so in words, not "None is not later than..."
    assert "already the latest the law allows" in str(refused.value)
    assert "None" not in str(refused.value)
