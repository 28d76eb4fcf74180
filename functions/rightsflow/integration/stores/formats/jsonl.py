"""JSON lines: one JSON object per line, lines split on \\n only. A raw U+2028, U+0085 or \\r
inside a record is part of it, as JSON allows."""

from __future__ import annotations

import json
from typing import Any

from rightsflow.integration.stores.formats.records import (
    Layout,
    Record,
    Unwritable,
    lines,
    preamble,
    terminator,
    text_codec,
)


class JsonLines:
    def __init__(self, encoding: str = "utf-8") -> None:
        self.encoding = encoding
        self.codec = text_codec(encoding)

    def read(self, body: bytes) -> Layout:
        records: list[Record] = []
        first = None
        for ordinal, line in enumerate(lines(body, preamble(body, self.encoding))):
            first = first or line
            records.append(self._record(body, ordinal, line.start, line.end))
        return Layout(body, records, terminator(body, first))

    def _record(self, body: bytes, ordinal: int, start: int, end: int) -> Record:
        raw = body[start:end]
        if not raw.strip():
            return Record(ordinal, start, end, None)
        try:
            text = raw.decode(self.codec)
        except UnicodeDecodeError as error:
            problem = f"record {ordinal} is not valid {self.encoding} (byte {start + error.start})"
            return Record(ordinal, start, end, None, problem)
        try:
            value = json.loads(text, strict=False)  # a raw tab or \r inside a string is kept
        except ValueError as error:
            column = getattr(error, "colno", "?")
            problem = f"record {ordinal} is not valid JSON (column {column})"
            return Record(ordinal, start, end, None, problem)
        if not isinstance(value, dict):
            return Record(ordinal, start, end, None, f"record {ordinal} is not a JSON object")
        return Record(ordinal, start, end, value)

    def encode(self, layout: Layout, record: Record | None, data: dict[str, Any]) -> bytes:
        sample = layout.raw(record) if record is not None else _first_record(layout)
        compact = sample is not None and b'":' in sample and b'": ' not in sample
        separators = (",", ":") if compact else (", ", ": ")
        text = json.dumps(data, ensure_ascii=False, separators=separators)
        # Valid JSON either way; escaped, no reader that splits on them can break the record.
        text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        try:
            return text.encode(self.codec)
        except UnicodeEncodeError:  # JSON escapes hold any character in any encoding
            return json.dumps(data, ensure_ascii=True, separators=separators).encode(self.codec)

    def append(self, layout: Layout, data: dict[str, Any]) -> tuple[bytes, int]:
        body = layout.body
        if body[preamble(body, self.encoding) :] and not body.endswith(b"\n"):
            body += layout.terminator
        encoded = self.encode(layout, None, data)
        if b"\n" in encoded:  # pragma: no cover - json.dumps escapes every \n
            raise Unwritable("a record would span lines")
        return body + encoded + layout.terminator, len(layout.records)


def _first_record(layout: Layout) -> bytes | None:
    for record in layout.records:
        if record.data is not None:
            return layout.raw(record)
    return None
