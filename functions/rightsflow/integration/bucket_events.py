"""Bucket events received but not yet indexed, where the platform can tell.

In AWS, S3 delivers a bucket's event notifications to the object indexer asynchronously and
nobody can ask how many are on their way: fulfilment reads an S3 store's index no earlier than
the settle time after the request was received (IndexSettleSeconds, rightsflow.domain.
index_settling), and the indexer's AsyncEventAge alarm tells ops when events take longer. The
local stack knows its own queue of undelivered events and registers it here (`watch`), so a
store whose bucket has events pending under its prefix is not read as complete."""

from __future__ import annotations

from collections.abc import Callable

from rightsflow.domain.errors import IndexSettling

Pending = Callable[[str, str], int]  # (bucket, key prefix) -> events not yet indexed

_pending: Pending | None = None


def watch(pending: Pending | None) -> None:
    """Register what counts a bucket's undelivered events (None: nothing is known, as in AWS)."""
    global _pending  # noqa: PLW0603 - one delivery queue per process, the local stack's
    _pending = pending


def pending(bucket: str, prefix: str) -> int:
    """Events for objects under `prefix` of `bucket` received and not yet indexed (0 where
    nothing tells: in AWS)."""
    return _pending(bucket, prefix) if _pending is not None else 0


def require_indexed(store: str, bucket: str, prefix: str) -> None:
    """Raises IndexSettling (naming the store and how many events wait) while events of the
    store's objects are received and not yet indexed."""
    waiting = pending(bucket, prefix)
    if waiting:
        raise IndexSettling(
            f"{store}: {waiting} event(s) of its bucket are received and not yet indexed; "
            "the request is retried once they are (if it parks, retry it: rightsflow ops "
            "retry REQUEST --reason ...)"
        )
