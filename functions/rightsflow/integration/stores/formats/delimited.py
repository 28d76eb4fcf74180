"""CSV (or another delimiter): a header, then records. A record may span lines inside quotes;
rows with more or fewer fields than the header are read as they are and left as they are."""

from __future__ import annotations

import csv
from typing import Any

from rightsflow.integration.stores.formats.records import (
    Layout,
    Record,
    Unreadable,
    Unwritable,
    lines,
    preamble,
    terminator,
    text_codec,
)

# Where a row's fields beyond the header's columns are shown (never moved, never renamed).
EXTRA_FIELDS = "_extra_fields"


class Delimited:
    def __init__(self, encoding: str = "utf-8", delimiter: str = ",") -> None:
        self.encoding = encoding
        self.codec = text_codec(encoding)
        self.delimiter = delimiter

    # ------------------------------------------------------------------ reading
    def read(self, body: bytes) -> Layout:
        physical = list(lines(body, preamble(body, self.encoding)))
        texts: list[str] = []
        undecodable: dict[int, int] = {}  # line number -> byte offset of the first bad byte
        for number, line in enumerate(physical):
            raw = body[line.start : line.next]
            try:
                texts.append(raw.decode(self.codec))
            except UnicodeDecodeError as error:
                undecodable[number] = line.start + error.start
                texts.append(raw.decode(self.codec, errors="surrogateescape"))
        header: tuple[str, ...] | None = None
        records: list[Record] = []
        reader = csv.reader(iter(texts), delimiter=self.delimiter, strict=False)
        consumed = 0
        try:
            for row in reader:
                first, consumed = consumed, reader.line_num
                start, end = physical[first].start, physical[consumed - 1].end
                bad = [undecodable[n] for n in range(first, consumed) if n in undecodable]
                if header is None:
                    header = self._header(row, bad)
                    continue
                span = Record(len(records), start, end, None)
                records.append(self._record(header, row, span, bad))
        except csv.Error as error:
            at = physical[consumed].start if consumed < len(physical) else len(body)
            raise Unreadable(f"not valid CSV after byte {at}: {error}") from error
        return Layout(
            body, records, terminator(body, physical[0] if physical else None), header or ()
        )

    def _header(self, row: list[str], bad: list[int]) -> tuple[str, ...]:
        if bad:
            raise Unreadable(f"the header is not valid {self.encoding} (byte {bad[0]})")
        if not row:
            raise Unreadable("the first line, where the header belongs, is empty")
        twice = sorted({name for name in row if row.count(name) > 1})
        if twice:
            raise Unreadable(f"the header names column {twice[0]!r} twice")
        return tuple(row)

    def _record(
        self, header: tuple[str, ...], row: list[str], span: Record, bad: list[int]
    ) -> Record:
        ordinal, start, end = span.ordinal, span.start, span.end
        if bad:
            problem = f"record {ordinal} is not valid {self.encoding} (byte {bad[0]})"
            return Record(ordinal, start, end, None, problem)
        if not row:
            return Record(ordinal, start, end, None)
        data: dict[str, Any] = dict(zip(header, row, strict=False))
        if len(row) > len(header):
            data[EXTRA_FIELDS] = row[len(header) :]
        return Record(ordinal, start, end, data)

    # ------------------------------------------------------------------ writing
    def encode(self, layout: Layout, record: Record | None, data: dict[str, Any]) -> bytes:
        columns = layout.header or tuple(name for name in data if name != EXTRA_FIELDS)
        unknown = [name for name in data if name not in columns and name != EXTRA_FIELDS]
        if unknown:
            raise Unwritable(f"the object has no column {unknown[0]!r}")
        if record is None or record.data is None:
            return self._bytes(self._join([self._quote(_text(data.get(c))) for c in columns]))
        text = layout.raw(record).decode(self.codec)
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
        return self._bytes(self._join(fields))

    def append(self, layout: Layout, data: dict[str, Any]) -> tuple[bytes, int]:
        body = layout.body
        if not layout.header:
            head = self._join([self._quote(name) for name in data])
            body = body[: preamble(body, self.encoding)] + self._bytes(head) + layout.terminator
            layout = Layout(body, [], layout.terminator, tuple(data))
        elif not body.endswith(b"\n"):
            body += layout.terminator
        return body + self.encode(layout, None, data) + layout.terminator, len(layout.records)

    def _join(self, fields: list[str]) -> str:
        return self.delimiter.join(fields)

    def _bytes(self, text: str) -> bytes:
        try:
            return text.encode(self.codec)
        except UnicodeEncodeError as error:
            raise Unwritable(
                f"a new value holds a character {self.encoding} cannot write "
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


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
