"""What every S3 record format gives: an object's records with their byte spans, and the splice
that rewrites an object by replacing only the bytes of the records that change.

A record's *ordinal* is its place among the object's record slots (a header is no slot). An
erased record becomes an empty slot (its bytes go, its line ending stays), so no other record
changes place and every object index entry stays valid after a rewrite."""

from __future__ import annotations

import codecs
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

EMPTY = b""  # what a deleted record's bytes become: an empty slot in the same place
# The most bytes one record may hold (a line of JSON, a CSV row with its quoted lines). A
# longer one makes its object unreadable, read in bounded memory: a reader never holds more
# than about this much of an object (and one chunk) at once, whatever the object's size.
MAX_RECORD: Final = 16 << 20


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
    parsed: bool = True  # False: a rewrite streamed it past without reading it

    @property
    def empty(self) -> bool:
        return self.parsed and self.data is None and self.problem is None


@dataclass(frozen=True)
class Layout:
    """An object as a format read it: its bytes, its records, and what a writer adding or
    changing a record must follow (the object's own line ending, a CSV header)."""

    body: bytes
    records: list[Record]
    terminator: bytes = b"\n"
    header: tuple[str, ...] = field(default=())
    codec: str = ""  # the object's own text codec, where it is not the store's (a BOM says)

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
    """Bytes before the first record or header: a UTF-8 byte order mark, kept as it is (in a
    store of any declared encoding: see `split_preamble`)."""
    del encoding  # a UTF-8 byte order mark says UTF-8 whatever the store declares
    return len(codecs.BOM_UTF8) if body.startswith(codecs.BOM_UTF8) else 0


def object_codec(bom: bytes, codec: str) -> str:
    """The codec an object's text is read and written in: UTF-8 where it starts with a UTF-8
    byte order mark (what Excel's "CSV UTF-8" writes), else the store's."""
    return "utf-8" if bom == codecs.BOM_UTF8 else codec


def terminator(body: bytes, first: Line | None) -> bytes:
    """The object's own line ending, taken from its first line (\\n for a new object)."""
    if first is None or first.next == first.end:
        return b"\n"
    return body[first.end : first.next]


# ------------------------------------------------------------------ streams of any size
@dataclass(frozen=True)
class Piece:
    """A stretch of an object as it streams past, in order: one record slot (`record` set), or
    bytes that are no record (a byte order mark, a CSV header). `raw` + `ending` is exactly what
    the object holds there; `terminator` is the object's own line ending and `header` its CSV
    header, once known (what a writer changing this record must follow)."""

    raw: bytes
    ending: bytes
    record: Record | None
    terminator: bytes = b"\n"
    header: tuple[str, ...] = ()
    codec: str = ""  # the object's own text codec, where it is not the store's

    def layout(self) -> Layout:
        """This one record as a Layout, for a format's `encode`."""
        if self.record is None:
            raise ValueError("not a record")
        record = Record(
            self.record.ordinal, 0, len(self.raw), self.record.data, self.record.problem
        )
        return Layout(self.raw, [record], self.terminator, self.header, self.codec)


@dataclass(frozen=True)
class StreamLine:
    """A physical line of a stream: split on \\n only."""

    offset: int  # of its first byte in the whole (decompressed) object
    content: bytes  # without its line ending
    ending: bytes  # b"\\n", b"\\r\\n" or b"" (the last line, unterminated)


class RecordTooLong(Unreadable):
    """A record (a line, or a CSV row's lines) holds more than MAX_RECORD bytes."""

    def __init__(self, offset: int, limit: int = MAX_RECORD) -> None:
        super().__init__(
            f"the record at byte {offset} is longer than {limit >> 20} MiB, the most one "
            "record may hold (is it a whole export on one line?)"
        )


