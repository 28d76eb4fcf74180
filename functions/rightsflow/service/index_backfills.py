"""Backfills of the stores' indexes, as ops start and follow them (`rightsflow ops index STORE`,
`POST` and `GET /ops/stores/{store}/index`).

Two indexes, one notion of completeness (rightsflow.integration.index_completeness): the object
index over the S3 stores (kept by their buckets' notifications) and the identifier index over
the DynamoDB stores that keep identifiers as written (kept by their streams). Either is
complete for a store once its backfill, IndexBackfillStateMachine, has finished with the change
feed already on, and nothing since failed to be indexed. A backfill of an S3 store is a
Distributed Map over the store's prefix (the only listing of a bucket the product makes, once,
at onboarding); of a DynamoDB store, its pages one after the other.

What ops see: whether the index is complete (since when, what the backfill counted, which
objects could not be indexed), and the store's latest backfill: running (with the map run's
item counts), finished (its counts) or failed (its error)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from botocore.exceptions import ClientError
from pydantic import BaseModel, Field

from rightsflow.domain.data_map import DataMap
from rightsflow.domain.errors import BackfillAlreadyRunning, InvalidRequest
from rightsflow.integration import aws
from rightsflow.integration.identifier_index import IdentifierIndex
from rightsflow.integration.index_completeness import IndexCompleteness
from rightsflow.integration.object_index import ObjectIndex

StoreIndexKind = Literal["s3", "dynamodb"]


class Progress(BaseModel):
    """A Distributed Map run's items (objects) so far, as DescribeMapRun counts them."""

    total: int
    succeeded: int
    failed: int
    pending: int
    running: int


class BackfillRun(BaseModel):
    execution_arn: str
    status: str = Field(description="RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED")
    started_at: str
    stopped_at: str | None = None
    progress: Progress | None = Field(default=None, description="S3 stores: objects so far")
    result: dict[str, Any] | None = Field(
        default=None, description="what it counted, once finished"
    )
    error: str | None = None
    cause: str | None = None


class Unindexed(BaseModel):
    object: str
    reason: str


class IndexStatus(BaseModel):
    store: str
    kind: StoreIndexKind
    complete: bool
    complete_since: str | None = Field(
        default=None, description="when it became complete; only while it is complete"
    )
    incomplete_since: str | None = Field(
        default=None,
        description="while it is not complete: when it stopped being complete (the first "
        "object not indexed was noted, or a rebuild started); none if it never was",
    )
    reason: str | None = Field(default=None, description="why it is not complete")
    counts: dict[str, int] = Field(
        default_factory=dict,
        description="what the backfill that last completed it counted (the latest backfill's "
        "own counts are in `backfill`)",
    )
    unindexed: list[Unindexed] = Field(default_factory=list)
    backfill: BackfillRun | None = Field(default=None, description="the latest backfill")


