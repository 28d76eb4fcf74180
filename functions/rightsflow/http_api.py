"""The HTTP layer shared by every API function: the resolver, how bodies are read, the one error
shape, every error mapping, and the answers each route documents."""

from __future__ import annotations

import base64
import json
import re
from functools import cache
from http import HTTPStatus
from importlib import resources
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import ForbiddenError, NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from rightsflow.domain.errors import (
    BackfillAlreadyRunning,
    CodeLimitReached,
    ExtensionRefused,
    IllegalTransition,
    InvalidRequest,
    NoPackage,
    NotPendingVerification,
    NotWaitingForOps,
    PackageExpired,
    RequestNotFound,
    ResendLimited,
    StoreUnavailable,
    VerificationExpired,
    WorkflowStartFailed,
)
from rightsflow.observability import logger

# The document of every route of the HTTP API (people's, Brands', ops'), generated from the code
# by rightsflow.api_document and shipped as a file, so that no function imports another's routes.
OPENAPI_FILE = "openapi.json"
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# `curl -d` labels JSON as a form, and some clients as text: both are read as the JSON they are.
_READ_AS_JSON = frozenset({"", "application/x-www-form-urlencoded", "text/plain"})
_JSON_MEDIA_TYPE = re.compile(r"^application/(?:[a-z0-9.+-]+\+)?json$")
# What the resolver's routes match in a path segment; API Gateway hands on anything else too
# (control characters, symbols), which no parameter of ours may hold.
_ROUTABLE_SEGMENT = re.compile(r"[-._~()'!*:@,;=+&$%<> \[\]{}|^\w]+")


class FieldProblem(BaseModel):
    field: str = Field(
        description="The offending field: a body field, `body`, a header or a parameter"
    )
    problem: str


class ErrorBody(BaseModel):
    """Every error the API itself answers. (API Gateway's own refusals, 401/403 of the
    authorizers and 429 of throttling, carry only `message`: see GatewayError.)"""

    model_config = ConfigDict(extra="allow", title="Error")

    error: str = Field(description="A stable, machine-readable code, e.g. validation_error")
    message: str = Field(description="What went wrong, in words")
    field: str | None = Field(default=None, description="The first offending field, if any")
    fields: list[FieldProblem] | None = Field(default=None, description="Every offending field")


def error_response(
    status: HTTPStatus,
    error: str,
    message: str,
    *,
    fields: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[dict[str, Any]]:
    """An answer in the documented error shape: `{"error", "message", "field"?, "fields"?}`."""
    body: dict[str, Any] = {"error": error, "message": message}
    if fields:
        body["fields"] = fields
        body["field"] = fields[0]["field"]
    all_headers = {"Retry-After": "5"} if status is HTTPStatus.SERVICE_UNAVAILABLE else {}
    all_headers.update(headers or {})
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=body,
        headers=all_headers or None,
    )


# ---------------------------------------------------------------- documented answers
_DESCRIPTIONS = {
    303: "See Other: the Location header is a download link valid for a few minutes",
    400: "The body is not JSON, or not UTF-8 text",
    401: "No credentials (answered by API Gateway: only `message`)",
    403: "The credentials do not allow this call",
    404: "No such request, or not one the caller may see (the two look alike on purpose)",
    405: "The route exists but not with this method",
    409: "The request is not in a state that allows this",
    410: "Gone: it existed, and no longer does",
    413: "The body is larger than 64 KiB",
    415: "The Content-Type cannot carry JSON",
    422: "A field breaks a rule; `fields` names each one",
    429: "Too many calls: wait as long as Retry-After says",
    503: "A service we depend on is briefly unavailable: try again after Retry-After seconds",
}


