"""An event-driven scheduler for moto's ASL interpreter: a waiting execution holds no thread.

moto runs Step Functions with an interpreter ported from LocalStack that gives every execution,
Parallel branch, Map iteration, Task state and task-token wait a thread of its own, blocked in
`Event.wait`, `Thread.join` or `time.sleep` until something happens. Here the same interpreter
runs unchanged, but each of those "threads" is a greenlet (a coroutine with its own stack, from
the `greenlet` library) on one scheduler thread: a blocking wait parks the greenlet and returns
to the scheduler, which resumes it when the event is set (by SendTaskSuccess, StopExecution or
another branch, from any thread), when its timer fires (Wait states, task timeouts, Retry
intervals), or when the AWS call it handed to a small pool of worker threads (Lambda
invocations, S3 reads) has answered. A parked execution costs its greenlet's saved stack and
its data: no thread, no polling.

`install()` points the interpreter's modules at these stand-ins (the names `threading`, `Thread`,
`Event`, `time` and `boto_client_for` they imported) and caches each parsed state machine
definition, which the interpreter would otherwise parse again for every execution. The same
change as a patch to moto itself is `docs/moto-cooperative-asl.patch`, explained in
`docs/local-runtime.md`.
"""

from __future__ import annotations

import heapq
import importlib
import itertools
import logging
import pkgutil
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from functools import partial
from types import ModuleType, SimpleNamespace
from typing import Any, TypeVar
from unittest import mock

import greenlet
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.asl.utils import boto_client

LOG = logging.getLogger(__name__)
T = TypeVar("T")

INTERPRETER_PACKAGE = "moto.stepfunctions.parser"
# AWS calls the interpreter makes (Lambda invocations above all) run on this many threads: a
# Lambda function may take seconds, and while it runs every other execution moves on. Few, so
# that a burst of executions queues here rather than crowding the HTTP API's own invocations
# out of the GIL (people waiting for an answer come first; workflow steps catch up).
DEFAULT_WORKERS = 4


_START = object()  # what a new greenlet is "resumed" with: it starts, taking no argument


class _Timer:
    """Something to do at a monotonic time, unless cancelled first."""

    __slots__ = ("action", "cancelled", "deadline")

    def __init__(self, deadline: float, action: Callable[[], None]) -> None:
        self.deadline = deadline
        self.action: Callable[[], None] | None = action
        self.cancelled = False


