"""A request whose workflow Step Functions refuses to start is never lost: the start is retried
with backoff, and what still fails waits in needs_attention for ops' retry, which starts it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders

from rightsflow.integration import aws
from tests.support import Api, wait_for

pytestmark = pytest.mark.e2e


class ThrottledStarts:
    """Step Functions answers the next `times` StartExecution calls with ThrottlingException,
    as AWS does when a burst exceeds the account's start rate."""

    def __init__(self) -> None:
        self.left = 0
        self.refused = 0
        self._lock = threading.Lock()

    def __call__(self, **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        with self._lock:
            if self.left <= 0:
                return None
            self.left -= 1
            self.refused += 1
        error = {"Code": "ThrottlingException", "Message": "Rate exceeded"}
        return AWSResponse("", 400, HTTPHeaders(), None), {"Error": error, "ResponseMetadata": {}}


@pytest.fixture
def throttled(api: Api) -> Iterator[ThrottledStarts]:
    injected = ThrottledStarts()
    events = aws.stepfunctions().meta.events
    # botocore's stubs type hooks as returning None; a before-call hook may answer the call.
    events.register_first("before-call.sfn.StartExecution", injected)  # type: ignore[arg-type]
    yield injected
    events.unregister("before-call.sfn.StartExecution", injected)  # type: ignore[arg-type]


def _executions_named(api: Api, request_id: str) -> int:
    sfn = api.services.stack.client("stepfunctions")
    answer = sfn.list_executions(stateMachineArn=api.services.stack.state_machine_arn)
    return [e["name"] for e in answer["executions"]].count(request_id)


def test_a_throttled_start_is_retried_and_the_request_goes_on(
    api: Api, throttled: ThrottledStarts
) -> None:
    # GIVEN Step Functions throttles the next two starts
    throttled.left = 2
    # WHEN a person submits a request
    receipt = api.submit(type="automated_decision")
    # THEN it was started after the refusals, once, and runs as usual
    assert throttled.refused == 2
    assert _executions_named(api, receipt["request_id"]) == 1
    wait_for(lambda: api.status(receipt)["status"] == "pending_verification")


def test_a_start_refused_past_its_retries_waits_for_ops_whose_retry_starts_it(
    api: Api, throttled: ThrottledStarts
) -> None:
    # GIVEN Step Functions refuses every start for a while
    throttled.left = 1_000
    # WHEN a person submits a request
    receipt = api.submit(type="automated_decision")
    # THEN it is kept, shown as needs_attention, with no execution
    assert receipt["status"] == "needs_attention"
    assert _executions_named(api, receipt["request_id"]) == 0
    assert api.record(receipt["request_id"])["waiting_for"] == "workflow_start"
    # AND while the refusals go on, ops' retry says so and keeps it waiting
    headers = {"Authorization": f"Bearer {api.services.ops_token}"}
    path = f"/ops/requests/{receipt['request_id']}/retry"
    refused = api.post(path, {"reason": "Step Functions throttled us"}, headers=headers)
    assert refused.status_code == 503, refused.text
    assert api.record(receipt["request_id"])["status"] == "needs_attention"
    # WHEN Step Functions recovers and ops retry
    throttled.left = 0
    retried = api.post(path, {"reason": "Step Functions throttled us"}, headers=headers)
    # THEN the workflow starts: acknowledgment, clock and code follow as for any request
    assert retried.status_code == 200, retried.text
    assert _executions_named(api, receipt["request_id"]) == 1
    wait_for(lambda: api.status(receipt)["status"] == "pending_verification")
    assert any("received" in m["subject"] for m in api.outbox(to=receipt["email"]))
    actions = api.audit_actions(receipt["request_id"])
    assert actions.count("workflow_start_failed") == 2
    assert "retried_by_ops" in actions
