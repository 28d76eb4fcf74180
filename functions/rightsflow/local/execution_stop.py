"""StopExecution stops an execution at once, as in AWS, wherever it waits.

moto's interpreter (ported from LocalStack) only marks a stopped execution's program as stopped
and pulses its event: a Wait state wakes, but a task-token wait (`.waitForTaskToken`: our
`VerifyIdentity`, `AwaitOpsAnswer`, `AwaitBrand`…) waits on an event of its own that nothing
sets, so a Parallel whose branch waits for a token never ends, and the execution reads RUNNING
for as long as the token's timeout (a year). AWS ends it at once: `DescribeExecution` says
`ABORTED` with its `stopDate`, the history ends with `ExecutionAborted`, and nothing more
happens in it.

While `installed()` runs, `StopExecution` of a running execution does the same here:

- the execution is `ABORTED` with its stop date at once, and its history gets
  `ExecutionAborted` (with the error and cause given, if any) as its last event: events the
  interpreter records while it unwinds are dropped, and its end does not overwrite the status;
- every task-token, heartbeat and activity wait of the execution is woken, after its program
  is marked stopped, so each of its branches (on the ASL scheduler: greenlets) unwinds and is
  freed instead of waiting out its timeout. A Lambda function already running finishes (as in
  AWS); its result goes nowhere. A state whose wait was cut short ends quietly: in a stopped
  execution it neither retries, nor is caught, nor fails its branch.

moto's StopExecution also drops the request's `error` and `cause`; here they reach the
`ExecutionAborted` event, as in AWS.

Stopping an execution that is not running changes nothing (moto's behaviour).
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, cast
from unittest import mock

from moto.core.responses import ActionResult
from moto.stepfunctions.parser.api import (
    ExecutionAbortedEventDetails,
    ExecutionStatus,
    HistoryEventType,
)
from moto.stepfunctions.parser.asl.component.state.exec.execute_state import ExecutionState
from moto.stepfunctions.parser.asl.component.state.exec.state_map.state_map import StateMap
from moto.stepfunctions.parser.asl.component.state.exec.state_parallel.state_parallel import (
    StateParallel,
)
from moto.stepfunctions.parser.asl.eval.callback.callback import (
    ActivityCallbackEndpoint,
    CallbackEndpoint,
)
from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
from moto.stepfunctions.parser.asl.eval.event.event_manager import (
    EventHistoryContext,
    EventManager,
)
from moto.stepfunctions.parser.backend.execution import (
    BaseExecutionWorkerCommunication,
    Execution,
)
from moto.stepfunctions.responses import StepFunctionResponse

# Set on an execution's EventManager once it is aborted: it records nothing more.
_CLOSED = "_rightsflow_closed"
# Held while an event is checked and added, and while an execution is closed, so that no event
# lands after ExecutionAborted.
_EVENTS = threading.RLock()


def _add_event(original: Any) -> Any:
    def add_event(self: EventManager, *args: Any, **kwargs: Any) -> int:
        with _EVENTS:
            if getattr(self, _CLOSED, False):
                return -1
            event_id: int = original(self, *args, **kwargs)
            return event_id

    return add_event


def _terminated(original: Any) -> Any:
    def terminated(self: BaseExecutionWorkerCommunication) -> None:
        if self.execution.exec_status == ExecutionStatus.ABORTED:
            return  # stopped: the unwinding program's end says nothing more
        original(self)

    return terminated


def _eval_state(original: Any) -> Any:
    def eval_state(self: ExecutionState, env: Environment) -> None:
        try:
            original(self, env)
        except Exception:
            if getattr(env.event_manager, _CLOSED, False) and not env.is_running():
                return  # its execution was stopped: what was cut short ends here, quietly
            raise

    return eval_state


def _wake(endpoint: CallbackEndpoint) -> None:
    """Wake whatever waits on this endpoint; with no outcome it reads as nothing received."""
    endpoint._notify_event.set()
    heartbeat = endpoint._heartbeat_endpoint
    if heartbeat is not None:
        heartbeat._next_heartbeat_event.set()
    if isinstance(endpoint, ActivityCallbackEndpoint):
        endpoint._activity_task_start_endpoint._next_activity_task_start_event.set()


def _stop(original: Any, add_event: Any) -> Any:
    def stop(
        self: Execution, stop_date: datetime.datetime, error: str | None, cause: str | None
    ) -> None:
        worker = self.exec_worker
        env = getattr(worker, "env", None)
        if env is None or self.exec_status != ExecutionStatus.RUNNING:
            original(self, stop_date=stop_date, error=error, cause=cause)
            return
        stopped_at = datetime.datetime.now(tz=datetime.UTC)
        details = ExecutionAbortedEventDetails()
        if error:
            details["error"] = error
        if cause:
            details["cause"] = cause
        with _EVENTS:
            add_event(
                env.event_manager,
                context=EventHistoryContext.of_program_start(),
                event_type=HistoryEventType.ExecutionAborted,
                event_details=cast(EventDetails, {"executionAbortedEventDetails": details}),
                timestamp=stopped_at,
            )
            setattr(env.event_manager, _CLOSED, True)
            self.exec_status = ExecutionStatus.ABORTED
            self.stop_date = stopped_at
        # Marked stopped first, so that every wait woken below finds its program stopped.
        original(self, stop_date=stopped_at, error=error, cause=cause)
        for endpoint in list(env.callback_pool_manager._pool.values()):
            _wake(endpoint)

    return stop


def _stop_execution(original: Any) -> Any:
    """StopExecution's handler, passing on the `error` and `cause` the caller gave."""

    def stop_execution(self: StepFunctionResponse) -> Any:
        execution = self.stepfunction_backend.describe_execution(self._get_param("executionArn"))
        if not isinstance(execution, Execution):
            return original(self)
        execution.stop(
            stop_date=datetime.datetime.now(tz=datetime.UTC),
            error=self._get_param("error"),
            cause=self._get_param("cause"),
        )
        return ActionResult({"stopDate": execution.stop_date})

    return stop_execution


