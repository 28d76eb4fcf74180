"""Smoke test of docs/moto-cooperative-asl.patch: 200 executions wait (Wait state, task token)
in a Parallel, then all resume; prints the threads they held while waiting.

    cp -r <site-packages>/moto /tmp/m/ && (cd /tmp/m && patch -p1 < moto-cooperative-asl.patch)
    PYTHONPATH=/tmp/m python docs/moto-cooperative-asl-smoke.py cooperative   # or: threads
"""

import json
import sys
import threading
import time

import boto3
from moto import mock_aws

cooperative = sys.argv[1] == "cooperative"
definition = {
    "StartAt": "Both",
    "States": {
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 2, "End": True}}},
                {
                    "StartAt": "Ask",
                    "States": {
                        "Ask": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                            "Parameters": {
                                "QueueUrl.$": "$.queue",
                                "MessageBody": {"token.$": "$$.Task.Token"},
                            },
                            "TimeoutSeconds": 120,
                            "End": True,
                        }
                    },
                },
                {
                    "StartAt": "Each",
                    "States": {
                        "Each": {
                            "Type": "Map",
                            "ItemsPath": "$.items",
                            "Iterator": {
                                "StartAt": "P",
                                "States": {"P": {"Type": "Pass", "End": True}},
                            },
                            "End": True,
                        }
                    },
                },
            ],
            "End": True,
        }
    },
}
with mock_aws(
    config={"stepfunctions": {"execute_state_machine": True, "cooperative_scheduler": cooperative}}
):
    sqs = boto3.client("sqs", region_name="us-east-1")
    queue = sqs.create_queue(QueueName="q")["QueueUrl"]
    sfn = boto3.client("stepfunctions", region_name="us-east-1")
    arn = sfn.create_state_machine(
        name="m", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/r"
    )["stateMachineArn"]
    base = threading.active_count()
    started = time.time()
    n = 200
    for i in range(n):
        sfn.start_execution(
            stateMachineArn=arn,
            name=f"e{i}",
            input=json.dumps({"queue": queue, "items": [1, 2, 3]}),
        )
    tokens = []
    deadline = time.time() + 120
    while len(tokens) < n and time.time() < deadline:
        for m in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", []):
            tokens.append(json.loads(m["Body"])["token"])
            sqs.delete_message(QueueUrl=queue, ReceiptHandle=m["ReceiptHandle"])
    waiting_threads = threading.active_count() - base
    for t in tokens:
        sfn.send_task_success(taskToken=t, output=json.dumps({"ok": True}))
    deadline = time.time() + 120
    while time.time() < deadline:
        statuses = [
            sfn.describe_execution(
                executionArn=arn.replace(":stateMachine:", ":execution:") + f":e{i}"
            )["status"]
            for i in range(n)
        ]
        if all(s != "RUNNING" for s in statuses):
            break
        time.sleep(0.5)
    print(
        f"mode={sys.argv[1]} tokens={len(tokens)} succeeded={statuses.count('SUCCEEDED')}/{n} "
        f"threads_while_waiting=+{waiting_threads} seconds={time.time() - started:.1f}"
    )
