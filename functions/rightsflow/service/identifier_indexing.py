"""Keeping our canonical identifier index over the DynamoDB stores that keep identifiers as
written: every change to such a table arrives on its stream and moves the item's index entries;
a one-off backfill at onboarding indexes what the table held before (the only Scan, never on a
request's path), then declares the store's index complete."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rightsflow.domain.canonical import Identifier, canonical_or_none
from rightsflow.domain.data_map import DataMap, Store
from rightsflow.integration import aws
from rightsflow.integration.identifier_index import IdentifierIndex
from rightsflow.integration.stores.values import from_item

# A backfill stops to hand over (returning where it got to) when less time than this is left.
HAND_OVER_MILLIS = 20_000


class IndexingFailed(Exception):
    """A change record could not be indexed; its store's index is marked incomplete."""

    def __init__(self, store: str) -> None:
        super().__init__(f"{store}: a change could not be indexed; its index is now incomplete")
        self.store = store


@dataclass
class StreamResult:
    indexed: int = 0
    unknown_tables: set[str] = field(default_factory=set)


@dataclass
class IdentifierIndexing:
    data_map: DataMap
    physical_names: Mapping[str, str]
    index: IdentifierIndex

    def _store_of_table(self, table: str) -> str | None:
        for name, store in self.data_map.indexed_stores().items():
            if self.physical_names.get(store.resource) == table:
                return name
        return None

    def canonical_values(self, store: Store, image: dict[str, Any]) -> set[tuple[Identifier, str]]:
        """The canonical value of each as_written lookup an item (typed, as DynamoDB gives it)
        holds; values that name no one are left out."""
        data = from_item(image) if image else {}
        values: set[tuple[Identifier, str]] = set()
        for identifier, lookup in store.as_written().items():
            value = canonical_or_none(
                identifier,
                data.get(lookup.attribute),
                region=lookup.region,
                account_form=self.data_map.identifiers.account_number,
            )
            if value:
                values.add((identifier, value))
        return values

    # ------------------------------------------------------------------ the streams
    def handle_stream(self, records: Iterable[dict[str, Any]]) -> StreamResult:
        """Move index entries for every change record.

        A record that cannot be indexed marks its store's index incomplete before the error
        goes back to the event source mapping (which retries, then keeps it in the dead-letter
        queue), wrapped in IndexingFailed naming the store: from then on requests park on that
        store until the backfill runs again, rather than miss the item."""
        result = StreamResult()
        for record in records:
            table = str(record.get("eventSourceARN", "")).split(":table/")[-1].split("/")[0]
            name = self._store_of_table(table)
            if name is None:
                result.unknown_tables.add(table)
                continue
            store = self.data_map.stores[name]
            change = record.get("dynamodb", {})
            try:
                self.index.update(
                    name,
                    change["Keys"],
                    self.canonical_values(store, change.get("OldImage", {})),
                    self.canonical_values(store, change.get("NewImage", {})),
                )
            except Exception as error:
                self.index.mark_incomplete(name)
                raise IndexingFailed(name) from error
            result.indexed += 1
        return result

    # ------------------------------------------------------------------ onboarding
    def backfill(
        self,
        stores: list[str],
        cursor: dict[str, Any] | None,
        millis_left: Callable[[], int],
        *,
        rebuild: bool = False,
        clearing: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Index the items the stores already hold, store by store, then mark each complete.
        The table's stream must already be on (it is, from the template), so nothing written
        meanwhile is missed. Hands over with `next` (call again with it) when time runs short.

        With `rebuild` (after the canonical form of an identifier changed, so that entries
        filed under the old form go): each store's index is first marked incomplete and
        emptied, then filled again; requests reaching the store meanwhile park
        (IndexIncomplete) and ops retry them after."""
        indexed = 0
        for position, name in enumerate(stores):
            store = self.data_map.indexed_stores()[name]
            start = cursor if position == 0 else None
            if rebuild and start is None:
                self.index.mark_incomplete(name)
                clear_from = clearing if position == 0 else None
                while True:
                    _, clear_from = self.index.clear_page(name, clear_from)
                    if clear_from is None:
                        break
                    if millis_left() < HAND_OVER_MILLIS:
                        return {
                            "complete": False,
                            "indexed": indexed,
                            "next": {
                                "backfill": stores[position:],
                                "rebuild": True,
                                "clearing": clear_from,
                            },
                        }
            while True:
                page, start = self._scan_page(store, start)
                writes = []
                for item in page:
                    key = {attribute: item[attribute] for attribute in store.key}
                    writes += self.index.changes(
                        name, key, set(), self.canonical_values(store, item)
                    )
                    indexed += 1
                self.index.write(writes)
                if start is None:
                    break
                if millis_left() < HAND_OVER_MILLIS:
                    return {
                        "complete": False,
                        "indexed": indexed,
                        "next": {
                            "backfill": stores[position:],
                            "cursor": start,
                            **({"rebuild": True} if rebuild else {}),
                        },
                    }
            self.index.mark_complete(name)
        return {"complete": True, "indexed": indexed, "next": None, "stores": stores}

    def _scan_page(
        self, store: Store, start: dict[str, Any] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        attributes = sorted(
            {*store.key, *(lookup.attribute for lookup in store.as_written().values())}
        )
        arguments: dict[str, Any] = {
            "TableName": self.physical_names[store.resource],
            "ProjectionExpression": ", ".join(f"#a{i}" for i in range(len(attributes))),
            "ExpressionAttributeNames": {f"#a{i}": name for i, name in enumerate(attributes)},
            "ConsistentRead": True,
        }
        if start:
            arguments["ExclusiveStartKey"] = start
        try:
            answer = aws.dynamodb().scan(**arguments)
        except Exception as error:
            raise aws.as_transient(error, "scanning a store to backfill its index") from error
        return answer.get("Items", []), answer.get("LastEvaluatedKey")
