"""Intake API: the person's HTTP entry point (submit a request, prove it is them, follow it,
download its package), and the answer to every route the HTTP API does not have."""

from datetime import timedelta
from functools import cache
from http import HTTPStatus
from importlib import resources
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.integration.mailer import Mailer
from rightsflow.integration.registry import PrivacyRegistry
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.results_bucket import ResultsBucket
from rightsflow.integration.send_limits import SendLimits
from rightsflow.integration.workflow import Workflow
from rightsflow.observability import instrumented
from rightsflow.settings import PeopleApiSettings

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

    from rightsflow.service.intake import Intake

settings = PeopleApiSettings.from_environment()
store = RequestsStore(settings.requests_table, settings.audit_table)
workflow = Workflow(settings.state_machine_arn)
mailer = Mailer(settings.sender_address)
results = ResultsBucket(settings.fulfilment_bucket, settings.download_endpoint)
send_limits = SendLimits(settings.send_limits_table, settings.max_codes_per_address_per_day)
if settings.registry_table is None:
    raise RuntimeError("REGISTRY_TABLE is not set: the intake API honours opt-outs at once")
registry = PrivacyRegistry(settings.registry_table)


@cache
def _intake() -> "Intake":
    from rightsflow.service.intake import Intake

    return Intake(settings)


