"""Running each Lambda function's real handler in-process whenever moto invokes it (no Docker).

moto's own invoke starts a container. Here it loads the handler named by the function's Handler
from its CodeUri folder, with its layers' folders on the path as Lambda puts them, once per
function (a cold start), and calls it with the function's
environment from the template, returning what Lambda would: the JSON result, or on an exception
an `Unhandled` function error whose errorType is the exception's class name, which is what the
state machine's Retry and Catch match on.

Invocations run concurrently, each on the thread that asked for it (an HTTP request's, or one
of the state machine scheduler's workers): each sees its own function's environment through
`function_environment.variables`, never through a change to the process's environment, and
its own Powertools log keys and metrics through `invocation_state.fresh`.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

from moto.awslambda.models import LambdaFunction

from rightsflow.local import function_environment, invocation_state, moto_lock
from rightsflow.local.template import FunctionSource

Handler = Callable[[Any, Any], Any]

# Variables only some local stacks give their functions: compressed legal time, and the
# wall-clock floors that keep a code typeable and a package downloadable however fast it runs.
PER_STACK_OPTIONAL = ("DAY_SECONDS", "MIN_CODE_SECONDS", "MIN_PACKAGE_SECONDS")


@dataclass(frozen=True)
class Fault:
    error_type: str
    when: dict[str, Any]


@dataclass
class LocalLambdaContext:
    """The parts of Lambda's context object that handlers and Powertools read."""

    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    timeout_seconds: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = "local"
    _started: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        elapsed = time.monotonic() - self._started
        return max(0, int((self.timeout_seconds - elapsed) * 1000))


@dataclass
class LocalRuntime:
    """Knows every function's source; installed into moto, it answers moto's invoke calls."""

    sources_by_name: dict[str, FunctionSource] = field(default_factory=dict)
    extra_environment: dict[str, str] = field(default_factory=dict)
    _handlers: dict[str, Handler] = field(default_factory=dict)
    _faults: dict[str, list[Fault]] = field(default_factory=dict)
    invocations: list[str] = field(default_factory=list)
    # Guards the faults and the invocation log; cold starts take a lock per function.
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _cold_start_locks: dict[str, threading.Lock] = field(default_factory=dict)

    def inject_failure(
        self,
        logical_id: str,
        error_type: str,
        times: int = 1,
        when: dict[str, Any] | None = None,
    ) -> None:
        """Make the next `times` calls of a function (whose event contains `when`, if given)
        fail with `error_type`: a test of what the state machine does when a step breaks
        (its Retry matches transient error names, its Catch the rest)."""
        with self._lock:
            self._faults.setdefault(logical_id, []).extend([Fault(error_type, when or {})] * times)

    def register(self, function_name: str, source: FunctionSource) -> None:
        with _REGISTRY_LOCK:
            self.sources_by_name[function_name] = source
            _RUNTIME_OF_FUNCTION[function_name] = self

    def invoke(self, function: LambdaFunction, body: str | bytes | None) -> tuple[str, bool]:
        """Run the function; returns (payload, errored)."""
        source = self.sources_by_name.get(function.function_name)
        if source is None:
            raise LookupError(f"no local source for Lambda function {function.function_name}")
        event = json.loads(body) if body else {}
        environment = {
            # A stack without one of these gives its functions "" (read as unset), whatever the
            # process environment holds.
            **dict.fromkeys(PER_STACK_OPTIONAL, ""),
            # Lambda passes every value as a string; moto keeps CloudFormation's numbers as numbers.
            **{key: str(value) for key, value in (function.environment_vars or {}).items()},
            "AWS_LAMBDA_FUNCTION_NAME": function.function_name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
            "AWS_REGION": function.region,
            **self.extra_environment,
        }
        context = LocalLambdaContext(
            function_name=function.function_name,
            invoked_function_arn=function.function_arn,
            memory_limit_in_mb=int(function.memory_size),
            timeout_seconds=int(function.timeout),
            log_group_name=f"/aws/lambda/{function.function_name}",
        )
        with self._lock:
            self.invocations.append(source.logical_id)
            fault = self._take_fault(source.logical_id, event)
        if fault is not None:
            return json.dumps(
                {"errorType": fault.error_type, "errorMessage": "failure injected locally"}
            ), True
        with function_environment.variables(environment), invocation_state.fresh():
            try:
                handler = self._handler(function.function_name, source)
                result = handler(event, context)
            except Exception as error:
                return json.dumps(_error_payload(error)), True
        return json.dumps(result), False

    def _take_fault(self, logical_id: str, event: Any) -> Fault | None:
        faults = self._faults.get(logical_id, [])
        for index, fault in enumerate(faults):
            if isinstance(event, dict) and all(event.get(k) == v for k, v in fault.when.items()):
                return faults.pop(index)
        return None

    def _handler(self, function_name: str, source: FunctionSource) -> Handler:
        """Import the handler module once per function, as a Lambda cold start would (with the
        function's environment: the caller has set it). Concurrent first calls wait for one."""
        handler = self._handlers.get(function_name)
        if handler is not None:
            return handler
        with self._lock:
            cold_start = self._cold_start_locks.setdefault(function_name, threading.Lock())
        with cold_start:
            if function_name not in self._handlers:
                module_path, _, attribute = source.handler.rpartition(".")
                module = _load_module(
                    source.code_dir, module_path, function_name, source.layer_dirs
                )
                self._handlers[function_name] = getattr(module, attribute)
                # A function's modules live as long as the process: keep them out of later
                # garbage collections (see services.running).
                gc.freeze()
        return self._handlers[function_name]

    @contextmanager
    def installed(self) -> Iterator[LocalRuntime]:
        """Route moto's LambdaFunction.invoke to the local runtimes while the block runs.

        Several stacks may share one moto (tests run a compressed-time stack beside the normal
        one): each function is answered by the runtime of the stack that registered it.
        """
        global _INSTALLED  # noqa: PLW0603 - one patch of moto per process, counted
        with _REGISTRY_LOCK:
            if _INSTALLED == 0:
                _PATCH.start()
            _INSTALLED += 1
        try:
            yield self
        finally:
            with _REGISTRY_LOCK:
                for name in self.sources_by_name:
                    _RUNTIME_OF_FUNCTION.pop(name, None)
                _INSTALLED -= 1
                if _INSTALLED == 0:
                    _PATCH.stop()


