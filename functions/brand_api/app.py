"""Brand API: authenticated per Brand (Lambda authorizer); a Brand acts for itself only."""

from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.integration.brand_inbox import BrandInbox
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.workflow import Workflow
from rightsflow.observability import instrumented
from rightsflow.settings import BrandApiSettings

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

    from rightsflow.service.brand_api import BrandApi

settings = BrandApiSettings.from_environment()


@cache
def _api() -> "BrandApi":
    """Built on first use, not at import: it reads the data map."""
    from rightsflow.domain.data_map import load_data_map
    from rightsflow.service.brand_api import BrandApi
    from rightsflow.service.intake import Intake
    from rightsflow.wiring import brand_routing

    return BrandApi(
        requests=RequestsStore(settings.requests_table, settings.audit_table),
        inbox=BrandInbox(settings.inbox_table),
        intake=Intake(settings),
        routing=brand_routing(settings, load_data_map()),
        workflow=Workflow(settings.state_machine_arn),
    )


@cache
def resolver() -> "APIGatewayHttpResolver":
    """The routes, built by the first request, not at import: their request validation loads
    pydantic and the request models (rightsflow.api_document builds them too)."""
    from aws_lambda_powertools.event_handler import Response, content_types
    from aws_lambda_powertools.event_handler.exceptions import ForbiddenError
    from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path, Query

    from rightsflow.domain.requests import Receipt, Submission
    from rightsflow.http_api import answers, make_resolver
    from rightsflow.service.brand_api import BrandPage, BrandView, Instruction, caller_brand

    app = make_resolver()
    BrandName = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]  # noqa: N806
    RequestId = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,80}$")]  # noqa: N806
    IdempotencyKey = Annotated[  # noqa: N806
        str | None,
        Header(alias="idempotency-key", min_length=1, max_length=255, pattern=r"^[\x21-\x7e]+$"),
    ]

    def _acting_as(brand: str) -> str:
        """The key's Brand must be the path's Brand."""
        context = app.current_event.request_context.authorizer.get_lambda or {}
        if caller_brand(context) != brand:
            raise ForbiddenError("this API key does not speak for that Brand")
        return brand

    @app.post(
        "/brands/<brand>/requests",
        status_code=202,
        response_description="Request received",
        responses=answers(
            409,
            ok=(202, Receipt, "Request received"),
            s409="A request with this Idempotency-Key is still in progress",
        ),
    )
    def submit(
        brand: BrandName,
        submission: Annotated[Submission, Body()],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[Receipt]:
        receipt = _api().submit(_acting_as(brand), submission, idempotency_key)
        return Response(status_code=202, content_type=content_types.APPLICATION_JSON, body=receipt)

    @app.get("/brands/<brand>/requests")
    def list_requests(
        brand: BrandName,
        limit: Annotated[int, Query(ge=1, le=100)] = 25,
        cursor: Annotated[str | None, Query(max_length=2000)] = None,
    ) -> BrandPage:
        return _api().page(_acting_as(brand), limit, cursor)

    @app.get(
        "/brands/<brand>/requests/<request_id>",
        responses=answers(404, ok=(200, BrandView, "The request, with the Brand's part")),
    )
    def read_request(brand: BrandName, request_id: RequestId) -> BrandView:
        return _api().read(_acting_as(brand), request_id)

    @app.post(
        "/brands/<brand>/requests/<request_id>/instruction",
        responses=answers(
            404,
            409,
            ok=(200, BrandView, "The instruction is taken"),
            s409="The request is not waiting for this Brand's instruction",
        ),
    )
    def instruct(
        brand: BrandName, request_id: RequestId, instruction: Annotated[Instruction, Body()]
    ) -> BrandView:
        return _api().instruct(_acting_as(brand), request_id, instruction)

    return app


@instrumented(correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from rightsflow.http_api import resolve

    _api().intake.idempotency_config.register_lambda_context(context)
    return resolve(resolver(), event, context, settings.max_body_bytes)
