"""What every S3 record format gives: an object's records with their byte spans, and the splice
that rewrites an object by replacing only the bytes of the records that change.

A record's *ordinal* is its place among the object's record slots (a header is no slot). An
erased record becomes an empty slot (its bytes go, its line ending stays), so no other record
changes place and every object index entry stays valid after a rewrite."""

from __future__ import annotations

import codecs
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

EMPTY = b""  # what a deleted record's bytes become: an empty slot in the same place


class FormatError(ValueError):
    """Base of what a format raises; the message names byte offsets and record numbers, never
    the content of a record."""


class Unreadable(FormatError):
    """The object cannot be read as the store's format declares (encoding, quoting, header)."""


class Unwritable(FormatError):
    """A change cannot be written in the object's format (a value its encoding cannot hold, a
    column its header does not have)."""


@dataclass(frozen=True)
class Record:
    """One record slot of an object. `data` is None for an empty slot, or when the record cannot
    be read (then `problem` says why); other records stay readable either way."""

    ordinal: int
    start: int  # byte offset of its first byte
    end: int  # byte offset just past its last byte; its line ending is not part of it
    data: dict[str, Any] | None
    problem: str | None = None

    @property
    def empty(self) -> bool:
        return self.data is None and self.problem is None


@dataclass(frozen=True)
class Layout:
    """An object as a format read it: its bytes, its records, and what a writer adding or
    changing a record must follow (the object's own line ending, a CSV header)."""

    body: bytes
    records: list[Record]
    terminator: bytes = b"\n"
    header: tuple[str, ...] = field(default=())

    def at(self, ordinal: int) -> Record | None:
        return self.records[ordinal] if 0 <= ordinal < len(self.records) else None

    def raw(self, record: Record) -> bytes:
        return self.body[record.start : record.end]


class RecordFormat(Protocol):
    """A format of S3 objects (JSON lines, CSV; later gzip and Parquet)."""

    encoding: str

    def read(self, body: bytes) -> Layout:
        """Every record slot of the object, in order. Raises Unreadable only when nothing can be
        trusted (a CSV header that cannot be read); one odd record is reported on its own."""
        ...

    def encode(self, layout: Layout, record: Record | None, data: dict[str, Any]) -> bytes:
        """The bytes of `record` (None: a new one) holding `data`, its line ending excluded.
        Raises Unwritable."""
        ...

    def append(self, layout: Layout, data: dict[str, Any]) -> tuple[bytes, int]:
        """What a writer does: the object with one record added at the end, and its ordinal."""
        ...


def rewrite(layout: Layout, replacements: Mapping[int, bytes]) -> bytes:
    """The object with the records named by ordinal replaced; every other byte as it was."""
    parts: list[bytes] = []
    position = 0
    for ordinal in sorted(replacements):
        record = layout.records[ordinal]
        replacement = replacements[ordinal]
        if not replacement and record.end == len(layout.body) and record.end > record.start:
            # The last record, with no line ending after it: its slot stays an (empty) line.
            replacement = layout.terminator
        parts += [layout.body[position : record.start], replacement]
        position = record.end
    parts.append(layout.body[position:])
    return b"".join(parts)


# ------------------------------------------------------------------ shared by the text formats
@dataclass(frozen=True)
class Line:
    """A physical line: split on \\n only (never on \\r, U+2028, U+0085 or form feeds)."""

    start: int
    end: int  # just past its content: a \\r\\n or \\n ending excluded
    next: int  # where the next line starts


def lines(body: bytes, offset: int = 0) -> Iterator[Line]:
    position = offset
    while position < len(body):
        newline = body.find(b"\n", position)
        if newline == -1:
            yield Line(position, len(body), len(body))
            return
        end = newline - 1 if newline > position and body[newline - 1] == 0x0D else newline
        yield Line(position, end, newline + 1)
        position = newline + 1


def text_codec(encoding: str) -> str:
    """The Python codec for a declared encoding; a UTF-8 byte order mark is handled apart."""
    name = codecs.lookup(encoding).name
    return "utf-8" if name == "utf-8-sig" else name


def preamble(body: bytes, encoding: str) -> int:
    """Bytes before the first record or header: a UTF-8 byte order mark, kept as it is."""
    if text_codec(encoding) == "utf-8" and body.startswith(codecs.BOM_UTF8):
        return len(codecs.BOM_UTF8)
    return 0


def terminator(body: bytes, first: Line | None) -> bytes:
    """The object's own line ending, taken from its first line (\\n for a new object)."""
    if first is None or first.next == first.end:
        return b"\n"
    return body[first.end : first.next]
