"""Keeping the object index over the S3 stores current, from the stores' own events.

A company's systems write their objects knowing nothing of Rightsflow. Each S3 store's bucket
notifies the object indexer of every object created or removed under the store's prefix
(template.yaml, from the data map); the indexer then reads the object's *current* version,
record by record, and makes the object's index entries exactly what that version holds (a merge
with the entries already filed, so only differences are written, in bounded memory). One indexer
at a time works on one object (a lease in the index), so two events for one object cannot
interleave; and since every event is answered by reading what the object is now, a late or
repeated event finds the object as it already indexed it and changes nothing: no event can
bring back entries of a version that is gone. The event's sequencer is recorded with the state.

An object that cannot be read (a broken CSV header, a file that is not gzip or Parquet) is
noted against the store: its index is not complete until the object is fixed (its next version
is indexed as any other) or removed. A failure to index is noted the same way before the
event goes back to Lambda, which delivers it again.

Objects that existed before the notifications were on are indexed by the backfill
(`rightsflow ops index STORE`: a Step Functions Distributed Map over the store's prefix,
batches of objects to `backfill_batch`), after which the store's index is complete."""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import unquote_plus

from rightsflow.domain.canonical import Identifier
from rightsflow.domain.data_map import DataMap, Store, StoreKind
from rightsflow.domain.errors import ExplainedFailure, ObjectUnreadable, StoreUnavailable
from rightsflow.integration import aws
from rightsflow.integration.index_completeness import IN_PROGRESS
from rightsflow.integration.object_index import (
    LEASE_SECONDS,
    Entry,
    ObjectIndex,
    entry_for,
    index_entries,
    index_entry,
)
from rightsflow.integration.stores.formats import Unreadable, format_for
from rightsflow.integration.stores.formats.parquet import Parquet
from rightsflow.integration.stores.formats.records import Record
from rightsflow.integration.stores.s3_objects import RangedFile, head_object, open_object

