"""The clock's alarms: reminders before the due date, then the overdue alarm, and compressed time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rightsflow.domain.alarms import OVERDUE, is_current, next_alarm
from rightsflow.domain.timescale import TimeScale

DUE = datetime(2026, 5, 31, 21, 59, 59, tzinfo=UTC)
NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def test_reminders_come_first_earliest_first_then_the_deadline() -> None:
    raised: set[str] = set()
    kinds = []
    while (alarm := next_alarm(DUE, (2, 7), raised, NOW)) is not None:
        kinds.append((alarm.kind, alarm.days_before, alarm.at))
        raised.add(alarm.key)
    assert kinds == [
        ("reminder", 7, DUE - timedelta(days=7)),
        ("reminder", 2, DUE - timedelta(days=2)),
        (OVERDUE, 0, DUE),
    ]


def test_reminders_already_past_are_skipped_but_the_deadline_never_is() -> None:
    late = DUE - timedelta(days=1)
    alarm = next_alarm(DUE, (7, 2), set(), late)
    assert alarm is not None
    assert alarm.kind == OVERDUE


def test_an_extension_makes_the_old_alarms_stale() -> None:
    alarm = next_alarm(DUE, (7, 2), set(), NOW)
    assert alarm is not None
    assert is_current(alarm.key, DUE, (7, 2)) == alarm
    assert is_current(alarm.key, DUE + timedelta(days=30), (7, 2)) is None


def test_compressed_time_maps_back_to_the_legal_moment_within_a_second() -> None:
    scale = TimeScale(day_seconds=2)
    anchor = NOW
    wall_due = scale.to_wall(DUE, anchor)
    assert wall_due - anchor == timedelta(seconds=(DUE - anchor).total_seconds() * 2 / 86_400)
    assert abs(scale.to_legal(wall_due, anchor) - DUE) < timedelta(seconds=1)


def test_real_time_is_the_identity() -> None:
    assert TimeScale().to_wall(DUE, NOW) == DUE
