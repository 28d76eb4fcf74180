"""Intake API: the person's HTTP entry point (submit a request, read its status)."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.domain.requests import Channel, PublicView, Receipt, Submission
from rightsflow.http_api import make_resolver, resolve
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.observability import instrumented
from rightsflow.service import status
from rightsflow.service.intake import Intake, IntakeCommand
from rightsflow.settings import IntakeSettings

settings = IntakeSettings.from_environment()
intake = Intake(settings)
store = RequestsStore(settings.requests_table, settings.audit_table)
app = make_resolver()

IdempotencyKey = Annotated[
    str | None,
    Header(alias="idempotency-key", min_length=1, max_length=255, pattern=r"^[\x21-\x7e]+$"),
]
RequestToken = Annotated[str | None, Header(alias="x-request-token", max_length=200)]
RequestId = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,80}$")]


@app.post("/requests", responses={202: {"description": "Request received"}})
def submit_request(
    submission: Annotated[Submission, Body()], idempotency_key: IdempotencyKey = None
) -> Response[Receipt]:
    receipt = intake.submit(
        IntakeCommand(submission=submission, channel=Channel.WEB, idempotency_key=idempotency_key)
    )
    return Response(status_code=202, content_type=content_types.APPLICATION_JSON, body=receipt)


@app.get("/requests/<request_id>")
def read_request(request_id: RequestId, token: RequestToken = None) -> PublicView:
    return status.public_view(store, request_id, token)


@instrumented(correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    intake.idempotency_config.register_lambda_context(context)
    return resolve(app, event, context, settings.max_body_bytes)
