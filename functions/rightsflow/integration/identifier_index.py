"""Our own canonical index over DynamoDB stores that keep an identifier as written: for each
store, identifier and canonical value (by hash), the keys of the items that hold it. Kept
current by the tables' streams (rightsflow.service.identifier_indexing); read by fulfilment
instead of querying a value as typed. Never a Scan on the request path.

Whether a store's index is complete is rightsflow.integration.index_completeness, one notion
for this index and the object index alike."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from rightsflow.domain.canonical import Identifier, identifier_hash
from rightsflow.domain.errors import StoreUnavailable
from rightsflow.integration import aws
from rightsflow.integration.index_completeness import IndexCompleteness, write_batches

BATCH_GET_LIMIT = 100


def entry_of(store: str, identifier: Identifier, canonical_value: str) -> str:
    return f"{store}#{identifier}#{identifier_hash(canonical_value)}"


def item_id(key: dict[str, Any]) -> str:
    """A DynamoDB item key (typed, as a stream record gives it) as the index's sort key."""
    return json.dumps(key, sort_keys=True, separators=(",", ":"))


class IdentifierIndex:
    def __init__(self, table: str) -> None:
        self.table = table

    @property
    def completeness(self) -> IndexCompleteness:
        return IndexCompleteness(self.table, "item", "identifier index")

    # ------------------------------------------------------------------ reading
    def require_complete(self, store: str) -> None:
        """Raises IndexIncomplete (naming the store) unless the store's index is complete."""
        self.completeness.require_complete(store)

    def keys(
        self, store: str, identifier: Identifier, canonical_value: str
    ) -> list[dict[str, Any]]:
        """The typed keys of the store's items whose value reads as `canonical_value`."""
        found: list[dict[str, Any]] = []
        try:
            pages = (
                aws.dynamodb()
                .get_paginator("query")
                .paginate(
                    TableName=self.table,
                    KeyConditionExpression="entry = :e",
                    ExpressionAttributeValues={
                        ":e": {"S": entry_of(store, identifier, canonical_value)}
                    },
                )
            )
            for page in pages:
                found += [json.loads(item["item"]["S"]) for item in page.get("Items", [])]
        except Exception as error:
            raise aws.as_transient(error, "reading the identifier index") from error
        return found

    # ------------------------------------------------------------------ writing
    def update(
        self,
        store: str,
        key: dict[str, Any],
        before: set[tuple[Identifier, str]],
        after: set[tuple[Identifier, str]],
    ) -> None:
        """An item's canonical values changed from `before` to `after`: entries follow.
        Idempotent: writing the same change twice leaves the same entries."""
        self.write(self.changes(store, key, before, after))

    @staticmethod
    def changes(
        store: str,
        key: dict[str, Any],
        before: set[tuple[Identifier, str]],
        after: set[tuple[Identifier, str]],
    ) -> list[dict[str, Any]]:
        """The index writes (BatchWriteItem requests) that move an item's entries."""
        sort_key = {"S": item_id(key)}
        writes: list[dict[str, Any]] = [
            {"DeleteRequest": {"Key": {"entry": {"S": entry_of(store, i, v)}, "item": sort_key}}}
            for i, v in sorted(before - after)
        ]
        writes += [
            {"PutRequest": {"Item": {"entry": {"S": entry_of(store, i, v)}, "item": sort_key}}}
            for i, v in sorted(after - before)
        ]
        return writes

    def write(self, writes: list[dict[str, Any]]) -> None:
        """Apply index writes, 25 to a BatchWriteItem, retrying what DynamoDB leaves over."""
        write_batches(self.table, writes)

    def clear_page(
        self, store: str, start: dict[str, Any] | None
    ) -> tuple[int, dict[str, Any] | None]:
        """Delete one page of the store's entries (its completeness mark included), for a
        rebuild; returns how many went and where the next page starts (None: done). Scans our
        own index table, never a store, and never on a request's path."""
        arguments: dict[str, Any] = {
            "TableName": self.table,
            "FilterExpression": "begins_with(#entry, :store)",
            "ExpressionAttributeValues": {":store": {"S": f"{store}#"}},
            "ProjectionExpression": "#entry, #item",  # ITEM is a reserved word
            "ExpressionAttributeNames": {"#entry": "entry", "#item": "item"},
            "ConsistentRead": True,
        }
        if start:
            arguments["ExclusiveStartKey"] = start
        try:
            answer = aws.dynamodb().scan(**arguments)
        except Exception as error:
            raise aws.as_transient(error, "reading the identifier index to rebuild it") from error
        items = answer.get("Items", [])
        self.write([{"DeleteRequest": {"Key": item}} for item in items])
        return len(items), answer.get("LastEvaluatedKey")

    def mark_complete(self, store: str, detail: dict[str, Any] | None = None) -> None:
        self.completeness.mark_complete(store, detail)

    def mark_incomplete(self, store: str) -> None:
        self.completeness.mark_incomplete(store)


def batch_get(table: str, keys: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The items with these typed keys (those that exist), by BatchGetItem, 100 at a time,
    retrying what DynamoDB leaves unprocessed."""
    unique = list({item_id(key): key for key in keys}.values())
    client = aws.dynamodb()
    for start in range(0, len(unique), BATCH_GET_LIMIT):
        request: dict[str, Any] = {
            table: {"Keys": unique[start : start + BATCH_GET_LIMIT], "ConsistentRead": True}
        }
        for attempt in range(6):
            if attempt:
                time.sleep(0.05 * 2**attempt)  # DynamoDB was short of capacity: back off
            try:
                answer = client.batch_get_item(RequestItems=request)
            except Exception as error:
                raise aws.as_transient(error, f"reading items of {table}") from error
            yield from answer.get("Responses", {}).get(table, [])
            request = answer.get("UnprocessedKeys") or {}
            if not request:
                break
        if request:
            raise StoreUnavailable(f"reading items of {table}: keys left unprocessed")
