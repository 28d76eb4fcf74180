"""Connectors: one per kind of data store, each finding a person's records and changing them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

from rightsflow.domain.data_map import DataMap, Store, StoreKind
from rightsflow.domain.errors import StoreNotConfigured
from rightsflow.domain.fulfilment import Action, Found
from rightsflow.domain.identity import Identity
from rightsflow.integration.stores.dynamodb_store import DynamoDBStore
from rightsflow.integration.stores.external_store import ExternalStore
from rightsflow.integration.stores.s3_store import S3Store


class StoreConnector(Protocol):
    def find(self, identity: Identity) -> list[Found]:
        """Every record of the person, found only through keys and indexes (never a scan)."""
        ...

    def apply(self, action: Action) -> None:
        """Carry out one action on one record; doing it again changes nothing more."""
        ...


@runtime_checkable
class TransactionalStore(Protocol):
    """A store that carries out a request's changes as one transaction (SQL): all or none."""

    def apply_all(self, actions: Sequence[Action]) -> None:
        """Carry out every action, or (raising) none of them."""
        ...


class SqlReach(Protocol):
    """How this function reaches SQL stores: directly (the SQL stores function, in the VPC) or
    by invoking that function (every other function)."""

    def connector(self, store_name: str) -> StoreConnector:
        """The connector of one SQL store of the data map."""
        ...


def connector_for(
    data_map: DataMap,
    store_name: str,
    physical_names: Mapping[str, str],
    signing_secret: str,
    sql: SqlReach | None = None,
) -> StoreConnector:
    store: Store = data_map.stores[store_name]
    if store.kind is StoreKind.SQL:
        if sql is None:
            raise StoreNotConfigured(
                f"{store_name} is a SQL store and this deployment has no SQL stores function "
                f"(template parameter {store.resource} is empty)"
            )
        return sql.connector(store_name)
    if store.kind is StoreKind.DYNAMODB:
        return DynamoDBStore(store, physical_names[store.resource])
    if store.kind is StoreKind.EXTERNAL:
        return ExternalStore(store, physical_names[store.resource], signing_secret)
    if data_map.object_index is None:  # pragma: no cover - the data map checks this
        raise ValueError("S3 stores need an object index")
    return S3Store(
        store_name, store, physical_names[store.resource], physical_names[data_map.object_index]
    )
