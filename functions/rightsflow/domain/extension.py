"""Extending the deadline: only as far, as often and as late as the regime allows, never without a
reason. Dates in refusals are the legal dates of the regime's place, not UTC ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from rightsflow.domain.deadlines import Clock, end_of_local_day, local_day
from rightsflow.domain.errors import ExtensionRefused, InvalidRequest


@dataclass(frozen=True)
class ExtendedDates:
    """The new dates of an extended request: the law's last moment, and the one ops work to."""

    due: datetime
    target: datetime


def plan_extension(
    clock: Clock,
    *,
    current_due: datetime,
    extensions_made: int,
    legal_now: datetime,
    reason: str,
    until: date | None = None,
) -> ExtendedDates:
    """The new dates, or ExtensionRefused saying which rule forbids it. `until` is the new due
    day in the regime's time zone (it is what the person is told); without it, the latest the
    law allows. InvalidRequest (field `reason`) without a reason."""
    if not reason.strip():
        raise InvalidRequest("reason", "an extension needs a reason: the person is told why")
    extension = clock.extension
    law = clock.regime.law
    if (
        extension is None
        or clock.latest_extended_local is None
        or clock.latest_extended_target is None
        or clock.extension_notice_by_local is None
    ):
        raise ExtensionRefused(
            f"{law} allows no extension of the deadline here: {clock.answer.no_extension}"
        )
    if extension.once and extensions_made > 0:
        raise ExtensionRefused(f"the deadline was already extended once ({extension.basis})")
    zone = clock.time_zone
    notice_by = clock.extension_notice_by_local
    if legal_now > end_of_local_day(notice_by, zone):
        raise ExtensionRefused(
            f"the first period ended on {notice_by} ({zone}): an extension must be decided and "
            f"told to the person by then ({extension.basis})"
        )
    latest = clock.latest_extended_local
    if until is None:
        new = ExtendedDates(end_of_local_day(latest, zone), clock.latest_extended_target)
    else:
        if until > latest:
            raise ExtensionRefused(
                f"{until} is past the latest allowed due date, {latest} in {zone} "
                f"({extension.basis})"
            )
        target_day = min(until, local_day(clock.latest_extended_target, zone))
        new = ExtendedDates(end_of_local_day(until, zone), end_of_local_day(target_day, zone))
    if new.due <= current_due:
        current = local_day(current_due, zone)
        if until is None:
            raise ExtensionRefused(
                f"the due date, {current} in {zone}, is already the latest the law allows "
                f"({extension.basis})"
            )
        raise ExtensionRefused(
            f"{until} is not later than the current due date, {current} in {zone}"
        )
    return new
