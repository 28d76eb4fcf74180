"""JSON lines: one JSON object per line, lines split on \\n only. A raw U+2028, U+0085 or \\r
inside a record is part of it, as JSON allows."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from rightsflow.integration.stores.formats.records import (
    Layout,
    Piece,
    Record,
    Unwritable,
    layout_of,
    object_codec,
    preamble,
    split_preamble,
    stream_lines,
    text_codec,
)


class JsonLines:
    def __init__(self, encoding: str = "utf-8") -> None:
        self.encoding = encoding
        self.codec = text_codec(encoding)

    def read(self, body: bytes) -> Layout:
        return layout_of(body, self.pieces([body]))

    def pieces(
        self, chunks: Iterable[bytes], only: Callable[[int], bool] | None = None
    ) -> Iterator[Piece]:
        """The object's records as they stream past: one line each, holding one in memory;
        with `only`, the lines whose ordinal it refuses are not decoded (a rewrite needs the
        person's records only)."""
        bom, lines = split_preamble(stream_lines(chunks), self.encoding)
        codec = object_codec(bom, self.codec)
        own = codec if codec != self.codec else ""
        if bom:
            yield Piece(bom, b"", None, codec=own)
        ending = None
        for ordinal, line in enumerate(lines):
            if ending is None:
                ending = line.ending or b"\n"
            if only is None or only(ordinal):
                record = self.record(line.content, ordinal, line.offset, codec)
            else:
                end = line.offset + len(line.content)
                record = Record(ordinal, line.offset, end, None, parsed=False)
            yield Piece(line.content, line.ending, record, ending, codec=own)

    def record(self, raw: bytes, ordinal: int, start: int, codec: str = "") -> Record:
        """One line as a record; `start` is its offset in the object (problems name bytes),
        `codec` the object's own where a byte order mark set it."""
        end = start + len(raw)
        codec = codec or self.codec
        if not raw.strip():
            return Record(ordinal, start, end, None)
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as error:
            name = self.encoding if codec == self.codec else "UTF-8, as its byte order mark says"
            problem = f"record {ordinal} is not valid {name} (byte {start + error.start})"
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
        codec = layout.codec or self.codec
        try:
            return text.encode(codec)
        except UnicodeEncodeError:  # JSON escapes hold any character in any encoding
            return json.dumps(data, ensure_ascii=True, separators=separators).encode(codec)

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