class Scheduler:
    """One thread running greenlets: a loop over ready greenlets, due timers and an inbox that
    other threads post to. Every greenlet it runs is a `Strand` (see below)."""

    def __init__(self, workers: int = DEFAULT_WORKERS) -> None:
        self._ready: deque[tuple[greenlet.greenlet, Any]] = deque()
        self._timers: list[tuple[float, int, _Timer]] = []
        self._cancelled_timers = 0
        self._sequence = itertools.count()
        self._inbox: deque[Callable[[], None]] = deque()
        self._wakeup = threading.Condition(threading.Lock())
        self._hub: greenlet.greenlet | None = None
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="asl-task")
        self._thread = threading.Thread(target=self._loop, name="asl-scheduler", daemon=True)
        self._started = threading.Event()
        self._thread.start()
        self._started.wait()

    # ------------------------------------------------------------------ who is calling
    def in_strand(self) -> bool:
        """True when called from a greenlet this scheduler runs (never from its hub)."""
        return (
            threading.get_ident() == self._thread.ident and greenlet.getcurrent() is not self._hub
        )

    # ------------------------------------------------------------------ the loop
    def _loop(self) -> None:
        self._hub = greenlet.getcurrent()
        self._started.set()
        while True:
            try:
                self._turn()
            except BaseException:
                # Whatever one strand or callback did, the others still need their scheduler.
                LOG.exception("the ASL scheduler caught an error and goes on")

    def _turn(self) -> None:
        """Run what is ready, fire what is due, then sleep until the next timer or post."""
        while self._ready:
            strand, value = self._ready.popleft()
            if strand.dead:
                continue
            if value is _START:
                strand.switch()
            else:
                strand.switch(value)
        timeout = self._fire_due_timers()
        if self._ready:
            return
        with self._wakeup:
            if not self._inbox:
                self._wakeup.wait(timeout)
            posted, self._inbox = self._inbox, deque()
        while posted:
            action = posted.popleft()
            try:
                action()
            except Exception:
                LOG.exception("an ASL scheduler callback failed")

    def _fire_due_timers(self) -> float | None:
        """Run the timers that are due; the seconds until the next one (None: no timer)."""
        now = time.monotonic()
        while self._timers:
            deadline, _, timer = self._timers[0]
            if timer.cancelled:
                heapq.heappop(self._timers)
                self._cancelled_timers -= 1
                continue
            if deadline > now:
                return deadline - now
            heapq.heappop(self._timers)
            action, timer.action = timer.action, None
            if action is not None:
                action()
        return None

    # ------------------------------------------------------------------ scheduling
    def call_soon(self, action: Callable[[], None]) -> None:
        """Run `action` on the scheduler thread, from any thread."""
        if threading.get_ident() == self._thread.ident:
            self._inbox.append(action)
            return
        with self._wakeup:
            self._inbox.append(action)
            self._wakeup.notify()

    def spawn(self, run: Callable[[], None]) -> None:
        """Start `run` as a new greenlet, from any thread."""

        def start() -> None:
            assert self._hub is not None
            self._ready.append((greenlet.greenlet(run, parent=self._hub), _START))

        self.call_soon(start)

    def resume(self, strand: greenlet.greenlet, value: Any) -> None:
        """Make a parked greenlet ready again (scheduler thread only)."""
        self._ready.append((strand, value))

    def park(self) -> Any:
        """Suspend the calling greenlet until someone resumes it; returns what they passed."""
        assert self._hub is not None
        return self._hub.switch()

    def add_timer(self, seconds: float, action: Callable[[], None]) -> _Timer:
        """Run `action` on the scheduler thread after `seconds` (scheduler thread only)."""
        timer = _Timer(time.monotonic() + max(0.0, seconds), action)
        heapq.heappush(self._timers, (timer.deadline, next(self._sequence), timer))
        return timer

    def cancel_timer(self, timer: _Timer) -> None:
        if timer.cancelled or timer.action is None:
            return
        timer.cancelled, timer.action = True, None
        self._cancelled_timers += 1
        # Task states wait with timeouts of years: drop cancelled ones before they pile up.
        if self._cancelled_timers > 256 and self._cancelled_timers > len(self._timers) // 2:
            self._timers = [entry for entry in self._timers if not entry[2].cancelled]
            heapq.heapify(self._timers)
            self._cancelled_timers = 0

    # ------------------------------------------------------------------ blocking work
    def run_blocking(self, call: Callable[[], T]) -> T:
        """Run a blocking call (an AWS call) on a worker thread; a greenlet parks meanwhile."""
        if not self.in_strand():
            return call()
        waiter = Waiter(self)
        future = self._pool.submit(call)
        future.add_done_callback(lambda _: waiter.wake(True))
        waiter.wait(None)
        return future.result()

    def submit(self, call: Callable[[], T]) -> Future[T]:
        return self._pool.submit(call)


class Waiter:
    """One greenlet waiting once, woken by `wake` (from any thread) or by its timeout."""

    __slots__ = ("_done", "_scheduler", "_strand", "_timer")

    def __init__(self, scheduler: Scheduler) -> None:
        self._scheduler = scheduler
        self._strand = greenlet.getcurrent()
        self._timer: _Timer | None = None
        self._done = False

    def wait(self, timeout: float | None) -> bool:
        """Park until woken (True) or `timeout` seconds pass (False)."""
        if timeout is not None:
            self._timer = self._scheduler.add_timer(timeout, partial(self._fire, False))
        woken: bool = self._scheduler.park()
        return woken

    def wake(self, value: bool = True) -> None:
        self._scheduler.call_soon(partial(self._fire, value))

    def _fire(self, value: bool) -> None:
        if self._done:
            return
        self._done = True
        if self._timer is not None:
            self._scheduler.cancel_timer(self._timer)
        self._scheduler.resume(self._strand, value)


