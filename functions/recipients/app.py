"""PlanRecipientNotices, NotifyRecipient and RecordUnreachable states (GDPR Art. 19)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.integration.mailer import Mailer
from rightsflow.integration.ops_notifier import OpsNotifier
from rightsflow.integration.outcomes_store import OutcomesStore
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.secrets import secret_value
from rightsflow.observability import STEP_CORRELATION, instrumented
from rightsflow.settings import RecipientSettings

if TYPE_CHECKING:
    from rightsflow.service.recipients import Recipients

settings = RecipientSettings.from_environment()


@cache
def _recipients() -> Recipients:
    """Built on first use, not at import: it reads the data map and the vendors' signing secret
    (Secrets Manager), and a cold start must not fail on a secret (a step's failure retries)."""
    from rightsflow.domain.data_map import load_data_map
    from rightsflow.service.brand_channel import BrandChannel
    from rightsflow.service.recipients import Recipients

    data_map = load_data_map()
    mailer = Mailer(settings.sender_address)
    return Recipients(
        requests=RequestsStore(settings.requests_table, settings.audit_table),
        outcomes=OutcomesStore(settings.outcomes_table),
        data_map=data_map,
        physical_names=settings.data_stores,
        vendor_secret=secret_value(settings.vendor_secret_arn),
        brands=BrandChannel(
            data_map, settings.data_stores, lambda: secret_value(settings.brand_secret_arn), mailer
        ),
        mailer=mailer,
        notifier=OpsNotifier(settings.ops_topic_arn),
    )


@instrumented(STEP_CORRELATION)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    recipients = _recipients()
    request_id = event["request_id"]
    step = event["step"]
    if step == "plan":
        return {"request_id": request_id, **recipients.plan(request_id)}
    if step == "notify":
        recipients.notify(request_id, event["recipient"])
    elif step == "unreachable":
        error = event.get("error") or {}
        recipients.unreachable(request_id, event["recipient"], str(error.get("Error", "")))
    else:
        raise ValueError(f"unknown recipients step {step!r}")
    return {"request_id": request_id}
