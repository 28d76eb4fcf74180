"""RouteByRole, ForwardToBrand / RemindBrand / EscalateBrandSilence, SettleRouting, ReportToBrands."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.domain.data_map import load_data_map
from rightsflow.integration.brand_inbox import BrandInbox
from rightsflow.integration.mailer import Mailer
from rightsflow.integration.ops_notifier import OpsNotifier
from rightsflow.integration.outcomes_store import OutcomesStore
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.secrets import secret_value
from rightsflow.observability import STEP_CORRELATION, instrumented
from rightsflow.service.brand_channel import BrandChannel
from rightsflow.service.routing import BrandRouting
from rightsflow.settings import BrandSettings

settings = BrandSettings.from_environment()
data_map = load_data_map()
routing = BrandRouting(
    requests=RequestsStore(settings.requests_table, settings.audit_table),
    data_map=data_map,
    inbox=BrandInbox(settings.inbox_table),
    channel=BrandChannel(
        data_map,
        settings.data_stores,
        secret_value(settings.brand_secret_arn),
        Mailer(settings.sender_address),
    ),
    notifier=OpsNotifier(settings.ops_topic_arn),
    scale=settings.time_scale,
)
outcomes = OutcomesStore(settings.outcomes_table)


@instrumented(STEP_CORRELATION)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
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
