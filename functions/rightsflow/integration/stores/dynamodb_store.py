"""A DynamoDB store: a person's items are found by key or GSI query (canonical values) or through
our identifier index (values kept as written), and changed item by item."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from botocore.exceptions import ClientError

from rightsflow.domain.canonical import (
    DEFAULT_ACCOUNT_FORM,
    AccountNumberForm,
    Identifier,
    canonical_or_none,
)
from rightsflow.domain.data_map import Lookup, Store, Stored
from rightsflow.domain.errors import IndexIncomplete
from rightsflow.domain.fulfilment import Action, ActionKind, Found
from rightsflow.domain.identity import Identity
from rightsflow.integration import aws
from rightsflow.integration.identifier_index import IdentifierIndex, batch_get
from rightsflow.integration.stores.values import from_item, to_attribute


class DynamoDBStore:
    def __init__(
        self,
        name: str,
        store: Store,
        table: str,
        *,
        index: IdentifierIndex | None = None,
        account_form: AccountNumberForm = DEFAULT_ACCOUNT_FORM,
    ) -> None:
        self.name = name
        self.store = store
        self.table = table
        self.index = index
        self.account_form = account_form

    def find(self, identity: Identity) -> list[Found]:
        """The person's items, by every lookup the identity has values for: a canonical lookup
        queries the key or GSI with the canonical value; an as_written one goes through our
        identifier index (complete, or IndexIncomplete) and keeps only items whose value still
        reads as the person's (an index entry may trail the table by a moment)."""
        found: dict[str, Found] = {}
        for identifier, lookup in self.store.lookup.items():
            values = sorted(identity.values(identifier))
            if not values:
                continue
            if lookup.stored is Stored.AS_WRITTEN:
                items = self._through_index(identifier, lookup, values)
            else:
                items = self._query(lookup, values)
            for data in items:
                key = {name: data[name] for name in self.store.key}
                found[json.dumps(key, sort_keys=True)] = Found(key=key, data=data)
        return list(found.values())

    def _query(self, lookup: Lookup, values: list[str]) -> Iterator[dict[str, Any]]:
        for value in values:
            arguments: dict[str, Any] = {
                "TableName": self.table,
                "KeyConditionExpression": "#a = :v",
                "ExpressionAttributeNames": {"#a": lookup.attribute},
                "ExpressionAttributeValues": {":v": {"S": value}},
            }
            if lookup.index:
                arguments["IndexName"] = lookup.index
            try:
                pages = aws.dynamodb().get_paginator("query").paginate(**arguments)
                for page in pages:
                    for item in page.get("Items", []):
                        yield from_item(item)
            except Exception as error:
                raise aws.as_transient(error, f"querying {self.table}") from error

    def _through_index(
        self, identifier: Identifier, lookup: Lookup, values: list[str]
    ) -> Iterator[dict[str, Any]]:
        if self.index is None:  # pragma: no cover - connector_for gives every store the index
            raise IndexIncomplete(f"{self.name}: no identifier index configured")
        self.index.require_complete(self.name)
        for value in values:
            keys = self.index.keys(self.name, identifier, value)
            for item in batch_get(self.table, keys):
                data = from_item(item)
                held = canonical_or_none(
                    identifier,
                    data.get(lookup.attribute),
                    region=lookup.region,
                    account_form=self.account_form,
                )
                if held == value:
                    yield data

    def apply(self, actions: Sequence[Action], applied: Callable[[Sequence[Action]], None]) -> None:
        for action in actions:
            self._apply(action)
            applied([action])

    def recheck(self, identity: Identity, places: Sequence[str]) -> list[Found]:
        return self.find(identity)  # read from the store itself: no places of its own

    def copies(self, identity: Identity) -> list[str]:
        return []  # point-in-time recovery keeps the table's backups, on its own schedule

    def erase_copies(
        self, where: str, identity: Identity, erasable: Callable[[dict[str, Any]], bool]
    ) -> int:
        return 0

    def _apply(self, action: Action) -> None:
        key = {name: to_attribute(value) for name, value in action.key.items()}
        try:
            if action.kind is ActionKind.DELETE:
                aws.dynamodb().delete_item(TableName=self.table, Key=key)
            elif action.kind is ActionKind.ANONYMISE:
                self._update(key, "REMOVE", dict.fromkeys(action.blank))
            elif action.kind is ActionKind.UPDATE:
                self._update(key, "SET", action.set)
        except ClientError as error:
            if aws.error_code(error) == "ConditionalCheckFailedException":
                return  # the item is gone: nothing left to change
            raise aws.as_transient(error, f"changing an item of {self.table}") from error
        except Exception as error:
            raise aws.as_transient(error, f"changing an item of {self.table}") from error

    def _update(self, key: dict[str, Any], verb: str, values: dict[str, Any]) -> None:
        """SET or REMOVE fields of an existing item; never creates one that was deleted."""
        names = {f"#f{i}": field for i, field in enumerate(values)}
        names["#key"] = self.store.key[0]
        arguments: dict[str, Any] = {
            "TableName": self.table,
            "Key": key,
            "ConditionExpression": "attribute_exists(#key)",
            "ExpressionAttributeNames": names,
        }
        if verb == "SET":
            arguments["UpdateExpression"] = "SET " + ", ".join(
                f"#f{i} = :v{i}" for i in range(len(values))
            )
            arguments["ExpressionAttributeValues"] = {
                f":v{i}": to_attribute(value) for i, value in enumerate(values.values())
            }
        else:
            arguments["UpdateExpression"] = "REMOVE " + ", ".join(
                f"#f{i}" for i in range(len(values))
            )
        aws.dynamodb().update_item(**arguments)
