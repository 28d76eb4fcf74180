"""The alarms of a request's clock: reminders to ops before the target date they work to, then
the overdue escalation once the law's own due moment has passed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

OVERDUE = "overdue"


@dataclass(frozen=True)
class Alarm:
    kind: str  # "reminder" or "overdue"
    at: datetime  # legal time
    due_at: datetime  # the date it counts to: the target for reminders, the due for overdue
    days_before: int = 0

    @property
    def key(self) -> str:
        """Names the alarm for one date: after an extension the old alarms no longer apply."""
        label = OVERDUE if self.kind == OVERDUE else f"reminder-{self.days_before}d"
        return f"{label}@{self.due_at.isoformat()}"


def alarms_for(
    due_at: datetime, target_at: datetime, reminder_days: tuple[int, ...]
) -> list[Alarm]:
    """Reminders `reminder_days` before the target; the overdue alarm at the legal due moment
    (the target may be earlier: the law moved the due date past a weekend or holiday)."""
    reminders = [
        Alarm("reminder", target_at - timedelta(days=days), target_at, days)
        for days in sorted(set(reminder_days), reverse=True)
        if days > 0
    ]
    return [*reminders, Alarm(OVERDUE, due_at, due_at)]


def next_alarm(
    due_at: datetime,
    target_at: datetime,
    reminder_days: tuple[int, ...],
    raised: set[str],
    legal_now: datetime,
) -> Alarm | None:
    """The next alarm still to raise; reminders whose time has already passed are skipped."""
    for alarm in alarms_for(due_at, target_at, reminder_days):
        if alarm.key in raised:
            continue
        if alarm.kind != OVERDUE and alarm.at < legal_now:
            continue
        return alarm
    return None


def is_current(
    key: str, due_at: datetime, target_at: datetime, reminder_days: tuple[int, ...]
) -> Alarm | None:
    """The alarm `key` names, if it still belongs to the request's current dates."""
    for alarm in alarms_for(due_at, target_at, reminder_days):
        if alarm.key == key:
            return alarm
    return None
