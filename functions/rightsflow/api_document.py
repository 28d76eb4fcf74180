"""The one OpenAPI document of the HTTP API, generated from the routes of the API functions
(people's, the deadline calculator's, Brands', ops'), with each route's security and every status
it can answer.

No function imports another's routes: this module loads the API handlers' modules (with a
placeholder environment, as nothing is called) and writes the document to
`functions/rightsflow/openapi.json`, which the people's API serves at `/openapi.json`. A test
proves the file equal to what this module generates, and complete against template.yaml.

    python -m rightsflow.api_document          # rewrite the file
    python -m rightsflow.api_document --check  # exit 1 if the file is stale
"""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any
from unittest import mock

from rightsflow.http_api import OPENAPI_FILE

FUNCTIONS = Path(__file__).resolve().parents[1]
DOCUMENT_PATH = Path(__file__).resolve().parent / OPENAPI_FILE
TITLE = "Rightsflow HTTP API"
VERSION = "1.0.0"

# The API functions, the tag their routes are listed under, and the security scheme that guards
# them (as template.yaml's HttpApi events say: a Lambda authorizer, IAM, or none).
APIS: dict[str, tuple[str, str | None]] = {
    "intake_api": ("People", None),
    "deadlines_api": ("People", None),
    "brand_api": ("Brands", "BrandApiKey"),
    "ops_api": ("Ops", "OpsIam"),
}
# What each tag of the document is, in the order the document lists them (each once).
TAGS: dict[str, str] = {
    "People": "The people's API and the public deadline calculator: no credentials.",
    "Brands": "The Brand API: each Brand's requests, with its API key.",
    "Ops": "The ops API: the ops team's console (IAM in AWS; the local stack's ops token).",
}
SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "BrandApiKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "A Brand's API key (Lambda authorizer BrandKeyAuthorizer); the key's "
        "Brand must be the path's. Refused by API Gateway with 401 (no key) or 403.",
    },
    "OpsIam": {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "In AWS, IAM: a SigV4-signed call (API Gateway answers 403 otherwise). "
        "The local stack takes `Bearer <ops token>` (printed by `rightsflow local`) instead.",
    },
}

# What API Gateway itself answers, before any function: only {"message": ...}.
GATEWAY_ERROR = {
    "title": "GatewayError",
    "type": "object",
    "description": "Answered by API Gateway itself (authorizers, IAM, throttling, its 10 MB "
    "payload limit): it carries only `message`.",
    "properties": {"message": {"type": "string"}},
    "required": ["message"],
}
_ERROR = {"$ref": "#/components/schemas/ErrorBody"}
_GATEWAY = {"$ref": "#/components/schemas/GatewayError"}
_EITHER = {"anyOf": [_ERROR, _GATEWAY]}

_COMMON = {
    400: "The body is not JSON, or not UTF-8 text",
    401: "No Authorization header (API Gateway)",
    403: "The credentials do not allow this call",
    413: "The body is larger than 64 KiB (or, at API Gateway, 10 MB)",
    415: "The Content-Type cannot carry JSON",
    422: "A field breaks a rule; `fields` names each one",
    429: "Too many calls (API Gateway's throttling, or a limit the route names)",
    503: "A service we depend on is briefly unavailable: try again after Retry-After seconds",
}

# Placeholders for the settings the handler modules read at import (nothing is called).
_PLACEHOLDERS = [
    "REQUESTS_TABLE",
    "AUDIT_TABLE",
    "STATE_MACHINE_ARN",
    "IDEMPOTENCY_TABLE",
    "GDPR_PAGE_URL",
    "BRAND_SECRET_ARN",
    "BRAND_INBOX_TABLE",
    "OPS_TOPIC_ARN",
    "FULFILMENT_BUCKET",
    "SEND_LIMITS_TABLE",
    "MAIL_TRIAGE_TABLE",
    "REGISTRY_TABLE",
    "INDEX_BACKFILL_STATE_MACHINE_ARN",
]
_ENVIRONMENT = dict.fromkeys(_PLACEHOLDERS, "placeholder") | {
    "SENDER_ADDRESS": "privacy@rightsflow.example",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "POWERTOOLS_TRACE_DISABLED": "true",
}


