"""Extending the deadline: only as far, as often and as late as the regime allows, never without a reason."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from rightsflow.domain.deadlines import Regime, end_of_local_day, latest_extended_due
from rightsflow.domain.errors import ExtensionRefused, InvalidRequest


def plan_extension(
    regime: Regime,
    *,
    received_at: datetime,
    original_due: datetime,
    current_due: datetime,
    extensions_made: int,
    legal_now: datetime,
    reason: str,
    until: date | None = None,
) -> datetime:
    """The new due time, or ExtensionRefused saying which rule forbids it."""
    if not reason.strip():
        raise InvalidRequest("reason", "an extension needs a reason: the person is told why")
    latest = latest_extended_due(regime, received_at)
    if latest is None:
        raise ExtensionRefused(f"{regime.law} allows no extension of the deadline")
    if regime.extension_only_once and extensions_made > 0:
        raise ExtensionRefused(f"the deadline was already extended once ({regime.extension_rule})")
    if legal_now > original_due:
        raise ExtensionRefused(
            "the first period has ended: an extension must be decided and told to the person "
            f"before {original_due.isoformat()} ({regime.extension_rule})"
        )
    new_due = latest if until is None else end_of_local_day(until, ZoneInfo(regime.time_zone))
    if new_due > latest:
        raise ExtensionRefused(
            f"{until} is past the latest allowed due date {latest.date()} ({regime.extension_rule})"
        )
    if new_due <= current_due:
        if until is None:
            raise ExtensionRefused(
                f"the due date {current_due.date()} is already the latest the law allows "
                f"({regime.extension_rule})"
            )
        raise ExtensionRefused(f"{until} is not later than the current due date")
    return new_due
