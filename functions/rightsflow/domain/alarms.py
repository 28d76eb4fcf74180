"""The alarms of a request's clock: reminders to ops before the due date, then the overdue alarm."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

OVERDUE = "overdue"


@dataclass(frozen=True)
class Alarm:
    kind: str  # "reminder" or "overdue"
    at: datetime  # legal time
    due_at: datetime  # the due date it was planned for
    days_before: int = 0

    @property
    def key(self) -> str:
        """Names the alarm for one due date: after an extension the old alarms no longer apply."""
        label = OVERDUE if self.kind == OVERDUE else f"reminder-{self.days_before}d"
        return f"{label}@{self.due_at.isoformat()}"


def alarms_for(due_at: datetime, reminder_days: tuple[int, ...]) -> list[Alarm]:
    reminders = [
        Alarm("reminder", due_at - timedelta(days=days), due_at, days)
        for days in sorted(set(reminder_days), reverse=True)
        if days > 0
    ]
    return [*reminders, Alarm(OVERDUE, due_at, due_at)]


def next_alarm(
    due_at: datetime, reminder_days: tuple[int, ...], raised: set[str], legal_now: datetime
) -> Alarm | None:
    """The next alarm still to raise; reminders whose time has already passed are skipped."""
    for alarm in alarms_for(due_at, reminder_days):
        if alarm.key in raised:
            continue
        if alarm.kind != OVERDUE and alarm.at < legal_now:
            continue
        return alarm
    return None


def is_current(key: str, due_at: datetime, reminder_days: tuple[int, ...]) -> Alarm | None:
    """The alarm `key` names, if it still belongs to the request's current due date."""
    for alarm in alarms_for(due_at, reminder_days):
        if alarm.key == key:
            return alarm
    return None