@dataclass(frozen=True)
class IndexBackfills:
    data_map: DataMap
    physical_names: dict[str, str]  # template logical id -> physical name
    state_machine_arn: str

    # ------------------------------------------------------------------ which index
    def kind(self, store: str) -> StoreIndexKind:
        """Raises InvalidRequest (naming `store`) for a store without an index of ours."""
        if store in self.data_map.object_stores():
            return "s3"
        if store in self.data_map.indexed_stores():
            return "dynamodb"
        if store in self.data_map.stores:
            raise InvalidRequest(
                "store", f"{store} is reached by its own keys and needs no index of ours"
            )
        raise InvalidRequest("store", f"{store} is not a store of the data map")

    def indexed(self) -> list[str]:
        """Every store with an index of ours: the S3 stores, then the as_written tables."""
        return [*self.data_map.object_stores(), *self.data_map.indexed_stores()]

    def completeness(self, store: str) -> IndexCompleteness:
        if self.kind(store) == "s3":
            table = self.physical_names[str(self.data_map.object_index)]
            return ObjectIndex(table).completeness
        table = self.physical_names[str(self.data_map.identifier_index)]
        return IdentifierIndex(table).completeness

    # ------------------------------------------------------------------ starting one
    def start(self, store: str, rebuild: bool = False) -> BackfillRun:
        """Start the store's backfill (with `rebuild`, after a canonical form changed: the
        index is marked incomplete and every object or item indexed again, whatever was
        indexed of it before). Raises BackfillAlreadyRunning while one runs."""
        kind = self.kind(store)
        latest = self.latest(store)
        if latest is not None and latest.status == "RUNNING":
            raise BackfillAlreadyRunning(
                f"{store}: a backfill is already running ({latest.execution_arn})"
            )
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        name = f"{store}-{stamp}-{uuid.uuid4().hex[:8]}"  # store names are no personal data
        payload: dict[str, Any] = {"store": store, "kind": kind, "rebuild": rebuild}
        if kind == "dynamodb":
            # IdentifierIndexFunction's own payload; each page's answer names the next one.
            request = {"backfill": [store], "cursor": None, "rebuild": rebuild}
            payload |= {"request": request, "indexed": 0}
        try:
            answer = aws.stepfunctions().start_execution(
                stateMachineArn=self.state_machine_arn, name=name, input=json.dumps(payload)
            )
        except Exception as error:
            raise aws.as_transient(error, f"starting the backfill of {store}") from error
        return BackfillRun(
            execution_arn=answer["executionArn"],
            status="RUNNING",
            started_at=_iso(answer["startDate"]),
        )

    # ------------------------------------------------------------------ following one
    def status(self, store: str) -> IndexStatus:
        """The store's index and its latest backfill. The backfill is read first: a backfill
        marks the index complete before its execution ends, so a backfill seen finished is
        always seen with what it left (read the other way round, a rebuild ending between the
        two reads showed as finished with its index not complete)."""
        kind = self.kind(store)
        backfill = self.latest(store)
        completeness = self.completeness(store)
        now = completeness.state(store)
        mark = completeness.mark(store)
        unindexed = [
            Unindexed(object=where, reason=why) for where, why in completeness.unindexed(store)
        ]
        counts = {
            name: value
            for name, value in (mark or {}).items()
            if isinstance(value, int) and not isinstance(value, bool)
        }
        return IndexStatus(
            store=store,
            kind=kind,
            complete=now.complete,
            complete_since=now.since if now.complete else None,
            incomplete_since=None if now.complete else now.since,
            reason=now.reason,
            counts=counts,
            unindexed=unindexed,
            backfill=backfill,
        )

    def latest(self, store: str) -> BackfillRun | None:
        """The store's most recent backfill (executions are named after their store)."""
        found = None
        for execution in self._executions():
            if execution["name"].rsplit("-", 2)[0] == store and (
                found is None or execution["startDate"] > found["startDate"]
            ):
                found = execution
        return self.describe(found["executionArn"]) if found else None

    def _executions(self) -> Iterator[dict[str, Any]]:
        try:
            pages = (
                aws.stepfunctions()
                .get_paginator("list_executions")
                .paginate(stateMachineArn=self.state_machine_arn)
            )
            for page in pages:
                yield from (dict(item) for item in page.get("executions", []))
        except Exception as error:
            raise aws.as_transient(error, "listing the backfills") from error

    def describe(self, execution_arn: str) -> BackfillRun:
        client = aws.stepfunctions()
        try:
            described = client.describe_execution(executionArn=execution_arn)
            runs = client.list_map_runs(executionArn=execution_arn).get("mapRuns", [])
            counts = (
                client.describe_map_run(mapRunArn=runs[-1]["mapRunArn"])["itemCounts"]
                if runs
                else None
            )
        except ClientError as error:
            raise aws.as_transient(error, "reading a backfill") from error
        output = described.get("output")
        return BackfillRun(
            execution_arn=execution_arn,
            status=described["status"],
            started_at=_iso(described["startDate"]),
            stopped_at=_iso(described["stopDate"]) if described.get("stopDate") else None,
            progress=Progress(
                total=counts.get("total", 0),
                succeeded=counts.get("succeeded", 0),
                failed=counts.get("failed", 0) + counts.get("timedOut", 0),
                pending=counts.get("pending", 0),
                running=counts.get("running", 0),
            )
            if counts is not None
            else None,
            result=json.loads(output) if output else None,
            error=described.get("error"),
            cause=described.get("cause"),
        )


def _iso(moment: Any) -> str:
    return moment.isoformat() if isinstance(moment, datetime) else str(moment)
