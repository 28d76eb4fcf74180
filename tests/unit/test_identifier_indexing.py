"""Keeping the identifier index from the stores' streams: canonical values, entries that follow
an item's changes, and an index that says it is incomplete when a change cannot be indexed."""

from __future__ import annotations

from typing import Any

import pytest

from rightsflow.domain.canonical import Identifier
from rightsflow.domain.data_map import load_data_map
from rightsflow.integration.identifier_index import IdentifierIndex
from rightsflow.service.identifier_indexing import IdentifierIndexing, IndexingFailed

DATA_MAP = load_data_map()
TABLES = {"AcmeProfilesTable": "acme-profiles-1", "SiteLeadsTable": "site-leads-1"}


class RecordingIndex(IdentifierIndex):
    """The index, writing to a list instead of DynamoDB (and failing when told to)."""

    def __init__(self, fail: bool = False) -> None:
        super().__init__("index-table")
        self.writes: list[tuple[str, str, Any]] = []
        self.incomplete: list[str] = []
        self.fail = fail

    def write(self, writes: list[dict[str, Any]]) -> None:
        if self.fail:
            raise RuntimeError("DynamoDB is down")
        for write in writes:
            kind = "put" if "PutRequest" in write else "delete"
            body = write.get("PutRequest", {}).get("Item") or write["DeleteRequest"]["Key"]
            self.writes.append((kind, body["entry"]["S"], body["item"]["S"]))

    def mark_incomplete(self, store: str) -> None:
        self.incomplete.append(store)


def _record(table: str, event: str, keys: dict[str, Any], old: Any = None, new: Any = None) -> Any:
    change: dict[str, Any] = {"Keys": keys}
    if old:
        change["OldImage"] = old
    if new:
        change["NewImage"] = new
    arn = f"arn:aws:dynamodb:eu-west-1:1:table/{table}/stream/2026-11-29T00:00:00.000"
    return {"eventName": event, "eventSourceARN": arn, "dynamodb": change}


def test_an_item_is_indexed_under_the_canonical_form_of_what_it_holds_as_written() -> None:
    index = RecordingIndex()
    indexing = IdentifierIndexing(DATA_MAP, TABLES, index)
    profile = {
        "profile_id": {"S": "acme-p-1"},
        "email": {"S": "Grace.Hopper@Example.COM"},
        "phone": {"S": "020 7946 0001"},  # national: the store's declared region (GB) reads it
    }
    indexing.handle_stream(
        [_record("acme-profiles-1", "INSERT", {"profile_id": profile["profile_id"]}, new=profile)]
    )
    assert indexing.canonical_values(DATA_MAP.stores["acme_profiles"], profile) == {
        (Identifier.EMAIL, "grace.hopper@example.com"),
        (Identifier.PHONE, "+442079460001"),
    }
    assert [kind for kind, _, _ in index.writes] == ["put", "put"]


def test_a_changed_value_moves_the_entry_and_a_removed_item_takes_its_entries_away() -> None:
    index = RecordingIndex()
    indexing = IdentifierIndexing(DATA_MAP, TABLES, index)
    key = {"email": {"S": "Ada@Example.com"}}
    old = {**key, "phone": {"S": "+44 20 7946 0000"}}
    indexing.handle_stream([_record("site-leads-1", "MODIFY", key, old=old, new=old)])
    assert index.writes == []  # the e-mail did not change: nothing to move
    indexing.handle_stream([_record("site-leads-1", "REMOVE", key, old=old)])
    assert [kind for kind, _, _ in index.writes] == ["delete"]


def test_a_change_that_cannot_be_indexed_marks_the_store_incomplete_and_fails() -> None:
    index = RecordingIndex(fail=True)
    indexing = IdentifierIndexing(DATA_MAP, TABLES, index)
    key = {"email": {"S": "ada@example.com"}}
    with pytest.raises(IndexingFailed, match="site_leads"):
        indexing.handle_stream([_record("site-leads-1", "INSERT", key, new=key)])
    assert index.incomplete == ["site_leads"]


def test_a_table_no_store_indexes_is_reported_not_indexed() -> None:
    index = RecordingIndex()
    result = IdentifierIndexing(DATA_MAP, TABLES, index).handle_stream(
        [_record("someone-elses-table", "INSERT", {"id": {"S": "1"}}, new={"id": {"S": "1"}})]
    )
    assert result.indexed == 0
    assert result.unknown_tables == {"someone-elses-table"}
    assert index.writes == []
