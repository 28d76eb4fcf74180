"""CSV (or another delimiter): a header, then records. A record may span lines inside quotes.

Nothing read here may swallow someone else's record: a row whose field count is not the
header's, a record spanning more than MAX_RECORD_LINES lines or MAX_RECORD bytes, or a quoted
field running over a line that reads as a whole record of its own (naming someone in a lookup
column) means a quote is unbalanced, and the object is unreadable (Unreadable): never read on,
never rewritten.

The header is matched as a data engineer reads it: names trimmed of whitespace, a UTF-8 byte
order mark dropped (the object is then UTF-8, whatever the store declares), and compared
case-insensitively with the names the data map uses (`Email` is the store's `email`). The
delimiter is the data map's (`delimiter:`), never guessed; a header that reads as one column
holding another usual delimiter is named in the reason."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final

from rightsflow.integration.stores.formats.records import (
    MAX_RECORD,
    Layout,
    Piece,
    Record,
    RecordTooLong,
    StreamLine,
    Unreadable,
    Unwritable,
    layout_of,
    object_codec,
    preamble,
    split_preamble,
    stream_lines,
    text_codec,
)

# The most physical lines one record may span (quoted line breaks: addresses, notes). A quote
# left open runs on over every later line; past this, the object is unreadable.
MAX_RECORD_LINES: Final = 1000
_OTHER_DELIMITERS: Final = (",", ";", "\t", "|")


class Delimited:
    """A delimited text format. `columns`: the names the data map gives this store's columns
    (a header's names are matched to them case-insensitively, trimmed); `lookups`: for each
    lookup column, whether a value names someone (a valid identifier). Every object's header
    must hold every lookup column, else the object is unreadable (no record of it could be
    found)."""

    def __init__(
        self,
        encoding: str = "utf-8",
        delimiter: str = ",",
        columns: Sequence[str] = (),
        lookups: Mapping[str, Callable[[str], bool]] | None = None,
    ) -> None:
        self.encoding = encoding
        self.codec = text_codec(encoding)
        self.delimiter = delimiter
        self.lookups = dict(lookups or {})
        self.columns = {name.strip().casefold(): name for name in (*columns, *self.lookups)}

    # ------------------------------------------------------------------ reading
    def read(self, body: bytes) -> Layout:
        return layout_of(body, self.pieces([body]))

    def pieces(
        self, chunks: Iterable[bytes], only: Callable[[int], bool] | None = None
    ) -> Iterator[Piece]:
        """The header, then each record as it streams past; a record spanning lines inside
        quotes is one piece. Holds one record's lines in memory (at most MAX_RECORD bytes).
        With `only`, the records whose ordinal it refuses are passed on without their values
        (`parsed` False). Raises Unreadable (after the pieces before it) where a record cannot
        be told apart from the next (see the module's docstring)."""
        bom, lines = split_preamble(stream_lines(chunks), self.encoding)
        codec = object_codec(bom, self.codec)
        own = codec if codec != self.codec else ""
        encoding = self.encoding if not own else "UTF-8, as its byte order mark says"
        if bom:
            yield Piece(bom, b"", None, codec=own)
        rows = _RowLines(lines, codec)
        taken = rows.taken
        header: tuple[str, ...] | None = None
        ending = b"\n"
        ordinal = 0
        reader = csv.reader(rows, delimiter=self.delimiter, strict=False)
        try:
            for row in reader:
                spanned = rows.take()
                first, last = spanned[0][0], spanned[-1][0]
                raw = b"".join(line.content + line.ending for line, _ in spanned)
                raw = raw[: len(raw) - len(last.ending)]
                bad = [offset for _, offset in spanned if offset is not None]
                if header is None:
                    ending = first.ending or b"\n"
                    header = self._header(row, bad, encoding)
                    yield Piece(raw, last.ending, None, ending, header, own)
                    continue
                self._check_row(header, row, spanned, codec, ordinal)
                span = Record(ordinal, first.offset, first.offset + len(raw), None)
                record = (
                    self._record(header, row, span, bad, encoding)
                    if only is None or only(ordinal)
                    else Record(ordinal, span.start, span.end, None, parsed=False)
                )
                yield Piece(raw, last.ending, record, ending, header, own)
                ordinal += 1
        except csv.Error as error:
            at = taken[0][0].offset if taken else rows.last_offset
            raise Unreadable(f"not valid CSV after byte {at}: {error}") from error

    def _header(self, row: list[str], bad: list[int], encoding: str) -> tuple[str, ...]:
        if bad:
            raise Unreadable(f"the header is not valid {encoding} (byte {bad[0]})")
        if not row or not any(name.strip() for name in row):
            raise Unreadable("the first line, where the header belongs, is empty")
        names = [self.columns.get(name.strip().casefold(), name.strip()) for name in row]
        folded = [name.casefold() for name in names]
        twice = sorted({name for name in names if folded.count(name.casefold()) > 1})
        if twice:
            raise Unreadable(f"the header names column {twice[0]!r} twice")
        missing = [name for name in self.lookups if name not in names]
        if missing:
            hint = ""
            others = [d for d in _OTHER_DELIMITERS if d != self.delimiter and d in row[0]]
            if len(row) == 1 and others:
                hint = (
                    f" (it reads as one column: are its fields separated by {others[0]!r}, "
                    f"not the data map's {self.delimiter!r}?)"
                )
            raise Unreadable(
                f"the header has no column {missing[0]!r}, which the store is looked up by{hint}"
            )
        return tuple(names)

    def _check_row(
        self,
        header: tuple[str, ...],
        row: list[str],
        spanned: list[tuple[StreamLine, int | None]],
        codec: str,
        ordinal: int,
    ) -> None:
        """Raise Unreadable where this row may hold other records: its field count is not the
        header's, or one of the lines a quoted field ran over reads as a record of its own."""
        start = spanned[0][0].offset
        if row and len(row) != len(header):
            raise Unreadable(
                f"record {ordinal} (at byte {start}) has {len(row)} fields where the header "
                f"has {len(header)}: a quote left open or a stray delimiter; what follows "
                "cannot be told apart"
            )
        for line, _ in spanned[1:]:
            if self._names_someone(header, line, codec):
                raise Unreadable(
                    f"record {ordinal} (at byte {start}) has a quoted field running over the "
                    f"line at byte {line.offset}, which reads as a record of its own: a quote "
                    "left open"
                )

    def _names_someone(self, header: tuple[str, ...], line: StreamLine, codec: str) -> bool:
        if not self.lookups:
            return False
        text = line.content.decode(codec, errors="replace")
        fields = next(csv.reader([text], delimiter=self.delimiter, strict=False), [])
        if len(fields) != len(header):
            return False
        values = dict(zip(header, fields, strict=True))
        return any(names(values[column]) for column, names in self.lookups.items())

    def _record(
        self, header: tuple[str, ...], row: list[str], span: Record, bad: list[int], encoding: str
    ) -> Record:
        ordinal, start, end = span.ordinal, span.start, span.end
        if bad:
            problem = f"record {ordinal} is not valid {encoding} (byte {bad[0]})"
            return Record(ordinal, start, end, None, problem)
        if not row:
            return Record(ordinal, start, end, None)
        data: dict[str, Any] = dict(zip(header, row, strict=True))
        return Record(ordinal, start, end, data)

    # ------------------------------------------------------------------ writing
    def encode(self, layout: Layout, record: Record | None, data: dict[str, Any]) -> bytes:
        columns = layout.header or tuple(data)
        unknown = [name for name in data if name not in columns]
        if unknown:
            raise Unwritable(f"the object has no column {unknown[0]!r}")
        if record is None or record.data is None:
            return self._bytes(
                self._join([self._quote(_text(data.get(c))) for c in columns]), layout.codec
            )
        codec = layout.codec or self.codec
        text = layout.raw(record).decode(codec)
        values = next(csv.reader([text], delimiter=self.delimiter, strict=False), [])
        fields = self._raw_fields(text)
        if fields is None or len(fields) != len(values):
            fields = [self._quote(value) for value in values]  # re-quote this record only
        for index, column in enumerate(columns):
            if column not in data:
                continue
            value = _text(data[column])
            while len(values) <= index:
                values.append("")
                fields.append("")
            if values[index] != value:
                values[index] = value
                fields[index] = self._quote(value, quoted=fields[index].startswith('"'))
        return self._bytes(self._join(fields), codec)

    def append(self, layout: Layout, data: dict[str, Any]) -> tuple[bytes, int]:
        body = layout.body
        if not layout.header:
            head = self._join([self._quote(name) for name in data])
            body = (
                body[: preamble(body, self.encoding)]
                + self._bytes(head, layout.codec)
                + layout.terminator
            )
            layout = Layout(body, [], layout.terminator, tuple(data))
        elif not body.endswith(b"\n"):
            body += layout.terminator
        return body + self.encode(layout, None, data) + layout.terminator, len(layout.records)

    def _join(self, fields: list[str]) -> str:
        return self.delimiter.join(fields)

    def _bytes(self, text: str, codec: str = "") -> bytes:
        try:
            return text.encode(codec or self.codec)
        except UnicodeEncodeError as error:
            raise Unwritable(
                f"a new value holds a character {codec or self.encoding} cannot write "
                f"(U+{ord(error.object[error.start]):04X})"
            ) from error

    def _quote(self, value: str, quoted: bool = False) -> str:
        if quoted or any(c in value for c in (self.delimiter, '"', "\r", "\n")):
            return '"' + value.replace('"', '""') + '"'
        return value

    def _raw_fields(self, text: str) -> list[str] | None:
        """The record's fields as written (quotes included), so unchanged fields keep their
        bytes; None if they cannot be told apart the way the csv module reads them."""
        fields: list[str] = []
        start, quoted = 0, False
        for index, char in enumerate(text):
            if quoted:
                if char == '"':
                    quoted = False  # a doubled quote closes and reopens: same outcome
            elif char == '"' and index == start:
                quoted = True
            elif char == '"' and text[start] == '"':
                quoted = True  # the second quote of a doubled pair inside a quoted field
            elif char == self.delimiter:
                fields.append(text[start:index])
                start = index + 1
        if quoted:
            return None
        fields.append(text[start:])
        for field in fields:
            parsed = next(csv.reader([field], delimiter=self.delimiter, strict=False), [""])
            if len(parsed) != 1:
                return None
        return fields


class _RowLines:
    """The lines of an object as text for the csv module, noting the lines it takes for the
    row it is reading (`taken`, with the offset of a byte the codec cannot read). Raises
    RecordTooLong / Unreadable when one row grows past MAX_RECORD bytes or MAX_RECORD_LINES
    lines, before reading further."""

    def __init__(self, lines: Iterator[StreamLine], codec: str) -> None:
        self.lines, self.codec = lines, codec
        self.taken: list[tuple[StreamLine, int | None]] = []
        self.size = 0  # bytes in taken
        self.last_offset = 0

    def __iter__(self) -> Iterator[str]:
        for line in self.lines:
            raw = line.content + line.ending
            bad: int | None = None
            try:
                text = raw.decode(self.codec)
            except UnicodeDecodeError as error:
                bad = line.offset + error.start
                text = raw.decode(self.codec, errors="surrogateescape")
            if self.taken:
                start = self.taken[0][0].offset
                if self.size + len(raw) > MAX_RECORD:
                    raise RecordTooLong(start)
                if len(self.taken) >= MAX_RECORD_LINES:
                    raise Unreadable(
                        f"the record at byte {start} spans more than {MAX_RECORD_LINES} "
                        "lines: a quote is left open"
                    )
            self.taken.append((line, bad))
            self.size += len(raw)
            self.last_offset = line.offset + len(raw)
            yield text

    def take(self) -> list[tuple[StreamLine, int | None]]:
        """The lines of the row just read; the next row starts afresh."""
        taken = list(self.taken)
        self.taken.clear()
        self.size = 0
        return taken


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
