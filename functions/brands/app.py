"""RouteByRole, ForwardToBrand / RemindBrand / EscalateBrandSilence, SettleRouting, ReportToBrands."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.integration.outcomes_store import OutcomesStore
from rightsflow.observability import STEP_CORRELATION, instrumented
from rightsflow.settings import BrandSettings

if TYPE_CHECKING:
    from rightsflow.service.routing import BrandRouting

settings = BrandSettings.from_environment()
outcomes = OutcomesStore(settings.outcomes_table)


@cache
def _routing() -> BrandRouting:
    """Built on first use, not at import: it reads the data map."""
    from rightsflow.domain.data_map import load_data_map
    from rightsflow.wiring import brand_routing

    return brand_routing(settings, load_data_map())


@instrumented(STEP_CORRELATION)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    routing = _routing()
    request_id = event["request_id"]
    step = event["step"]
    if step == "route":
        return {"request_id": request_id, **routing.route(request_id, event["stores"])}
    if step == "forward":
        routing.forward(request_id, event["brand"], event["task_token"], event["stage"])
    elif step == "escalate":
        routing.escalate(request_id, event["brand"], event["task_token"])
    elif step == "settle":
        return {"request_id": request_id, **routing.settle(request_id)}
    elif step == "report":
        routing.report(request_id, outcomes)
    else:
        raise ValueError(f"unknown routing step {step!r}")
    return {"request_id": request_id}