# ---------------------------------------------------------------------- the stand-ins
class Event:
    """threading.Event that parks a greenlet instead of blocking a thread. Set from any
    thread; waited on from a strand (parks) or from any other thread (blocks, as usual)."""

    def __init__(self) -> None:
        self._flag = False
        self._condition = threading.Condition(threading.Lock())
        self._waiters: list[Waiter] = []

    def is_set(self) -> bool:
        return self._flag

    isSet = is_set  # noqa: N815 - threading.Event's old name, kept for callers that use it

    def set(self) -> None:
        with self._condition:
            self._flag = True
            waiters, self._waiters = self._waiters, []
            self._condition.notify_all()
        for waiter in waiters:
            waiter.wake(True)

    def clear(self) -> None:
        with self._condition:
            self._flag = False

    def wait(self, timeout: float | None = None) -> bool:
        scheduler = _SCHEDULER
        if scheduler is not None and scheduler.in_strand():
            with self._condition:
                if self._flag:
                    return True
                waiter = Waiter(scheduler)
                self._waiters.append(waiter)
            woken = waiter.wait(timeout)
            if not woken:
                with self._condition:
                    if waiter in self._waiters:
                        self._waiters.remove(waiter)
            return woken or self._flag
        with self._condition:
            if self._flag:
                return True
            # A set() followed at once by clear() (the interpreter pulses its events) still
            # wakes this waiter, as threading.Event does.
            return self._condition.wait(timeout) or self._flag


class Strand:
    """threading.Thread for the interpreter: its target runs as a greenlet on the scheduler."""

    _ids = itertools.count(1)

    def __init__(
        self,
        group: None = None,
        target: Callable[..., Any] | None = None,
        name: str | None = None,
        args: tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
        *,
        daemon: bool | None = None,
    ) -> None:
        self._target = target
        self._args = args
        self._kwargs = kwargs or {}
        self.ident = next(Strand._ids)
        self.native_id = self.ident
        self.name = name or f"strand-{self.ident}"
        self.daemon = True if daemon is None else daemon
        self._started = False
        self._finished = Event()

    def start(self) -> None:
        if self._started:
            raise RuntimeError("threads can only be started once")
        self._started = True
        scheduler().spawn(self._run)

    def run(self) -> None:
        if self._target is not None:
            self._target(*self._args, **self._kwargs)

    def _run(self) -> None:
        try:
            self.run()
        except Exception:
            # What threading would print to stderr: the interpreter catches what it expects.
            LOG.exception("an ASL interpreter strand ended with an error")
        finally:
            # moto keeps every thread it starts in a list; keep nothing alive through this one.
            self._target, self._args, self._kwargs = None, (), {}
            self._finished.set()

    def join(self, timeout: float | None = None) -> None:
        self._finished.wait(timeout)

    def is_alive(self) -> bool:
        return self._started and not self._finished.is_set()


def sleep(seconds: float) -> None:
    """time.sleep that parks a strand (Retry intervals) instead of its thread."""
    scheduler = _SCHEDULER
    if scheduler is not None and scheduler.in_strand():
        Waiter(scheduler).wait(max(0.0, seconds))
    else:
        time.sleep(seconds)


class _Discarded(list[Any]):
    """moto's TMP_THREADS, which keeps every thread ever started (and all it references)."""

    def append(self, _: Any) -> None:
        return None


class _OffloadedClient:
    """A boto3 client whose calls, made from a strand, run on a worker thread."""

    def __init__(self, client: Any, scheduler: Scheduler) -> None:
        self._client = client
        self._scheduler = scheduler

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if name.startswith("_") or not callable(attribute) or isinstance(attribute, type):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._scheduler.run_blocking(partial(attribute, *args, **kwargs))

        return call


# ---------------------------------------------------------------------- installing it
_SCHEDULER: Scheduler | None = None
_SCHEDULER_LOCK = threading.Lock()


