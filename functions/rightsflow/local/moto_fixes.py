"""Where moto's CloudFormation and moto's services disagree, make them agree for the local stack.

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

from moto.stepfunctions.models import StateMachine
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
