"""RaiseAlarm state: remind ops before the deadline, or escalate a request that missed it."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.integration.ops_notifier import OpsNotifier
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.observability import STEP_CORRELATION, instrumented
from rightsflow.settings import ClockSettings

settings = ClockSettings.from_environment()
store = RequestsStore(settings.requests_table, settings.audit_table)
notifier = OpsNotifier(settings.ops_topic_arn)


@instrumented(STEP_CORRELATION)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from rightsflow.service import clock

    clock.raise_alarm(
        store, notifier, event["request_id"], event["key"], settings.reminder_days_before
    )
    return {"request_id": event["request_id"]}
