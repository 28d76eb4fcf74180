"""The object index: for S3 stores, which records of which objects name a person, filed under a
hash of the identifier's canonical form (rightsflow.domain.canonical), however the object
spells it. Kept by the object indexer (rightsflow.service.object_indexing) from the buckets'
own event notifications; fulfilment reads it.

One DynamoDB table (ObjectIndexTable: `entry`, `position`) holds, per store:

- forward entries, read by fulfilment: `<store>#<identifier>#<hash>` -> `<digest>#<ordinal>`,
  the object key in attribute `object_key` (`<digest>` is the SHA-256 of the key: an S3 key
  may be 1,024 bytes, as long as a DynamoDB sort key may be, so no key attribute holds it);
- per object, its entries the other way round (`<store>#object#<digest>` -> `<ordinal>#
  <identifier>#<hash>`), so a new version of the object changes only the entries that differ,
  in order, without holding the object's entries in memory; and the object's state (`~state`:
  the version indexed, the last event's sequencer, a lease so that one indexer at a time works
  on one object);
- the entries of noncurrent versions: an entry the current version no longer holds (the
  object was overwritten without the record, or deleted behind a delete marker) stays, tagged
  with the version that held it (forward `<digest>@<version>#<ordinal>`, attribute `version`;
  reverse `~v#<version>#<slot>`), until that version itself is deleted: erasure finds the
  object through them and deletes its versions holding the person. The backfill files every
  entry of each noncurrent version it finds (versions older than the notifications) the same
  way, noting the version read (`~vread#<version>`);
- the store's completeness (rightsflow.integration.index_completeness)."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final

from botocore.exceptions import ClientError

from rightsflow.domain.canonical import (
    DEFAULT_ACCOUNT_FORM,
    AccountNumberForm,
    Identifier,
    canonical_or_none,
    held_identifiers,
    identifier_hash,
)
from rightsflow.domain.errors import StoreUnavailable
from rightsflow.integration import aws
from rightsflow.integration.index_completeness import IndexCompleteness, write_batches

STATE: Final = "~state"  # sorts after every `<ordinal>#...` position of the object's partition
VERSIONS: Final = "~v#"  # noncurrent versions' entries: after `~state`, out of every slot range
VERSION_READ: Final = "~vread#"  # a noncurrent version the backfill read (never begins `~v#`)
LEASE_SECONDS: Final = 120
LEASE_WAIT_SECONDS: Final = 60.0


class ObjectBusy(StoreUnavailable):
    """Another indexer holds the object's lease for longer than this one waits (transient: the
    event is delivered again)."""


class LeaseLost(StoreUnavailable):
    """This indexer's lease on an object ran out while it worked (transient)."""


def index_entry(
    store: str,
    identifier: Identifier,
    value: object,
    *,
    region: str | None = None,
    account_form: AccountNumberForm = DEFAULT_ACCOUNT_FORM,
) -> str | None:
    """The index partition for a value as a record holds it: its canonical form's hash. None
    when the value names no one (empty or unreadable): such a value is not indexed."""
    found = canonical_or_none(identifier, value, region=region, account_form=account_form)
    return f"{store}#{identifier}#{identifier_hash(found)}" if found else None


def index_entries(
    store: str,
    identifier: Identifier,
    value: object,
    *,
    region: str | None = None,
    account_form: AccountNumberForm = DEFAULT_ACCOUNT_FORM,
) -> list[str]:
    """The index partitions for a value as a record holds it: one per identifier the value
    holds (rightsflow.domain.canonical.held_identifiers: a field listing several addresses,
    `"ada@example.com; bob@example.com"`, files the record under each of them, whole). An
    account number is one value, in the data map's account form. [] when it names no one."""
    if identifier is Identifier.ACCOUNT_NUMBER:
        one = index_entry(store, identifier, value, region=region, account_form=account_form)
        return [] if one is None else [one]
    return [
        f"{store}#{identifier}#{identifier_hash(held)}"
        for held in held_identifiers(identifier, value, region=region)
    ]


def key_digest(object_key: str) -> str:
    """A fixed-size stand-in for an object key in the table's key attributes (64 hex digits):
    S3 keys run to 1,024 bytes, DynamoDB sort keys too, so `<key>#<ordinal>` would not fit."""
    return hashlib.sha256(object_key.encode("utf-8", "surrogatepass")).hexdigest()


def _position(object_key: str, line: int, version: str | None = None) -> str:
    tag = f"@{version}" if version is not None else ""
    return f"{key_digest(object_key)}{tag}#{line:09d}"