def answers(
    *statuses: int,
    ok: tuple[int, type[BaseModel], str] | None = None,
    **descriptions: str,
) -> dict[int, OpenAPIResponse]:
    """What a route answers, for its decorator: `ok` its success (status, body model, words),
    then the error statuses it answers on its own, each in the error shape
    (`responses=answers(404, 409, ok=(200, View, "…"))`); `s409="…"` overrides a status's words."""
    documented: dict[int, OpenAPIResponse] = {}
    if ok is not None:
        code, model, words = ok
        documented[code] = {
            "description": words,
            "content": {content_types.APPLICATION_JSON: {"model": model}},
        }
    for status in statuses:
        documented[status] = {
            "description": descriptions.get(f"s{status}", _DESCRIPTIONS[status]),
            "content": {content_types.APPLICATION_JSON: {"model": ErrorBody}},
        }
    return documented


@cache
def documented_routes() -> dict[str, tuple[re.Pattern[str], frozenset[str]]]:
    """Every documented path, as a pattern, with the methods it answers."""
    file = resources.files("rightsflow").joinpath(OPENAPI_FILE)
    document = json.loads(file.read_text(encoding="utf-8")) if file.is_file() else {"paths": {}}
    routes = {}
    for path, operations in document["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "/?$")
        routes[path] = (pattern, frozenset(method.upper() for method in operations))
    return routes


def allowed_methods(path: str) -> list[str]:
    """The methods the API answers on `path` (empty: no such route)."""
    return sorted(
        method
        for pattern, methods in documented_routes().values()
        if pattern.match(path)
        for method in methods
    )


def make_resolver(*, idempotency: bool = True) -> APIGatewayHttpResolver:
    """An HTTP API resolver with request validation and our error mappings. Without
    `idempotency` (an API that stores nothing, such as the deadline calculator), the idempotency
    errors are not mapped: their module loads boto3, which such a function never needs."""
    app = APIGatewayHttpResolver(enable_validation=True)

    @app.not_found
    def _no_route(_: NotFoundError) -> Response[dict[str, Any]]:
        method, path = app.current_event.http_method, app.current_event.path
        allowed = allowed_methods(path)
        if allowed:
            return error_response(
                HTTPStatus.METHOD_NOT_ALLOWED,
                "method_not_allowed",
                f"{path} answers {', '.join(allowed)}, not {method}",
                headers={"Allow": ", ".join(allowed)},
            )
        return error_response(HTTPStatus.NOT_FOUND, "no_such_route", f"no route {method} {path}")

    @app.exception_handler(RequestValidationError)
    def _invalid_input(error: RequestValidationError) -> Response[dict[str, Any]]:
        problems = error.errors()
        if any(problem.get("type") == "json_invalid" for problem in problems):
            return _not_json()
        fields = [
            {"field": _field_name(problem.get("loc", ())), "problem": str(problem.get("msg", ""))}
            for problem in problems
        ]
        message = "; ".join(f"{item['field']}: {item['problem']}" for item in fields)
        return error_response(
            HTTPStatus.UNPROCESSABLE_ENTITY, "validation_error", message, fields=fields
        )

    @app.exception_handler(InvalidRequest)
    def _invalid_request(error: InvalidRequest) -> Response[dict[str, Any]]:
        return error_response(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "validation_error",
            str(error),
            fields=[{"field": error.field, "problem": error.problem}],
        )

    @app.exception_handler(RequestNotFound)
    def _not_found(_: RequestNotFound) -> Response[dict[str, Any]]:
        return error_response(HTTPStatus.NOT_FOUND, "not_found", "no such request")

    @app.exception_handler(NoPackage)
    def _no_package(error: NoPackage) -> Response[dict[str, Any]]:
        return error_response(HTTPStatus.NOT_FOUND, "no_package", str(error))

    @app.exception_handler(PackageExpired)
    def _package_gone(error: PackageExpired) -> Response[dict[str, Any]]:
        return error_response(HTTPStatus.GONE, "package_expired", str(error))

    @app.exception_handler(IllegalTransition)
    def _conflict(error: IllegalTransition) -> Response[dict[str, Any]]:
        return error_response(HTTPStatus.CONFLICT, "conflict", str(error))

    @app.exception_handler(ForbiddenError)
    def _forbidden(error: ForbiddenError) -> Response[dict[str, Any]]:
        return error_response(HTTPStatus.FORBIDDEN, "forbidden", str(error.msg))

    @app.exception_handler(NotPendingVerification)
    def _not_pending(error: NotPendingVerification) -> Response[dict[str, Any]]:
        return error_response(HTTPStatus.CONFLICT, "not_pending_verification", str(error))

    @app.exception_handler(VerificationExpired)
    def _expired(_: VerificationExpired) -> Response[dict[str, Any]]:
        return error_response(
            HTTPStatus.GONE,
            "code_expired",
            "the verification code has expired; the request will be closed unverified",
            fields=[{"field": "code", "problem": "expired"}],
        )

    @app.exception_handler(ResendLimited)
    def _too_many(error: ResendLimited) -> Response[dict[str, Any]]:
        response = error_response(HTTPStatus.TOO_MANY_REQUESTS, "resend_limited", str(error))
        if error.retry_after_seconds:
            response.headers["Retry-After"] = str(error.retry_after_seconds)
        return response

    @app.exception_handler(CodeLimitReached)
    def _codes_limited(error: CodeLimitReached) -> Response[dict[str, Any]]:
        return error_response(
            HTTPStatus.TOO_MANY_REQUESTS,
            "code_limit_reached",
            str(error),
            headers={"Retry-After": str(error.retry_after_seconds)},
        )

    @app.exception_handler(ExtensionRefused)
    def _extension_refused(error: ExtensionRefused) -> Response[dict[str, Any]]:
        return error_response(HTTPStatus.CONFLICT, "extension_refused", str(error))

    @app.exception_handler(BackfillAlreadyRunning)
    def _backfill_running(error: BackfillAlreadyRunning) -> Response[dict[str, Any]]:
        return error_response(HTTPStatus.CONFLICT, "backfill_running", str(error))

    @app.exception_handler(NotWaitingForOps)
    def _not_waiting(error: NotWaitingForOps) -> Response[dict[str, Any]]:
        return error_response(HTTPStatus.CONFLICT, "not_waiting", str(error))

    @app.exception_handler([StoreUnavailable, WorkflowStartFailed])
    def _unavailable(error: Exception) -> Response[dict[str, Any]]:
        logger.warning("service unavailable", extra={"error": type(error).__name__})
        return error_response(
            HTTPStatus.SERVICE_UNAVAILABLE, "unavailable", "please try again in a few seconds"
        )

    if idempotency:
        _map_idempotency_errors(app)
    return app


def _map_idempotency_errors(app: APIGatewayHttpResolver) -> None:
    from aws_lambda_powertools.utilities.idempotency.exceptions import (  # noqa: PLC0415
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    @app.exception_handler(IdempotencyValidationError)
    def _key_reused(_: IdempotencyValidationError) -> Response[dict[str, Any]]:
        return error_response(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "this Idempotency-Key was already used with a different request body",
            fields=[{"field": "Idempotency-Key", "problem": "already used with another body"}],
        )

    @app.exception_handler(IdempotencyAlreadyInProgressError)
    def _key_in_flight(_: IdempotencyAlreadyInProgressError) -> Response[dict[str, Any]]:
        return error_response(
            HTTPStatus.CONFLICT,
            "request_in_progress",
            "a request with this Idempotency-Key is still being processed; retry shortly",
        )


def _field_name(location: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(part) for part in location]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:] or parts
    return ".".join(parts)


def _not_json() -> Response[dict[str, Any]]:
    return error_response(
        HTTPStatus.BAD_REQUEST,
        "invalid_json",
        "the request body is not valid JSON",
        fields=[{"field": "body", "problem": "not valid JSON"}],
    )


def _as_result(response: Response[dict[str, Any]]) -> dict[str, Any]:
    return {
        "statusCode": response.status_code,
        "headers": {"Content-Type": content_types.APPLICATION_JSON, **response.headers},
        "body": json.dumps(response.body),
        "isBase64Encoded": False,
    }


def _body_bytes(event: dict[str, Any]) -> bytes:
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            return base64.b64decode(body)
        except ValueError:
            return str(body).encode()
    return str(body).encode("utf-8", errors="surrogateescape")


# No body of ours nests deeper than a request (its own level, then `details` with at most 31).
MAX_BODY_DEPTH = 32


def json_nesting(text: str) -> int:
    """The deepest nesting of objects and arrays in JSON text, read without parsing it (brackets
    inside strings do not count). Malformed text gets a number too; parsing then refuses it."""
    deepest = depth = 0
    in_string = escaped = False
    for character in text:
        if in_string:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == '"':
                in_string = False
        elif character == '"':
            in_string = True
        elif character in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif character in "]}":
            depth -= 1
    return deepest


def read_json_body(event: dict[str, Any]) -> Response[dict[str, Any]] | None:
    """Make the event's body the JSON text it is, whatever its Content-Type says, or answer why
    not: 400 when it is not UTF-8 text or not JSON, 415 when JSON is labelled as something that
    cannot carry it (an image, multipart…). Media types are compared case-insensitively."""
    method = str(event.get("requestContext", {}).get("http", {}).get("method", "")).upper()
    if method not in _BODY_METHODS or not event.get("body"):
        return None
    try:
        text = _body_bytes(event).decode("utf-8")
    except UnicodeDecodeError:
        return error_response(
            HTTPStatus.BAD_REQUEST,
            "invalid_encoding",
            "the request body is not UTF-8 text",
            fields=[{"field": "body", "problem": "not UTF-8"}],
        )
    if json_nesting(text) > MAX_BODY_DEPTH:
        # Refused before parsing: a deep enough body would exhaust the parser's recursion.
        return error_response(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "validation_error",
            f"body: nests deeper than {MAX_BODY_DEPTH} levels of objects and lists",
            fields=[{"field": "body", "problem": f"deeper than {MAX_BODY_DEPTH} levels"}],
        )
    try:
        json.loads(text)
    except ValueError:
        return _not_json()
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    media_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type not in _READ_AS_JSON and not _JSON_MEDIA_TYPE.match(media_type):
        return error_response(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            f"the body must be JSON (Content-Type: application/json), not {media_type}",
            fields=[{"field": "Content-Type", "problem": "not JSON"}],
        )
    event["headers"] = {**headers, "content-type": content_types.APPLICATION_JSON}
    event["body"] = text
    event["isBase64Encoded"] = False
    return None


def check_path_parameters(event: dict[str, Any]) -> Response[dict[str, Any]] | None:
    """A 422 naming each path parameter that holds characters no route of ours matches, rather
    than the resolver's "no such route" for a route API Gateway did match."""
    problems = [
        {"field": name, "problem": "holds characters no request id or Brand name has"}
        for name, value in (event.get("pathParameters") or {}).items()
        if not _ROUTABLE_SEGMENT.fullmatch(str(value))
    ]
    if not problems:
        return None
    message = "; ".join(f"{item['field']}: {item['problem']}" for item in problems)
    return error_response(
        HTTPStatus.UNPROCESSABLE_ENTITY, "validation_error", message, fields=problems
    )


def resolve(
    app: APIGatewayHttpResolver,
    event: dict[str, Any],
    context: LambdaContext,
    max_body_bytes: int,
) -> dict[str, Any]:
    """Refuse oversized or unreadable bodies before parsing them, then let the resolver answer."""
    if len(_body_bytes(event)) > max_body_bytes:
        problem = f"larger than {max_body_bytes} bytes"
        return _as_result(
            error_response(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                "body_too_large",
                f"the request body is {problem}",
                fields=[{"field": "body", "problem": problem}],
            )
        )
    refused = check_path_parameters(event) or read_json_body(event)
    if refused is not None:
        return _as_result(refused)
    return app.resolve(event, context)
