"""Record formats of S3 objects: each reads an object into records with their byte spans, and
writes a change by replacing only the bytes of the records that change."""

from __future__ import annotations

from rightsflow.domain.data_map import Store, StoreKind
from rightsflow.integration.stores.formats.delimited import EXTRA_FIELDS, Delimited
from rightsflow.integration.stores.formats.jsonl import JsonLines
from rightsflow.integration.stores.formats.records import (
    EMPTY,
    FormatError,
    Layout,
    Record,
    RecordFormat,
    Unreadable,
    Unwritable,
    rewrite,
)


def format_for(store: Store) -> RecordFormat:
    """The format a store's data map entry declares (kind, encoding, delimiter)."""
    if store.kind is StoreKind.S3_CSV:
        return Delimited(store.encoding, store.delimiter)
    if store.kind is StoreKind.S3_JSONL:
        return JsonLines(store.encoding)
    raise ValueError(f"{store.kind} is not an S3 record format")


__all__ = [
    "EMPTY",
    "EXTRA_FIELDS",
    "Delimited",
    "FormatError",
    "JsonLines",
    "Layout",
    "Record",
    "RecordFormat",
    "Unreadable",
    "Unwritable",
    "format_for",
    "rewrite",
]
