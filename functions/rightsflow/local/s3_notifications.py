"""S3 event notifications to Lambda, delivered locally as AWS delivers them.

The local stack applies each bucket's NotificationConfiguration from template.yaml (stack.py);
moto then calls the function itself, inside the writer's own request, with an event that has
no `versionId` nor `sequencer`, sends nothing when a versioned object gets a delete marker or
loses one of several versions, and drops whatever the function raised. Here, as in AWS:

- the writer's request returns at once: events are queued and a worker invokes the function
  (an asynchronous invocation), so a slow indexer never holds up a writer;
- each event carries the object's `versionId` (versioned buckets), `eTag`, `size` and a
  `sequencer` that grows with every event;
- a delete marker is `ObjectRemoved:DeleteMarkerCreated`, and every version deleted by id is
  `ObjectRemoved:Delete`;
- a function error is retried twice (after a pause), then the event goes to the function's
  on-failure destination (the template's dead-letter queue).

`drain()` waits until every queued event has been handled: the local stack calls it at start-up
so the seeded objects are indexed before the first request, and tests call it after writing.
`pending(bucket, prefix)` counts the events not yet handled for objects under a prefix: it is
registered with rightsflow.integration.bucket_events, so a store whose bucket has events on
their way is not read as complete (in AWS the settle time and the AsyncEventAge alarm stand for
it). `held()` keeps events queued while its block runs, for tests of that window.
"""

from __future__ import annotations

import itertools
import json
import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock
from urllib.parse import unquote_plus

from moto.s3 import notifications
from moto.s3.models import S3Backend

from rightsflow.integration import bucket_events

LOG = logging.getLogger(__name__)
WORKERS = 2
RETRY_PAUSES = (0.5, 1.0)  # AWS waits about a minute, then two; locally, moments
_SEQUENCE = itertools.count(1)
_SEQUENCE_LOCK = threading.Lock()


def next_sequencer() -> str:
    """A sequencer as S3 writes them: hexadecimal, growing with every event."""
    with _SEQUENCE_LOCK:
        return f"{time.time_ns():016X}{next(_SEQUENCE) % 0x10000:04X}"


@dataclass(frozen=True)
class _Removed:
    """What an event needs of a removed version (moto has no key object for it)."""

    name: str
    version_id: str | None
    etag: str = ""
    size: int = 0


