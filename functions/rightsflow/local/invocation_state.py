"""Per-invocation state of the Powertools objects every function shares in the local process.

In Lambda each function instance runs one invocation at a time in a process of its own, so
Powertools keeps what belongs to the invocation on the objects themselves: the Logger's keys
(function name, request id, correlation id: `inject_lambda_context` appends them) and the
metrics a handler adds until `log_metrics` flushes them. Locally all functions import one
`rightsflow.observability` and run side by side, so two invocations would write to the same
keys and flush each other's metrics: a log line could carry another request's id. Here those
attributes become per invocation: inside `fresh()`, each object's value is a copy of what it
was outside any invocation (what its construction at cold start set), private to the
invocation's context; outside, they are the objects' own. An object is always built outside
any invocation's state, so that all its constructor sets is what invocations start from.
"""

from __future__ import annotations

import contextvars
import copy
import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import (
    AmazonCloudWatchEMFProvider,
)

# What each object holds in the current invocation: (id(object), attribute) -> value.
_STATE: contextvars.ContextVar[dict[tuple[int, str], Any] | None] = contextvars.ContextVar(
    "rightsflow_invocation_state", default=None
)
_SHARED = "_rightsflow_shared_"

# "copy": an invocation starts from a copy of the object's own value (the Logger's keys, as
# its construction set them). "take": an invocation takes over what was recorded outside any
# invocation (metrics a test or script added in-process), so that it is published once, by the
# next flush, as it would be in a process running one invocation at a time.
PER_INVOCATION: dict[type, dict[str, str]] = {
    LambdaPowertoolsFormatter: {"log_format": "copy"},
    AmazonCloudWatchEMFProvider: {
        "metric_set": "take",
        "dimension_set": "take",
        "metadata_set": "take",
    },
}
_TAKE_LOCK = threading.Lock()


def _per_invocation(name: str, mode: str) -> property:
    shared_key = _SHARED + name

    def get(self: Any) -> Any:
        shared = self.__dict__.get(shared_key, self.__dict__.get(name))
        state = _STATE.get()
        if state is None:
            return shared
        key = (id(self), name)
        if key not in state:
            if mode == "take" and isinstance(shared, dict):
                with _TAKE_LOCK:
                    state[key] = copy.deepcopy(shared)
                    shared.clear()
            else:
                state[key] = copy.deepcopy(shared)
        return state[key]

    def set_(self: Any, value: Any) -> None:
        state = _STATE.get()
        if state is None:
            self.__dict__[shared_key] = value
            return
        if shared_key not in self.__dict__:
            # The object is being built (at a cold start): what it starts with is what every
            # invocation starts from, and this invocation works on a copy like any other.
            self.__dict__[shared_key] = value
            value = copy.deepcopy(value)
        state[(id(self), name)] = value

    return property(get, set_)


_INSTALL_LOCK = threading.Lock()
_BUILT_OUTSIDE = "_rightsflow_built_outside_invocations"


def _built_outside_invocations(init: Any) -> Any:
    """An object's construction writes its shared state, even in a cold start's invocation: its
    constructor sets an attribute and then changes it in place (the Logger's formatter fills in
    `level`, `timestamp`, `service`… after setting the keys' order), and those changes belong
    to what every invocation starts from, not to a private copy of the cold start's."""

    @functools.wraps(init)
    def built(self: Any, *args: Any, **kwargs: Any) -> None:
        token = _STATE.set(None)
        try:
            init(self, *args, **kwargs)
        finally:
            _STATE.reset(token)

    setattr(built, _BUILT_OUTSIDE, True)
    return built


def install() -> None:
    """Make the attributes per invocation, once per process (outside an invocation they
    behave as plain attributes)."""
    with _INSTALL_LOCK:
        for cls, modes in PER_INVOCATION.items():
            for name, mode in modes.items():
                if not isinstance(cls.__dict__.get(name), property):
                    setattr(cls, name, _per_invocation(name, mode))
            init = cls.__dict__.get("__init__")
            if init is not None and not getattr(init, _BUILT_OUTSIDE, False):
                cls.__init__ = _built_outside_invocations(init)  # type: ignore[misc]


@contextmanager
def fresh() -> Iterator[None]:
    """While the block runs, the shared Powertools objects hold this invocation's state."""
    install()
    token = _STATE.set({})
    try:
        yield
    finally:
        _STATE.reset(token)
