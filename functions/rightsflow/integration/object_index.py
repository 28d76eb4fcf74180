"""The object index: for S3 stores, which lines of which objects name a person, filed under a
hash of the identifier's canonical form (rightsflow.domain.canonical), however the object
spells it. Writers add entries as they write; fulfilment reads them."""

from __future__ import annotations

from collections.abc import Iterator

from rightsflow.domain.canonical import (
    DEFAULT_ACCOUNT_FORM,
    AccountNumberForm,
    Identifier,
    canonical_or_none,
    identifier_hash,
)
from rightsflow.integration import aws


def index_entry(
    store: str,
    identifier: Identifier,
    value: object,
    *,
    region: str | None = None,
    account_form: AccountNumberForm = DEFAULT_ACCOUNT_FORM,
) -> str | None:
    """The index partition for a value as a record holds it: its canonical form's hash. None
    when the value names no one (empty or unreadable): such a value is not indexed."""
    found = canonical_or_none(identifier, value, region=region, account_form=account_form)
    return f"{store}#{identifier}#{identifier_hash(found)}" if found else None


def _position(object_key: str, line: int) -> str:
    return f"{object_key}#{line:09d}"


class ObjectIndex:
    def __init__(self, table: str) -> None:
        self.table = table

    def entries(self, store: str, identifier: Identifier, value: str) -> Iterator[tuple[str, int]]:
        """The (object key, line) of every record holding `value` (canonical, or canonicalised
        here without a region)."""
        entry = index_entry(store, identifier, value)
        if entry is None:
            return
        try:
            pages = (
                aws.dynamodb()
                .get_paginator("query")
                .paginate(
                    TableName=self.table,
                    KeyConditionExpression="entry = :e",
                    ExpressionAttributeValues={":e": {"S": entry}},
                )
            )
            for page in pages:
                for item in page.get("Items", []):
                    object_key, _, line = item["position"]["S"].rpartition("#")
                    yield object_key, int(line)
        except Exception as error:
            raise aws.as_transient(error, "reading the object index") from error

    def add(
        self,
        store: str,
        identifier: Identifier,
        value: object,
        object_key: str,
        line: int,
        *,
        region: str | None = None,
    ) -> None:
        item = self.item(store, identifier, value, object_key, line, region=region)
        if item is not None:
            aws.dynamodb().put_item(TableName=self.table, Item=item)

    def remove(
        self,
        store: str,
        identifier: Identifier,
        value: object,
        object_key: str,
        line: int,
        *,
        region: str | None = None,
    ) -> None:
        item = self.item(store, identifier, value, object_key, line, region=region)
        if item is not None:
            aws.dynamodb().delete_item(TableName=self.table, Key=item)

    @staticmethod
    def item(
        store: str,
        identifier: Identifier,
        value: object,
        object_key: str,
        line: int,
        *,
        region: str | None = None,
    ) -> dict[str, dict[str, str]] | None:
        """The index entry as a DynamoDB item (for writers that batch their writes); None when
        the value names no one."""
        entry = index_entry(store, identifier, value, region=region)
        if entry is None:
            return None
        return {"entry": {"S": entry}, "position": {"S": _position(object_key, line)}}
