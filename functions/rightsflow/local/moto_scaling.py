"""Where a moto call costs more the more data moto holds, make it cost what AWS's would.

- DynamoDB TransactWriteItems: moto deep-copies every table a transaction touches, whole, so
  that it can roll back; with a day's requests in the tables each transaction took most of a
  second. Here only the items the transaction names are copied, and put back on a rollback.
- DynamoDB Query on a table's key: moto sorted every item of the table to pick those of one
  partition key; here it looks at that partition's items only (the audit trail of one request
  among a day's).
- DynamoDB responses: moto's generic response serializer walks every attribute value of every
  item through the API model, trying each of AttributeValue's ten members with alias lookups
  (about 30 ms for one item of the requests table); an attribute value that is already in its
  wire form (strings, numbers, booleans, lists and maps of them) is copied as it is.
- JSONPath in the ASL interpreter: moto builds a JSONPath parser (ply tables and all) for every
  path every state evaluates; here each distinct path is parsed once (parsed paths are
  immutable).
- CloudFormation template bodies: moto reads every body with PyYAML's pure-Python loader and
  tries JSON only if that fails (0.6 s for the local stack's JSON body, at every start-up); here
  a body that is JSON is read as JSON first (JSON is YAML: the same document either way).

All are behaviour-preserving: a transaction still commits all or nothing, a path still finds
the same values.
"""

from __future__ import annotations

import copy
import functools
import json
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from types import SimpleNamespace
from typing import Any
from unittest import mock

import moto.dynamodb.models as dynamodb_models
from moto.cloudformation.models import Stack
from moto.core.serialize import BaseJSONSerializer
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.stepfunctions.parser.asl.component.common.path import result_path
from moto.stepfunctions.parser.asl.utils import json_path

from rightsflow.local.counted_patches import CountedPatches

_IN_TRANSACTION = threading.local()
_QUERYING = threading.local()  # the table and partition key a base-table Query is reading

Snapshot = tuple[Table, DynamoType, DynamoType | None, Any]


def _key_of(table: Table, op: dict[str, Any]) -> tuple[DynamoType, DynamoType | None] | None:
    attributes = op.get("Key") or op.get("Item") or {}
    if table.hash_key_attr not in attributes:
        return None
    hash_key = DynamoType(attributes[table.hash_key_attr])
    range_key = None
    if table.range_key_attr is not None:
        if table.range_key_attr not in attributes:
            return None
        range_key = DynamoType(attributes[table.range_key_attr])
    return hash_key, range_key