def _invoke_locally(
    function: LambdaFunction, body: str, request_headers: Any, response_headers: Any
) -> str | bytes:
    """Stands in for moto's LambdaFunction.invoke (which would start a Docker container)."""
    runtime = _RUNTIME_OF_FUNCTION.get(function.function_name)
    if runtime is None:
        raise LookupError(f"no local source for Lambda function {function.function_name}")
    with moto_lock.released():  # the function's own AWS calls each take the lock in turn
        payload, errored = runtime.invoke(function, body)
    if errored:
        response_headers["x-amz-function-error"] = "Unhandled"
    return payload.encode("utf-8")


_REGISTRY_LOCK = threading.Lock()
_RUNTIME_OF_FUNCTION: dict[str, LocalRuntime] = {}
_PATCH = mock.patch.object(LambdaFunction, "invoke", _invoke_locally)
_INSTALLED = 0


def _load_module(
    code_dir: Path, dotted: str, function_name: str, layer_dirs: tuple[Path, ...] = ()
) -> ModuleType:
    """Load `dotted` from `code_dir` under a name of its own, so two stacks never share state.
    Layers come after the function's own folder on the path, as in Lambda (/var/task, /opt)."""
    if str(code_dir) not in sys.path:
        sys.path.insert(0, str(code_dir))
    for layer_dir in layer_dirs:
        if str(layer_dir) not in sys.path:
            sys.path.append(str(layer_dir))
    file = code_dir.joinpath(*dotted.split(".")).with_suffix(".py")
    unique_name = f"_rightsflow_local_{function_name.replace('-', '_')}_{dotted.replace('.', '_')}"
    spec = importlib.util.spec_from_file_location(unique_name, file)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load handler module {file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique_name] = module
    spec.loader.exec_module(module)
    return module


def _error_payload(error: BaseException) -> dict[str, Any]:
    return {
        "errorType": type(error).__name__,
        "errorMessage": str(error),
        "stackTrace": traceback.format_tb(error.__traceback__),
    }
