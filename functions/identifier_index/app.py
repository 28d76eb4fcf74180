"""IdentifierIndexFunction: keeps our canonical identifier index over the DynamoDB stores that
keep identifiers as written (their streams), and backfills it once at onboarding:

    aws lambda invoke --function-name <IdentifierIndexFunction> \
        --cli-binary-format raw-in-base64-out --payload '{"backfill": "all"}' out.json

(call again with the answer's `next` until it says `"complete": true`). After the canonical
form of an identifier changes, `{"backfill": "all", "rebuild": true}` empties each store's
index first, so that no entry filed under the old form is left."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.integration.identifier_index import IdentifierIndex
from rightsflow.observability import instrumented, logger, metrics
from rightsflow.settings import DataStoreSettings

if TYPE_CHECKING:
    from rightsflow.service.identifier_indexing import IdentifierIndexing

settings = DataStoreSettings.from_environment()


@cache
def _indexing() -> IdentifierIndexing:
    """Built on first use, not at import: it reads the data map."""
    from rightsflow.domain.data_map import load_data_map
    from rightsflow.service.identifier_indexing import IdentifierIndexing

    data_map = load_data_map()
    if data_map.identifier_index is None:  # pragma: no cover - the template wires it
        raise RuntimeError("the data map declares no identifier_index")
    return IdentifierIndexing(
        data_map,
        settings.data_stores,
        IdentifierIndex(settings.data_stores[data_map.identifier_index]),
    )


@instrumented("backfill")
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from rightsflow.service.identifier_indexing import IndexingFailed

    indexing = _indexing()
    if "Records" in event:
        try:
            result = indexing.handle_stream(event["Records"])
        except IndexingFailed as failed:
            logger.exception(
                "indexing failed: index marked incomplete", extra={"store": failed.store}
            )
            metrics.add_metric(name="IdentifierIndexFailures", unit="Count", value=1)
            raise
        if result.unknown_tables:
            logger.warning(
                "stream of a table no store indexes",
                extra={"tables": sorted(result.unknown_tables)},
            )
        return {"indexed": result.indexed}
    wanted = event.get("backfill")
    indexed = indexing.data_map.indexed_stores()
    stores = list(indexed) if wanted == "all" else list(wanted or [])
    unknown = [name for name in stores if name not in indexed]
    if not stores or unknown:
        raise ValueError(
            f"backfill names stores with an as_written lookup, or 'all'; not {unknown or wanted}"
        )
    return indexing.backfill(
        stores,
        event.get("cursor"),
        context.get_remaining_time_in_millis,
        rebuild=bool(event.get("rebuild")),
        clearing=event.get("clearing"),
    )
