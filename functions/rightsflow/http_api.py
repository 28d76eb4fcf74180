"""The HTTP layer shared by every API function: the resolver, body limits and every error mapping."""

from __future__ import annotations

import base64
import json
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import ForbiddenError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.domain.errors import (
    ExtensionRefused,
    IllegalTransition,
    InvalidRequest,
    NotPendingVerification,
    NotWaitingForOps,
    RequestNotFound,
    ResendLimited,
    StoreUnavailable,
    VerificationExpired,
    WorkflowStartFailed,
)
from rightsflow.observability import logger


def error_response(
    status: HTTPStatus, error: str, message: str, *, fields: list[dict[str, str]] | None = None
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {"error": error, "message": message}
    if fields:
        body["fields"] = fields
        body["field"] = fields[0]["field"]
    headers = {"Retry-After": "5"} if status is HTTPStatus.SERVICE_UNAVAILABLE else None
    return Response(
        status_code=status, content_type=content_types.APPLICATION_JSON, body=body, headers=headers
    )


def _field_name(location: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(part) for part in location]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:] or parts
    return ".".join(parts)


def make_resolver(*, idempotency: bool = True) -> APIGatewayHttpResolver:
    """An HTTP API resolver with request validation, an OpenAPI document and our error mappings.
    Without `idempotency` (an API that stores nothing, such as the deadline calculator), the
    idempotency errors are not mapped: their module loads boto3, which such a function never
    needs."""
    app = APIGatewayHttpResolver(enable_validation=True)

    @app.exception_handler(RequestValidationError)
    def _invalid_input(error: RequestValidationError) -> Response[dict[str, Any]]:
        problems = error.errors()
        if any(problem.get("type") == "json_invalid" for problem in problems):
            return error_response(
                HTTPStatus.BAD_REQUEST,
                "invalid_json",
                "the request body is not valid JSON",
                fields=[{"field": "body", "problem": "not valid JSON"}],
            )
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

    @app.exception_handler(ExtensionRefused)
    def _extension_refused(error: ExtensionRefused) -> Response[dict[str, Any]]:
        return error_response(HTTPStatus.CONFLICT, "extension_refused", str(error))

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

    @app.get("/openapi.json", include_in_schema=False)
    def _openapi() -> Response[str]:
        return Response(
            status_code=HTTPStatus.OK,
            content_type=content_types.APPLICATION_JSON,
            body=app.get_openapi_json_schema(title="Rightsflow API", version="1.0.0"),
        )

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


def _body_bytes(event: dict[str, Any]) -> int:
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        return len(base64.b64decode(body))
    return len(body.encode())


def _json_sent_as_form(event: dict[str, Any]) -> None:
    """`curl -d '{...}'` labels JSON as a form; a body that is a JSON object is read as JSON."""
    headers = event.get("headers") or {}
    if not str(headers.get("content-type", "")).startswith("application/x-www-form-urlencoded"):
        return
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8", errors="replace")
    try:
        parsed = json.loads(body)
    except ValueError:
        return
    if isinstance(parsed, dict):
        event["headers"] = {**headers, "content-type": "application/json"}
        event["body"] = body
        event["isBase64Encoded"] = False


def resolve(
    app: APIGatewayHttpResolver,
    event: dict[str, Any],
    context: LambdaContext,
    max_body_bytes: int,
) -> dict[str, Any]:
    """Refuse oversized bodies before parsing them, then let the resolver answer."""
    if _body_bytes(event) > max_body_bytes:
        problem = f"larger than {max_body_bytes} bytes"
        body = {
            "error": "body_too_large",
            "message": f"the request body is {problem}",
            "field": "body",
            "fields": [{"field": "body", "problem": problem}],
        }
        return {
            "statusCode": HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            "headers": {"Content-Type": content_types.APPLICATION_JSON},
            "body": json.dumps(body),
            "isBase64Encoded": False,
        }
    _json_sent_as_form(event)
    return app.resolve(event, context)
