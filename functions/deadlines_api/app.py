"""Deadline calculator API: the legal clock of any request, public and without personal data
(`GET /deadlines?jurisdiction=DE&type=access&received_at=...`)."""

from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.observability import instrumented

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver


@cache
def resolver() -> "APIGatewayHttpResolver":
    """The route, built by the first request, not at import: its request validation loads
    pydantic, and the legal clock its rules (rightsflow.api_document builds it too)."""
    from aws_lambda_powertools.event_handler.openapi.params import Query

    from rightsflow.domain.deadlines import DeadlineReport, calculate
    from rightsflow.http_api import answers, make_resolver

    # It stores nothing: no Idempotency-Key, and so no boto3 in this function at all.
    app = make_resolver(idempotency=False)

    @app.get(
        "/deadlines",
        responses=answers(
            422,
            ok=(
                200,
                DeadlineReport,
                "The legal clock of such a request, with the law for each date",
            ),
            s422="An unknown request type, or a received_at that is not ISO 8601 with an offset",
        ),
    )
    def deadlines(
        jurisdiction: Annotated[
            str, Query(min_length=1, max_length=10, description="e.g. DE, GB, US-CA")
        ],
        type: Annotated[str, Query(min_length=1, max_length=40, description="e.g. access")],
        received_at: Annotated[
            str | None,
            Query(max_length=40, description="ISO 8601 with a UTC offset; default: now"),
        ] = None,
    ) -> DeadlineReport:
        return calculate(jurisdiction, type, received_at)

    return app


@instrumented(correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from rightsflow.http_api import resolve

    return resolve(resolver(), event, context, max_body_bytes=1024)
