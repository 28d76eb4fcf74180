"""Deadline calculator API: the legal clock of any request, public and without personal data
(`GET /deadlines?jurisdiction=DE&type=access&received_at=...`)."""

from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.http_api import resolve
from rightsflow.observability import instrumented

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver


@cache
def _app() -> "APIGatewayHttpResolver":
    """The route, built by the first request, not at import: its request validation loads
    pydantic, and the legal clock its rules."""
    from aws_lambda_powertools.event_handler.openapi.params import Query

    from rightsflow.domain.deadlines import DeadlineReport, calculate
    from rightsflow.http_api import make_resolver

    # It stores nothing: no Idempotency-Key, and so no boto3 in this function at all.
    app = make_resolver(idempotency=False)

    @app.get("/deadlines")
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
    return resolve(_app(), event, context, max_body_bytes=1024)
