"""One record of 100 MB (a whole export written on one line) read as an S3 store reads it: the
reader stops at MAX_RECORD (16 MiB) and says the object is unreadable, holding no more than
that. The line is generated a megabyte at a time, never held, so the figure is the reader's.

    python benchmarks/one_huge_record.py [MB]"""

from __future__ import annotations

import resource
import sys
from collections.abc import Iterator

from rightsflow.integration.stores.formats import Delimited, JsonLines, Unreadable

CHUNK = 1 << 20


def _json_line(size: int) -> Iterator[bytes]:
    record = b'{"phone": "+16175550100", "content": "' + b"x" * 200 + b'"},'
    piece = b"[" + record * (CHUNK // len(record))
    sent = 0
    while sent < size:
        yield piece
        sent += len(piece)
    yield b"{}]\n"


def _csv_rows(size: int) -> Iterator[bytes]:
    yield b"email,notes\n" + b'a@example.com,"'
    line = b"y" * 1000 + b"\n"
    piece = line * (CHUNK // len(line))
    sent = 0
    while sent < size:
        yield piece
        sent += len(piece)
    yield b'"\n'


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    size = int(sys.argv[1]) << 20 if len(sys.argv) > 1 else 100 << 20
    start = _peak_mb()
    for label, pieces in (
        ("JSON line", JsonLines().pieces(_json_line(size))),
        ("CSV quoted field", Delimited().pieces(_csv_rows(size))),
    ):
        try:
            for _ in pieces:
                pass
            print(f"{label}: read whole (not expected)")
        except Unreadable as error:
            print(f"{label} of {size >> 20} MB: unreadable: {error}")
    print(f"peak memory above start: {_peak_mb() - start:.0f} MB (one record at most 16 MiB)")


if __name__ == "__main__":
    main()
