"""RecordIntake state: ties the request to its execution and hands routing facts to the next states."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.integration.requests_store import RequestsStore
from rightsflow.observability import STEP_CORRELATION, instrumented
from rightsflow.settings import StoreSettings

settings = StoreSettings.from_environment()
store = RequestsStore(settings.requests_table, settings.audit_table)


@instrumented(STEP_CORRELATION)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from rightsflow.service import steps

    return steps.record_intake(store, event["request_id"], event["execution_arn"])
