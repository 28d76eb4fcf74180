"""What ops do once after deploying, done by the local stack after it deploys: the backfill of
every store's index (`rightsflow ops index STORE` in AWS), through IndexBackfillStateMachine
itself, so that every store's index is complete before the first request."""

from __future__ import annotations

import json
import time

from rightsflow.domain.data_map import DataMap
from rightsflow.local.stack import LocalStack
from rightsflow.service.index_backfills import BackfillRun, IndexBackfills


class OnboardingFailed(RuntimeError):
    """A store's start-up backfill did not complete; the message is one sentence naming the
    store and what to change."""


def backfills(stack: LocalStack, data_map: DataMap) -> IndexBackfills:
    return IndexBackfills(
        data_map, stack.physical_ids, stack.outputs["IndexBackfillStateMachineArn"]
    )


def backfill_indexes(
    stack: LocalStack, data_map: DataMap, timeout: float = 300.0
) -> dict[str, int]:
    """Backfill every store's index, all at once, and wait; returns the records counted per
    store. Raises OnboardingFailed naming a store whose backfill failed or left it incomplete
    (and what to change)."""
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
            raise OnboardingFailed(why_incomplete(store, run, data_map.stores[store].prefix))
    return {store: int((run.result or {}).get("records", 0)) for store, run in finished.items()}


def why_incomplete(store: str, run: BackfillRun, prefix: str = "") -> str:
    """One sentence for the person starting the stack: which store, and what to change (the
    message the failing step wrote for ops, never a repr or a stack trace)."""
    if run.error == "NotificationsOff":
        return (
            f"{store}: its bucket does not notify the object indexer of its objects under "
            f"'{prefix}': add an S3 event for its bucket to the Events: of ObjectIndexFunction "
            'in template.yaml (Events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"], '
            f"prefix rule '{prefix}'), then start again"
        )
    if run.status != "SUCCEEDED":
        message = ""
        try:
            message = str(json.loads(run.cause or "{}").get("errorMessage") or "")
        except (ValueError, AttributeError):
            message = ""
        return (
            f"{store}: its index backfill failed ({run.error or run.status}"
            f"{': ' + message.splitlines()[0] if message else ''})"
        )
    left = [entry.get("object") for entry in (run.result or {}).get("unindexed", [])]
    return (
        f"{store}: its index backfill left {len(left)} object(s) not indexed"
        f"{' (' + ', '.join(map(str, left[:3])) + ')' if left else ''}: fix or remove them"
    )