class Delivery:
    """The queue of S3 events for Lambda functions and the workers that deliver them."""

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[str, dict[str, Any], str, str] | None] = queue.Queue()
        self._busy = 0
        self._idle = threading.Condition()
        self._waiting: Counter[tuple[str, str]] = Counter()  # (bucket, key) -> events queued
        self._open = threading.Event()
        self._open.set()
        self.delivered = 0
        self.failed: list[dict[str, Any]] = []
        self._workers = [
            threading.Thread(target=self._work, name=f"s3-notify-{n}", daemon=True)
            for n in range(WORKERS)
        ]
        for worker in self._workers:
            worker.start()

    def enqueue(self, account_id: str, event: dict[str, Any], arn: str, region: str) -> None:
        with self._idle:
            self._busy += 1
            self._waiting.update(_objects(event))
        self._queue.put((account_id, event, arn, region))

    def pending(self, bucket: str, prefix: str) -> int:
        """Events queued or being delivered for objects under `prefix` of `bucket`."""
        with self._idle:
            return sum(
                count
                for (name, key), count in self._waiting.items()
                if name == bucket and key.startswith(prefix)
            )

    @contextmanager
    def held(self) -> Iterator[None]:
        """Keep every event queued (undelivered) while the block runs."""
        self._open.clear()
        try:
            yield
        finally:
            self._open.set()

    def drain(self, timeout: float = 60.0) -> None:
        """Wait until every event queued so far (and any they caused) has been handled."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{self._busy} S3 notifications still undelivered")
                self._idle.wait(left)

    def stop(self) -> None:
        for _ in self._workers:
            self._queue.put(None)

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            self._open.wait()
            try:
                self._deliver(*job)
            except Exception:
                LOG.exception("an S3 notification could not be delivered")
            finally:
                with self._idle:
                    self._busy -= 1
                    self._waiting.subtract(_objects(job[1]))
                    self._waiting += Counter()  # drop what reached zero
                    self._idle.notify_all()

    def _deliver(self, account_id: str, event: dict[str, Any], arn: str, region: str) -> None:
        from moto.awslambda.utils import get_backend  # noqa: PLC0415 - moto's own import

        function = get_backend(account_id, region).get_function(arn)
        for attempt in range(len(RETRY_PAUSES) + 1):
            headers: dict[str, str] = {}
            try:
                function.invoke(json.dumps(event), {}, headers)
                if "x-amz-function-error" not in headers:
                    self.delivered += 1
                    return
            except Exception:
                LOG.exception("an S3 notification's function failed to run")
            if attempt < len(RETRY_PAUSES):
                time.sleep(RETRY_PAUSES[attempt])
        self.failed.append(event)
        _to_on_failure_destination(account_id, region, function, event)


def _objects(event: dict[str, Any]) -> list[tuple[str, str]]:
    """(bucket, key) of each record of an S3 event (keys as S3 sends them: URL-encoded)."""
    return [
        (
            str(record.get("s3", {}).get("bucket", {}).get("name", "")),
            unquote_plus(str(record.get("s3", {}).get("object", {}).get("key", ""))),
        )
        for record in event.get("Records", [])
    ]


def _to_on_failure_destination(
    account_id: str, region: str, function: Any, event: dict[str, Any]
) -> None:
    """What Lambda does with an event that failed every attempt: its on-failure destination
    (an SQS queue here), else its dead-letter queue."""
    from moto.sqs.models import sqs_backends  # noqa: PLC0415

    target = None
    for config in getattr(function, "event_invoke_config", None) or []:  # moto's, as put
        settings = getattr(config, "config", config)
        target = settings.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
    target = target or (getattr(function, "dead_letter_config", None) or {}).get("TargetArn")
    if not target or ":sqs:" not in str(target):
        LOG.error("an S3 notification failed every attempt and has nowhere to go")
        return
    queue_name = str(target).rsplit(":", 1)[-1]
    sqs_backends[account_id][region].send_message(
        queue_name=queue_name,
        message_body=json.dumps({"requestPayload": event, "condition": "RetriesExhausted"}),
    )


# ---------------------------------------------------------------------- installing it
_DELIVERY: Delivery | None = None
_INSTALLED = 0
_LOCK = threading.Lock()
_PATCHES: ExitStack | None = None


def delivery() -> Delivery:
    if _DELIVERY is None:
        raise RuntimeError("S3 notifications are not installed")
    return _DELIVERY


def _event(
    event_name: str, bucket: Any, key: Any, notification_id: str
) -> dict[str, list[dict[str, Any]]]:
    """The event as S3 sends it to Lambda (moto's, with what moto leaves out)."""
    event = _ORIGINAL_EVENT(event_name, bucket, key, notification_id)
    record = event["Records"][0]
    version = getattr(key, "version_id", None)
    if getattr(bucket, "is_versioned", False) and version and version != "null":
        record["s3"]["object"]["versionId"] = str(version)
    record["s3"]["object"]["sequencer"] = next_sequencer()
    return event


_ORIGINAL_EVENT = notifications._get_s3_event


def _invoke_later(account_id: str, event_body: Any, fn_arn: str, region_name: str) -> None:
    delivery().enqueue(account_id, event_body, fn_arn, region_name)


def _delete_object(
    self: S3Backend,
    bucket_name: str,
    key_name: str,
    version_id: str | None = None,
    bypass: bool = False,
) -> tuple[bool, dict[str, Any]]:
    bucket = self.get_bucket(bucket_name)
    had_versions = len(bucket.keys.getlist(key_name, [])) if bucket.is_versioned else 0
    done, meta = _ORIGINAL_DELETE(self, bucket_name, key_name, version_id, bypass)
    if not (done and bucket.is_versioned):
        return done, meta
    left = bucket.keys.getlist(key_name, [])
    if version_id is None and meta.get("delete-marker") == "true":
        removed = _Removed(key_name, meta.get("version-id"))
        event = notifications.S3NotificationEvent.OBJECT_REMOVED_DELETE_MARKER_CREATED_EVENT
        notifications.send_event(self.account_id, event, bucket, removed)
    elif version_id is not None and left and len(left) < had_versions:
        # moto tells only of the last version going; S3 tells of each.
        removed = _Removed(key_name, version_id)
        event = notifications.S3NotificationEvent.OBJECT_REMOVED_DELETE_EVENT
        notifications.send_event(self.account_id, event, bucket, removed)
    return done, meta


_ORIGINAL_DELETE = S3Backend.delete_object


@contextmanager
def installed() -> Iterator[Delivery]:
    """Deliver S3 notifications to Lambda as AWS does while the block runs (blocks nest: the
    last one out puts moto back)."""
    global _DELIVERY, _INSTALLED, _PATCHES  # noqa: PLW0603 - one delivery per process, counted
    with _LOCK:
        if _INSTALLED == 0:
            _DELIVERY = Delivery()
            _PATCHES = ExitStack()
            _PATCHES.enter_context(mock.patch.object(notifications, "_get_s3_event", _event))
            _PATCHES.enter_context(
                mock.patch.object(notifications, "_invoke_awslambda", _invoke_later)
            )
            _PATCHES.enter_context(mock.patch.object(S3Backend, "delete_object", _delete_object))
            bucket_events.watch(_DELIVERY.pending)
        _INSTALLED += 1
        current = _DELIVERY
    assert current is not None
    try:
        yield current
    finally:
        with _LOCK:
            _INSTALLED -= 1
            if _INSTALLED == 0 and _PATCHES is not None:
                _PATCHES.close()
                _PATCHES = None
                bucket_events.watch(None)
                if _DELIVERY is not None:
                    _DELIVERY.stop()
                _DELIVERY = None
