"""PlanFulfilment, FulfilStore and RecordStoreFailure (one Map iteration per store) and AssembleResult."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.integration.mailer import Mailer
from rightsflow.integration.outcomes_store import OutcomesStore
from rightsflow.integration.registry import PrivacyRegistry
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.results_bucket import ResultsBucket
from rightsflow.integration.secrets import secret_value
from rightsflow.observability import STEP_CORRELATION, instrumented, metrics
from rightsflow.settings import FulfilmentSettings

if TYPE_CHECKING:
    from rightsflow.service.fulfilment import Fulfilment

settings = FulfilmentSettings.from_environment()


@cache
def _fulfilment() -> Fulfilment:
    """Built on first use, not at import: it reads the data map and the vendors' signing secret
    (Secrets Manager), and a cold start must not fail on a secret (a step's failure retries)."""
    from rightsflow.domain.data_map import load_data_map
    from rightsflow.integration.directory import Directory
    from rightsflow.service.fulfilment import Fulfilment

    registry = PrivacyRegistry(settings.registry_table)
    return Fulfilment(
        requests=RequestsStore(settings.requests_table, settings.audit_table),
        directory=Directory(
            load_data_map(),
            settings.data_stores,
            secret_value(settings.vendor_secret_arn),
            registry,
            settings.sql_reach(),
        ),
        outcomes=OutcomesStore(settings.outcomes_table),
        registry=registry,
        results=ResultsBucket(settings.fulfilment_bucket, settings.download_endpoint),
        mailer=Mailer(settings.sender_address),
        gdpr_page_url=settings.gdpr_page_url,
        scale=settings.time_scale,
        min_package_seconds=settings.min_package_seconds,
        index_settle_seconds=settings.index_settle_seconds,
    )


@instrumented(STEP_CORRELATION)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    fulfilment = _fulfilment()
    request_id = event["request_id"]
    step = event["step"]
    if step == "plan":
        return {"request_id": request_id, "plan": fulfilment.plan(request_id)}
    if step == "store":
        try:
            return fulfilment.fulfil_store(request_id, event["store"])
        except Exception:
            metrics.add_dimension(name="store", value=event["store"])
            metrics.add_metric(name="FulfilmentFailures", unit="Count", value=1)
            raise
    if step == "store_failed":
        return fulfilment.record_failure(request_id, event["store"], event.get("error") or {})
    if step == "assemble":
        return fulfilment.assemble(request_id, event["stores"])
    raise ValueError(f"unknown fulfilment step {step!r}")
