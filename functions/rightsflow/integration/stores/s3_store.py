"""An S3 store of JSON-lines or CSV objects (plain or gzip) or Parquet objects, read as records,
not lines, and streamed: no object is ever held in memory whole.

A person's objects are found through the object index (object key and record ordinal, filed
under a hash of each identifier), never by listing the bucket; each object the index names is
read through, and every record in it that names the person is theirs (an entry that trails the
object by a moment never leads to someone else's record, nor misses one of theirs in it). A
change rewrites only the person's records, once per object, streaming the rest through as it
was (a multipart upload for a large object), and only if the object did not change meanwhile
(IfMatch): text formats keep every other byte, and an erased record leaves an empty slot so
other ordinals never move; Parquet keeps every other value. On erasure, the object's
noncurrent versions that hold the person are deleted too: the versions of that one object are
listed, never the bucket's."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from rightsflow.domain.canonical import canonical_or_none, could_be, held_identifiers
from rightsflow.domain.data_map import Identifier, Store, StoreKind
from rightsflow.domain.errors import ObjectUnreadable, ObjectUnwritable
from rightsflow.domain.fulfilment import Action, ActionKind, Found
from rightsflow.domain.identity import Identity
from rightsflow.integration import aws
from rightsflow.integration.bucket_events import require_indexed
from rightsflow.integration.object_index import ObjectIndex
from rightsflow.integration.stores.formats import (
    EMPTY,
    Unreadable,
    Unwritable,
    format_for,
)
from rightsflow.integration.stores.formats.compression import gzip
from rightsflow.integration.stores.formats.parquet import KEEP, Decision, Parquet
from rightsflow.integration.stores.formats.records import (
    Piece,
    Record,
    rewrite_stream,
    same_content,
)
from rightsflow.integration.stores.s3_objects import (
    ObjectChanged,
    ObjectWriter,
    RangedFile,
    open_object,
)


def same_value(identifier: Identifier, stored: Any, wanted: str, region: str | None = None) -> bool:
    """Whether a value a record holds is (or, for a field holding several, holds) the
    identifier the person is known by, both in their canonical form
    (rightsflow.domain.canonical): `Grace.Hopper@Example.COM` is `grace.hopper@example.com`,
    `+44 20 7946 0000` is `+442079460000`; equal, never a part of one another."""
    if stored is None or isinstance(stored, dict | list):
        return False
    if not could_be(identifier, stored, wanted):
        return False  # most records: told apart without parsing their value
    person = canonical_or_none(identifier, wanted, region=region)
    return person is not None and person in held_identifiers(identifier, stored, region=region)


# In a record that cannot be read, the stretches of its bytes that may be an identifier (as the
# object indexer files them): each is compared whole with the person's, never searched in.
_SPELLED: dict[Identifier, re.Pattern[bytes]] = {
    Identifier.EMAIL: re.compile(rb"[A-Za-z0-9._%+'\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"),
    Identifier.PHONE: re.compile(rb"\+?[0-9][0-9 ()./\-]{5,}[0-9]"),
}


class S3Store:
    def __init__(self, name: str, store: Store, bucket: str, index_table: str) -> None:
        self.name = name
        self.store = store
        self.bucket = bucket
        self.index = ObjectIndex(index_table)
        self.parquet = Parquet() if store.kind is StoreKind.S3_PARQUET else None
        self.format = None if self.parquet else format_for(store)
        # What find() read, by (object key, ordinal): a change is made only to a record that
        # is still what was read (a Parquet rewrite elsewhere may have moved the rows).
        self._read_before: dict[tuple[str, int], dict[str, Any]] = {}

    # ------------------------------------------------------------------ finding
    def find(self, identity: Identity) -> list[Found]:
        """Every record of the person in the objects the index names: each object is read
        through, and every record in it that names the person is theirs, whether or not the
        index points at it (a writer that crashed between its object and its index write
        leaves such a record). Raises IndexSettling while events of the store's objects wait to be
        indexed, IndexIncomplete while the store's index is not complete,
        ObjectUnreadable where the person's record (or the whole object) cannot be read."""
        require_indexed(self.name, self.bucket, self.store.prefix)
        self.index.require_complete(self.name)
        indexed = self._indexed(identity)
        return self._find_in(identity, sorted(indexed), indexed)

    def recheck(self, identity: Identity, places: Sequence[str]) -> list[Found]:
        """After a change: the person's records in the objects the index names now and in
        `places` (the objects noted before the change), each read through. A change that
        updated the index is never verified by that same index alone."""
        require_indexed(self.name, self.bucket, self.store.prefix)
        self.index.require_complete(self.name)
        indexed = self._indexed(identity)
        return self._find_in(identity, sorted({*indexed, *places}), indexed)

    def find_in(self, identity: Identity, object_keys: Sequence[str]) -> list[Found]:
        """The person's records in these objects, read record by record."""
        return self._find_in(identity, object_keys, self._indexed(identity))

    def _find_in(
        self, identity: Identity, object_keys: Sequence[str], indexed: dict[str, set[int]]
    ) -> list[Found]:
        found: list[Found] = []
        for object_key in object_keys:
            ordinals = indexed.get(object_key, set())
            # None: the object was deleted (only older versions may be left).
            for record, raw in self._records(object_key) or iter(()):
                if record.data is None:
                    if record.problem and (
                        record.ordinal in ordinals or self._raw_names(raw, identity)
                    ):
                        # The index or the bytes place the person here, and it cannot be read.
                        raise ObjectUnreadable(self.name, object_key, record.problem)
                    continue
                if self.holds(record.data, identity):
                    self._read_before[(object_key, record.ordinal)] = record.data
                    found.append(
                        Found(
                            key={"object_key": object_key, "record": record.ordinal},
                            data=record.data,
                        )
                    )
        return found

    def _indexed(self, identity: Identity) -> dict[str, set[int]]:
        """object key -> the record ordinals the index files under the person's values."""
        named: dict[str, set[int]] = defaultdict(set)
        for identifier in self.store.lookup:
            for value in sorted(identity.values(identifier)):
                for object_key, ordinal in self.index.entries(self.name, identifier, value):
                    named[object_key].add(ordinal)
        return named

    def holds(self, data: dict[str, Any], identity: Identity) -> bool:
        """Whether a record names the person by any identifier this store is looked up by."""
        return any(
            same_value(identifier, data.get(lookup.attribute), value, lookup.region)
            for identifier, lookup in self.store.lookup.items()
            for value in identity.values(identifier)
        )

    # ------------------------------------------------------------------ reading
    def _records(
        self, object_key: str, version: str | None = None
    ) -> Iterator[tuple[Record, bytes]] | None:
        """The object's (or a version's) records with their raw bytes, streamed; None if it is
        gone. Raises ObjectUnreadable when the object as a whole cannot be read."""
        if self.parquet is not None:
            source = RangedFile.open(self.bucket, object_key, version)
            if source is None:
                return None
            return self._guarded(
                object_key, version, ((r, b"") for r in self.parquet.records(source))
            )
        assert self.format is not None
        opened = open_object(self.bucket, object_key, version)
        if opened is None:
            return None
        pieces = self.format.pieces(opened.plain_chunks())
        return self._guarded(
            object_key, version, ((p.record, p.raw) for p in pieces if p.record is not None)
        )

    def _guarded(
        self, object_key: str, version: str | None, records: Iterator[tuple[Record, bytes]]
    ) -> Iterator[tuple[Record, bytes]]:
        try:
            yield from records
        except Unreadable as error:
            raise ObjectUnreadable(self.name, object_key, str(error), version) from error

    # ------------------------------------------------------------------ changing
    def apply(self, actions: Sequence[Action], applied: Callable[[Sequence[Action]], None]) -> None:
        by_object: dict[str, list[Action]] = defaultdict(list)
        for action in actions:
            by_object[str(action.key["object_key"])].append(action)
        for object_key, group in sorted(by_object.items()):
            self._apply_to(object_key, group)
            applied(group)

    def _after(self, object_key: str, action: Action, before: dict[str, Any]) -> Any:
        """A record's new content (None: erased), or KEEP when there is nothing to change.
        Raises ObjectChanged when the record is not the one find() read there."""
        expected = self._read_before.get((object_key, int(action.key["record"])))
        if expected is not None and not same_content(expected, before):
            raise ObjectChanged(f"{object_key} changed since it was read; reading it again")
        after: dict[str, Any] | None
        if action.kind is ActionKind.DELETE:
            after = None
        elif action.kind is ActionKind.ANONYMISE:
            after = {**before, **{name: "" for name in action.blank if name in before}}
        elif action.kind is ActionKind.UPDATE:
            after = {**before, **action.set}
        else:
            return KEEP
        return KEEP if same_content(after, before) else after

    def _apply_to(self, object_key: str, actions: list[Action]) -> None:
        """Every change to one object in one streamed rewrite; a record already changed is
        left alone, and an object with nothing left to change is not written at all."""
        by_ordinal = {int(action.key["record"]): action for action in actions}
        try:
            if self.parquet is not None:
                self._rewrite_parquet(object_key, by_ordinal)
            else:
                self._rewrite_text(object_key, by_ordinal)
        except Unwritable as error:
            raise ObjectUnwritable(self.name, object_key, str(error)) from error

    def _rewrite_text(self, object_key: str, by_ordinal: dict[int, Action]) -> None:
        assert self.format is not None
        record_format = self.format
        opened = open_object(self.bucket, object_key)
        if opened is None:
            return  # the object is gone: nothing of the person left in its current version
        changed = 0

        def replace(piece: Piece) -> bytes | None:
            nonlocal changed
            record = piece.record
            assert record is not None
            action = by_ordinal.get(record.ordinal)
            if action is None or record.empty:
                return None  # not the person's, or erased already
            if record.data is None:
                raise ObjectUnreadable(self.name, object_key, record.problem or "unreadable")
            after = self._after(object_key, action, record.data)
            if after is KEEP:
                return None
            changed += 1
            if after is None:
                return EMPTY
            layout = piece.layout()
            return record_format.encode(layout, layout.records[0], after)

        writer = ObjectWriter(self.bucket, object_key, opened.etag, opened.headers)
        try:
            pieces = record_format.pieces(opened.plain_chunks(), only=by_ordinal.__contains__)
            text = rewrite_stream(pieces, replace)
            writer.write_all(gzip(text) if opened.gzip else text)
        except Unreadable as error:
            writer.abort()
            raise ObjectUnreadable(self.name, object_key, str(error)) from error
        except BaseException:
            writer.abort()
            raise
        if changed:
            writer.finish()
        else:
            writer.abort()

    def _rewrite_parquet(self, object_key: str, by_ordinal: dict[int, Action]) -> None:
        assert self.parquet is not None
        source = RangedFile.open(self.bucket, object_key)
        if source is None:
            return

        def decide(ordinal: int, before: dict[str, Any]) -> Decision:
            decision: Decision = self._after(object_key, by_ordinal[ordinal], before)
            return decision

        writer = ObjectWriter(self.bucket, object_key, source.etag, source.headers())
        try:
            changed = self.parquet.rewrite(source, writer, set(by_ordinal), decide)
        except Unreadable as error:
            writer.abort()
            raise ObjectUnreadable(self.name, object_key, str(error)) from error
        except BaseException:
            writer.abort()
            raise
        if changed:
            writer.finish()
        else:
            writer.abort()

    # ------------------------------------------------------------------ earlier versions
    def copies(self, identity: Identity) -> list[str]:
        """The objects the index names for the person, in their current version or in a
        noncurrent one (kept in the index until that version is deleted): their older
        versions may hold them."""
        named = set(self._indexed(identity))
        for identifier in self.store.lookup:
            for value in sorted(identity.values(identifier)):
                named |= {
                    key for key, _, _ in self.index.version_entries(self.name, identifier, value)
                }
        return sorted(named)

    def erase_copies(
        self, where: str, identity: Identity, erasable: Callable[[dict[str, Any]], bool]
    ) -> int:
        """Delete every noncurrent version of object `where` holding a record of the person
        that erasure reaches. The current version is never deleted (it holds other people's
        records, rewritten), nor are delete markers (they hold no data, and removing one would
        bring back the version beneath it). The object's own notifications keep the index in
        step with what is left."""
        versions = self._history(where)
        deleted = 0
        for version in versions:
            if version["IsLatest"]:
                continue
            if not self._copy_holds(where, version["VersionId"], identity, erasable):
                continue
            try:
                aws.s3().delete_object(
                    Bucket=self.bucket, Key=where, VersionId=version["VersionId"]
                )
            except Exception as error:
                raise aws.as_transient(error, f"deleting a version of {where}") from error
            deleted += 1
        return deleted

    def _history(self, object_key: str) -> list[dict[str, Any]]:
        """The versions of this one object. Listed by its exact key as prefix, keeping only
        that key, and stopping at the first longer key (they sort after it): never the
        bucket."""
        versions: list[dict[str, Any]] = []
        try:
            pages = (
                aws.s3()
                .get_paginator("list_object_versions")
                .paginate(Bucket=self.bucket, Prefix=object_key)
            )
            for page in pages:
                entries = [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
                versions += [dict(v) for v in page.get("Versions", []) if v["Key"] == object_key]
                if any(entry["Key"] != object_key for entry in entries):
                    break
        except Exception as error:
            raise aws.as_transient(error, f"listing the versions of {object_key}") from error
        return versions

    def _copy_holds(
        self,
        object_key: str,
        version: str,
        identity: Identity,
        erasable: Callable[[dict[str, Any]], bool],
    ) -> bool:
        records = self._records(object_key, version)
        if records is None:
            return False
        for record, raw in records:
            if record.data is not None:
                if self.holds(record.data, identity) and erasable(record.data):
                    return True
            elif record.problem and self._raw_names(raw, identity):
                return True  # unreadable, but it spells one of the person's identifiers
        return False

    def _raw_names(self, raw: bytes, identity: Identity) -> bool:
        """Whether the bytes of a record that cannot be read spell one of the person's
        identifiers: a stretch that reads as an identifier (an e-mail address, a phone number;
        an account number between non-alphanumerics) whose canonical form equals theirs.
        Someone else's record (`nada@example.com` for `ada@example.com`) never does."""
        for identifier, lookup in self.store.lookup.items():
            wanted = {
                held
                for value in identity.values(identifier)
                if (held := canonical_or_none(identifier, value, region=lookup.region))
            }
            if not wanted:
                continue
            pattern = _SPELLED.get(identifier)
            if pattern is None:
                spelled = [
                    match.group(0).decode("latin-1")
                    for value in identity.values(identifier)
                    for match in re.finditer(
                        rb"(?<![A-Za-z0-9])"
                        + re.escape(value.strip().encode("latin-1", "replace"))
                        + rb"(?![A-Za-z0-9])",
                        raw,
                        re.IGNORECASE,
                    )
                ]
            else:
                spelled = [match.decode("latin-1") for match in pattern.findall(raw)]
            for text in spelled:
                held = canonical_or_none(identifier, text, region=lookup.region)
                if held is not None and held in wanted:
                    return True
        return False