def scheduler() -> Scheduler:
    """The process's scheduler, started on first use (it lives as long as the process)."""
    global _SCHEDULER  # noqa: PLW0603 - one scheduler thread per process
    with _SCHEDULER_LOCK:
        if _SCHEDULER is None:
            _SCHEDULER = Scheduler()
        return _SCHEDULER


def _interpreter_modules() -> Iterator[ModuleType]:
    package = importlib.import_module(INTERPRETER_PACKAGE)
    for info in pkgutil.walk_packages(package.__path__, f"{INTERPRETER_PACKAGE}."):
        if ".antlr" in info.name or ".test_state" in info.name:
            continue
        try:
            yield importlib.import_module(info.name)
        except ImportError:  # parts ported from LocalStack that moto leaves unimportable
            continue


def _clients() -> Callable[..., Any]:
    """boto_client_for, with one client per service and region (moto builds a new boto3 client
    for every Lambda invocation, which costs more than the invocation) whose calls are
    offloaded."""
    original = boto_client.boto_client_for
    cache: dict[tuple[str, str], _OffloadedClient] = {}
    lock = threading.Lock()

    def boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
        with lock:
            client = cache.get((region, service))
            if client is None:
                client = _OffloadedClient(
                    original(region=region, service=service, state_credentials=state_credentials),
                    scheduler(),
                )
                cache[(region, service)] = client
            return client

    return boto_client_for


def _parse_once() -> Callable[[str], Any]:
    """AmazonStateLanguageParser.parse, remembered per definition. Parsing our state machine
    takes about a second of CPU, and the parsed program keeps no execution's state (its
    components read and write only the Environment they are given: Map iterations already
    share one program), so every execution of a definition can run the same one."""
    original = AmazonStateLanguageParser.parse
    parsed: dict[str, Any] = {}
    lock = threading.Lock()

    def parse(definition: str) -> Any:
        with lock:
            found = parsed.get(definition)
        if found is None:
            found = original(definition)
            with lock:
                parsed[definition] = found
        return found

    return parse


_INSTALLED = 0
_UNINSTALL: ExitStack | None = None


@contextmanager
def installed() -> Iterator[Scheduler]:
    """Run moto's ASL interpreter on the scheduler while the block runs (blocks may nest:
    several local stacks share one moto, and the last one out puts moto back as it was)."""
    global _INSTALLED, _UNINSTALL  # noqa: PLW0603 - one patch of moto per process, counted
    with _SCHEDULER_LOCK:
        if _INSTALLED == 0:
            _UNINSTALL = _install()
        _INSTALLED += 1
    try:
        yield scheduler()
    finally:
        with _SCHEDULER_LOCK:
            _INSTALLED -= 1
            if _INSTALLED == 0 and _UNINSTALL is not None:
                _UNINSTALL.close()
                _UNINSTALL = None


def _install() -> ExitStack:
    patches = ExitStack()
    patches.enter_context(
        mock.patch.object(AmazonStateLanguageParser, "parse", staticmethod(_parse_once()))
    )
    cooperative_threading = SimpleNamespace(
        **{name: getattr(threading, name) for name in dir(threading) if name[:2] != "__"}
    )
    cooperative_threading.Thread = Strand
    cooperative_threading.Event = Event
    cooperative_time = SimpleNamespace(
        **{name: getattr(time, name) for name in dir(time) if name[:2] != "__"}
    )
    cooperative_time.sleep = sleep
    original = boto_client.boto_client_for
    stand_ins: dict[str, tuple[Any, Any]] = {
        "threading": (threading, cooperative_threading),
        "Thread": (threading.Thread, Strand),
        "Event": (threading.Event, Event),
        "time": (time, cooperative_time),
        "boto_client_for": (original, _clients()),
    }
    for module in _interpreter_modules():
        for name, (real, stand_in) in stand_ins.items():
            if getattr(module, name, None) is real:
                patches.enter_context(mock.patch.object(module, name, stand_in))
        if isinstance(getattr(module, "TMP_THREADS", None), list):
            patches.enter_context(mock.patch.object(module, "TMP_THREADS", _Discarded()))
    return patches