RESULTS_PREFIX: Final = "index-backfills"
# In a record that cannot be read, what looks like an e-mail address or a phone number is
# indexed all the same: a request for that person then finds the record and parks, naming
# the object, rather than miss it.
_EMAIL_LIKE = re.compile(rb"[A-Za-z0-9._%+'\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_PHONE_LIKE = re.compile(rb"\+?[0-9][0-9 ()./\-]{5,}[0-9]")
_CREATED = "ObjectCreated:"
_REMOVED = "ObjectRemoved:"
# Every way an object version comes or goes (S3 event types): a store's index stays complete
# only if the bucket notifies the indexer of all of them, for every object under its prefix.
_CREATED_BY: Final = ("Put", "Post", "Copy", "CompleteMultipartUpload")
_REMOVED_BY: Final = ("Delete", "DeleteMarkerCreated")
_EVENTS_NEEDED: Final = {f"{_CREATED}{e}" for e in _CREATED_BY} | {
    f"{_REMOVED}{e}" for e in _REMOVED_BY
}
_EVENT_COVERS: Final = {
    f"{_CREATED}*": {f"{_CREATED}{e}" for e in _CREATED_BY},
    f"{_REMOVED}*": {f"{_REMOVED}{e}" for e in _REMOVED_BY},
    **{event: {event} for event in _EVENTS_NEEDED},
}


class NotificationsOff(ExplainedFailure):
    """A store's bucket does not notify the object indexer of the store's objects: its index
    could not stay complete, so the backfill does not start."""


class IndexingFailed(Exception):
    """Some objects of an event could not be indexed; each is noted against its store (whose
    index is not complete until it is), and Lambda delivers the event again."""

    def __init__(self, failures: list[tuple[str, str]]) -> None:
        stores = sorted({store for store, _ in failures})
        super().__init__(f"objects of {', '.join(stores)} could not be indexed")
        self.stores = stores


@dataclass
class Outcome:
    """What indexing one object did."""

    status: str  # indexed | unchanged | removed | unreadable | repeated
    records: int = 0
    added: int = 0
    removed: int = 0


@dataclass
class Counts:
    """What a batch (or a whole backfill) did, as ops see it."""

    objects: int = 0
    indexed: int = 0
    unchanged: int = 0
    removed: int = 0
    unreadable: int = 0
    failed: int = 0
    records: int = 0
    entries_added: int = 0
    entries_removed: int = 0
    problems: list[str] = field(default_factory=list)  # object keys, at most PROBLEMS_KEPT

    def add(self, outcome: Outcome) -> None:
        self.objects += 1
        counter = _COUNTED.get(outcome.status, "unchanged")
        setattr(self, counter, getattr(self, counter) + 1)
        self.records += outcome.records
        self.entries_added += outcome.added
        self.entries_removed += outcome.removed

    def merge(self, other: Mapping[str, Any]) -> None:
        for name in _NUMBERS:
            setattr(self, name, getattr(self, name) + int(other.get(name, 0)))
        self.problems = (self.problems + list(other.get("problems", [])))[:PROBLEMS_KEPT]

    def as_dict(self) -> dict[str, Any]:
        return {**{name: getattr(self, name) for name in _NUMBERS}, "problems": self.problems}


PROBLEMS_KEPT: Final = 20
_NUMBERS: Final = (
    "objects",
    "indexed",
    "unchanged",
    "removed",
    "unreadable",
    "failed",
    "records",
    "entries_added",
    "entries_removed",
)
_COUNTED: Final = {
    "indexed": "indexed",
    "unchanged": "unchanged",
    "repeated": "unchanged",
    "removed": "removed",
    "unreadable": "unreadable",
}


@dataclass
class ObjectIndexing:
    data_map: DataMap
    physical_names: Mapping[str, str]  # template logical id -> physical name
    index: ObjectIndex
    results_bucket: str | None = None

    # ------------------------------------------------------------------ where things are
    def bucket(self, store_name: str) -> str:
        return self.physical_names[self.data_map.stores[store_name].resource]

    def store_of(self, bucket: str, object_key: str) -> str | None:
        for logical_id, physical in self.physical_names.items():
            if physical == bucket:
                found = self.data_map.store_of_object(logical_id, object_key)
                if found:
                    return found
        return None

    # ------------------------------------------------------------------ the events
    def handle_events(self, records: Iterable[dict[str, Any]]) -> Counts:
        """Index every object an S3 event notification names. Raises IndexingFailed (after
        noting each failed object against its store) so that Lambda delivers it again."""
        counts = Counts()
        failures: list[tuple[str, str]] = []
        for record in records:
            if record.get("eventSource") != "aws:s3":
                continue
            name = str(record.get("eventName", ""))
            if not (name.startswith(_CREATED) or name.startswith(_REMOVED)):
                continue
            s3 = record.get("s3", {})
            bucket = str(s3.get("bucket", {}).get("name", ""))
            object_key = unquote_plus(str(s3.get("object", {}).get("key", "")))
            store = self.store_of(bucket, object_key)
            if store is None:
                continue  # not under any store's prefix
            version = str(s3.get("object", {}).get("versionId") or "")
            # A version deleted by its id (not a delete marker: that one is a version of its own)
            gone = version if name == f"{_REMOVED}Delete" and version else None
            try:
                counts.add(
                    self.index_object(
                        store,
                        object_key,
                        s3.get("object", {}).get("sequencer"),
                        gone_version=gone,
                    )
                )
            except Exception as error:
                self.index.completeness.note_unindexed(
                    store, object_key, f"indexing failed ({_described(error)}); retried", version
                )
                failures.append((store, object_key))
                counts.failed += 1
        if failures:
            raise IndexingFailed(failures)
        return counts

    # ------------------------------------------------------------------ one object
    def index_object(
        self,
        store_name: str,
        object_key: str,
        sequencer: str | None,
        force: bool = False,
        gone_version: str | None = None,
    ) -> Outcome:
        """Make the object's entries what its current version holds (nothing, if it is
        gone), keeping the entries the version indexed so far no longer holds as that version's
        (it stays, noncurrent). Holds the object's lease meanwhile; idempotent. With `force` (a
        rebuild after a canonical form changed) the version is read again even if it was
        indexed as it is. `gone_version`: a version the event says was deleted by its id.

        An object with a mark (it failed, or an indexing of it never finished) is always read
        again. Before reading, the object is marked "indexing in progress" (so an indexer that
        Lambda stops midway leaves the store incomplete); the mark comes off once the version
        is indexed, and only if no other mark (a newer version's failure) replaced it."""
        bucket = self.bucket(store_name)
        owner = self.index.acquire(store_name, object_key)
        released = False
        completeness = self.index.completeness
        try:
            state = self.index.state(store_name, object_key)
            if gone_version:
                self._version_gone(store_name, object_key, gone_version, state)
            marked = completeness.mark_of(store_name, object_key) is not None
            if (
                not marked
                and sequencer
                and state.get("sequencer") == sequencer
                and state.get("status")
            ):
                self.index.release(store_name, object_key, owner)
                released = True
                return Outcome("repeated")
            head = head_object(bucket, object_key)
            if (
                not force
                and not marked
                and head is not None
                and state.get("status") == "indexed"
                and state.get("etag") == head["ETag"]
                and state.get("version_id", "") == (head.get("VersionId") or "")
            ):
                self.index.release(store_name, object_key, owner)
                released = True
                return Outcome("unchanged", records=int(state.get("records", "0")))
            # Marked first, then read: a version written after the mark is seen by this read,
            # and a failure of a newer version noted meanwhile replaces the mark (and stays).
            token = completeness.note_in_progress(
                store_name, object_key, str((head or {}).get("VersionId") or "")
            )
            head = head_object(bucket, object_key)
            kept = state.get("version_id") or None
            if kept == gone_version or state.get("status") not in ("indexed", "unreadable"):
                kept = None  # that version is gone, or nothing of it was indexed
            new_state = {"sequencer": sequencer or state.get("sequencer", "")}
            if head is None:
                changes = self.index.replace_entries(store_name, object_key, [], keep_as=kept)
                completeness.clear_unindexed(store_name, object_key, token)
                outcome = Outcome("removed", removed=changes.removed)
                new_state |= {"status": "removed", "etag": "", "version_id": ""}
            else:
                if kept == (head.get("VersionId") or None):
                    kept = None  # the same version read again
                outcome, version = self._index_version(
                    store_name, object_key, head, owner, token=token, kept=kept
                )
                new_state |= version
            self.index.release(store_name, object_key, owner, new_state)
            released = True
            return outcome
        finally:
            if not released:
                with contextlib.suppress(StoreUnavailable):  # else it runs out on its own
                    self.index.release(store_name, object_key, owner)

    def _version_gone(
        self, store_name: str, object_key: str, version: str, state: dict[str, str]
    ) -> None:
        """Version `version` of the object was deleted by its id: the entries kept for it go,
        or pass to the newest noncurrent version left (which may hold the same records)."""
        if next(self.index.kept_entries(store_name, object_key, version), None) is None:
            return
        successor = next(
            (
                v["VersionId"]
                for v in self._versions(self.bucket(store_name), object_key)
                if not v["IsLatest"] and v["VersionId"] != version
            ),
            None,
        )
        self.index.version_gone(store_name, object_key, version, successor)

    @staticmethod
    def _versions(bucket: str, object_key: str) -> list[dict[str, Any]]:
        """The versions of this one object (not its delete markers), newest first: listed by
        its exact key as prefix, stopping at the first longer key; never the bucket."""
        versions: list[dict[str, Any]] = []
        try:
            pages = (
                aws.s3()
                .get_paginator("list_object_versions")
                .paginate(Bucket=bucket, Prefix=object_key)
            )
            for page in pages:
                entries = [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
                versions += [dict(v) for v in page.get("Versions", []) if v["Key"] == object_key]
                if any(entry["Key"] != object_key for entry in entries):
                    break
        except Exception as error:
            raise aws.as_transient(error, f"listing the versions of {object_key}") from error
        return sorted(versions, key=lambda v: v["LastModified"], reverse=True)

    def _index_version(
        self,
        store_name: str,
        object_key: str,
        head: dict[str, Any],
        owner: str,
        *,
        token: str,
        kept: str | None,
    ) -> tuple[Outcome, dict[str, str]]:
        store = self.data_map.stores[store_name]
        version = head.get("VersionId")
        tally = {"records": 0}
        renewed = [time.monotonic()]
        completeness = self.index.completeness

        def counted(records: Iterator[tuple[Record, bytes]]) -> Iterator[tuple[Record, bytes]]:
            for item in records:
                tally["records"] += 1
                if time.monotonic() - renewed[0] > LEASE_SECONDS / 3:
                    self.index.renew(store_name, object_key, owner)
                    renewed[0] = time.monotonic()
                yield item

        try:
            records = self._records(store, object_key, version)
            if records is None:  # gone between the head and the read: the next event says so
                completeness.note_unindexed(
                    store_name,
                    object_key,
                    "removed while it was being indexed; its event indexes it",
                    version or "",
                    replacing=token,
                )
                return Outcome("unchanged"), {}
            changes = self.index.replace_entries(
                store_name,
                object_key,
                self.entries(store_name, store, counted(records)),
                keep_as=kept,
            )
        except (Unreadable, ObjectUnreadable) as error:
            reason = str(error).removeprefix(f"{store_name}: object {object_key} cannot be read: ")
            completeness.note_unindexed(
                store_name, object_key, reason, version or "", replacing=token
            )
            return Outcome("unreadable"), {
                "status": "unreadable",
                "etag": str(head["ETag"]),
                "version_id": version or "",
            }
        completeness.clear_unindexed(store_name, object_key, token)
        return Outcome(
            "indexed", records=tally["records"], added=changes.added, removed=changes.removed
        ), {
            "status": "indexed",
            "etag": str(head["ETag"]),
            "version_id": version or "",
            "records": str(tally["records"]),
        }

    def _records(
        self, store: Store, object_key: str, version: str | None
    ) -> Iterator[tuple[Record, bytes]] | None:
        bucket = self.physical_names[store.resource]
        if store.kind is StoreKind.S3_PARQUET:
            source = RangedFile.open(bucket, object_key, version)
            if source is None:
                return None
            return ((record, b"") for record in Parquet().records(source))
        opened = open_object(bucket, object_key, version)
        if opened is None:
            return None
        pieces = format_for(store).pieces(opened.plain_chunks())
        return ((p.record, p.raw) for p in pieces if p.record is not None)

    def entries(
        self, store_name: str, store: Store, records: Iterable[tuple[Record, bytes]]
    ) -> Iterator[Entry]:
        """The index entries of a stream of records, in slot order: each record under the
        canonical form of every lookup identifier it holds (each of several a field lists,
        rightsflow.domain.canonical.held_identifiers); a record that cannot be read,
        under what in its bytes looks like one of those identifiers."""
        account_form = self.data_map.identifiers.account_number
        for record, raw in records:
            forwards: set[str] = set()
            if record.data is not None:
                for identifier, lookup in store.lookup.items():
                    value = record.data.get(lookup.attribute)
                    if value is None or isinstance(value, dict | list):
                        continue
                    forwards.update(
                        index_entries(
                            store_name,
                            identifier,
                            value,
                            region=lookup.region,
                            account_form=account_form,
                        )
                    )
            elif record.problem and raw:
                forwards |= self._raw_entries(store_name, store, raw)
            yield from sorted(entry_for(forward, record.ordinal) for forward in forwards)

    def _raw_entries(self, store_name: str, store: Store, raw: bytes) -> set[str]:
        found: set[str] = set()
        patterns = {Identifier.EMAIL: _EMAIL_LIKE, Identifier.PHONE: _PHONE_LIKE}
        for identifier, lookup in store.lookup.items():
            pattern = patterns.get(identifier)
            if pattern is None:
                continue
            for match in pattern.findall(raw):
                forward = index_entry(
                    store_name, identifier, match.decode("latin-1"), region=lookup.region
                )
                if forward:
                    found.add(forward)
        return found

    # ------------------------------------------------------------------ the backfill
    def prepare_backfill(
        self, store_name: str, function_arn: str, rebuild: bool = False, execution: str = ""
    ) -> dict[str, Any]:
        """Where the backfill of a store reads and writes, after checking the store's bucket
        notifies this function of the store's objects (else NotificationsOff). A rebuild
        marks the store's index incomplete first: until every object is indexed again in the
        current canonical form, a lookup could miss. The backfill's `execution` is noted, so
        that a request meanwhile is told which backfill it waits for."""
        store = self.data_map.stores[store_name]
        bucket = self.bucket(store_name)
        self._require_notifications(store_name, store, bucket, function_arn)
        if execution:
            self.index.completeness.note_backfill(store_name, execution)
        if rebuild:
            self.index.completeness.mark_incomplete(store_name)
        return {
            "store": store_name,
            "kind": "s3",
            "bucket": bucket,
            "prefix": store.prefix,
            "results_bucket": self.results_bucket,
            "results_prefix": f"{RESULTS_PREFIX}/{store_name}",
        }

    def _require_notifications(
        self, store_name: str, store: Store, bucket: str, function_arn: str
    ) -> None:
        try:
            configuration = aws.s3().get_bucket_notification_configuration(Bucket=bucket)
        except Exception as error:
            raise aws.as_transient(error, f"reading the notifications of {bucket}") from error
        function = function_arn.rsplit(":function:", maxsplit=1)[-1].split(":", maxsplit=1)[0]
        covered: set[str] = set()
        narrower: list[str] = []
        for entry in configuration.get("LambdaFunctionConfigurations", []):
            target = str(entry.get("LambdaFunctionArn", ""))
            if target.rsplit(":function:", maxsplit=1)[-1].split(":", maxsplit=1)[0] != function:
                continue
            rules = entry.get("Filter", {}).get("Key", {}).get("FilterRules", [])
            prefix = next((r["Value"] for r in rules if r["Name"].lower() == "prefix"), "")
            suffix = next((r["Value"] for r in rules if r["Name"].lower() == "suffix"), "")
            if not store.prefix.startswith(prefix):
                narrower.append(f"prefix '{prefix}'")
                continue
            if suffix:  # the data map names no suffix: every object under the prefix counts
                narrower.append(f"suffix '{suffix}'")
                continue
            for event in entry.get("Events", []):
                covered |= _EVENT_COVERS.get(str(event).removeprefix("s3:"), set())
        missing = sorted(_EVENTS_NEEDED - covered)
        if missing:
            also = f" (a filter narrower than the store: {', '.join(narrower)})" if narrower else ""
            raise NotificationsOff(
                f"{store_name}: bucket {bucket} does not notify the object indexer of "
                f"{', '.join(f's3:{event}' for event in missing)} under '{store.prefix}'"
                f"{also}: deploy template.yaml's notifications first (s3:ObjectCreated:* and "
                "s3:ObjectRemoved:* for the store's prefix, no suffix), then run the backfill"
            )

    def backfill_batch(
        self, store_name: str, items: list[dict[str, Any]], rebuild: bool = False
    ) -> dict[str, Any]:
        """Index a batch of the objects the backfill listed (ItemReader items: Key, Etag...).
        An object that cannot be read is noted and counted; one whose indexing failed is
        noted, and the batch then fails (StoreUnavailable) so Step Functions retries it."""
        counts = Counts()
        failed: list[str] = []
        for item in items:
            object_key = str(item["Key"])
            if (
                self.data_map.store_of_object(self.data_map.stores[store_name].resource, object_key)
                != store_name
            ):
                continue  # under a longer prefix another store owns
            try:
                outcome = self.index_object(store_name, object_key, None, force=rebuild)
            except Exception as error:
                self.index.completeness.note_unindexed(
                    store_name, object_key, f"indexing failed ({_described(error)})"
                )
                failed.append(object_key)
                continue
            counts.add(outcome)
            if outcome.status == "unreadable" and len(counts.problems) < PROBLEMS_KEPT:
                counts.problems.append(object_key)
        if failed:
            raise StoreUnavailable(
                f"{store_name}: {len(failed)} of {len(items)} objects could not be indexed"
            )
        return counts.as_dict()

    def backfill_versions(
        self,
        store_name: str,
        start: Mapping[str, Any],
        rebuild: bool = False,
        seconds: float = 600.0,
        page_size: int = 1000,
    ) -> dict[str, Any]:
        """Index the noncurrent versions under the store's prefix that existed before its
        notifications were on (an object overwritten, or deleted behind a delete marker, before
        onboarding): every entry each such version holds is filed as that version's, so that
        erasure finds the object and deletes the versions holding the person. Lists with
        ListObjectVersions over the store's prefix, going on from `start` (what the previous
        call returned; {} at first) for about `seconds`, and returns
        {"key_marker", "version_marker": where to go on, "complete": bool, "versions": how many
        read so far, "unreadable": ["<object>@<version>", ...] (at most PROBLEMS_KEPT)}. A
        version read before (noted in the index) is skipped unless `rebuild`. A version that
        cannot be read as a whole is listed in `unreadable`, its readable records filed."""
        store = self.data_map.stores[store_name]
        bucket = self.bucket(store_name)
        deadline = time.monotonic() + seconds
        read = int(start.get("versions") or 0)
        unreadable = [str(u) for u in start.get("unreadable") or []]
        last = {
            "key_marker": str(start.get("key_marker") or ""),
            "version_marker": str(start.get("version_marker") or ""),
        }

        def progress(complete: bool) -> dict[str, Any]:
            return {**last, "complete": complete, "versions": read, "unreadable": unreadable}

        arguments: dict[str, Any] = {"Bucket": bucket, "Prefix": store.prefix, "MaxKeys": page_size}
        if last["key_marker"]:
            arguments["KeyMarker"] = last["key_marker"]
            if last["version_marker"]:
                arguments["VersionIdMarker"] = last["version_marker"]
        while True:
            try:
                page = aws.s3().list_object_versions(**arguments)
            except Exception as error:
                raise aws.as_transient(
                    error, f"listing the versions under {store.prefix}"
                ) from error
            for version in page.get("Versions", []):
                if time.monotonic() > deadline:
                    return progress(complete=False)
                object_key, version_id = str(version["Key"]), str(version.get("VersionId") or "")
                if (
                    not version.get("IsLatest")  # the current version: the map indexed it
                    and version_id not in ("", "null")
                    and self.data_map.store_of_object(store.resource, object_key) == store_name
                    and (rebuild or not self.index.version_read(store_name, object_key, version_id))
                ):
                    read += self._backfill_version(
                        store_name, store, object_key, version_id, unreadable
                    )
                last = {"key_marker": object_key, "version_marker": version_id}
            if not page.get("IsTruncated"):
                return progress(complete=True)
            arguments["KeyMarker"] = page["NextKeyMarker"]
            arguments.pop("VersionIdMarker", None)
            if page.get("NextVersionIdMarker"):
                arguments["VersionIdMarker"] = page["NextVersionIdMarker"]

    def _backfill_version(
        self, store_name: str, store: Store, object_key: str, version: str, unreadable: list[str]
    ) -> int:
        """File one noncurrent version's entries as that version's; 1 if it was read."""
        records = self._records(store, object_key, version)
        if records is None:
            return 0  # deleted since the listing: its event takes its entries off
        try:
            self.index.keep_version_entries(
                store_name, object_key, version, self.entries(store_name, store, records)
            )
        except (Unreadable, ObjectUnreadable):
            if len(unreadable) < PROBLEMS_KEPT:
                unreadable.append(f"{object_key}@{version}")
            return 0
        return 1

    def finish_backfill(
        self,
        store_name: str,
        written: dict[str, Any],
        versions: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Add up what the map run's batches did (its ResultWriter's files) and what
        backfill_versions did (`versions`: earlier versions read, and those unreadable); a
        batch that failed past its retries leaves its objects noted as not indexed. Marks the
        store's index complete when nothing is left unindexed."""
        counts = Counts()
        details = written.get("ResultWriterDetails", {})
        manifest = self._json(details["Bucket"], details["Key"])
        files = manifest.get("ResultFiles", {})
        for entry in files.get("SUCCEEDED", []):
            for execution in self._json(details["Bucket"], entry["Key"]):
                counts.merge(json.loads(execution.get("Output") or "{}"))
        completeness = self.index.completeness
        for entry in files.get("FAILED", []):
            for execution in self._json(details["Bucket"], entry["Key"]):
                batch = json.loads(execution.get("Input") or "{}")
                for item in batch.get("Items", []):
                    object_key = str(item["Key"])
                    if completeness.mark_of(store_name, object_key) is not None:
                        counts.failed += 1  # noted with its own reason where it failed
                        continue
                    state = self.index.state(store_name, object_key)
                    if state.get("status") in ("indexed", "unreadable", "removed") and (
                        state.get("etag", "").strip('"') == str(item.get("Etag", "")).strip('"')
                    ):
                        continue  # indexed before another object failed its batch
                    counts.failed += 1
                    completeness.note_unindexed(
                        store_name,
                        object_key,
                        "not reached: its backfill batch failed "
                        f"({execution.get('Error', 'unknown error')}) before it was indexed",
                    )
        self._retry_removed(store_name)
        left = completeness.unindexed(store_name, limit=PROBLEMS_KEPT)
        earlier = {
            "earlier_versions": int((versions or {}).get("versions") or 0),
            "earlier_versions_unreadable": list((versions or {}).get("unreadable") or []),
        }
        result = {
            "store": store_name,
            **counts.as_dict(),
            **earlier,
            "unindexed": [{"object": key, "reason": why} for key, why in left],
        }
        if not left:
            self.index.completeness.mark_complete(store_name, {**counts.as_dict(), **earlier})
        result["complete"] = not left
        return result

    def _retry_removed(self, store_name: str) -> None:
        """Objects marked but gone (the listing did not reach them): indexed once more, which
        takes their entries (kept as their last version's) and their marks off. Objects marked
        that are no longer the store's (a Parquet store's bookkeeping, `_SUCCESS`, which an
        older build read and noted unreadable): their marks and entries go."""
        bucket = self.bucket(store_name)
        resource = self.data_map.stores[store_name].resource
        for mark in self.index.completeness.marks(store_name, limit=None):
            if self.data_map.store_of_object(resource, mark.where) != store_name:
                self.index.replace_entries(store_name, mark.where, [])
                self.index.completeness.clear_unindexed(store_name, mark.where)
                continue
            if mark.state == IN_PROGRESS and not mark.stale():
                continue  # an indexer is at work on it now
            if head_object(bucket, mark.where) is not None:
                continue  # listed, so this backfill indexed it (or noted why not)
            with contextlib.suppress(Exception):  # still marked, with its reason
                self.index_object(store_name, mark.where, None)

    @staticmethod
    def _json(bucket: str, key: str) -> Any:
        try:
            body = aws.s3().get_object(Bucket=bucket, Key=key)["Body"].read()
        except Exception as error:
            raise aws.as_transient(error, f"reading {key}") from error
        return json.loads(body)


def _described(error: BaseException) -> str:
    """An indexing failure as its mark gives it: the error's kind and message (object keys
    and AWS messages; no record's content reaches an error of the indexer)."""
    message = str(error).strip()
    return f"{type(error).__name__}: {message[:300]}" if message else type(error).__name__
