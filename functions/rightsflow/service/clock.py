"""The clock branch of the workflow: plan the next alarm, then raise it when its time comes."""

from __future__ import annotations

from typing import Any

from rightsflow.domain.alarms import OVERDUE, is_current, next_alarm
from rightsflow.domain.clock import from_iso, to_iso, utc_now
from rightsflow.domain.requests import ops_facts, target_at
from rightsflow.domain.timescale import TimeScale
from rightsflow.integration.ops_notifier import OpsNotifier
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.observability import logger, metrics
from rightsflow.service.changes import record_change

COMPONENT = "LegalClock"


def plan_next_alarm(
    store: RequestsStore, request_id: str, reminder_days: tuple[int, ...], scale: TimeScale
) -> dict[str, Any]:
    """What the clock waits for next: `wait_until` is wall-clock time (compressed locally)."""
    record = store.get(request_id)
    if record.status.is_terminal:
        return {"none_left": True}
    anchor = from_iso(record.received_at)
    legal_now = scale.to_legal(utc_now(), anchor)
    alarm = next_alarm(
        from_iso(record.due_at),
        from_iso(target_at(record)),
        reminder_days,
        set(record.alarms_raised),
        legal_now,
    )
    if alarm is None:
        return {"none_left": True}
    return {
        "none_left": False,
        "key": alarm.key,
        "kind": alarm.kind,
        "wait_until": to_iso(scale.to_wall(alarm.at, anchor)),
    }


def raise_alarm(
    store: RequestsStore,
    notifier: OpsNotifier,
    request_id: str,
    key: str,
    reminder_days: tuple[int, ...],
) -> dict[str, Any]:
    """Remind ops, or escalate an overdue request; an alarm made stale by an extension or by
    the request closing meanwhile raises nothing."""
    record = store.get(request_id)
    alarm = is_current(key, from_iso(record.due_at), from_iso(target_at(record)), reminder_days)
    if record.status.is_terminal or alarm is None or key in record.alarms_raised:
        return {"raised": False}
    if alarm.kind == OVERDUE:
        notifier.publish(
            "request_overdue",
            f"OVERDUE: privacy request {record.request_id} missed its legal deadline",
            ops_facts(record),
        )
        record_change(
            store,
            request_id,
            action="overdue_escalated",
            component=COMPONENT,
            updates={"alarms_raised": [*record.alarms_raised, key], "overdue_since": record.due_at},
            detail={"due_at": record.due_at, "status": record.status},
        )
        # No extra dimension: the RequestsOverdue alarm watches exactly this series.
        metrics.add_metric(name="RequestsOverdue", unit="Count", value=1)
        logger.warning("request overdue", extra={"request_id": request_id})
    else:
        notifier.publish(
            "deadline_reminder",
            f"Privacy request {record.request_id} should be answered in {alarm.days_before} days",
            {**ops_facts(record), "days_before": alarm.days_before},
        )
        record_change(
            store,
            request_id,
            action="deadline_reminder_sent",
            component=COMPONENT,
            updates={"alarms_raised": [*record.alarms_raised, key]},
            detail={
                "due_at": record.due_at,
                "target_at": target_at(record),
                "days_before": alarm.days_before,
            },
        )
        metrics.add_metric(name="DeadlineReminders", unit="Count", value=1)
    return {"raised": True}
