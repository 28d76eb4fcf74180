"""Legal time and wall time. In production they are the same; locally a legal day can be made
to last a few seconds so that reminders and deadlines can be watched, while every date written
in a record or an e-mail stays the exact legal one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class TimeScale:
    """`day_seconds` is how long one legal day lasts on the wall clock (None: a real day)."""

    day_seconds: float | None = None

    @property
    def factor(self) -> float:
        return 1.0 if self.day_seconds is None else self.day_seconds / SECONDS_PER_DAY

    def to_wall(self, legal: datetime, anchor: datetime) -> datetime:
        """When, on the wall clock, legal moment `legal` arrives for a clock started at `anchor`."""
        return anchor + (legal - anchor) * self.factor

    def to_legal(self, wall: datetime, anchor: datetime) -> datetime:
        """Which legal moment wall time `wall` stands for, for a clock started at `anchor`."""
        return anchor + timedelta(seconds=(wall - anchor).total_seconds() / self.factor)
