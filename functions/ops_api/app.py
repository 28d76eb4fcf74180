"""Ops API: the ops team reads and acts on requests (IAM-authorized in AWS; locally, the token
`rightsflow local` prints)."""

from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.integration.inbound_mail_store import TriageStore
from rightsflow.integration.mailer import Mailer
from rightsflow.integration.requests_index import RequestsIndex
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.workflow import Workflow
from rightsflow.observability import instrumented
from rightsflow.settings import OpsApiSettings

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

    from rightsflow.service.index_backfills import IndexBackfills
    from rightsflow.service.intake import Intake

settings = OpsApiSettings.from_environment()
store = RequestsStore(settings.requests_table, settings.audit_table)
workflow = Workflow(settings.state_machine_arn)
mailer = Mailer(settings.sender_address)


@cache
def _intake() -> "Intake":
    from rightsflow.service.intake import Intake

    return Intake(settings)


@cache
def _backfills() -> "IndexBackfills":
    """Made on first use: the data map (and PyYAML) load with the first backfill call, not at
    every cold start of the ops API."""
    from rightsflow.domain.data_map import load_data_map
    from rightsflow.service.index_backfills import IndexBackfills

    return IndexBackfills(
        load_data_map(), settings.data_stores, settings.index_backfill_state_machine_arn
    )


