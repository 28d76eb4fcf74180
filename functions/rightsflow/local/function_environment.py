"""Each Lambda invocation's own environment variables, in a process where many run at once.

In Lambda every function has its own process and so its own `os.environ`. Locally every
function runs in one process, several at a time, and reads its settings (and so do Powertools
and botocore on its behalf) from `os.environ`. `os.environ` keeps its variables in a dict of
its own; `install()` replaces that dict with one that first looks in the variables of the
invocation running in the current context (a `contextvars.ContextVar`, set per call by
`variables(...)`), then in the process's. So inside an invocation, `os.environ`, `os.getenv`
and `dict(os.environ)` see that function's variables, and nothing process-wide is changed to
give them: two functions running at the same moment each see their own.
"""

from __future__ import annotations

import contextvars
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

# What the current context's function has: encoded name -> encoded value (None: deleted).
_OVERLAY: contextvars.ContextVar[dict[bytes, bytes | None] | None] = contextvars.ContextVar(
    "rightsflow_function_environment", default=None
)


class _LayeredVariables(dict[bytes, bytes]):
    """os.environ's data: the process's variables (the dict's own items) under the overlay of
    the invocation running in this context, if any. Writes inside an invocation stay in it."""

    def __getitem__(self, key: bytes) -> bytes:
        overlay = _OVERLAY.get()
        if overlay is not None and key in overlay:
            value = overlay[key]
            if value is None:
                raise KeyError(key)
            return value
        return dict.__getitem__(self, key)

    def __setitem__(self, key: bytes, value: bytes) -> None:
        overlay = _OVERLAY.get()
        if overlay is None:
            dict.__setitem__(self, key, value)
        else:
            overlay[key] = value

    def __delitem__(self, key: bytes) -> None:
        overlay = _OVERLAY.get()
        if overlay is None:
            dict.__delitem__(self, key)
            return
        if key not in self:
            raise KeyError(key)
        overlay[key] = None

    def __contains__(self, key: object) -> bool:
        overlay = _OVERLAY.get()
        if overlay is not None and key in overlay:
            return overlay[key] is not None
        return dict.__contains__(self, key)

    def __iter__(self) -> Iterator[bytes]:
        overlay = _OVERLAY.get()
        if overlay is None:
            yield from list(dict.keys(self))
            return
        for key in list(dict.keys(self)):
            if key not in overlay:
                yield key
        for key, value in list(overlay.items()):
            if value is not None:
                yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def get(self, key: bytes, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def keys(self) -> Any:
        return list(iter(self))

    def items(self) -> Any:
        return [(key, self[key]) for key in self]

    def values(self) -> Any:
        return [self[key] for key in self]

    def copy(self) -> dict[bytes, bytes]:
        return dict(self.items())


_INSTALL_LOCK = threading.Lock()


def install() -> None:
    """Give os.environ (and os.environb, which shares its data) layered variables; once per
    process. Outside an invocation nothing changes: the process's variables are all there is."""
    with _INSTALL_LOCK:
        data = os.environ._data  # type: ignore[attr-defined]
        if isinstance(data, _LayeredVariables):
            return
        layered = _LayeredVariables(dict(data))
        os.environ._data = layered  # type: ignore[attr-defined]
        environb = getattr(os, "environb", None)
        if environb is not None and environb._data is data:
            environb._data = layered


@contextmanager
def variables(values: Mapping[str, str]) -> Iterator[None]:
    """While the block runs, os.environ in this context has `values` on top of the process's."""
    install()
    environ: Any = os.environ  # its encoders give bytes on POSIX (typeshed says str)
    encode_key: Callable[[str], bytes] = environ.encodekey
    encode_value: Callable[[str], bytes] = environ.encodevalue
    overlay: dict[bytes, bytes | None] = {
        encode_key(key): encode_value(value) for key, value in values.items()
    }
    token = _OVERLAY.set(overlay)
    try:
        yield
    finally:
        _OVERLAY.reset(token)
