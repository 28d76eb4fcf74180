"""What ops do once after deploying, done by the local stack after it deploys: the backfill of
every store's index (`rightsflow ops index STORE` in AWS), through IndexBackfillStateMachine
itself, so that every store's index is complete before the first request."""

from __future__ import annotations

import time

from rightsflow.domain.data_map import DataMap
from rightsflow.local.stack import LocalStack
from rightsflow.service.index_backfills import BackfillRun, IndexBackfills


def backfills(stack: LocalStack, data_map: DataMap) -> IndexBackfills:
    return IndexBackfills(
        data_map, stack.physical_ids, stack.outputs["IndexBackfillStateMachineArn"]
    )


def backfill_indexes(
    stack: LocalStack, data_map: DataMap, timeout: float = 300.0
) -> dict[str, int]:
    """Backfill every store's index, all at once, and wait; returns the records counted per
    store. Raises RuntimeError naming a store whose backfill failed or left it incomplete."""
    runs = backfills(stack, data_map)
    started = {store: runs.start(store) for store in runs.indexed()}
    finished: dict[str, BackfillRun] = {}
    deadline = time.monotonic() + timeout
    while len(finished) < len(started):
        for store, run in started.items():
            if store not in finished:
                now = runs.describe(run.execution_arn)
                if now.status != "RUNNING":
                    finished[store] = now
        if len(finished) < len(started):
            if time.monotonic() > deadline:
                raise RuntimeError(f"index backfills still running after {timeout:.0f} s")
            time.sleep(0.05)
    for store, run in finished.items():
        if run.status != "SUCCEEDED" or not (run.result or {}).get("complete"):
            raise RuntimeError(f"{store}: its index backfill did not complete: {run}")
    return {store: int((run.result or {}).get("records", 0)) for store, run in finished.items()}
