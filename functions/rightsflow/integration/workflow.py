"""Step Functions: starting the execution that carries a request, and resuming it when it waits."""

from __future__ import annotations

import json
import random
import time
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from rightsflow.domain.errors import NotWaitingForOps, WorkflowStartFailed
from rightsflow.integration import aws

_STALE_TOKEN = frozenset({"TaskDoesNotExist", "TaskTimedOut", "InvalidToken"})
# Worth another try: Step Functions throttled us or had a moment's trouble.
_RETRIED_CODES = aws.TRANSIENT_CODES | {"InternalFailure", "ServiceUnavailableException"}
START_ATTEMPTS = 5
_FIRST_BACKOFF_SECONDS = 0.2
_MAX_BACKOFF_SECONDS = 2.0


class Workflow:
    def __init__(self, state_machine_arn: str) -> None:
        self.state_machine_arn = state_machine_arn

    def start(self, request_id: str) -> str:
        """Start the execution named after the request; only the id travels, never personal data.

        Throttling and service errors are retried with exponential backoff and jitter
        (START_ATTEMPTS tries, about 3 s at most); what still fails raises WorkflowStartFailed.
        Step Functions treats a second start with the same name and input as the same execution,
        so a retried start never runs a request twice.
        """
        for attempt in range(1, START_ATTEMPTS + 1):
            try:
                answer = aws.stepfunctions().start_execution(
                    stateMachineArn=self.state_machine_arn,
                    name=request_id,
                    input=json.dumps({"request_id": request_id}),
                )
            except ClientError as error:
                code = aws.error_code(error)
                if code == "ExecutionAlreadyExists":
                    return self.execution_arn(request_id)
                if code not in _RETRIED_CODES or attempt == START_ATTEMPTS:
                    raise WorkflowStartFailed(f"{request_id}: {code}") from error
            except BotoCoreError as error:
                if attempt == START_ATTEMPTS:
                    raise WorkflowStartFailed(f"{request_id}: {type(error).__name__}") from error
            except Exception as error:
                raise WorkflowStartFailed(f"{request_id}: {type(error).__name__}") from error
            else:
                return str(answer["executionArn"])
            ceiling = min(_MAX_BACKOFF_SECONDS, _FIRST_BACKOFF_SECONDS * 2 ** (attempt - 1))
            time.sleep(random.uniform(ceiling / 2, ceiling))  # noqa: S311 - jitter, not a secret
        raise AssertionError("unreachable")

    def execution_arn(self, request_id: str) -> str:
        prefix, _, name = self.state_machine_arn.rpartition(":stateMachine:")
        return f"{prefix}:execution:{name}:{request_id}"

    def fail(self, task_token: str, error: str, cause: str) -> None:
        """Fail the state waiting on `task_token` with a named error its Catch can route."""
        try:
            aws.stepfunctions().send_task_failure(taskToken=task_token, error=error, cause=cause)
        except ClientError as error_:
            if aws.error_code(error_) in _STALE_TOKEN:
                raise NotWaitingForOps("the workflow is no longer waiting for this") from error_
            raise aws.as_transient(error_, "failing the waiting task") from error_

    def resume(self, task_token: str, output: dict[str, Any]) -> None:
        """Hand a decision to the state waiting on `task_token`."""
        try:
            aws.stepfunctions().send_task_success(taskToken=task_token, output=json.dumps(output))
        except ClientError as error:
            if aws.error_code(error) in _STALE_TOKEN:
                raise NotWaitingForOps("the workflow is no longer waiting for this") from error
            raise aws.as_transient(error, "resuming the workflow") from error
