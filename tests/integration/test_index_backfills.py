"""What ops see of a store's index and its backfill (GET /ops/stores/{store}/index), on moto: a
backfill seen finished is seen with the index it left."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Final

import boto3
import pytest
from moto import mock_aws

from rightsflow.domain.clock import to_iso, utc_now
from rightsflow.domain.data_map import load_data_map
from rightsflow.domain.errors import IndexIncomplete
from rightsflow.integration.identifier_index import IdentifierIndex
from rightsflow.local.template import load_template
from rightsflow.service.index_backfills import BackfillRun, IndexBackfills
from tests.conftest import TEMPLATE

REGION: Final = "eu-west-1"


@pytest.fixture
def backfills(monkeypatch: pytest.MonkeyPatch) -> Iterator[IndexBackfills]:
    """The backfills of the product's data map, over an identifier index table made as
    template.yaml makes it (the state machine is not needed: no backfill is started)."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws():
        index = load_template(TEMPLATE).cloudformation["Resources"]["IdentifierIndexTable"]
        table = f"identifier-index-{uuid.uuid4().hex[:8]}"
        boto3.client("dynamodb", region_name=REGION).create_table(
            TableName=table,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=index["Properties"]["KeySchema"],
            AttributeDefinitions=index["Properties"]["AttributeDefinitions"],
        )
        yield IndexBackfills(
            load_data_map(),
            {"IdentifierIndexTable": table},
            "arn:aws:states:eu-west-1:123456789012:stateMachine:index-backfill",
        )


def test_a_rebuild_that_ends_while_ops_look_shows_finished_with_its_index_complete(
    backfills: IndexBackfills, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a rebuild of site_leads under way: the index is incomplete until its last page
    store = "site_leads"
    index = IdentifierIndex(backfills.physical_names["IdentifierIndexTable"])
    index.mark_incomplete(store)

    def ends_as_ops_look(self: IndexBackfills, name: str) -> BackfillRun:
        # WHEN the rebuild writes its last page (marking the index complete) and its execution
        # ends just as ops ask for the store's status
        index.mark_complete(name)
        return BackfillRun(
            execution_arn=f"{self.state_machine_arn}:{name}-rebuild",
            status="SUCCEEDED",
            started_at="2026-11-29T20:09:44+00:00",
            stopped_at="2026-11-29T20:09:45+00:00",
            result={"store": name, "complete": True, "records": 102, "unindexed": []},
        )

    monkeypatch.setattr(IndexBackfills, "latest", ends_as_ops_look)
    status = backfills.status(store)
    # THEN ops see it finished, and the index it completed: never "finished, not complete"
    assert status.backfill is not None
    assert status.backfill.status == "SUCCEEDED"
    assert status.complete is True
    assert status.complete_since is not None


def test_ops_status_says_since_when_the_index_is_what_it_is_now(
    backfills: IndexBackfills, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = "site_leads"
    completeness = IdentifierIndex(backfills.physical_names["IdentifierIndexTable"]).completeness
    monkeypatch.setattr(IndexBackfills, "latest", lambda self, name: None)
    # GIVEN a store never backfilled
    never = backfills.status(store)
    assert (never.complete, never.complete_since, never.incomplete_since) == (False, None, None)
    assert never.reason == "no backfill has completed it"

    # WHEN its backfill completes it, THEN it is complete since then
    completeness.mark_complete(store, {"records": 3})
    first = backfills.status(store)
    assert first.complete is True
    assert first.complete_since is not None

    # WHEN an item cannot be indexed, THEN it is not complete since that moment, saying why
    before = to_iso(utc_now())  # milliseconds, as the marks are written
    completeness.note_unindexed(store, "lead#7", "indexing failed (ClientError)")
    completeness.note_unindexed(store, "lead#8", "indexing failed (ClientError)")
    broken = backfills.status(store)
    assert broken.complete is False
    assert broken.complete_since is None
    assert broken.incomplete_since is not None
    assert _moment(broken.incomplete_since) >= _moment(before)
    assert broken.reason == "2 objects not indexed"

    # WHEN both are indexed again, THEN it is complete since then, not since the backfill
    completeness.clear_unindexed(store, "lead#7")
    assert backfills.status(store).incomplete_since == broken.incomplete_since
    completeness.clear_unindexed(store, "lead#8")
    again = backfills.status(store)
    assert again.complete is True
    assert again.complete_since is not None
    assert _moment(again.complete_since) >= _moment(broken.incomplete_since)
    assert again.incomplete_since is None

    # WHEN a rebuild starts, THEN it is not complete since then, naming the backfill
    completeness.note_backfill(store, "arn:aws:states:eu-west-1:1:execution:x:site_leads-r")
    completeness.mark_incomplete(store)
    rebuilding = backfills.status(store)
    assert rebuilding.complete is False
    assert rebuilding.incomplete_since is not None
    assert _moment(rebuilding.incomplete_since) >= _moment(again.complete_since)
    assert rebuilding.reason is not None
    assert "backfill arn:aws:states:eu-west-1:1:execution:x:site_leads-r" in rebuilding.reason


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_request_while_a_backfill_runs_is_told_to_wait_for_that_backfill(
    backfills: IndexBackfills,
) -> None:
    store = "site_leads"
    completeness = IdentifierIndex(backfills.physical_names["IdentifierIndexTable"]).completeness
    execution = "arn:aws:states:eu-west-1:123456789012:execution:index-backfill:site_leads-1"
    # GIVEN ops started the store's backfill, which has not completed the index yet
    completeness.note_backfill(store, execution)
    # WHEN a request looks the person up there
    with pytest.raises(IndexIncomplete) as parked:
        completeness.require_complete(store)
    # THEN it is told which backfill it waits for, not to start one
    message = str(parked.value)
    assert f"backfill {execution} (started " in message
    assert "has not completed it yet" in message
    assert "run the backfill (rightsflow ops index" not in message
    # WHEN that backfill completes the index, THEN the lookup goes on
    completeness.mark_complete(store)
    completeness.require_complete(store)
