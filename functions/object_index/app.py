"""ObjectIndexFunction: keeps the object index over the S3 stores current from their buckets'
event notifications, and does the S3 part of the backfill (`rightsflow ops index STORE` starts
IndexBackfillStateMachine): `prepare` checks the store's notifications are on, `batch` indexes
a batch of the listed objects, `versions` indexes the noncurrent versions under the
store's prefix (page after page, going on where the last call stopped), `finish` adds up
the map run's results and declares the store's index complete."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.observability import instrumented, logger, metrics
from rightsflow.settings import ObjectIndexSettings

if TYPE_CHECKING:
    from rightsflow.service.object_indexing import ObjectIndexing

settings = ObjectIndexSettings.from_environment()


@cache
def _indexing() -> ObjectIndexing:
    """Built by the first event, not at import: it reads the data map (pydantic, PyYAML) and the
    SSM parameter naming the stores; pyarrow loads only where a Parquet object is met."""
    from rightsflow.domain.data_map import load_data_map
    from rightsflow.integration.object_index import ObjectIndex
    from rightsflow.integration.store_names import from_parameter
    from rightsflow.service.object_indexing import ObjectIndexing

    data_map = load_data_map()
    if data_map.object_index is None:  # pragma: no cover - the template wires it
        raise RuntimeError("the data map declares no object_index")
    names = settings.data_stores
    if settings.data_stores_parameter:
        names = {**names, **from_parameter(settings.data_stores_parameter)}
    return ObjectIndexing(
        data_map, names, ObjectIndex(names[data_map.object_index]), settings.results_bucket
    )


@instrumented("store")
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from rightsflow.service.object_indexing import IndexingFailed

    indexing = _indexing()
    if "Records" in event:
        try:
            counts = indexing.handle_events(event["Records"])
        except IndexingFailed as failed:
            logger.exception(
                "objects not indexed: noted, delivered again", extra={"stores": failed.stores}
            )
            metrics.add_metric(name="ObjectIndexFailures", unit="Count", value=1)
            raise
        metrics.add_metric(name="ObjectsIndexed", unit="Count", value=counts.indexed)
        return counts.as_dict()
    action, store = event.get("action"), str(event.get("store", ""))
    if store not in indexing.data_map.object_stores():
        raise ValueError(f"store: {store!r} is not an S3 store of the data map")
    rebuild = bool(event.get("rebuild"))
    if action == "prepare":
        return indexing.prepare_backfill(
            store, context.invoked_function_arn, rebuild, str(event.get("execution") or "")
        )
    if action == "batch":
        return indexing.backfill_batch(store, list(event.get("items", [])), rebuild)
    if action == "versions":
        # Leaves a minute of the function's time to write what it did.
        seconds = max(10.0, context.get_remaining_time_in_millis() / 1000 - 60)
        return indexing.backfill_versions(store, event.get("from") or {}, rebuild, seconds)
    if action == "finish":
        result = indexing.finish_backfill(store, event["written"], event.get("versions"))
        logger.info(
            "backfill finished",
            extra={"store": store, "objects": result["objects"], "complete": result["complete"]},
        )
        return result
    raise ValueError(f"action: {action!r} is not prepare, batch, versions or finish")