_INSTALLED = 0
_PATCHES: ExitStack | None = None
_INSTALL_LOCK = threading.Lock()


@contextmanager
def installed() -> Iterator[None]:
    """StopExecution stops at once while the block runs; blocks may nest (several local stacks
    share one moto), and moto is as it was once the last one ends."""
    global _INSTALLED, _PATCHES  # noqa: PLW0603 - one patch of moto per process, counted
    with _INSTALL_LOCK:
        if _INSTALLED == 0:
            _PATCHES = _install()
        _INSTALLED += 1
    try:
        yield
    finally:
        with _INSTALL_LOCK:
            _INSTALLED -= 1
            if _INSTALLED == 0 and _PATCHES is not None:
                _PATCHES.close()
                _PATCHES = None


def _install() -> ExitStack:
    patches = ExitStack()
    original_add_event = EventManager.add_event
    patches.enter_context(
        mock.patch.object(EventManager, "add_event", _add_event(original_add_event))
    )
    patches.enter_context(
        mock.patch.object(
            BaseExecutionWorkerCommunication,
            "terminated",
            _terminated(BaseExecutionWorkerCommunication.terminated),
        )
    )
    for state in (ExecutionState, StateParallel, StateMap):
        patches.enter_context(
            mock.patch.object(state, "_eval_state", _eval_state(state.__dict__["_eval_state"]))
        )
    patches.enter_context(
        mock.patch.object(
            StepFunctionResponse,
            "stop_execution",
            _stop_execution(StepFunctionResponse.stop_execution),
        )
    )
    patches.enter_context(
        mock.patch.object(Execution, "stop", _stop(Execution.stop, original_add_event))
    )
    return patches
