"""An S3 store of JSON-lines or CSV objects. A person's lines are found through the object index
(kept when the objects are written), never by listing the bucket; erased lines become tombstones
so that every other index entry keeps pointing at the right line."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from typing import Any

from botocore.exceptions import ClientError

from rightsflow.domain.data_map import Store, StoreKind
from rightsflow.domain.errors import StoreUnavailable
from rightsflow.domain.fulfilment import Action, ActionKind, Found
from rightsflow.domain.identity import Identity
from rightsflow.integration import aws
from rightsflow.integration.object_index import ObjectIndex

TOMBSTONE = "__erased__"


def _erased(row: dict[str, Any]) -> bool:
    return bool(row.get(TOMBSTONE))


class S3Store:
    def __init__(self, name: str, store: Store, bucket: str, index_table: str) -> None:
        self.name = name
        self.store = store
        self.bucket = bucket
        self.index = ObjectIndex(index_table)

    # ------------------------------------------------------------------ reading
    def find(self, identity: Identity) -> list[Found]:
        lines_by_object: dict[str, set[int]] = defaultdict(set)
        for identifier in self.store.lookup:
            for value in identity.values(identifier):
                for object_key, line in self.index.entries(self.name, identifier, value):
                    lines_by_object[object_key].add(line)
        found: list[Found] = []
        for object_key, lines in sorted(lines_by_object.items()):
            rows, _ = self._read(object_key)
            for line in sorted(lines):
                if line < len(rows) and not _erased(rows[line]):
                    found.append(
                        Found(key={"object_key": object_key, "line": line}, data=rows[line])
                    )
        return found

    def _read(self, object_key: str) -> tuple[list[dict[str, Any]], str]:
        try:
            answer = aws.s3().get_object(Bucket=self.bucket, Key=object_key)
        except Exception as error:
            raise aws.as_transient(error, f"reading {self.bucket}/{object_key}") from error
        text = answer["Body"].read().decode("utf-8")
        if self.store.kind is StoreKind.S3_CSV:
            rows = [dict(row) for row in csv.DictReader(io.StringIO(text))]
        else:
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        return rows, answer["ETag"]

    def _write(self, object_key: str, rows: list[dict[str, Any]], etag: str) -> None:
        if self.store.kind is StoreKind.S3_CSV:
            columns = list(dict.fromkeys(column for row in rows for column in row))
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            body = buffer.getvalue()
        else:
            body = "".join(json.dumps(row, sort_keys=True) + "\n" for row in rows)
        try:
            aws.s3().put_object(
                Bucket=self.bucket,
                Key=object_key,
                Body=body.encode("utf-8"),
                IfMatch=etag,  # someone else rewrote the object meanwhile: read again, retry
                ServerSideEncryption="aws:kms",
            )
        except ClientError as error:
            if aws.error_code(error) in {"PreconditionFailed", "ConditionalRequestConflict"}:
                raise StoreUnavailable(f"{object_key} changed while being rewritten") from error
            raise aws.as_transient(error, f"rewriting {self.bucket}/{object_key}") from error

    # ------------------------------------------------------------------ changing
    def apply(self, action: Action) -> None:
        object_key, line = str(action.key["object_key"]), int(action.key["line"])
        rows, etag = self._read(object_key)
        if line >= len(rows) or _erased(rows[line]):
            return  # already erased
        original = rows[line]
        if action.kind is ActionKind.DELETE:
            rows[line] = {**dict.fromkeys(original, ""), TOMBSTONE: "true"}
        elif action.kind is ActionKind.ANONYMISE:
            rows[line] = {**original, **dict.fromkeys(action.blank, "")}
        elif action.kind is ActionKind.UPDATE:
            rows[line] = {**original, **action.set}
        else:
            return
        self._write(object_key, rows, etag)
        self._reindex(object_key, line, original, rows[line])

    def _reindex(
        self, object_key: str, line: int, before: dict[str, Any], after: dict[str, Any]
    ) -> None:
        """Index entries follow the line: values erased or changed are no longer found."""
        for identifier, lookup in self.store.lookup.items():
            old, new = before.get(lookup.attribute), after.get(lookup.attribute)
            # The index files canonical forms: values are canonicalised there (region: the
            # store's, for national phone numbers).
            region = lookup.region
            if old and old != new:
                self.index.remove(self.name, identifier, old, object_key, line, region=region)
            if new and old != new and not _erased(after):
                self.index.add(self.name, identifier, new, object_key, line, region=region)
