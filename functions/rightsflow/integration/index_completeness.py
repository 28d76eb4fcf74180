"""Whether a store's index is complete: one notion for every index the product keeps (the
identifier index over DynamoDB stores, the object index over S3 stores).

A store's index is complete once its onboarding backfill has finished with its change feed
already on (the table's stream; the bucket's event notifications for the store's prefix), and
as long as nothing since failed to be indexed. A failure that concerns the whole store clears
the mark; one that concerns one object (it cannot be read, or its indexing failed past its
retries) is noted against that object, and indexing it later clears the note. A lookup through
an index that is not complete raises IndexIncomplete, naming the store (and the object), so a
request parks rather than report "nothing found" where the index cannot know."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Final

from rightsflow.domain.clock import to_iso, utc_now
from rightsflow.domain.errors import IndexIncomplete, StoreUnavailable
from rightsflow.integration import aws

COMPLETE: Final = "complete"


def write_batches(table: str, writes: list[dict[str, Any]]) -> None:
    """Apply BatchWriteItem requests, 25 at a time, retrying what DynamoDB leaves over."""
    client = aws.dynamodb()
    for start in range(0, len(writes), 25):
        pending: dict[str, Any] = {table: writes[start : start + 25]}
        for attempt in range(6):
            if attempt:
                time.sleep(0.05 * 2**attempt)  # DynamoDB was short of capacity: back off
            try:
                answer = client.batch_write_item(RequestItems=pending)
            except Exception as error:
                raise aws.as_transient(error, f"writing {table}") from error
            pending = answer.get("UnprocessedItems") or {}
            if not pending:
                break
        if pending:
            raise StoreUnavailable(f"writing {table}: items left unprocessed")


@dataclass(frozen=True)
class IndexCompleteness:
    """The completeness marks of the stores one index table covers. `sort_key` is the table's
    range key attribute (`item` in IdentifierIndexTable, `position` in ObjectIndexTable)."""

    table: str
    sort_key: str
    what: str = "index"  # how messages name this index ("identifier index", "object index")

    def _mark(self, store: str) -> dict[str, dict[str, str]]:
        return {"entry": {"S": f"{store}#index"}, self.sort_key: {"S": COMPLETE}}

    def _unindexed(self, store: str, where: str) -> dict[str, dict[str, str]]:
        return {"entry": {"S": f"{store}#unindexed"}, self.sort_key: {"S": where}}

    # ------------------------------------------------------------------ reading
    def mark(self, store: str) -> dict[str, Any] | None:
        """The store's completeness mark (when, and what the backfill counted), or None."""
        try:
            answer = aws.dynamodb().get_item(
                TableName=self.table, Key=self._mark(store), ConsistentRead=True
            )
        except Exception as error:
            raise aws.as_transient(error, f"reading the {self.what}") from error
        item = answer.get("Item")
        if item is None:
            return None
        detail = json.loads(item.get("detail", {}).get("S", "{}"))
        return {"since": item.get("since", {}).get("S"), **detail}

    def unindexed(self, store: str, limit: int = 10) -> list[tuple[str, str]]:
        """Objects of the store that could not be indexed: (object key, why)."""
        try:
            answer = aws.dynamodb().query(
                TableName=self.table,
                KeyConditionExpression="entry = :e",
                ExpressionAttributeValues={":e": {"S": f"{store}#unindexed"}},
                ConsistentRead=True,
                Limit=limit,
            )
        except Exception as error:
            raise aws.as_transient(error, f"reading the {self.what}") from error
        return [
            (item[self.sort_key]["S"], item.get("reason", {}).get("S", "not indexed"))
            for item in answer.get("Items", [])
        ]

    def require_complete(self, store: str) -> None:
        """Raises IndexIncomplete (naming the store, and the object where one is the cause)
        unless the store's index is complete."""
        if self.mark(store) is None:
            raise IndexIncomplete(
                f"{store}: its {self.what} is not complete (onboarding backfill not run, or an "
                "indexing failure since): run the backfill (rightsflow ops index "
                f"{store}), then retry"
            )
        missing = self.unindexed(store, limit=1)
        if missing:
            where, why = missing[0]
            raise IndexIncomplete(
                f"{store}: its {self.what} is not complete: object {where} could not be "
                f"indexed ({why}); fix or remove the object (or run the backfill again), then "
                "retry"
            )

    # ------------------------------------------------------------------ writing
    def mark_complete(self, store: str, detail: dict[str, Any] | None = None) -> None:
        aws.dynamodb().put_item(
            TableName=self.table,
            Item={
                **self._mark(store),
                "since": {"S": to_iso(utc_now())},
                "detail": {"S": json.dumps(detail or {}, sort_keys=True)},
            },
        )

    def mark_incomplete(self, store: str) -> None:
        aws.dynamodb().delete_item(TableName=self.table, Key=self._mark(store))

    def note_unindexed(self, store: str, where: str, reason: str) -> None:
        """Object `where` could not be indexed: the store is not complete until it is."""
        aws.dynamodb().put_item(
            TableName=self.table,
            Item={
                **self._unindexed(store, where),
                "reason": {"S": reason[:500]},
                "at": {"S": to_iso(utc_now())},
            },
        )

    def clear_unindexed(self, store: str, where: str) -> None:
        aws.dynamodb().delete_item(TableName=self.table, Key=self._unindexed(store, where))