@cache
def resolver() -> "APIGatewayHttpResolver":
    """The routes, built by the first request, not at import: their request validation loads
    pydantic and the request models (rightsflow.api_document builds them too)."""
    from aws_lambda_powertools.event_handler import Response, content_types
    from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path
    from pydantic import BaseModel, ConfigDict, Field

    from rightsflow.domain.language import from_accept_language
    from rightsflow.domain.lifecycle import Status
    from rightsflow.domain.requests import Channel, GpcSignal, PublicView, Receipt, Submission
    from rightsflow.domain.verification import MAX_RESENDS
    from rightsflow.http_api import OPENAPI_FILE, answers, make_resolver
    from rightsflow.service import opt_outs, status, verification
    from rightsflow.service.intake import IntakeCommand
    from rightsflow.service.opt_outs import GpcRecorded

    app = make_resolver()
    IdempotencyKey = Annotated[  # noqa: N806
        str | None,
        Header(
            alias="idempotency-key",
            min_length=1,
            max_length=255,
            pattern=r"^[\x21-\x7e]+$",
            description="One per form submission: a retry with the same key and body answers the "
            "first receipt and starts nothing new",
        ),
    ]
    RequestToken = Annotated[  # noqa: N806
        str | None,
        Header(alias="x-request-token", max_length=200, description="The receipt's status_token"),
    ]
    # Browsers with Global Privacy Control send `Sec-GPC: 1` (Cal. Code Regs. tit. 11 § 7025).
    GpcHeader = Annotated[  # noqa: N806
        str | None,
        Header(
            alias="sec-gpc",
            max_length=16,
            description="Global Privacy Control: `1` also records an opt-out of sale and sharing "
            "for the identifiers given",
        ),
    ]
    # The browser's languages: the request is answered in the first we write, unless the body's
    # `language` names one.
    AcceptLanguage = Annotated[  # noqa: N806
        str | None,
        Header(
            alias="accept-language",
            max_length=500,
            description="The language to write to the person in when the body names none (the "
            "first one we write; else English)",
        ),
    ]
    RequestId = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,80}$")]  # noqa: N806

    @app.post(
        "/requests",
        status_code=202,
        response_description="Received (or joined to an open request of the same type)",
        responses=answers(
            409,
            422,
            ok=(202, Receipt, "Received, or joined to the same person's open request of that type"),
            s409="A request with this Idempotency-Key is still in progress",
        ),
    )
    def submit_request(
        submission: Annotated[Submission, Body()],
        idempotency_key: IdempotencyKey = None,
        sec_gpc: GpcHeader = None,
        accept_language: AcceptLanguage = None,
    ) -> Response[Receipt]:
        receipt = _intake().submit(
            IntakeCommand(
                submission=submission,
                channel=Channel.WEB,
                idempotency_key=idempotency_key,
                gpc=(sec_gpc or "").strip() == "1",
                language=from_accept_language(accept_language),
            )
        )
        return Response(status_code=202, content_type=content_types.APPLICATION_JSON, body=receipt)

    @app.post(
        "/gpc",
        responses=answers(
            422, ok=(200, GpcRecorded, "Recorded: the same answer whether or not we know them")
        ),
    )
    def record_gpc(signal: Annotated[GpcSignal, Body()]) -> GpcRecorded:
        """A Global Privacy Control signal for the identifiers given: an opt-out of sale and
        sharing, honoured at once; the answer is the same whether or not we know them."""
        return opt_outs.record_gpc(registry, store, signal)

    @app.get(
        "/requests/<request_id>",
        responses=answers(404, ok=(200, PublicView, "The request as the person may see it")),
    )
    def read_request(request_id: RequestId, token: RequestToken = None) -> PublicView:
        return status.public_view(store, request_id, token, settings.time_scale)

    class DownloadLink(BaseModel):
        download_url: str = Field(description="A link to the zip, valid for a few minutes")
        expires_at: str = Field(description="When this link stops working (UTC)")

    @app.get(
        "/requests/<request_id>/package",
        responses={
            303: {
                "description": "See Other: Location is a download link valid for a few minutes",
                "headers": {"Location": {"schema": {"type": "string"}}},
            },
            200: {
                "description": "With `Accept: application/json`: the link, as JSON",
                "content": {content_types.APPLICATION_JSON: {"model": DownloadLink}},
            },
            **answers(
                404,
                410,
                s404="No such request, a wrong token, or no package (yet)",
                s410="The package was kept for its promised 7 days and is deleted",
            ),
        },
    )
    def download_package(request_id: RequestId, token: RequestToken = None) -> Response[Any]:
        link = status.package_link(store, results, request_id, token, settings.time_scale)
        accept = app.current_event.headers.get("accept", "") or ""
        if "application/json" in accept.lower():
            body = DownloadLink(download_url=link.url, expires_at=link.expires_at)
            return Response(HTTPStatus.OK, content_types.APPLICATION_JSON, body)
        return Response(
            HTTPStatus.SEE_OTHER,
            content_types.TEXT_PLAIN,
            "",
            headers={"Location": link.url, "Cache-Control": "no-store"},
        )

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

    @app.post(
        "/requests/<request_id>/verify",
        responses={
            200: {
                "description": "Verified: the request goes ahead",
                "content": {content_types.APPLICATION_JSON: {"model": VerificationAnswer}},
            },
            **answers(
                400,
                404,
                409,
                410,
                s400="Not JSON or not UTF-8 text; or a wrong code (`attempts_left` says how many remain)",
                s409="The request is not waiting for a code",
                s410="The code expired",
            ),
        },
    )
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

    @app.post(
        "/requests/<request_id>/verify/resend",
        responses=answers(
            404,
            409,
            429,
            ok=(200, ResendAnswer, "A new code was e-mailed; the old one no longer works"),
            s409="The request is not waiting for a code",
            s429="At most 3 new codes per request, one a minute, and a daily limit per address",
        ),
    )
    def resend(request_id: RequestId) -> ResendAnswer:
        record = verification.resend_code(
            store,
            mailer,
            settings.gdpr_page_url,
            request_id,
            timedelta(seconds=settings.verification_resend_seconds),
            limits=send_limits,
        )
        assert record.verification is not None
        return ResendAnswer(
            request_id=request_id,
            status=record.status,
            resends_left=MAX_RESENDS - record.verification.resends_used,
        )

    @app.get(
        "/openapi.json",
        responses={
            200: {
                "description": "This document: every route of the HTTP API",
                "content": {content_types.APPLICATION_JSON: {"schema": {"type": "object"}}},
            }
        },
    )
    def openapi_document() -> Response[str]:
        text = resources.files("rightsflow").joinpath(OPENAPI_FILE).read_text(encoding="utf-8")
        return Response(HTTPStatus.OK, content_types.APPLICATION_JSON, text)

    return app


@instrumented(correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from rightsflow.http_api import resolve

    _intake().idempotency_config.register_lambda_context(context)
    return resolve(resolver(), event, context, settings.max_body_bytes)
