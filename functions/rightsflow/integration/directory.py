"""Finding what the data stores hold about a person, by the lookups the data map declares.
Every lookup is a key or index query: never a Scan, whatever the size of the store."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from boto3.dynamodb.types import TypeDeserializer

from rightsflow.domain.data_map import DataMap, Identifier, Store, StoreKind
from rightsflow.domain.verification import OnFile, normalise_account_number, normalise_phone
from rightsflow.integration import aws

_deserializer = TypeDeserializer()


class Directory:
    def __init__(self, data_map: DataMap, physical_names: Mapping[str, str]) -> None:
        self.data_map = data_map
        self.physical_names = physical_names

    def _table(self, store: Store) -> str:
        return self.physical_names[store.resource]

    def items(self, store: Store, identifier: Identifier, value: str) -> Iterator[dict[str, Any]]:
        """Items of a DynamoDB store whose `identifier` equals `value`."""
        lookup = store.lookup[identifier]
        arguments: dict[str, Any] = {
            "TableName": self._table(store),
            "KeyConditionExpression": "#attribute = :value",
            "ExpressionAttributeNames": {"#attribute": lookup.attribute},
            "ExpressionAttributeValues": {":value": {"S": value}},
        }
        if lookup.index:
            arguments["IndexName"] = lookup.index
        try:
            for page in aws.dynamodb().get_paginator("query").paginate(**arguments):
                for item in page.get("Items", []):
                    yield {key: _deserializer.deserialize(v) for key, v in item.items()}
        except Exception as error:
            raise aws.as_transient(error, f"looking up store {store.description}") from error

    def second_identifiers_on_file(self, email: str) -> OnFile:
        phones: set[str] = set()
        accounts: set[str] = set()
        for store in self.data_map.stores.values():
            if store.kind is not StoreKind.DYNAMODB or not store.second_identifiers:
                continue
            for item in self.items(store, Identifier.EMAIL, email.strip().lower()):
                phone_attribute = store.second_identifiers.get(Identifier.PHONE)
                account_attribute = store.second_identifiers.get(Identifier.ACCOUNT_NUMBER)
                if phone_attribute and item.get(phone_attribute):
                    phones.add(normalise_phone(str(item[phone_attribute])))
                if account_attribute and item.get(account_attribute):
                    accounts.add(normalise_account_number(str(item[account_attribute])))
        return OnFile(frozenset(phones), frozenset(accounts))
