"""ParkForOps state: every failure the state machine catches ends here, visible to ops as needs_attention."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.integration.requests_store import RequestsStore
from rightsflow.observability import STEP_CORRELATION, instrumented
from rightsflow.service import steps
from rightsflow.settings import StoreSettings

settings = StoreSettings.from_environment()
store = RequestsStore(settings.requests_table, settings.audit_table)


@instrumented(STEP_CORRELATION)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    error = event.get("error") or {}
    return steps.park_for_ops(
        store,
        event["request_id"],
        str(error.get("Error", "Unknown")),
        str(error.get("Cause", "")),
    )
