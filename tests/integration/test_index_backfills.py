"""What ops see of a store's index and its backfill (GET /ops/stores/{store}/index), on moto: a
backfill seen finished is seen with the index it left."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Final

import boto3
import pytest
from moto import mock_aws

from rightsflow.domain.data_map import load_data_map
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