def _load_app(name: str) -> Any:
    """Import functions/<name>/app.py under a private module name and return its resolver, with
    its routes (each handler builds them with `resolver()`, which its first request calls)."""
    path = FUNCTIONS / name / "app.py"
    spec = importlib.util.spec_from_file_location(f"_rightsflow_document_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict("os.environ", _ENVIRONMENT):
        spec.loader.exec_module(module)
        return module.resolver()


def _with_status(
    responses: dict[str, Any], status: int, schema: dict[str, Any], description: str
) -> None:
    entry = responses.setdefault(str(status), {"description": description})
    entry["content"] = {"application/json": {"schema": schema}}


def _complete(path: str, method: str, operation: dict[str, Any], scheme: str | None) -> None:
    """Every status the route can answer: its own (from the code), the body's, the gateway's."""
    responses: dict[str, Any] = operation["responses"]
    for code, entry in responses.items():
        if int(code) >= 400:
            entry["content"] = {"application/json": {"schema": _ERROR}}
    has_input = bool(operation.get("parameters")) or "requestBody" in operation
    if method == "post":
        for body_status in (400, 413, 415, 422):
            schema = _EITHER if body_status == 413 else _ERROR
            _with_status(responses, body_status, schema, _COMMON[body_status])
    elif has_input:
        _with_status(responses, 422, _ERROR, _COMMON[422])
    else:
        responses.pop("422", None)
    if scheme == "BrandApiKey":
        _with_status(responses, 401, _GATEWAY, _COMMON[401])
        _with_status(responses, 403, _EITHER, _COMMON[403])
    elif scheme == "OpsIam":
        _with_status(responses, 403, _GATEWAY, "Not signed by an allowed IAM principal")
    throttled = responses.get("429", {}).get("content", {}).get("application/json", {})
    _with_status(responses, 429, _EITHER if throttled else _GATEWAY, _COMMON[429])
    if path != "/openapi.json":
        _with_status(responses, 503, _ERROR, _COMMON[503])
    if scheme:
        operation["security"] = [{scheme: []}]
    operation["responses"] = dict(sorted(responses.items()))


def build() -> dict[str, Any]:
    """The whole document, as a JSON-ready dict."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for name, (tag, scheme) in APIS.items():
        part = json.loads(_load_app(name).get_openapi_json_schema(title=TITLE, version=VERSION))
        for schema_name, schema in part.get("components", {}).get("schemas", {}).items():
            if schema_name in schemas and schemas[schema_name] != schema:
                raise ValueError(f"two different schemas are named {schema_name}")
            schemas[schema_name] = schema
        for path, operations in part["paths"].items():
            for method, generated in operations.items():
                operation = copy.deepcopy(generated)
                operation["tags"] = [tag]
                _complete(path, method, operation, scheme)
                paths.setdefault(path, {})[method] = operation
    # Powertools' own validation and response-validation shapes: ours replace them.
    for unused in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
        schemas.pop(unused, None)
    schemas["GatewayError"] = GATEWAY_ERROR
    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": VERSION,
            "description": "Privacy rights requests: people (no credentials), Brands (API key) "
            "and the ops team (IAM). Every error the API answers is "
            '`{"error", "message", "field"?, "fields"?}`; API Gateway\'s own refusals carry '
            "only `message`.",
        },
        "tags": [{"name": name, "description": text} for name, text in TAGS.items()],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": SECURITY_SCHEMES,
        },
    }


def render() -> str:
    return json.dumps(build(), indent=2, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in arguments:
        current = DOCUMENT_PATH.read_text(encoding="utf-8") if DOCUMENT_PATH.exists() else ""
        if current != text:
            print(f"{DOCUMENT_PATH} is stale: run python -m rightsflow.api_document")
            return 1
        return 0
    DOCUMENT_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {DOCUMENT_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