def stream_lines(chunks: Iterable[bytes], limit: int = MAX_RECORD) -> Iterator[StreamLine]:
    """The lines of a stream of chunks, holding one line (not the object) in memory. Raises
    RecordTooLong (Unreadable) at a line longer than `limit` bytes, without reading it whole."""
    pending = bytearray()
    offset = 0
    for chunk in chunks:
        if not chunk:
            continue
        pending += chunk
        start = 0
        while True:
            newline = pending.find(b"\n", start)
            if newline - start > limit or (newline == -1 and len(pending) - start > limit):
                raise RecordTooLong(offset)
            if newline == -1:
                break
            content_end = (
                newline - 1 if newline > start and pending[newline - 1] == 0x0D else newline
            )
            yield StreamLine(
                offset, bytes(pending[start:content_end]), bytes(pending[content_end : newline + 1])
            )
            offset += newline + 1 - start
            start = newline + 1
        del pending[:start]
    if pending:
        yield StreamLine(offset, bytes(pending), b"")


def split_preamble(
    lines: Iterator[StreamLine], encoding: str
) -> tuple[bytes, Iterator[StreamLine]]:
    """Take a UTF-8 byte order mark off the first line: it is kept as it is, apart. It is taken
    off in a store of any declared encoding (Excel's "CSV UTF-8" export into a windows-1252
    store), and the object is then UTF-8 (`object_codec`): its header and records are read,
    and changed records written, in UTF-8."""
    del encoding
    first = next(lines, None)
    if first is None:
        return b"", iter(())
    bom = codecs.BOM_UTF8
    if first.content.startswith(bom):
        first = StreamLine(first.offset + len(bom), first.content[len(bom) :], first.ending)
        return bom, itertools.chain([first], lines)
    return b"", itertools.chain([first], lines)


def rewrite_stream(
    pieces: Iterable[Piece], replace: Callable[[Piece], bytes | None]
) -> Iterator[bytes]:
    """The object again, record by record: `replace` gives a record's new bytes (EMPTY: an
    empty slot) or None to keep it; every other byte streams through as it was."""
    for piece in pieces:
        replacement = replace(piece) if piece.record is not None else None
        if replacement is None:
            yield piece.raw + piece.ending
        elif not replacement and not piece.ending and piece.raw:
            # The last record, with no line ending after it: its slot stays an (empty) line.
            yield piece.terminator
        else:
            yield replacement + piece.ending


class StreamFormat(Protocol):
    """A text format read as a stream (JSON lines, CSV)."""

    encoding: str

    def pieces(
        self, chunks: Iterable[bytes], only: Callable[[int], bool] | None = None
    ) -> Iterator[Piece]:
        """Every stretch of the object in order; with `only`, the records whose ordinal it
        refuses are passed on unread (`parsed` False). Raises Unreadable (possibly after
        yielding some pieces) when the rest cannot be trusted."""
        ...

    def encode(self, layout: Layout, record: Record | None, data: dict[str, Any]) -> bytes: ...


def layout_of(body: bytes, pieces: Iterable[Piece]) -> Layout:
    """A whole (small) object as a Layout, from its pieces."""
    records: list[Record] = []
    ending = b"\n"
    header: tuple[str, ...] = ()
    codec = ""
    for piece in pieces:
        if piece.record is not None:
            records.append(piece.record)
        ending, header = piece.terminator, piece.header or header
        codec = piece.codec or codec
    return Layout(body, records, ending, header, codec)


def same_content(first: Any, second: Any) -> bool:
    """Whether two records' values are the same, as a reader tells: NaN is NaN (a float NaN
    is unequal to itself, so a record holding one would never be "unchanged"), nulls are
    nulls, and dicts and lists compare element by element."""
    if isinstance(first, float) and isinstance(second, float):
        return first == second or (math.isnan(first) and math.isnan(second))
    if isinstance(first, dict) and isinstance(second, dict):
        return first.keys() == second.keys() and all(
            same_content(value, second[name]) for name, value in first.items()
        )
    if isinstance(first, list | tuple) and isinstance(second, list | tuple):
        return len(first) == len(second) and all(
            same_content(a, b) for a, b in zip(first, second, strict=True)
        )
    return bool(first == second)
