"""Where moto's CloudFormation and moto's services disagree with AWS, make them agree for the
local stack.

moto 5.2's CloudFormation creates AWS::StepFunctions::StateMachine in the plain Step Functions
backend, while with `execute_state_machine` the API (StartExecution, DescribeExecution, ...)
answers from the executing backend: the state machine a stack created could not be run. Here
CloudFormation creates it, with the template's type, logging and tracing, where the API looks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from unittest import mock

from moto.s3.exceptions import PreconditionFailed
from moto.s3.responses import S3Response
from moto.stepfunctions.models import StateMachine
from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import (
    CustomErrorName,
)
from moto.stepfunctions.parser.asl.component.common.error_name.error_name import ErrorName
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import (
    StatesErrorName,
)
from moto.stepfunctions.parser.asl.component.state.fail import state_fail
from moto.stepfunctions.responses import get_backend
from moto.stepfunctions.utils import cfn_to_api_tags


def _create_state_machine(
    _cls: type[StateMachine],
    /,
    resource_name: str,
    cloudformation_json: Any,
    account_id: str,
    region_name: str,
    **_: Any,
) -> StateMachine:
    properties = cloudformation_json["Properties"]
    return get_backend(account_id, region_name).create_state_machine(
        name=properties.get("StateMachineName", resource_name),
        definition=properties.get("DefinitionString", ""),
        roleArn=properties.get("RoleArn", ""),
        tags=cfn_to_api_tags(properties.get("Tags", [])),
        loggingConfiguration=properties.get("LoggingConfiguration"),
        tracingConfiguration=properties.get("TracingConfiguration"),
        sm_type=properties.get("StateMachineType", "STANDARD"),
    )


def _delete_state_machine(
    _cls: type[StateMachine],
    /,
    resource_name: str,
    _cloudformation_json: Any,
    account_id: str,
    region_name: str,
) -> None:
    get_backend(account_id, region_name).delete_state_machine(resource_name)


@contextmanager
def state_machines_created_where_they_run() -> Iterator[None]:
    with ExitStack() as patches:
        patches.enter_context(
            mock.patch.object(
                StateMachine, "create_from_cloudformation_json", classmethod(_create_state_machine)
            )
        )
        patches.enter_context(
            mock.patch.object(
                StateMachine, "delete_from_cloudformation_json", classmethod(_delete_state_machine)
            )
        )
        yield


_COMPLETE_POST = S3Response._key_response_post


def _complete_if_match(  # noqa: PLR0917 - moto's own signature
    self: S3Response, request: Any, body: Any, bucket_name: str, query: Any, key_name: str
) -> Any:
    """S3 completes a multipart upload only if the object is still the one `If-Match` names
    (conditional writes); moto 5.2 checks If-None-Match only."""
    if_match = self.headers.get("If-Match")
    if query.get("uploadId") and if_match:
        existing = self.backend.get_object(bucket_name, key_name)
        if existing is None or existing.etag.replace('"', "") != if_match.replace('"', ""):
            raise PreconditionFailed("If-Match")
    return _COMPLETE_POST(self, request, body, bucket_name, query, key_name)


@contextmanager
def multipart_uploads_complete_if_match() -> Iterator[None]:
    with mock.patch.object(S3Response, "_key_response_post", _complete_if_match):
        yield


def _fail_state_error_name(error: str | None) -> ErrorName:
    """The error a Fail state reports. A Fail state's ErrorPath may name an error Step Functions
    raised (a map's `States.ExceedToleratedFailureThreshold`, caught and passed on): AWS
    reports it as it is; moto 5.2 takes every Fail state's error for a custom one, and custom
    names may not begin with 'States.', so the execution ended in a ValueError instead."""
    if error is not None and error.startswith("States."):
        try:
            return StatesErrorName.from_name(error)
        except ValueError:
            return ErrorName(error_name=error)
    return CustomErrorName(error)


@contextmanager
def fail_states_report_states_errors() -> Iterator[None]:
    with mock.patch.object(state_fail, "CustomErrorName", _fail_state_error_name):
        yield
