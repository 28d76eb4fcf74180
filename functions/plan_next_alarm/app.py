"""PlanNextAlarm state: when the legal clock should next wake (a reminder, or the deadline)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.integration.requests_store import RequestsStore
from rightsflow.observability import STEP_CORRELATION, instrumented
from rightsflow.settings import ClockSettings

settings = ClockSettings.from_environment()
store = RequestsStore(settings.requests_table, settings.audit_table)


@instrumented(STEP_CORRELATION)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from rightsflow.service import clock

    alarm = clock.plan_next_alarm(
        store, event["request_id"], settings.reminder_days_before, settings.time_scale
    )
    return {"request_id": event["request_id"], "alarm": alarm}
