"""Patches of moto applied once per process and shared by nested blocks.

Several local stacks may run in one process (the test suite's workers, a stack inside a
benchmark) and share one in-process moto. A change to moto's classes is therefore applied when
the first block that needs it starts and undone when the last one ends, under a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager


class CountedPatches:
    """`with patches():` applies `install()`'s patches if no other block holds them, and undoes
    them (closing the ExitStack `install` returned) when the last block ends.

    `install` is called at most once per stretch of nested blocks, with the lock held: it
    must only enter its patches into the ExitStack it returns."""

    def __init__(self, install: Callable[[], ExitStack]) -> None:
        self._install = install
        self._lock = threading.Lock()
        self._holders = 0
        self._patches: ExitStack | None = None

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._holders == 0:
                self._patches = self._install()
            self._holders += 1
        try:
            yield
        finally:
            with self._lock:
                self._holders -= 1
                if self._holders == 0 and self._patches is not None:
                    self._patches.close()
                    self._patches = None
