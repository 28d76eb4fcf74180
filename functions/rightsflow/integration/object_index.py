"""The object index: for S3 stores, which lines of which objects name a person, filed under a
hash of the identifier. Writers add entries as they write; fulfilment reads them."""

from __future__ import annotations

from collections.abc import Iterator

from rightsflow.domain.data_map import Identifier
from rightsflow.domain.identity import identifier_hash
from rightsflow.integration import aws


def _partition(store: str, identifier: Identifier, value: str) -> str:
    return f"{store}#{identifier}#{identifier_hash(value)}"


def _position(object_key: str, line: int) -> str:
    return f"{object_key}#{line:09d}"


class ObjectIndex:
    def __init__(self, table: str) -> None:
        self.table = table

    def entries(self, store: str, identifier: Identifier, value: str) -> Iterator[tuple[str, int]]:
        try:
            pages = (
                aws.dynamodb()
                .get_paginator("query")
                .paginate(
                    TableName=self.table,
                    KeyConditionExpression="entry = :e",
                    ExpressionAttributeValues={":e": {"S": _partition(store, identifier, value)}},
                )
            )
            for page in pages:
                for item in page.get("Items", []):
                    object_key, _, line = item["position"]["S"].rpartition("#")
                    yield object_key, int(line)
        except Exception as error:
            raise aws.as_transient(error, "reading the object index") from error

    def add(
        self, store: str, identifier: Identifier, value: str, object_key: str, line: int
    ) -> None:
        aws.dynamodb().put_item(
            TableName=self.table,
            Item={
                "entry": {"S": _partition(store, identifier, value)},
                "position": {"S": _position(object_key, line)},
            },
        )

    def remove(
        self, store: str, identifier: Identifier, value: str, object_key: str, line: int
    ) -> None:
        aws.dynamodb().delete_item(
            TableName=self.table,
            Key={
                "entry": {"S": _partition(store, identifier, value)},
                "position": {"S": _position(object_key, line)},
            },
        )

    @staticmethod
    def item(
        store: str, identifier: Identifier, value: str, object_key: str, line: int
    ) -> dict[str, dict[str, str]]:
        """The index entry as a DynamoDB item (for writers that batch their writes)."""
        return {
            "entry": {"S": _partition(store, identifier, value)},
            "position": {"S": _position(object_key, line)},
        }