@cache
def resolver() -> "APIGatewayHttpResolver":  # noqa: PLR0915 - the routes, one after another
    """The routes, built by the first request, not at import: their request validation loads
    pydantic and the request models, and the console and triage the domain
    (rightsflow.api_document builds them too)."""
    from aws_lambda_powertools.event_handler import Response, content_types
    from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
    from pydantic import BaseModel, ConfigDict, Field, field_validator

    from rightsflow.domain.deadlines import normalise_jurisdiction
    from rightsflow.domain.errors import InvalidRequest
    from rightsflow.domain.lifecycle import RequestType, Status
    from rightsflow.domain.requests import Channel, Receipt, Submission
    from rightsflow.http_api import answers, make_resolver
    from rightsflow.service import ops_actions
    from rightsflow.service.email_requests import EmailRequests
    from rightsflow.service.index_backfills import BackfillRun, IndexStatus
    from rightsflow.service.mail_triage import MailTriage, TriageItem, TriageSummary
    from rightsflow.service.ops_console import (
        ExecutionSummary,
        OpsConsole,
        OpsDetail,
        OpsPage,
        Report,
    )

    intake = _intake()
    console = OpsConsole(
        requests=store,
        index=RequestsIndex(settings.requests_table),
        workflow=workflow,
        intake=intake,
        mailer=mailer,
        gdpr_page_url=settings.gdpr_page_url,
    )
    triage = MailTriage(
        store=TriageStore(settings.mail_triage_table),
        requests=EmailRequests(intake=intake, mailer=mailer, gdpr_page_url=settings.gdpr_page_url),
        mailer=mailer,
        gdpr_page_url=settings.gdpr_page_url,
    )
    app = make_resolver()
    RequestId = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,80}$")]  # noqa: N806
    TriageId = Annotated[str, Path(pattern=r"^tri-[a-f0-9]{1,64}$")]  # noqa: N806
    StoreName = Annotated[str, Path(pattern=r"^[a-z0-9_]{1,63}$")]  # noqa: N806

    class Reason(BaseModel):
        model_config = ConfigDict(extra="forbid")

        reason: str = Field(min_length=1, max_length=2000)

    class Extension(Reason):
        until: date | None = Field(
            default=None, description="new due day; default: the legal maximum"
        )

    class WrittenAnswer(BaseModel):
        model_config = ConfigDict(extra="forbid")

        answer: str = Field(min_length=1, max_length=10_000, description="what the person receives")
        decision: Literal["granted", "denied"] | None = Field(
            default=None, description="an appeal's decision (required for appeals)"
        )

    class OpsSubmission(Submission):
        reason: str = Field(min_length=1, max_length=2000, description="why the company starts it")
        scope: str = Field(
            pattern=r"^(every_store|our_stores|brand:[a-z0-9][a-z0-9-]{0,62})$",
            description="which stores it may read and change: every_store (as the person's own "
            "request would), our_stores (only data we control), or brand:<name> (only the stores "
            "the data map assigns to that Brand)",
        )

    class TriageRequests(Reason):
        rights: list[RequestType] = Field(
            min_length=1, description="the rights the letter asks for"
        )
        email: str | None = Field(
            default=None, max_length=320, description="another address, if the sender's is refused"
        )
        jurisdiction: str | None = Field(
            default=None,
            description="the person's place (DE, GB, US-CA…), where the letter says it and "
            "intake did not read it; by default the letter's stated place, else EU",
        )

        @field_validator("jurisdiction")
        @classmethod
        def _known_shape(cls, value: str | None) -> str | None:
            return None if value is None else normalise_jurisdiction(value)

    class TriageDismissal(Reason):
        tell_sender: bool = Field(
            default=False, description="answer the sender with the rights and the privacy page"
        )

    def _actor() -> str:
        """Who acts: the IAM principal in AWS (the local stack names its ops token's holder)."""
        iam = app.current_event.request_context.authorizer.iam
        arn = (iam.user_arn if iam else None) or "unknown"
        return arn.rsplit("/", 1)[-1]

    @app.get("/ops/requests")
    def list_requests(
        *,
        status: Annotated[Status | None, Query()] = None,
        type: Annotated[RequestType | None, Query()] = None,
        brand: Annotated[str | None, Query(max_length=63)] = None,
        channel: Annotated[Channel | None, Query()] = None,
        overdue: Annotated[bool, Query()] = False,
        due_before: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}")] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        cursor: Annotated[str | None, Query(max_length=2000)] = None,
    ) -> OpsPage:
        filters = {
            name: str(value)
            for name, value in {"type": type, "brand": brand, "channel": channel}.items()
            if value is not None
        }
        return console.page(
            status=status,
            filters=filters,
            overdue=overdue,
            due_before=due_before,
            limit=limit,
            cursor=cursor,
        )

    @app.post(
        "/ops/requests",
        status_code=202,
        response_description="Request started",
        responses=answers(
            409,
            ok=(202, Receipt, "Request started"),
            s409="A request with this Idempotency-Key is still in progress",
        ),
    )
    def start_request(body: Annotated[OpsSubmission, Body()]) -> Response[Receipt]:
        submission = Submission.model_validate(body.model_dump(exclude={"reason", "scope"}))
        receipt = console.start(submission, body.reason, _actor(), body.scope)
        return Response(status_code=202, content_type=content_types.APPLICATION_JSON, body=receipt)

    @app.get(
        "/ops/requests/<request_id>",
        responses=answers(404, ok=(200, OpsDetail, "The record, its audit trail and execution")),
    )
    def show_request(request_id: RequestId) -> OpsDetail:
        return console.show(request_id)

    @app.post(
        "/ops/requests/<request_id>/extend",
        responses=answers(
            404,
            409,
            ok=(200, OpsDetail, "Done: the request as it now is"),
            s409="The request is closed, or the law allows no (further) extension",
        ),
    )
    def extend(request_id: RequestId, body: Annotated[Extension, Body()]) -> OpsDetail:
        ops_actions.extend_deadline(
            store,
            mailer,
            request_id,
            reason=body.reason,
            actor=_actor(),
            until=body.until,
            scale=settings.time_scale,
        )
        return console.show(request_id)

    @app.post(
        "/ops/requests/<request_id>/answer",
        responses=answers(
            404,
            409,
            ok=(200, OpsDetail, "Answered: the request as it now is"),
            s409="The request is not waiting for a written answer (or a decision)",
        ),
    )
    def answer(request_id: RequestId, body: Annotated[WrittenAnswer, Body()]) -> OpsDetail:
        """A complaint's written answer, or an appeal's decision with its reasons."""
        if store.get(request_id).type is RequestType.APPEAL:
            if body.decision is None:
                raise InvalidRequest("decision", "an appeal is either granted or denied")
            ops_actions.answer_appeal(
                store,
                workflow,
                request_id,
                actor=_actor(),
                decision=body.decision,
                answer=body.answer,
            )
        else:
            ops_actions.answer_complaint(
                store, workflow, request_id, actor=_actor(), answer=body.answer
            )
        return console.show(request_id)

    @app.post(
        "/ops/requests/<request_id>/approve",
        responses=answers(
            404,
            409,
            ok=(200, OpsDetail, "Done: the request as it now is"),
            s409="The request is not held for review",
        ),
    )
    def approve(request_id: RequestId, body: Annotated[Reason, Body()]) -> OpsDetail:
        ops_actions.approve_review(store, workflow, request_id, actor=_actor(), reason=body.reason)
        return console.show(request_id)

    @app.post(
        "/ops/requests/<request_id>/reject",
        responses=answers(
            404,
            409,
            ok=(200, OpsDetail, "Done: the request as it now is"),
            s409="The request is not held for review",
        ),
    )
    def reject(request_id: RequestId, body: Annotated[Reason, Body()]) -> OpsDetail:
        ops_actions.reject_review(store, workflow, request_id, actor=_actor(), reason=body.reason)
        return console.show(request_id)

    @app.post(
        "/ops/requests/<request_id>/retry",
        responses=answers(
            404,
            409,
            ok=(200, OpsDetail, "Done: the request as it now is"),
            s409="The request is not parked",
        ),
    )
    def retry(request_id: RequestId, body: Annotated[Reason, Body()]) -> OpsDetail:
        ops_actions.retry_parked(store, workflow, request_id, actor=_actor(), reason=body.reason)
        return console.show(request_id)

    @app.post(
        "/ops/requests/<request_id>/cancel",
        responses=answers(
            404,
            409,
            ok=(200, OpsDetail, "Done: the request as it now is"),
            s409="The request is already closed",
        ),
    )
    def cancel(request_id: RequestId, body: Annotated[Reason, Body()]) -> OpsDetail:
        console.cancel(request_id, body.reason, _actor())
        return console.show(request_id)

    @app.get("/ops/executions")
    def executions(
        status: Annotated[
            Literal["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"] | None, Query()
        ] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[ExecutionSummary]:
        return console.executions(status, limit)

    @app.get("/ops/report")
    def report(since: Annotated[date | None, Query()] = None) -> Report:
        return console.report(since or date.today() - timedelta(days=30))

    @app.get("/ops/triage")
    def list_triage(limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[TriageSummary]:
        return triage.open_items(limit)

    @app.get(
        "/ops/triage/<triage_id>",
        responses=answers(
            404, ok=(200, TriageItem, "The letter kept for triage"), s404="No such letter"
        ),
    )
    def show_triage(triage_id: TriageId) -> TriageItem:
        return triage.show(triage_id)

    @app.post(
        "/ops/triage/<triage_id>/requests",
        responses=answers(
            404, ok=(200, TriageItem, "The requests are made"), s404="No such letter"
        ),
    )
    def triage_requests(triage_id: TriageId, body: Annotated[TriageRequests, Body()]) -> TriageItem:
        return triage.make_requests(
            triage_id,
            rights=body.rights,
            email=body.email,
            reason=body.reason,
            actor=_actor(),
            jurisdiction=body.jurisdiction,
        )

    @app.post(
        "/ops/triage/<triage_id>/dismiss",
        responses=answers(
            404, ok=(200, TriageItem, "The letter is dismissed"), s404="No such letter"
        ),
    )
    def dismiss_triage(triage_id: TriageId, body: Annotated[TriageDismissal, Body()]) -> TriageItem:
        return triage.dismiss(
            triage_id, reason=body.reason, tell_sender=body.tell_sender, actor=_actor()
        )

    @app.post(
        "/ops/stores/<store>/index",
        status_code=202,
        response_description="Backfill started",
        responses=answers(
            409,
            422,
            503,
            ok=(202, BackfillRun, "Backfill started: follow it with GET on the same path"),
            s409="A backfill of this store is still running",
            s422="`store` is not a store of the data map, or one without an index of ours",
        ),
    )
    def start_index_backfill(
        store: StoreName,
        rebuild: Annotated[
            bool,
            Query(description="index everything again (after a canonical form changed)"),
        ] = False,
    ) -> Response[BackfillRun]:
        """Backfill the store's index: an S3 store's objects (a Distributed Map over its prefix),
        or a DynamoDB store's items kept as written. 409 while one is running."""
        run = _backfills().start(store, rebuild)
        return Response(status_code=202, content_type=content_types.APPLICATION_JSON, body=run)

    @app.get(
        "/ops/stores/<store>/index",
        responses=answers(
            422,
            503,
            ok=(200, IndexStatus, "The store's index and its latest backfill"),
            s422="`store` is not a store of the data map, or one without an index of ours",
        ),
    )
    def show_index(store: StoreName) -> IndexStatus:
        """Whether the store's index is complete, and its latest backfill (progress, counts)."""
        return _backfills().status(store)

    return app


@instrumented(correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from rightsflow.http_api import resolve

    _intake().idempotency_config.register_lambda_context(context)
    return resolve(resolver(), event, context, settings.max_body_bytes)
