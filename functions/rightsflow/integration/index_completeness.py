"""Whether a store's index is complete: one notion for every index the product keeps (the
identifier index over DynamoDB stores, the object index over S3 stores).

A store's index is complete once its onboarding backfill has finished with its change feed
already on (the table's stream; the bucket's event notifications for the store's prefix), and
as long as nothing since failed to be indexed. A failure that concerns the whole store clears
the mark; one that concerns one object (it cannot be read, or its indexing failed past its
retries) is noted against that object, and indexing it later clears the note. A lookup through
an index that is not complete raises IndexIncomplete, naming the store (and the object), so a
request parks rather than report "nothing found" where the index cannot know.

Beside the store's mark (`<store>#index` / `complete`) one item lists the objects not indexed
(`<store>#index` / `unindexed`, a string set), so that the check a request makes is one read of
two keys, never a query; each object's reason is an item of its own (`<store>#unindexed` /
object key), which ops list."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Final

from botocore.exceptions import ClientError

from rightsflow.domain.clock import to_iso, utc_now
from rightsflow.domain.errors import IndexIncomplete, StoreUnavailable
from rightsflow.integration import aws

COMPLETE: Final = "complete"
UNINDEXED: Final = "unindexed"
BACKFILL: Final = "backfill"  # the backfill started last and not yet completed (its execution)


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

    def _blocked(self, store: str) -> dict[str, dict[str, str]]:
        return {"entry": {"S": f"{store}#index"}, self.sort_key: {"S": UNINDEXED}}

    def _backfill(self, store: str) -> dict[str, dict[str, str]]:
        return {"entry": {"S": f"{store}#index"}, self.sort_key: {"S": BACKFILL}}

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
        return _detail(item) if item is not None else None

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
        unless the store's index is complete. One BatchGetItem of the mark and the list of
        objects not indexed."""
        found = self._read_both(store)
        if COMPLETE not in found and BACKFILL in found:
            execution = found[BACKFILL].get("execution", {}).get("S", "")
            started = found[BACKFILL].get("at", {}).get("S", "")
            raise IndexIncomplete(
                f"{store}: its {self.what} is not complete: backfill {execution} (started "
                f"{started}) has not completed it yet; retry the request once it has "
                f"(rightsflow ops index {store} --status shows it; if it failed, run it again)"
            )
        if COMPLETE not in found:
            raise IndexIncomplete(
                f"{store}: its {self.what} is not complete (onboarding backfill not run, or an "
                "indexing failure since): run the backfill (rightsflow ops index "
                f"{store}), then retry"
            )
        blocked = sorted(found.get(UNINDEXED, {}).get("objects", {}).get("SS", []))
        if blocked:
            where = blocked[0]
            why = self._reason(store, where)
            raise IndexIncomplete(
                f"{store}: its {self.what} is not complete: object {where} could not be "
                f"indexed ({why}); fix or remove the object (or run the backfill again), then "
                "retry"
            )

    def _read_both(self, store: str) -> dict[str, dict[str, Any]]:
        """The mark and the list of objects not indexed, by their sort key (absent: none)."""
        request: dict[str, Any] = {
            self.table: {
                "Keys": [self._mark(store), self._blocked(store), self._backfill(store)],
                "ConsistentRead": True,
            }
        }
        found: dict[str, dict[str, Any]] = {}
        client = aws.dynamodb()
        for attempt in range(6):
            if attempt:
                time.sleep(0.05 * 2**attempt)  # DynamoDB was short of capacity: back off
            try:
                answer = client.batch_get_item(RequestItems=request)
            except Exception as error:
                raise aws.as_transient(error, f"reading the {self.what}") from error
            for item in answer.get("Responses", {}).get(self.table, []):
                found[item[self.sort_key]["S"]] = item
            request = answer.get("UnprocessedKeys") or {}
            if not request:
                return found
        raise StoreUnavailable(f"reading the {self.what}: keys left unprocessed")

    def _reason(self, store: str, where: str) -> str:
        try:
            item = (
                aws.dynamodb()
                .get_item(TableName=self.table, Key=self._unindexed(store, where))
                .get("Item", {})
            )
        except Exception as error:
            raise aws.as_transient(error, f"reading the {self.what}") from error
        return str(item.get("reason", {}).get("S", "not indexed"))

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
        aws.dynamodb().delete_item(TableName=self.table, Key=self._backfill(store))

    def note_backfill(self, store: str, execution: str) -> None:
        """A backfill started (its execution ARN): until one completes the index, a request
        that finds the index not complete is told which backfill to wait for."""
        aws.dynamodb().put_item(
            TableName=self.table,
            Item={
                **self._backfill(store),
                "execution": {"S": execution},
                "at": {"S": to_iso(utc_now())},
            },
        )

    def mark_incomplete(self, store: str) -> None:
        aws.dynamodb().delete_item(TableName=self.table, Key=self._mark(store))

    def note_unindexed(self, store: str, where: str, reason: str) -> None:
        """Object `where` could not be indexed: the store is not complete until it is."""
        client = aws.dynamodb()
        client.put_item(
            TableName=self.table,
            Item={
                **self._unindexed(store, where),
                "reason": {"S": reason[:500]},
                "at": {"S": to_iso(utc_now())},
            },
        )
        client.update_item(
            TableName=self.table,
            Key=self._blocked(store),
            UpdateExpression="ADD objects :where",
            ExpressionAttributeValues={":where": {"SS": [where]}},
        )

    def clear_unindexed(self, store: str, where: str) -> None:
        """Object `where` is indexed now: take it off the list, if it was on it (a conditional
        write that changes nothing, for the objects that never were)."""
        client = aws.dynamodb()
        try:
            client.update_item(
                TableName=self.table,
                Key=self._blocked(store),
                UpdateExpression="DELETE objects :where",
                ConditionExpression="contains(objects, :one)",
                ExpressionAttributeValues={":where": {"SS": [where]}, ":one": {"S": where}},
            )
        except ClientError as error:
            if aws.error_code(error) == "ConditionalCheckFailedException":
                return
            raise aws.as_transient(error, f"writing the {self.what}") from error
        client.delete_item(TableName=self.table, Key=self._unindexed(store, where))


def _detail(item: dict[str, Any]) -> dict[str, Any]:
    detail = json.loads(item.get("detail", {}).get("S", "{}"))
    return {"since": item.get("since", {}).get("S"), **detail}
