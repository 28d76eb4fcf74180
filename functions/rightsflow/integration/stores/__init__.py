"""Connectors: one per kind of data store, each finding a person's records and changing them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from rightsflow.domain.data_map import DataMap, Store, StoreKind
from rightsflow.domain.errors import StoreNotConfigured
from rightsflow.domain.fulfilment import Action, Found
from rightsflow.domain.identity import Identity
from rightsflow.integration.identifier_index import IdentifierIndex
from rightsflow.integration.stores.dynamodb_store import DynamoDBStore
from rightsflow.integration.stores.external_store import ExternalStore
from rightsflow.integration.stores.s3_store import S3Store

Applied = Callable[[Sequence[Action]], None]
Erasable = Callable[[dict[str, Any]], bool]


class StoreConnector(Protocol):
    def find(self, identity: Identity) -> list[Found]:
        """Every record of the person, found only through keys and indexes (never a scan)."""
        ...

    def recheck(self, identity: Identity, places: Sequence[str]) -> list[Found]:
        """After a change, every record of the person, read from what the store holds: through
        the lookups as `find` does, and (S3) in `places` too, the objects noted before the
        change, read through, since the change itself updated the index."""
        ...

    def apply(self, actions: Sequence[Action], applied: Applied) -> None:
        """Carry out the actions, calling `applied` with each group as soon as one write has
        made it durable (one item; or every record of one S3 object, rewritten once). Doing
        an action again changes nothing more."""
        ...

    def copies(self, identity: Identity) -> list[str]:
        """Where earlier copies of the person's records may be kept beside the current ones
        (S3: the objects whose older versions may hold them); empty where the store keeps
        none of its own (DynamoDB backups age out on their own schedule)."""
        ...

    def erase_copies(self, where: str, identity: Identity, erasable: Erasable) -> int:
        """Delete the earlier copies at `where` that hold a record of the person which erasure
        reaches; returns how many went. Doing it again deletes nothing more."""
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
        index = data_map.identifier_index
        return DynamoDBStore(
            store_name,
            store,
            physical_names[store.resource],
            index=IdentifierIndex(physical_names[index]) if index and store.as_written() else None,
            account_form=data_map.identifiers.account_number,
        )
    if store.kind is StoreKind.EXTERNAL:
        return ExternalStore(store, physical_names[store.resource], signing_secret)
    if data_map.object_index is None:  # pragma: no cover - the data map checks this
        raise ValueError("S3 stores need an object index")
    return S3Store(
        store_name, store, physical_names[store.resource], physical_names[data_map.object_index]
    )