def _snapshot(backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> list[Snapshot]:
    """A copy of each item the transaction names, as it is now (None: not there)."""
    snapshots: list[Snapshot] = []
    for entry in transact_items:
        if not isinstance(entry, dict) or not entry:
            continue
        _, op = next(iter(entry.items()))
        table = backend.tables.get(str(op.get("TableName"))) if isinstance(op, dict) else None
        key = _key_of(table, op) if table is not None else None
        if table is None or key is None:
            continue
        hash_key, range_key = key
        current = table.get_item(hash_key, range_key)
        snapshots.append((table, hash_key, range_key, copy.deepcopy(current)))
    return snapshots


def _restore(snapshots: list[Snapshot]) -> None:
    for table, hash_key, range_key, item in reversed(snapshots):
        if range_key is None:
            if item is None:
                table.items.pop(hash_key, None)
            else:
                table.items[hash_key] = item
        elif item is None:
            table.items.get(hash_key, {}).pop(range_key, None)
        else:
            table.items[hash_key][range_key] = item


def _transact_write_items(
    original: Callable[[DynamoDBBackend, list[dict[str, Any]]], None],
) -> Callable[[DynamoDBBackend, list[dict[str, Any]]], None]:
    def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        snapshots = _snapshot(self, transact_items)
        _IN_TRANSACTION.active = True
        try:
            original(self, transact_items)
        except Exception:
            # moto's own rollback put back the very same table objects: undo the items here.
            _restore(snapshots)
            raise
        finally:
            _IN_TRANSACTION.active = False

    return transact_write_items


def _deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """copy.deepcopy for moto's DynamoDB module: inside a transaction, a table is "copied" as
    itself (its touched items were copied beforehand); everything else is copied as usual."""
    if isinstance(value, Table) and getattr(_IN_TRANSACTION, "active", False):
        return value
    return copy.deepcopy(value, memo)


def _query(original: Callable[..., Any]) -> Callable[..., Any]:
    def query(self: Table, hash_key: DynamoType | None, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        if index_name is not None or hash_key is None:
            return original(self, hash_key, *args, **kwargs)
        _QUERYING.table, _QUERYING.hash_key = self, hash_key
        try:
            return original(self, hash_key, *args, **kwargs)
        finally:
            _QUERYING.table = None

    return query


def _all_items(original: Callable[[Table], list[Any]]) -> Callable[[Table], list[Any]]:
    def all_items(self: Table) -> list[Any]:
        """Inside a base-table Query, the items of the queried partition key only (the Query
        keeps only those, and sorts them itself); elsewhere all of them, as moto does."""
        if getattr(_QUERYING, "table", None) is not self:
            return original(self)
        partition = self.items.get(_QUERYING.hash_key)
        if partition is None:
            return []
        return list(partition.values()) if self.range_key_attr else [partition]

    return all_items


_SCALARS: dict[str, type] = {"S": str, "N": str, "BOOL": bool, "NULL": bool}


def _parse_template(original: Callable[[str], dict[str, Any]]) -> Callable[[str], Any]:
    def parse_template(template: str) -> Any:
        try:
            return json.loads(template)
        except ValueError:
            return original(template)

    return parse_template


def _wire_form(value: Any) -> Any:
    """A copy of a DynamoDB AttributeValue already in its JSON wire form, else None (binary
    values, anything unexpected: those take moto's own path)."""
    if not isinstance(value, dict) or len(value) != 1:
        return None
    ((kind, inner),) = value.items()
    if kind in _SCALARS:
        return {kind: inner} if isinstance(inner, _SCALARS[kind]) else None
    if kind in ("SS", "NS"):
        if isinstance(inner, list) and all(isinstance(entry, str) for entry in inner):
            return {kind: list(inner)}
        return None
    if kind == "L" and isinstance(inner, list):
        items = [_wire_form(entry) for entry in inner]
        return None if any(entry is None for entry in items) else {"L": items}
    if kind == "M" and isinstance(inner, dict):
        members = {name: _wire_form(entry) for name, entry in inner.items()}
        if any(entry is None for entry in members.values()):
            return None
        return {"M": members}
    return None


def _serialize_structure(original: Callable[..., None]) -> Callable[..., None]:
    def serialize(
        self: BaseJSONSerializer, serialized: Any, value: Any, shape: Any, key: str
    ) -> None:
        if shape.name == "AttributeValue" and key:
            wire = _wire_form(value)
            if wire is not None:
                self._default_serialize(serialized, wire, shape, key)
                return
        original(self, serialized, value, shape, key)

    return serialize


def _install() -> ExitStack:
    patches = ExitStack()
    patches.enter_context(
        mock.patch.object(
            DynamoDBBackend,
            "transact_write_items",
            _transact_write_items(DynamoDBBackend.transact_write_items),
        )
    )
    patches.enter_context(
        mock.patch.object(
            dynamodb_models, "copy", SimpleNamespace(deepcopy=_deepcopy, copy=copy.copy)
        )
    )
    patches.enter_context(mock.patch.object(Table, "query", _query(Table.query)))
    patches.enter_context(
        mock.patch.object(
            BaseJSONSerializer,
            "_serialize_type_structure",
            _serialize_structure(BaseJSONSerializer._serialize_type_structure),
        )
    )
    patches.enter_context(mock.patch.object(Table, "all_items", _all_items(Table.all_items)))
    patches.enter_context(
        mock.patch.object(
            Stack, "parse_template", staticmethod(_parse_template(Stack.parse_template))
        )
    )
    for module in (json_path, result_path):
        cached = functools.lru_cache(maxsize=4096)(module.parse)
        patches.enter_context(mock.patch.object(module, "parse", cached))
    return patches


_PATCHES = CountedPatches(_install)


def installed() -> AbstractContextManager[None]:
    """Apply these changes while the block runs; blocks may nest (several stacks share one
    moto), and moto is as it was once the last one ends."""
    return _PATCHES()
