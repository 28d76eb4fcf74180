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
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from botocore.exceptions import ClientError

from rightsflow.domain.clock import to_iso, utc_now
from rightsflow.domain.errors import IndexIncomplete, StoreUnavailable
from rightsflow.integration import aws

COMPLETE: Final = "complete"
UNINDEXED: Final = "unindexed"
FAILED: Final = "failed"  # a mark's state: the object could not be indexed (its reason says why)
IN_PROGRESS: Final = "in_progress"  # an indexer is reading it (or was stopped while it did)
# ObjectIndexFunction's Timeout in template.yaml (Lambda's maximum): an indexing still "in
# progress" after this long was stopped and will never finish.
INDEXER_LONGEST_RUN_SECONDS: Final = 900
BACKFILL: Final = "backfill"  # the backfill started last and not yet completed (its execution)
INCOMPLETE: Final = "incomplete"  # when the whole store's index stopped being complete (rebuild)


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

    def _incomplete(self, store: str) -> dict[str, dict[str, str]]:
        return {"entry": {"S": f"{store}#index"}, self.sort_key: {"S": INCOMPLETE}}

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
        """Objects of the store not indexed: (object key, why), an indexing stopped midway
        (in progress for longer than the indexer can run) said so."""
        return [(mark.where, mark.why()) for mark in self.marks(store, limit)]

    def marks(self, store: str, limit: int | None = 10) -> list[Mark]:
        """The marks of the store's objects not indexed, up to `limit` (None: all)."""
        arguments: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "entry = :e",
            "ExpressionAttributeValues": {":e": {"S": f"{store}#unindexed"}},
            "ConsistentRead": True,
        }
        found: list[Mark] = []
        try:
            for page in aws.dynamodb().get_paginator("query").paginate(**arguments):
                for item in page.get("Items", []):
                    found.append(_mark(item, self.sort_key))
                    if limit is not None and len(found) >= limit:
                        return found
        except Exception as error:
            raise aws.as_transient(error, f"reading the {self.what}") from error
        return found

    def require_complete(self, store: str) -> None:
        """Raises IndexIncomplete (naming the store, and the object where one is the cause)
        unless the store's index is complete; StoreUnavailable (transient) while an object is
        being indexed. One BatchGetItem of the mark and the list of
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
            mark = self.mark_of(store, where)
            if mark is not None and mark.state == IN_PROGRESS and not mark.stale():
                # Transient (the state machine retries): an indexer is at work on it now, as
                # after every write, the product's own rewrites included.
                raise StoreUnavailable(
                    f"{store}: its {self.what} is not complete: object {where} is being "
                    f"indexed ({mark.why()}); retried"
                )
            why = mark.why() if mark is not None else "not indexed"
            raise IndexIncomplete(
                f"{store}: its {self.what} is not complete: object {where} could not be "
                f"indexed ({why}); fix or remove the object (or run the backfill again), then "
                "retry"
            )

    def _read_both(self, store: str, with_incomplete: bool = False) -> dict[str, dict[str, Any]]:
        """The mark and the list of objects not indexed, by their sort key (absent: none)."""
        keys = [self._mark(store), self._blocked(store), self._backfill(store)]
        if with_incomplete:
            keys.append(self._incomplete(store))
        request: dict[str, Any] = {self.table: {"Keys": keys, "ConsistentRead": True}}
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
        aws.dynamodb().delete_item(TableName=self.table, Key=self._incomplete(store))

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
        """The whole store's index is not complete from now (a rebuild started)."""
        aws.dynamodb().put_item(
            TableName=self.table,
            Item={**self._incomplete(store), "since": {"S": to_iso(utc_now())}},
        )
        aws.dynamodb().delete_item(TableName=self.table, Key=self._mark(store))

    def state(self, store: str) -> IndexState:
        """Whether the store's index is complete now, and since when; if not, why (the
        backfill that has not completed it, or the objects not indexed: how many, and the
        time the first of them was noted). For ops (`ops index STORE --status`)."""
        found = self._read_both(store, with_incomplete=True)
        blocked = found.get(UNINDEXED, {})
        objects = len(blocked.get("objects", {}).get("SS", []))
        if COMPLETE in found and not objects:
            return IndexState(True, since=found[COMPLETE].get("since", {}).get("S"))
        if COMPLETE in found:
            return IndexState(
                False,
                since=blocked.get("since", {}).get("S"),
                reason=f"{objects} object{'s' if objects != 1 else ''} not indexed",
            )
        since = found.get(INCOMPLETE, {}).get("since", {}).get("S")
        backfill = found.get(BACKFILL, {})
        if backfill:
            execution = backfill.get("execution", {}).get("S", "")
            reason = f"backfill {execution} (started {backfill.get('at', {}).get('S', '')}) "
            reason += "has not completed it"
        else:
            reason = "no backfill has completed it"
        if objects:
            reason += f"; {objects} object{'s' if objects != 1 else ''} not indexed"
        return IndexState(False, since=since, reason=reason)

    def note_unindexed(
        self,
        store: str,
        where: str,
        reason: str,
        version: str = "",
        *,
        state: str = FAILED,
        replacing: str | None = None,
    ) -> str | None:
        """Object `where` (its version `version`, where known) could not be indexed, or is being
        indexed (`state` IN_PROGRESS): the store is not complete until that version or a newer
        one is. The mark and the list of marked objects change in one transaction, replacing
        the object's earlier mark; with `replacing` (a token), only if the mark is still that
        one (else a newer mark stays, and None is returned). Returns the mark's token."""
        token = uuid.uuid4().hex
        condition: dict[str, Any] = (
            {
                "ConditionExpression": "#token = :token",
                "ExpressionAttributeNames": {"#token": "token"},
                "ExpressionAttributeValues": {":token": {"S": replacing}},
            }
            if replacing is not None
            else {}
        )
        try:
            items: list[dict[str, Any]] = [
                {
                    "Put": {
                        "TableName": self.table,
                        "Item": {
                            **self._unindexed(store, where),
                            "reason": {"S": reason[:500]},
                            "at": {"S": to_iso(utc_now())},
                            "version": {"S": version},
                            "state": {"S": state},
                            "token": {"S": token},
                        },
                        **condition,
                    }
                },
                {
                    "Update": {
                        "TableName": self.table,
                        "Key": self._blocked(store),
                        "UpdateExpression": "ADD objects :where SET since = if_not_exists(since, :now)",
                        "ExpressionAttributeValues": {
                            ":where": {"SS": [where]},
                            ":now": {"S": to_iso(utc_now())},
                        },
                    }
                },
            ]
            aws.dynamodb().transact_write_items(TransactItems=items)  # type: ignore[arg-type]
        except ClientError as error:
            if _condition_failed(error):
                return None
            raise aws.as_transient(error, f"writing the {self.what}") from error
        except Exception as error:
            raise aws.as_transient(error, f"writing the {self.what}") from error
        return token

    def note_in_progress(self, store: str, where: str, version: str) -> str:
        """An indexer starts reading version `version` of object `where`: until it finishes,
        the store is not complete (an indexer stopped by Lambda, at its timeout or out of
        memory, leaves this mark behind, and the mark then says so). Returns its token."""
        token = self.note_unindexed(
            store,
            where,
            f"indexing started (version {version or 'null'})",
            version,
            state=IN_PROGRESS,
        )
        assert token is not None  # written unconditionally
        return token

    def mark_of(self, store: str, where: str) -> Mark | None:
        """Object `where`'s mark, or None when it has none."""
        try:
            item = (
                aws.dynamodb()
                .get_item(
                    TableName=self.table, Key=self._unindexed(store, where), ConsistentRead=True
                )
                .get("Item")
            )
        except Exception as error:
            raise aws.as_transient(error, f"reading the {self.what}") from error
        return _mark(item, self.sort_key) if item is not None else None

    def clear_unindexed(self, store: str, where: str, token: str | None = None) -> bool:
        """Object `where` is indexed now: take its mark off, if it has one. With `token`, only
        that mark: one written since (a newer version's failure) stays. The mark and the list
        go in one transaction. Returns whether a mark was taken off."""
        condition: dict[str, Any] = (
            {
                "ConditionExpression": "#token = :token",
                "ExpressionAttributeNames": {"#token": "token"},
                "ExpressionAttributeValues": {":token": {"S": token}},
            }
            if token is not None
            else {"ConditionExpression": "attribute_exists(reason)"}
        )
        try:
            items: list[dict[str, Any]] = [
                {
                    "Delete": {
                        "TableName": self.table,
                        "Key": self._unindexed(store, where),
                        **condition,
                    }
                },
                {
                    "Update": {
                        "TableName": self.table,
                        "Key": self._blocked(store),
                        "UpdateExpression": "DELETE objects :where",
                        "ExpressionAttributeValues": {":where": {"SS": [where]}},
                    }
                },
            ]
            aws.dynamodb().transact_write_items(TransactItems=items)  # type: ignore[arg-type]
        except ClientError as error:
            if _condition_failed(error):
                return False
            raise aws.as_transient(error, f"writing the {self.what}") from error
        except Exception as error:
            raise aws.as_transient(error, f"writing the {self.what}") from error
        self._forget_since_if_none_left(store)
        return True

    def _forget_since_if_none_left(self, store: str) -> None:
        """The list of objects not indexed is empty again: its `since` goes with it, so the
        next object noted starts a new stretch of incompleteness (kept if one was noted
        meanwhile), and a store complete before is complete again from now."""
        client = aws.dynamodb()
        try:
            client.update_item(
                TableName=self.table,
                Key=self._blocked(store),
                UpdateExpression="REMOVE since",
                ConditionExpression="attribute_exists(since) AND attribute_not_exists(objects)",
            )
            # Complete again from now (if a backfill completed it before): "complete since"
            # never spans a time it was not.
            client.update_item(
                TableName=self.table,
                Key=self._mark(store),
                UpdateExpression="SET since = :now",
                ConditionExpression="attribute_exists(since)",
                ExpressionAttributeValues={":now": {"S": to_iso(utc_now())}},
            )
        except ClientError as error:
            if aws.error_code(error) != "ConditionalCheckFailedException":
                raise aws.as_transient(error, f"writing the {self.what}") from error


