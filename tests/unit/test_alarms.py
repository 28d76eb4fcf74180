"""The clock's alarms: reminders before the target date, the overdue alarm only after the legal
due moment, and compressed time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rightsflow.domain.alarms import OVERDUE, is_current, next_alarm
from rightsflow.domain.timescale import TimeScale

# A GDPR month ending on Saturday 28 February 2026: ops work to the Saturday, the law's last
# moment is the end of Monday 2 March (Reg. 1182/71 Art. 3(4)).
TARGET = datetime(2026, 2, 28, 22, 59, 59, tzinfo=UTC)
DUE = datetime(2026, 3, 2, 22, 59, 59, tzinfo=UTC)
NOW = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


def _all(raised: set[str], now: datetime) -> list[tuple[str, int, datetime]]:
    kinds = []
    while (alarm := next_alarm(DUE, TARGET, (2, 7), raised, now)) is not None:
        kinds.append((alarm.kind, alarm.days_before, alarm.at))
        raised.add(alarm.key)
    return kinds


def test_reminders_count_to_the_target_and_the_escalation_waits_for_the_legal_due() -> None:
    # GIVEN a request whose due date the law moved past a weekend
    # WHEN its alarms are raised in turn
    kinds = _all(set(), NOW)
    # THEN ops are reminded 7 and 2 days before the Saturday they work to, and the overdue
    # escalation fires only when Monday ends, not on the weekend the law does not count
    assert kinds == [
        ("reminder", 7, TARGET - timedelta(days=7)),
        ("reminder", 2, TARGET - timedelta(days=2)),
        (OVERDUE, 0, DUE),
    ]


def test_reminders_already_past_are_skipped_but_the_deadline_never_is() -> None:
    late = TARGET + timedelta(hours=1)
    alarm = next_alarm(DUE, TARGET, (7, 2), set(), late)
    assert alarm is not None
    assert alarm.kind == OVERDUE
    assert alarm.at == DUE


def test_an_extension_makes_the_old_alarms_stale() -> None:
    alarm = next_alarm(DUE, TARGET, (7, 2), set(), NOW)
    assert alarm is not None
    assert is_current(alarm.key, DUE, TARGET, (7, 2)) == alarm
    later = timedelta(days=30)
    assert is_current(alarm.key, DUE + later, TARGET + later, (7, 2)) is None


def test_compressed_time_maps_back_to_the_legal_moment_within_a_second() -> None:
    scale = TimeScale(day_seconds=2)
    anchor = NOW
    wall_due = scale.to_wall(DUE, anchor)
    assert wall_due - anchor == timedelta(seconds=(DUE - anchor).total_seconds() * 2 / 86_400)
    assert abs(scale.to_legal(wall_due, anchor) - DUE) < timedelta(seconds=1)


def test_real_time_is_the_identity() -> None:
    assert TimeScale().to_wall(DUE, NOW) == DUE
