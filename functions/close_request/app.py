"""CloseRequest state: settles the outcome and sends the person the closing notice."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.integration.mailer import Mailer
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.observability import STEP_CORRELATION, instrumented
from rightsflow.settings import NoticeSettings

settings = NoticeSettings.from_environment()
store = RequestsStore(settings.requests_table, settings.audit_table)
mailer = Mailer(settings.sender_address)


@instrumented(STEP_CORRELATION)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from rightsflow.service import steps

    return steps.close_request(store, mailer, settings.gdpr_page_url, event["request_id"])
