"""Intake API: the person's HTTP entry point (submit a request, read its status)."""

from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.http_api import resolve
from rightsflow.integration.mailer import Mailer
from rightsflow.integration.registry import PrivacyRegistry
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.workflow import Workflow
from rightsflow.observability import instrumented
from rightsflow.settings import IntakeSettings

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

    from rightsflow.service.intake import Intake

settings = IntakeSettings.from_environment()
store = RequestsStore(settings.requests_table, settings.audit_table)
workflow = Workflow(settings.state_machine_arn)
mailer = Mailer(settings.sender_address)
if settings.registry_table is None:
    raise RuntimeError("REGISTRY_TABLE is not set: the intake API honours opt-outs at once")
registry = PrivacyRegistry(settings.registry_table)


@cache
def _intake() -> "Intake":
    from rightsflow.service.intake import Intake

    return Intake(settings)


@cache
def _app() -> "APIGatewayHttpResolver":
    """The routes, built by the first request, not at import: their request validation loads
    pydantic and the request models."""
    from aws_lambda_powertools.event_handler import Response, content_types
    from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path
    from pydantic import BaseModel, ConfigDict, Field

    from rightsflow.domain.lifecycle import Status
    from rightsflow.domain.requests import Channel, GpcSignal, PublicView, Receipt, Submission
    from rightsflow.domain.verification import MAX_RESENDS
    from rightsflow.http_api import make_resolver
    from rightsflow.service import opt_outs, status, verification
    from rightsflow.service.intake import IntakeCommand
    from rightsflow.service.opt_outs import GpcRecorded

    app = make_resolver()
    IdempotencyKey = Annotated[  # noqa: N806
        str | None,
        Header(alias="idempotency-key", min_length=1, max_length=255, pattern=r"^[\x21-\x7e]+$"),
    ]
    RequestToken = Annotated[str | None, Header(alias="x-request-token", max_length=200)]  # noqa: N806
    # Browsers with Global Privacy Control send `Sec-GPC: 1` (Cal. Code Regs. tit. 11 § 7025).
    GpcHeader = Annotated[str | None, Header(alias="sec-gpc", max_length=16)]  # noqa: N806
    RequestId = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,80}$")]  # noqa: N806

    @app.post("/requests", responses={202: {"description": "Request received"}})
    def submit_request(
        submission: Annotated[Submission, Body()],
        idempotency_key: IdempotencyKey = None,
        sec_gpc: GpcHeader = None,
    ) -> Response[Receipt]:
        receipt = _intake().submit(
            IntakeCommand(
                submission=submission,
                channel=Channel.WEB,
                idempotency_key=idempotency_key,
                gpc=(sec_gpc or "").strip() == "1",
            )
        )
        return Response(status_code=202, content_type=content_types.APPLICATION_JSON, body=receipt)

    @app.post("/gpc")
    def record_gpc(signal: Annotated[GpcSignal, Body()]) -> GpcRecorded:
        """A Global Privacy Control signal for the identifiers given: an opt-out of sale and
        sharing, honoured at once; the answer is the same whether or not we know them."""
        return opt_outs.record_gpc(registry, store, signal)

    @app.get("/requests/<request_id>")
    def read_request(request_id: RequestId, token: RequestToken = None) -> PublicView:
        return status.public_view(store, request_id, token)

    class CodeSubmission(BaseModel):
        model_config = ConfigDict(extra="forbid")

        code: str = Field(min_length=1, max_length=32, description="The code from the e-mail")

    class VerificationAnswer(BaseModel):
        request_id: str
        status: Status
        verified: bool

    class ResendAnswer(BaseModel):
        request_id: str
        status: Status
        resends_left: int

    @app.post("/requests/<request_id>/verify")
    def verify(request_id: RequestId, body: Annotated[CodeSubmission, Body()]) -> Response[Any]:
        outcome = verification.submit_code(
            store, workflow, request_id, body.code, settings.time_scale
        )
        answer = VerificationAnswer(
            request_id=request_id, status=outcome.record.status, verified=outcome.verified
        )
        if outcome.verified:
            return Response(200, content_types.APPLICATION_JSON, answer)
        message = (
            "wrong code; no attempts left: the request is closed unverified"
            if outcome.attempts_left <= 0
            else f"wrong code; {outcome.attempts_left} attempts left"
        )
        return Response(
            400,
            content_types.APPLICATION_JSON,
            {
                "error": "wrong_code",
                "message": message,
                "field": "code",
                "attempts_left": max(outcome.attempts_left, 0),
                **answer.model_dump(mode="json"),
            },
        )

    @app.post("/requests/<request_id>/verify/resend")
    def resend(request_id: RequestId) -> ResendAnswer:
        record = verification.resend_code(
            store,
            mailer,
            settings.gdpr_page_url,
            request_id,
            timedelta(seconds=settings.verification_resend_seconds),
        )
        assert record.verification is not None
        return ResendAnswer(
            request_id=request_id,
            status=record.status,
            resends_left=MAX_RESENDS - record.verification.resends_used,
        )

    return app


@instrumented(correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    _intake().idempotency_config.register_lambda_context(context)
    return resolve(_app(), event, context, settings.max_body_bytes)