def object_partition(store: str, object_key: str) -> str:
    return f"{store}#object#{key_digest(object_key)}"


@dataclass(frozen=True, order=True)
class Entry:
    """One forward entry of one record: `slot` orders an object's entries (ordinal first)."""

    slot: str  # "<ordinal:09d>#<identifier>#<hash>"
    forward: str  # the forward partition: "<store>#<identifier>#<hash>"
    ordinal: int


def entry_for(forward: str, ordinal: int) -> Entry:
    _, identifier, hashed = forward.rsplit("#", 2)
    return Entry(f"{ordinal:09d}#{identifier}#{hashed}", forward, ordinal)


@dataclass
class EntryChanges:
    added: int = 0
    removed: int = 0
    kept: int = 0


class ObjectIndex:
    def __init__(self, table: str) -> None:
        self.table = table
        self.completeness = IndexCompleteness(table, "position", "object index")

    # ------------------------------------------------------------------ fulfilment reads
    def require_complete(self, store: str) -> None:
        self.completeness.require_complete(store)

    def entries(self, store: str, identifier: Identifier, value: str) -> Iterator[tuple[str, int]]:
        """The (object key, record ordinal) of every record holding `value` (canonical, or
        canonicalised here without a region)."""
        entry = index_entry(store, identifier, value)
        if entry is None:
            return
        try:
            pages = (
                aws.dynamodb()
                .get_paginator("query")
                .paginate(
                    TableName=self.table,
                    KeyConditionExpression="entry = :e",
                    ExpressionAttributeValues={":e": {"S": entry}},
                )
            )
            for page in pages:
                for item in page.get("Items", []):
                    if "version" in item:
                        continue  # a noncurrent version's (version_entries)
                    line = item["position"]["S"].rpartition("#")[2]
                    yield item["object_key"]["S"], int(line)
        except Exception as error:
            raise aws.as_transient(error, "reading the object index") from error

    def version_entries(
        self, store: str, identifier: Identifier, value: str
    ) -> Iterator[tuple[str, str, int]]:
        """The (object key, version id, record ordinal) of every record of a noncurrent version
        that held `value` when it stopped being current (its object's current version no
        longer does at that place)."""
        entry = index_entry(store, identifier, value)
        if entry is None:
            return
        try:
            pages = (
                aws.dynamodb()
                .get_paginator("query")
                .paginate(
                    TableName=self.table,
                    KeyConditionExpression="entry = :e",
                    ExpressionAttributeValues={":e": {"S": entry}},
                )
            )
            for page in pages:
                for item in page.get("Items", []):
                    if "version" in item:
                        line = item["position"]["S"].rpartition("#")[2]
                        yield item["object_key"]["S"], item["version"]["S"], int(line)
        except Exception as error:
            raise aws.as_transient(error, "reading the object index") from error

    # ------------------------------------------------------------------ single entries
    def add(
        self,
        store: str,
        identifier: Identifier,
        value: object,
        object_key: str,
        line: int,
        *,
        region: str | None = None,
    ) -> None:
        """File one record under one value (forward and per-object entries)."""
        forward = index_entry(store, identifier, value, region=region)
        if forward is not None:
            self._write(store, object_key, [("put", entry_for(forward, line))])

    # ------------------------------------------------------------------ an object's entries
    def object_entries(self, store: str, object_key: str) -> Iterator[Entry]:
        """The entries filed for an object, in slot order, page by page."""
        arguments: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "entry = :e AND position < :state",
            "ExpressionAttributeValues": {
                ":e": {"S": object_partition(store, object_key)},
                ":state": {"S": STATE},
            },
            "ConsistentRead": True,
        }
        try:
            for page in aws.dynamodb().get_paginator("query").paginate(**arguments):
                for item in page.get("Items", []):
                    slot = item["position"]["S"]
                    yield Entry(slot, item["forward"]["S"], int(slot.split("#", 1)[0]))
        except Exception as error:
            raise aws.as_transient(error, "reading the object index") from error

    def replace_entries(
        self,
        store: str,
        object_key: str,
        wanted: Iterable[Entry],
        batch: int = 500,
        *,
        keep_as: str | None = None,
    ) -> EntryChanges:
        """Make the object's entries exactly `wanted` (in slot order, as a stream): a merge of
        the two ordered streams writes only the entries that differ. With `keep_as` (the
        version id of the version that held the entries so far, which is kept as a noncurrent
        version), each entry removed is kept as that version's."""
        changes = EntryChanges()
        pending: list[tuple[str, Entry]] = []
        old = self.object_entries(store, object_key)
        new = iter(wanted)
        have, want = next(old, None), next(new, None)
        while have is not None or want is not None:
            if want is None or (have is not None and have.slot < want.slot):
                assert have is not None
                pending.append(("delete", have))
                if keep_as is not None:
                    pending.append(("keep", have))
                changes.removed += 1
                have = next(old, None)
            elif have is None or want.slot < have.slot:
                pending.append(("put", want))
                changes.added += 1
                want = next(new, None)
            else:
                changes.kept += 1
                have, want = next(old, None), next(new, None)
            if len(pending) >= batch:
                self._write(store, object_key, pending, keep_as)
                pending = []
        if pending:
            self._write(store, object_key, pending, keep_as)
        return changes

    def kept_entries(self, store: str, object_key: str, version: str) -> Iterator[Entry]:
        """The entries kept for one noncurrent version of the object."""
        prefix = f"{VERSIONS}{version}#"
        arguments: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "entry = :e AND begins_with(position, :v)",
            "ExpressionAttributeValues": {
                ":e": {"S": object_partition(store, object_key)},
                ":v": {"S": prefix},
            },
            "ConsistentRead": True,
        }
        try:
            for page in aws.dynamodb().get_paginator("query").paginate(**arguments):
                for item in page.get("Items", []):
                    slot = item["position"]["S"].removeprefix(prefix)
                    yield Entry(slot, item["forward"]["S"], int(slot.split("#", 1)[0]))
        except Exception as error:
            raise aws.as_transient(error, "reading the object index") from error

    def keep_version_entries(
        self, store: str, object_key: str, version: str, entries: Iterable[Entry], batch: int = 500
    ) -> int:
        """File every entry of one noncurrent version of the object as that version's (the
        backfill's reading of versions older than the notifications), then note the version
        read, so a plain re-run does not read it again. Idempotent. Returns how many."""
        filed = 0
        pending: list[tuple[str, Entry]] = []
        for entry in entries:
            pending.append(("keep", entry))
            filed += 1
            if len(pending) >= batch:
                self._write(store, object_key, pending, version)
                pending = []
        if pending:
            self._write(store, object_key, pending, version)
        try:
            aws.dynamodb().put_item(
                TableName=self.table,
                Item={
                    "entry": {"S": object_partition(store, object_key)},
                    "position": {"S": f"{VERSION_READ}{version}"},
                    "entries": {"N": str(filed)},
                },
            )
        except Exception as error:
            raise aws.as_transient(error, "writing the object index") from error
        return filed

    def version_read(self, store: str, object_key: str, version: str) -> bool:
        """Whether the backfill read this noncurrent version of the object already."""
        try:
            item = aws.dynamodb().get_item(
                TableName=self.table,
                Key={
                    "entry": {"S": object_partition(store, object_key)},
                    "position": {"S": f"{VERSION_READ}{version}"},
                },
                ConsistentRead=True,
            )
        except Exception as error:
            raise aws.as_transient(error, "reading the object index") from error
        return "Item" in item

    def version_gone(
        self, store: str, object_key: str, version: str, successor: str | None, batch: int = 500
    ) -> int:
        """Version `version` of the object was deleted: its kept entries go, or pass to
        `successor` (the newest noncurrent version left, which may hold the same records: the
        entries were kept only where the records left the current version). Returns how
        many entries it had."""
        moved = 0
        pending: list[tuple[str, Entry]] = []
        for entry in self.kept_entries(store, object_key, version):
            pending.append(("drop", entry))
            moved += 1
            if len(pending) >= batch:
                self._move(store, object_key, pending, version, successor)
                pending = []
        if pending:
            self._move(store, object_key, pending, version, successor)
        return moved

    def _move(
        self,
        store: str,
        object_key: str,
        drops: list[tuple[str, Entry]],
        version: str,
        successor: str | None,
    ) -> None:
        if successor is not None:
            self._write(store, object_key, [("keep", e) for _, e in drops], successor)
        self._write(store, object_key, drops, version)

    def _write(
        self,
        store: str,
        object_key: str,
        changes: list[tuple[str, Entry]],
        keep_as: str | None = None,
    ) -> None:
        """Apply ("put" | "delete", entry) to the current version's entries; ("keep", entry) files
        the entry as version `keep_as`'s, ("drop", entry) takes it off that version's."""
        partition = object_partition(store, object_key)
        writes: list[dict[str, Any]] = []
        for kind, entry in changes:
            version = keep_as if kind in ("keep", "drop") else None
            forward_key = {
                "entry": {"S": entry.forward},
                "position": {"S": _position(object_key, entry.ordinal, version)},
            }
            slot = entry.slot if version is None else f"{VERSIONS}{version}#{entry.slot}"
            reverse_key = {"entry": {"S": partition}, "position": {"S": slot}}
            plain = {"object_key": {"S": object_key}}
            if version is not None:
                plain["version"] = {"S": version}
            if kind in ("put", "keep"):
                writes += [
                    {"PutRequest": {"Item": {**forward_key, **plain}}},
                    {"PutRequest": {"Item": {**reverse_key, "forward": {"S": entry.forward}}}},
                ]
            else:
                writes += [
                    {"DeleteRequest": {"Key": forward_key}},
                    {"DeleteRequest": {"Key": reverse_key}},
                ]
        write_batches(self.table, writes)

    # ------------------------------------------------------------------ an object's state
    def _state_key(self, store: str, object_key: str) -> dict[str, dict[str, str]]:
        return {"entry": {"S": object_partition(store, object_key)}, "position": {"S": STATE}}

    def state(self, store: str, object_key: str) -> dict[str, str]:
        """What was last indexed of the object: etag, version_id, sequencer, status."""
        try:
            item = (
                aws.dynamodb()
                .get_item(
                    TableName=self.table,
                    Key=self._state_key(store, object_key),
                    ConsistentRead=True,
                )
                .get("Item", {})
            )
        except Exception as error:
            raise aws.as_transient(error, "reading the object index") from error
        return {name: value["S"] for name, value in item.items() if "S" in value}

    def acquire(self, store: str, object_key: str, wait: float = LEASE_WAIT_SECONDS) -> str:
        """Take the object's lease (one indexer at a time per object), waiting for another
        holder up to `wait` seconds; returns the lease's owner id. Raises ObjectBusy."""
        owner = uuid.uuid4().hex
        deadline = time.monotonic() + wait
        pause = 0.05
        while True:
            now = time.time()
            try:
                aws.dynamodb().update_item(
                    TableName=self.table,
                    Key=self._state_key(store, object_key),
                    UpdateExpression="SET lease_owner = :me, lease_until = :until",
                    ConditionExpression="attribute_not_exists(lease_until) OR lease_until < :now",
                    ExpressionAttributeValues={
                        ":me": {"S": owner},
                        ":until": {"N": str(now + LEASE_SECONDS)},
                        ":now": {"N": str(now)},
                    },
                )
                return owner
            except ClientError as error:
                if aws.error_code(error) != "ConditionalCheckFailedException":
                    raise aws.as_transient(error, "taking an object's lease") from error
            if time.monotonic() > deadline:
                raise ObjectBusy(f"{object_key}: another indexer is still working on it")
            time.sleep(pause)
            pause = min(1.0, pause * 2)

    def renew(self, store: str, object_key: str, owner: str) -> None:
        try:
            aws.dynamodb().update_item(
                TableName=self.table,
                Key=self._state_key(store, object_key),
                UpdateExpression="SET lease_until = :until",
                ConditionExpression="lease_owner = :me",
                ExpressionAttributeValues={
                    ":me": {"S": owner},
                    ":until": {"N": str(time.time() + LEASE_SECONDS)},
                },
            )
        except ClientError as error:
            if aws.error_code(error) == "ConditionalCheckFailedException":
                raise LeaseLost(f"{object_key}: the lease ran out while indexing") from error
            raise aws.as_transient(error, "renewing an object's lease") from error

    def release(
        self, store: str, object_key: str, owner: str, state: dict[str, str] | None = None
    ) -> None:
        """Let go of the lease, recording the object's new state if given."""
        names: dict[str, str] = {}
        values: dict[str, Any] = {":me": {"S": owner}}
        sets = []
        for number, (name, value) in enumerate(sorted((state or {}).items())):
            names[f"#s{number}"] = name
            values[f":s{number}"] = {"S": value}
            sets.append(f"#s{number} = :s{number}")
        expression = "REMOVE lease_owner, lease_until"
        if sets:
            expression = "SET " + ", ".join(sets) + " " + expression
        arguments: dict[str, Any] = {
            "TableName": self.table,
            "Key": self._state_key(store, object_key),
            "UpdateExpression": expression,
            "ConditionExpression": "lease_owner = :me",
            "ExpressionAttributeValues": values,
        }
        if names:
            arguments["ExpressionAttributeNames"] = names
        try:
            aws.dynamodb().update_item(**arguments)
        except ClientError as error:
            if aws.error_code(error) == "ConditionalCheckFailedException":
                raise LeaseLost(
                    f"{object_key}: the lease ran out before it was released"
                ) from error
            raise aws.as_transient(error, "releasing an object's lease") from error