@dataclass(frozen=True)
class IndexState:
    """A store's index as ops see it now: complete (since when), or not (since when, where
    known, and why)."""

    complete: bool
    since: str | None = None  # ISO time it became complete, or incomplete
    reason: str | None = None  # why it is not complete


@dataclass(frozen=True)
class Mark:
    """Why one object is not indexed: `state` FAILED (`reason` says why) or IN_PROGRESS (an
    indexer started on `version` at `at` and has not finished); `token` names this very mark."""

    where: str
    reason: str
    at: str
    version: str
    state: str
    token: str

    def stale(self, now: datetime | None = None) -> bool:
        """An IN_PROGRESS mark older than the indexer's longest possible run: its indexer was
        stopped (Lambda's timeout, out of memory) and will never finish."""
        if self.state != IN_PROGRESS or not self.at:
            return False
        started = datetime.fromisoformat(self.at.replace("Z", "+00:00"))
        return ((now or utc_now()) - started).total_seconds() > INDEXER_LONGEST_RUN_SECONDS

    def why(self) -> str:
        """The mark's reason as ops and parked requests read it."""
        if self.state != IN_PROGRESS:
            return self.reason
        if self.stale():
            return (
                f"{self.reason} at {self.at} and never finished: the indexer was stopped "
                "(Lambda timeout or out of memory?); run the backfill to index it again"
            )
        return f"{self.reason} at {self.at}, still being indexed"


def _condition_failed(error: ClientError) -> bool:
    """A transaction cancelled because its first item's condition failed."""
    if aws.error_code(error) != "TransactionCanceledException":
        return False
    reasons = error.response.get("CancellationReasons", [])
    return bool(reasons) and reasons[0].get("Code") == "ConditionalCheckFailed"


def _mark(item: dict[str, Any], sort_key: str) -> Mark:
    def text(name: str, default: str = "") -> str:
        return str(item.get(name, {}).get("S", default))

    return Mark(
        where=text(sort_key),
        reason=text("reason", "not indexed"),
        at=text("at"),
        version=text("version"),
        state=text("state", FAILED),
        token=text("token"),
    )


def _detail(item: dict[str, Any]) -> dict[str, Any]:
    detail = json.loads(item.get("detail", {}).get("S", "{}"))
    return {"since": item.get("since", {}).get("S"), **detail}
