"""An S3 store of JSON-lines or CSV objects, read as records, not lines.

A person's records are found through the object index (object key and record ordinal, filed
under a hash of each identifier), never by listing the bucket, and each is checked to name the
person before it is used. A change rewrites only the bytes of the person's records, once per
object and only if the object did not change meanwhile (IfMatch); an erased record leaves an
empty slot so every other index entry stays valid. On erasure, the object's noncurrent versions
that hold the person are deleted too: the versions of that one object are listed, never the
bucket's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from rightsflow.domain.canonical import canonical_or_none
from rightsflow.domain.data_map import Identifier, Store
from rightsflow.domain.errors import ObjectUnreadable, ObjectUnwritable, StoreUnavailable
from rightsflow.domain.fulfilment import Action, ActionKind, Found
from rightsflow.domain.identity import Identity
from rightsflow.integration import aws
from rightsflow.integration.object_index import ObjectIndex
from rightsflow.integration.stores.formats import (
    EMPTY,
    Layout,
    Unreadable,
    Unwritable,
    format_for,
    rewrite,
)

# What a rewrite keeps of the object it replaces, besides its other records' bytes.
_KEPT_HEADERS = (
    "ContentType",
    "ContentEncoding",
    "ContentLanguage",
    "ContentDisposition",
    "CacheControl",
    "Metadata",
)
_CHANGED_MEANWHILE = {"PreconditionFailed", "ConditionalRequestConflict"}
_GONE = {"NoSuchKey", "NoSuchVersion"}


@dataclass(frozen=True)
class _Object:
    layout: Layout
    etag: str
    headers: dict[str, Any]


def same_value(identifier: Identifier, stored: Any, wanted: str, region: str | None = None) -> bool:
    """Whether a value a record holds is the identifier the person is known by, both in their
    canonical form (rightsflow.domain.canonical): `Grace.Hopper@Example.COM` is
    `grace.hopper@example.com`, `+44 20 7946 0000` is `+442079460000`."""
    if stored is None or isinstance(stored, dict | list):
        return False
    held = canonical_or_none(identifier, stored, region=region)
    return held is not None and held == canonical_or_none(identifier, wanted, region=region)


class S3Store:
    def __init__(self, name: str, store: Store, bucket: str, index_table: str) -> None:
        self.name = name
        self.store = store
        self.bucket = bucket
        self.index = ObjectIndex(index_table)
        self.format = format_for(store)

    # ------------------------------------------------------------------ finding
    def find(self, identity: Identity) -> list[Found]:
        """Every record of the person in the objects the index names: each object is read
        through, and every record in it that names the person is theirs, whether or not the
        index points at it (a writer that crashed between its object and its index write
        leaves such a record). Raises ObjectUnreadable where the person's record cannot be
        read."""
        return self.find_in(identity, sorted(self._indexed(identity)))

    def recheck(self, identity: Identity, places: Sequence[str]) -> list[Found]:
        """After a change: the person's records in the objects the index names now and in
        `places` (the objects noted before the change), each read through. A change that
        updated the index is never verified by that same index alone."""
        return self.find_in(identity, sorted({*self._indexed(identity), *places}))

    def find_in(self, identity: Identity, object_keys: Sequence[str]) -> list[Found]:
        """The person's records in these objects, read record by record."""
        named = self._indexed(identity)
        found: list[Found] = []
        for object_key in object_keys:
            current = self._read(object_key)
            if current is None:
                continue  # the object was deleted: only older versions may be left
            pointed = named.get(object_key, {})
            for record in current.layout.records:
                if record.empty:
                    continue
                if record.data is None:
                    if record.ordinal in pointed or self._raw_names(
                        current.layout.raw(record), identity
                    ):
                        # The index or the bytes place the person here, and it cannot be read.
                        raise ObjectUnreadable(
                            self.name, object_key, record.problem or "unreadable"
                        )
                    continue
                if self.holds(record.data, identity):
                    found.append(
                        Found(
                            key={"object_key": object_key, "record": record.ordinal},
                            data=record.data,
                        )
                    )
        return found

    def _indexed(self, identity: Identity) -> dict[str, dict[int, set[tuple[Identifier, str]]]]:
        """object key -> record ordinal -> the (identifier, value) pairs filed there."""
        named: dict[str, dict[int, set[tuple[Identifier, str]]]] = defaultdict(
            lambda: defaultdict(set)
        )
        for identifier in self.store.lookup:
            for value in sorted(identity.values(identifier)):
                for object_key, ordinal in self.index.entries(self.name, identifier, value):
                    named[object_key][ordinal].add((identifier, value))
        return named

    def holds(self, data: dict[str, Any], identity: Identity) -> bool:
        """Whether a record names the person by any identifier this store is looked up by."""
        return any(
            same_value(identifier, data.get(lookup.attribute), value, lookup.region)
            for identifier, lookup in self.store.lookup.items()
            for value in identity.values(identifier)
        )

    # ------------------------------------------------------------------ reading
    def _read(self, object_key: str, version: str | None = None) -> _Object | None:
        """The object (or one version of it) as records; None if it is gone."""
        arguments: dict[str, Any] = {"Bucket": self.bucket, "Key": object_key}
        if version is not None:
            arguments["VersionId"] = version
        try:
            answer: dict[str, Any] = dict(aws.s3().get_object(**arguments))
            body = answer["Body"].read()
        except ClientError as error:
            if aws.error_code(error) in _GONE:
                return None
            raise aws.as_transient(error, f"reading {self.bucket}/{object_key}") from error
        except Exception as error:
            raise aws.as_transient(error, f"reading {self.bucket}/{object_key}") from error
        try:
            layout = self.format.read(body)
        except Unreadable as error:
            raise ObjectUnreadable(self.name, object_key, str(error), version) from error
        headers = {name: answer[name] for name in _KEPT_HEADERS if answer.get(name)}
        if answer.get("SSEKMSKeyId"):
            headers |= {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": answer["SSEKMSKeyId"]}
            if answer.get("BucketKeyEnabled"):
                headers["BucketKeyEnabled"] = True
        return _Object(layout, answer["ETag"], headers)

    # ------------------------------------------------------------------ changing
    def apply(self, actions: Sequence[Action], applied: Callable[[Sequence[Action]], None]) -> None:
        by_object: dict[str, list[Action]] = defaultdict(list)
        for action in actions:
            by_object[str(action.key["object_key"])].append(action)
        for object_key, group in sorted(by_object.items()):
            self._apply_to(object_key, group)
            applied(group)

    def _apply_to(self, object_key: str, actions: list[Action]) -> None:
        """Every change to one object in one rewrite; a record already changed is left alone."""
        current = self._read(object_key)
        if current is None:
            return  # the object is gone: nothing of the person left in its current version
        layout = current.layout
        replacements: dict[int, bytes] = {}
        changes: list[tuple[int, dict[str, Any], dict[str, Any] | None]] = []
        for action in actions:
            ordinal = int(action.key["record"])
            record = layout.at(ordinal)
            if record is None or record.empty:
                continue  # already erased
            if record.data is None:
                raise ObjectUnreadable(self.name, object_key, record.problem or "unreadable")
            before = record.data
            after: dict[str, Any] | None
            if action.kind is ActionKind.DELETE:
                after = None
            elif action.kind is ActionKind.ANONYMISE:
                after = {**before, **{name: "" for name in action.blank if name in before}}
            elif action.kind is ActionKind.UPDATE:
                after = {**before, **action.set}
            else:
                continue
            if after == before:
                continue
            try:
                replacements[ordinal] = (
                    EMPTY if after is None else self.format.encode(layout, record, after)
                )
            except Unwritable as error:
                raise ObjectUnwritable(self.name, object_key, str(error)) from error
            changes.append((ordinal, before, after))
        if not replacements:
            return
        self._write(object_key, rewrite(layout, replacements), current)
        for ordinal, before, after in changes:
            self._reindex(object_key, ordinal, before, after or {})

    def _write(self, object_key: str, body: bytes, current: _Object) -> None:
        try:
            aws.s3().put_object(
                Bucket=self.bucket,
                Key=object_key,
                Body=body,
                IfMatch=current.etag,  # someone else rewrote the object meanwhile: read again
                **current.headers,
            )
        except ClientError as error:
            if aws.error_code(error) in _CHANGED_MEANWHILE:
                raise StoreUnavailable(f"{object_key} changed while being rewritten") from error
            raise aws.as_transient(error, f"rewriting {self.bucket}/{object_key}") from error
        except Exception as error:
            raise aws.as_transient(error, f"rewriting {self.bucket}/{object_key}") from error

    def _reindex(
        self, object_key: str, ordinal: int, before: dict[str, Any], after: dict[str, Any]
    ) -> None:
        """Index entries follow the record: values erased or changed are no longer found."""
        for identifier, lookup in self.store.lookup.items():
            old, new = before.get(lookup.attribute), after.get(lookup.attribute)
            # The index files canonical forms: values are canonicalised there (region: the
            # store's, for national phone numbers).
            region = lookup.region
            if old and old != new:
                self.index.remove(self.name, identifier, old, object_key, ordinal, region=region)
            if new and old != new:
                self.index.add(self.name, identifier, new, object_key, ordinal, region=region)

    # ------------------------------------------------------------------ earlier versions
    def copies(self, identity: Identity) -> list[str]:
        """The objects the index names for the person: their older versions may hold them."""
        return sorted(self._indexed(identity))

    def erase_copies(
        self, where: str, identity: Identity, erasable: Callable[[dict[str, Any]], bool]
    ) -> int:
        """Delete every noncurrent version of object `where` holding a record of the person
        that erasure reaches. The current version is never deleted (it holds other people's
        records, rewritten), nor are delete markers (they hold no data, and removing one would
        bring back the version beneath it)."""
        versions, current = self._history(where)
        deleted = 0
        for version in versions:
            if version["IsLatest"]:
                continue
            earlier = self._read(where, version["VersionId"])
            if earlier is None or not self._copy_holds(earlier.layout, identity, erasable):
                continue
            try:
                aws.s3().delete_object(
                    Bucket=self.bucket, Key=where, VersionId=version["VersionId"]
                )
            except Exception as error:
                raise aws.as_transient(error, f"deleting a version of {where}") from error
            deleted += 1
        if not current:
            # The object itself was deleted: the person's entries in the index lead nowhere.
            for ordinal, values in self._indexed(identity).get(where, {}).items():
                for identifier, value in values:
                    self.index.remove(self.name, identifier, value, where, ordinal)
        return deleted

    def _history(self, object_key: str) -> tuple[list[dict[str, Any]], bool]:
        """The versions of this one object, and whether it still exists (its latest entry is
        a version, not a delete marker). Listed by its exact key as prefix, keeping only that
        key, and stopping at the first longer key (they sort after it): never the bucket."""
        versions: list[dict[str, Any]] = []
        exists = False
        try:
            pages = (
                aws.s3()
                .get_paginator("list_object_versions")
                .paginate(Bucket=self.bucket, Prefix=object_key)
            )
            for page in pages:
                entries = [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
                for version in page.get("Versions", []):
                    if version["Key"] == object_key:
                        versions.append(dict(version))
                        exists = exists or bool(version["IsLatest"])
                if any(entry["Key"] != object_key for entry in entries):
                    break
        except Exception as error:
            raise aws.as_transient(error, f"listing the versions of {object_key}") from error
        return versions, exists

    def _copy_holds(
        self, layout: Layout, identity: Identity, erasable: Callable[[dict[str, Any]], bool]
    ) -> bool:
        for record in layout.records:
            if record.data is not None:
                if self.holds(record.data, identity) and erasable(record.data):
                    return True
            elif record.problem and self._raw_names(layout.raw(record), identity):
                return True  # unreadable, but it spells one of the person's identifiers
        return False

    def _raw_names(self, raw: bytes, identity: Identity) -> bool:
        text = raw.lower()
        for identifier in self.store.lookup:
            for value in identity.values(identifier):
                try:
                    if value.strip().lower().encode(self.format.encoding) in text:
                        return True
                except UnicodeEncodeError:
                    continue
        return False
