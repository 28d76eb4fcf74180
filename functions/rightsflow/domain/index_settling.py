"""When an S3 store's index may be read for a request: no earlier than the settle time after
the request was received.

S3 delivers event notifications asynchronously ("typically in seconds, sometimes a minute or
longer", Amazon S3 User Guide, Event notifications): an object written just before a request
may not be indexed yet when the request reads the index. Reading no earlier than
`settle_seconds` (the template's IndexSettleSeconds) after receipt makes "index complete" true
for every object written before the request, as long as events arrive within that time, which
the object indexer's AsyncEventAge alarm watches."""

from __future__ import annotations

from datetime import datetime, timedelta

from rightsflow.domain.errors import IndexSettling


def readable_from(received_at: datetime, settle_seconds: float) -> datetime:
    """The moment an S3 store's index may be read for a request received at `received_at`."""
    return received_at + timedelta(seconds=settle_seconds)


def require_settled(
    store: str, received_at: datetime, now: datetime, settle_seconds: float
) -> None:
    """Raises IndexSettling (naming the store and how long is left, in whole seconds) while
    `now` is earlier than the settle time after the request was received."""
    ready = readable_from(received_at, settle_seconds)
    if now < ready:
        left = int((ready - now).total_seconds()) + 1
        raise IndexSettling(
            f"{store}: its bucket's events may still be on their way (the index is read "
            f"{settle_seconds:g} s after the request was received): read in {left} s"
        )
