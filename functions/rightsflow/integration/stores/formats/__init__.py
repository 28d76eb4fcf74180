"""Record formats of S3 objects: each reads an object into records with their byte spans, and
writes a change by replacing only the bytes of the records that change."""

from __future__ import annotations

from collections.abc import Callable

from rightsflow.domain.canonical import canonical_or_none
from rightsflow.domain.data_map import Identifier, Store, StoreKind
from rightsflow.integration.stores.formats.delimited import Delimited
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


def format_for(store: Store) -> Delimited | JsonLines:
    """The text format a store's data map entry declares (kind, encoding, delimiter); a CSV
    header is matched to the columns the data map names, and must hold every lookup column."""
    if store.kind is StoreKind.S3_CSV:
        return Delimited(
            store.encoding, store.delimiter, known_columns(store), _lookup_tests(store)
        )
    if store.kind is StoreKind.S3_JSONL:
        return JsonLines(store.encoding)
    raise ValueError(f"{store.kind} is not an S3 record format")


def known_columns(store: Store) -> list[str]:
    """The column names the data map gives a store (as it spells them)."""
    names = [lookup.attribute for lookup in store.lookup.values()]
    names += list(store.second_identifiers.values()) + list(store.rectifiable)
    names += list(store.erasure.fields)
    if store.erasure.legal_hold is not None:
        names += list(store.erasure.legal_hold.when)
    names += [
        flag.attribute for flag in (store.consent, store.profiling, store.restriction) if flag
    ]
    return list(dict.fromkeys(names))


def _lookup_tests(store: Store) -> dict[str, Callable[[str], bool]]:
    """For each lookup column, whether a value in it names someone (a valid identifier)."""
    tests: dict[str, Callable[[str], bool]] = {}
    for identifier, lookup in store.lookup.items():
        region = lookup.region or store.phone_region

        def names(
            value: str, identifier: Identifier = identifier, region: str | None = region
        ) -> bool:
            return canonical_or_none(identifier, value, region=region) is not None

        tests[lookup.attribute] = names
    return tests


__all__ = [
    "EMPTY",
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
