"""ParkForOps, AwaitOpsAnswer, ReviewByOps and ReportClockFailure: the workflow hands a request to ops."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.integration.ops_notifier import OpsNotifier
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.observability import STEP_CORRELATION, instrumented
from rightsflow.settings import OpsSettings

settings = OpsSettings.from_environment()
store = RequestsStore(settings.requests_table, settings.audit_table)
notifier = OpsNotifier(settings.ops_topic_arn)


@instrumented(STEP_CORRELATION)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from rightsflow.service import handoff

    request_id = event["request_id"]
    error = event.get("error") or {}
    reason = event["reason"]
    if reason == "step_failed":
        handoff.park_for_ops(
            store,
            notifier,
            request_id,
            error=str(error.get("Error", "Unknown")),
            cause=str(error.get("Cause", "")),
            task_token=event["task_token"],
        )
    elif reason in {"written_answer", "complaint"}:  # "complaint": executions started earlier
        handoff.await_ops_answer(store, notifier, request_id, event["task_token"])
    elif reason == "review":
        handoff.await_ops_review(store, notifier, request_id, event["task_token"])
    elif reason == "clock_failed":
        handoff.report_clock_failure(store, notifier, request_id, str(error.get("Error", "")))
    else:
        raise ValueError(f"unknown hand-over reason {reason!r}")
    return {"request_id": request_id}
