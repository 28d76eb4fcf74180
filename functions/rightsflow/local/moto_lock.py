"""One moto API call at a time, while Lambda functions run side by side.

moto's backends are plain Python objects that no lock guards: DynamoDB's TransactWriteItems,
for one, deep-copies a table while another thread may be writing to it ("dictionary changed
size during iteration"). In AWS those are services of their own; here every AWS call of every
function, of the state machine and of the tests goes through moto in one process. So each call
moto answers (in-process through its botocore stubber, or over HTTP through its server) holds
this lock, and a call that runs a Lambda function (Invoke, or an S3 notification) lets go of it
while the function's own code runs: functions still run concurrently, and only their AWS calls
take turns, as each would take its turn inside an AWS service.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from typing import Any
from unittest import mock

from moto.core.botocore_stubber import BotocoreStubber
from moto.moto_server.werkzeug_app import DomainDispatcherApplication

from rightsflow.local.counted_patches import CountedPatches

_LOCK = threading.Lock()
_HELD = threading.local()  # how deep this thread is in moto calls (moto may call itself)


@contextmanager
def held() -> Iterator[None]:
    """Hold the lock for one moto call (re-entrant within a thread)."""
    depth: int = getattr(_HELD, "depth", 0)
    if depth == 0:
        _LOCK.acquire()
    _HELD.depth = depth + 1
    try:
        yield
    finally:
        _HELD.depth = depth
        if depth == 0:
            _LOCK.release()


@contextmanager
def released() -> Iterator[None]:
    """Let go of the lock, if this thread holds it, while a Lambda function's code runs."""
    depth: int = getattr(_HELD, "depth", 0)
    if depth == 0:
        yield
        return
    _HELD.depth = 0
    _LOCK.release()
    try:
        yield
    finally:
        _LOCK.acquire()
        _HELD.depth = depth


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        with held():
            return method(*args, **kwargs)

    return call


def _install() -> ExitStack:
    patches = ExitStack()
    patches.enter_context(
        mock.patch.object(
            BotocoreStubber,
            "process_request",
            _locked(BotocoreStubber.process_request),
        )
    )
    patches.enter_context(
        mock.patch.object(
            DomainDispatcherApplication,
            "__call__",
            _locked(DomainDispatcherApplication.__call__),
        )
    )
    return patches


_PATCHES = CountedPatches(_install)


def installed() -> AbstractContextManager[None]:
    """Make moto's request dispatch (in-process and server) take the lock while the block
    runs; blocks may nest (several stacks share one moto)."""
    return _PATCHES()
