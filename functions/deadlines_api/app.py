"""Deadline calculator API: the legal clock of any request, public and without personal data
(`GET /deadlines?jurisdiction=DE&type=access&received_at=...`)."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.domain.deadlines import DeadlineReport, calculate
from rightsflow.http_api import answers, make_resolver, resolve
from rightsflow.observability import instrumented

app = make_resolver()


@app.get(
    "/deadlines",
    responses=answers(
        422,
        ok=(200, DeadlineReport, "The legal clock of such a request, with the law for each date"),
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


@instrumented(correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context, max_body_bytes=1024)
