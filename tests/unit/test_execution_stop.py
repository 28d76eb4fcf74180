"""StopExecution on the local runtime stops an execution at once, wherever it waits."""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from rightsflow.local import asl_scheduler, execution_stop
from rightsflow.local.asl_scheduler import Strand
from tests.support import wait_for

ROLE = "arn:aws:iam::123456789012:role/local"


def _token_wait(queue_url: str, message: dict[str, Any]) -> dict[str, Any]:
    return {
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": queue_url, "MessageBody": message},
        "TimeoutSeconds": 31_536_000,
        "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 30, "MaxAttempts": 3}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Parked"}],
        "End": True,
    }


def _definition(queue_url: str) -> str:
    """Like our workflow: a Parallel whose work waits for task tokens (one in a Map iteration
    per Brand, as HandleBrands does) while the clock branch waits for its next alarm."""
    parked = {"Parked": {"Type": "Pass", "End": True}}
    return json.dumps(
        {
            "StartAt": "TrackRequest",
            "States": {
                "TrackRequest": {
                    "Type": "Parallel",
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "ParkForOps"}],
                    "End": True,
                    "Branches": [
                        {
                            "StartAt": "VerifyIdentity",
                            "States": {
                                "VerifyIdentity": _token_wait(
                                    queue_url, {"step": "verify", "token.$": "$$.Task.Token"}
                                ),
                                **parked,
                            },
                        },
                        {
                            "StartAt": "HandleBrands",
                            "States": {
                                "HandleBrands": {
                                    "Type": "Map",
                                    "ItemsPath": "$.brands",
                                    "End": True,
                                    "ItemProcessor": {
                                        "ProcessorConfig": {"Mode": "INLINE"},
                                        "StartAt": "AwaitBrand",
                                        "States": {
                                            "AwaitBrand": _token_wait(
                                                queue_url,
                                                {"step": "brand", "token.$": "$$.Task.Token"},
                                            ),
                                            **parked,
                                        },
                                    },
                                }
                            },
                        },
                        {
                            "StartAt": "WaitForAlarm",
                            "States": {
                                "WaitForAlarm": {"Type": "Wait", "Seconds": 31_536_000, "End": True}
                            },
                        },
                    ],
                },
                "ParkForOps": {"Type": "Pass", "End": True},
            },
        }
    )


@pytest.fixture
def stepfunctions() -> Iterator[tuple[Any, str, Callable[[], int]]]:
    with (
        mock_aws(config={"stepfunctions": {"execute_state_machine": True}}),
        asl_scheduler.installed(),
        execution_stop.installed(),
    ):
        sqs = boto3.client("sqs", region_name="eu-west-1")
        queue_url = sqs.create_queue(QueueName="tokens")["QueueUrl"]
        client = boto3.client("stepfunctions", region_name="eu-west-1")
        machine = client.create_state_machine(
            name="rights", definition=_definition(queue_url), roleArn=ROLE
        )["stateMachineArn"]

        def tokens_sent() -> int:
            attributes = sqs.get_queue_attributes(
                QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages"]
            )["Attributes"]
            return int(attributes["ApproximateNumberOfMessages"])

        yield client, machine, tokens_sent


def _live_strands() -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, Strand) and o.is_alive())


def test_stop_execution_aborts_at_once_while_it_waits_for_task_tokens(
    stepfunctions: tuple[Any, str, Callable[[], int]],
) -> None:
    client, machine, tokens_sent = stepfunctions
    strands_before = _live_strands()
    # GIVEN an execution waiting for three task tokens (one in a branch, two in Map
    # iterations) while another branch waits in a Wait state
    arn = client.start_execution(
        stateMachineArn=machine, name="req-stop", input=json.dumps({"brands": ["a", "b"]})
    )["executionArn"]
    wait_for(lambda: tokens_sent() == 3, timeout=60)
    assert client.describe_execution(executionArn=arn)["status"] == "RUNNING"

    # WHEN it is stopped (as ops' cancel and `aws stepfunctions stop-execution` do)
    answer = client.stop_execution(executionArn=arn, error="Withdrawn", cause="by the person")

    # THEN it reads ABORTED at once, with its stop date, and its history ends there
    described = client.describe_execution(executionArn=arn)
    assert described["status"] == "ABORTED"
    assert described["stopDate"] == answer["stopDate"]
    events = client.get_execution_history(executionArn=arn)["events"]
    assert events[-1]["type"] == "ExecutionAborted"
    assert events[-1]["executionAbortedEventDetails"] == {
        "error": "Withdrawn",
        "cause": "by the person",
    }
    listed = client.list_executions(stateMachineArn=machine, statusFilter="ABORTED")
    assert [e["executionArn"] for e in listed["executions"]] == [arn]

    # AND every branch, iteration and wait of it ends instead of waiting out a year, recording
    # nothing after the abort (no timeout, retry, catch or park)
    wait_for(lambda: _live_strands() <= strands_before, timeout=60)
    after = client.get_execution_history(executionArn=arn)["events"]
    assert after == events
    assert client.describe_execution(executionArn=arn)["status"] == "ABORTED"


def test_stopping_an_execution_that_ended_changes_nothing(
    stepfunctions: tuple[Any, str, Callable[[], int]],
) -> None:
    client, machine, tokens_sent = stepfunctions
    # GIVEN an execution that already ended (aborted once)
    arn = client.start_execution(
        stateMachineArn=machine, name="req-twice", input=json.dumps({"brands": []})
    )["executionArn"]
    wait_for(lambda: tokens_sent() >= 1, timeout=60)
    client.stop_execution(executionArn=arn)
    first = client.describe_execution(executionArn=arn)

    # WHEN it is stopped again
    client.stop_execution(executionArn=arn)

    # THEN its status, stop date and history stay as they were
    again = client.describe_execution(executionArn=arn)
    assert (again["status"], again["stopDate"]) == ("ABORTED", first["stopDate"])
    events = client.get_execution_history(executionArn=arn)["events"]
    assert [e["type"] for e in events].count("ExecutionAborted") == 1
