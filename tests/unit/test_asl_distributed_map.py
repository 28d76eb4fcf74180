"""The Distributed Map as the local stack runs it: every object of a prefix listed, items in
batches, failures within the tolerated share, and the result files AWS writes."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any, Final

import boto3
import pytest
from moto import mock_aws

from rightsflow.local import asl_distributed_map, asl_scheduler
from tests.support import wait_for

REGION: Final = "eu-west-1"
ROLE = "arn:aws:iam::123456789012:role/map"


def _machine(**map_fields: Any) -> dict[str, Any]:
    """A Distributed Map over a bucket's prefix; a child fails when the first object of its
    batch is empty, else passes its input on."""
    return {
        "StartAt": "EachObject",
        "States": {
            "EachObject": {
                "Type": "Map",
                "ItemReader": {
                    "Resource": "arn:aws:states:::s3:listObjectsV2",
                    "Parameters": {"Bucket.$": "$.bucket", "Prefix.$": "$.prefix"},
                },
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "First",
                    "States": {
                        "First": {
                            "Type": "Pass",
                            "Parameters": {"first.$": "States.ArrayGetItem($.Items, 0)"},
                            "ResultPath": "$.look",
                            "Next": "Look",
                        },
                        "Look": {
                            "Type": "Choice",
                            "Choices": [
                                {
                                    "Variable": "$.look.first.Size",
                                    "NumericEquals": 0,
                                    "Next": "Refuse",
                                }
                            ],
                            "Default": "Done",
                        },
                        "Refuse": {"Type": "Fail", "Error": "Refused", "Cause": "a bad one"},
                        "Done": {"Type": "Pass", "End": True},
                    },
                },
                "ResultWriter": {
                    "Resource": "arn:aws:states:::s3:putObject",
                    "Parameters": {"Bucket.$": "$.bucket", "Prefix": "results"},
                },
                "ResultPath": "$.written",
                "End": True,
                **map_fields,
            }
        },
    }


@pytest.fixture
def aws() -> Iterator[dict[str, Any]]:
    with (
        mock_aws(config={"stepfunctions": {"execute_state_machine": True}}),
        asl_scheduler.installed(),
        asl_distributed_map.installed(),
    ):
        s3 = boto3.client("s3", region_name=REGION)
        bucket = f"objects-{uuid.uuid4().hex[:8]}"
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        yield {"s3": s3, "sfn": boto3.client("stepfunctions", region_name=REGION), "bucket": bucket}


def _run(aws: dict[str, Any], definition: dict[str, Any], prefix: str) -> dict[str, Any]:
    sfn = aws["sfn"]
    machine = sfn.create_state_machine(
        name=f"map-{uuid.uuid4().hex[:8]}", definition=json.dumps(definition), roleArn=ROLE
    )["stateMachineArn"]
    execution = sfn.start_execution(
        stateMachineArn=machine,
        name=uuid.uuid4().hex,
        input=json.dumps({"bucket": aws["bucket"], "prefix": prefix}),
    )["executionArn"]

    def finished() -> dict[str, Any] | None:
        described: dict[str, Any] = sfn.describe_execution(executionArn=execution)
        return described if described["status"] != "RUNNING" else None

    described = wait_for(finished, timeout=120)
    described["mapRuns"] = sfn.list_map_runs(executionArn=execution)["mapRuns"]
    return described


def _put(aws: dict[str, Any], keys: list[str]) -> None:
    """Objects of 3 bytes, or empty where the key says "bad"."""
    for key in keys:
        body = b"" if "bad" in key else b"{}\n"
        aws["s3"].put_object(Bucket=aws["bucket"], Key=key, Body=body)


def _read(aws: dict[str, Any], key: str) -> Any:
    return json.loads(aws["s3"].get_object(Bucket=aws["bucket"], Key=key)["Body"].read())


def test_every_object_of_the_prefix_reaches_a_batch_and_the_results_are_written(
    aws: dict[str, Any],
) -> None:
    # GIVEN 2,345 objects under logs/ (more than one listing page) and some elsewhere
    keys = [f"logs/{number:05d}.jsonl" for number in range(2345)]
    _put(aws, [*keys, "other/x.jsonl"])
    definition = _machine(
        ItemBatcher={"MaxItemsPerBatch": 100, "BatchInput": {"store.$": "$.prefix"}},
        MaxConcurrency=5,
    )

    # WHEN the map runs
    described = _run(aws, definition, "logs/")

    # THEN it succeeds; 24 children got batches of at most 100 items and the batch input
    assert described["status"] == "SUCCEEDED", described.get("cause")
    output = json.loads(described["output"])
    written = output["written"]["ResultWriterDetails"]
    manifest = _read(aws, written["Key"])
    assert manifest["MapRunArn"] == output["written"]["MapRunArn"]
    assert manifest["ResultFiles"]["FAILED"] == []
    [succeeded_file] = manifest["ResultFiles"]["SUCCEEDED"]
    children = _read(aws, succeeded_file["Key"])
    assert len(children) == 24
    inputs = [json.loads(child["Input"]) for child in children]
    assert all(child["Status"] == "SUCCEEDED" for child in children)
    assert all(batch["BatchInput"] == {"store": "logs/"} for batch in inputs)
    assert max(len(batch["Items"]) for batch in inputs) == 100
    listed = [item["Key"] for batch in inputs for item in batch["Items"]]
    assert sorted(listed) == keys
    first = inputs[0]["Items"][0]
    assert set(first) == {"Etag", "Key", "LastModified", "Size", "StorageClass"}
    assert isinstance(first["LastModified"], int)
    assert json.loads(children[0]["Output"])["Items"] == inputs[0]["Items"]  # its own output

    # AND the map run counts items and child executions as DescribeMapRun shows them
    [run] = described["mapRuns"]
    counts = aws["sfn"].describe_map_run(mapRunArn=run["mapRunArn"])
    assert counts["status"] == "SUCCEEDED"
    assert counts["itemCounts"]["total"] == 2345
    assert counts["itemCounts"]["succeeded"] == 2345
    assert counts["itemCounts"]["pending"] == 0
    assert counts["executionCounts"]["total"] == 24


def test_failed_batches_within_the_tolerated_share_are_written_as_failed(
    aws: dict[str, Any],
) -> None:
    # GIVEN 100 objects, the first batch of ten starting with a bad one
    _put(aws, ["logs/0-bad.jsonl"] + [f"logs/{number:03d}.jsonl" for number in range(1, 100)])
    definition = _machine(ItemBatcher={"MaxItemsPerBatch": 10}, ToleratedFailurePercentage=10)

    # WHEN the map runs (10 % may fail)
    described = _run(aws, definition, "logs/")

    # THEN it succeeds, and the failed batch is in FAILED_0.json with its error and input
    assert described["status"] == "SUCCEEDED", described.get("cause")
    manifest = _read(aws, json.loads(described["output"])["written"]["ResultWriterDetails"]["Key"])
    [failed_file] = manifest["ResultFiles"]["FAILED"]
    [failed] = _read(aws, failed_file["Key"])
    assert failed["Status"] == "FAILED"
    assert (failed["Error"], failed["Cause"]) == ("Refused", "a bad one")
    assert json.loads(failed["Input"])["Items"][0]["Key"] == "logs/0-bad.jsonl"
    assert len(_read(aws, manifest["ResultFiles"]["SUCCEEDED"][0]["Key"])) == 9


@pytest.mark.parametrize(
    "tolerance",
    [{}, {"ToleratedFailurePercentage": 5}, {"ToleratedFailureCount": 9}],
    ids=["none given", "5 percent", "9 items"],
)
def test_failures_beyond_the_tolerated_threshold_fail_the_map(
    aws: dict[str, Any], tolerance: dict[str, Any]
) -> None:
    # GIVEN 100 objects of which one batch of ten fails
    _put(aws, ["logs/0-bad.jsonl"] + [f"logs/{number:03d}.jsonl" for number in range(1, 100)])
    definition = _machine(ItemBatcher={"MaxItemsPerBatch": 10}, **tolerance)

    # WHEN the map runs, tolerating less than those ten items
    described = _run(aws, definition, "logs/")

    # THEN the execution fails as AWS fails it
    assert described["status"] == "FAILED"
    assert described["error"] == "States.ExceedToleratedFailureThreshold"


def test_an_empty_prefix_is_an_empty_map_run(aws: dict[str, Any]) -> None:
    # GIVEN no object under the prefix (moto's reader failed on an empty listing)
    # WHEN the map runs
    described = _run(aws, _machine(ItemBatcher={"MaxItemsPerBatch": 10}), "nothing/")

    # THEN it succeeds with no child and a manifest listing no file
    assert described["status"] == "SUCCEEDED", described.get("cause")
    manifest = _read(aws, json.loads(described["output"])["written"]["ResultWriterDetails"]["Key"])
    assert manifest["ResultFiles"] == {"FAILED": [], "PENDING": [], "SUCCEEDED": []}


def test_a_batch_stays_within_its_byte_limit(aws: dict[str, Any]) -> None:
    # GIVEN 50 objects with long keys
    keys = [f"logs/{'k' * 200}-{number:03d}" for number in range(50)]
    _put(aws, keys)

    # WHEN batches may hold at most 2,000 bytes of input
    described = _run(aws, _machine(ItemBatcher={"MaxInputBytesPerBatch": 2000}), "logs/")

    # THEN every child's input fits, and together they hold every object
    assert described["status"] == "SUCCEEDED", described.get("cause")
    manifest = _read(aws, json.loads(described["output"])["written"]["ResultWriterDetails"]["Key"])
    children = _read(aws, manifest["ResultFiles"]["SUCCEEDED"][0]["Key"])
    assert len(children) > 1
    assert all(len(child["Input"]) <= 2000 for child in children)
    assert sum(len(json.loads(c["Input"])["Items"]) for c in children) == 50
