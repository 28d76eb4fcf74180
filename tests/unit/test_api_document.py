"""The OpenAPI document covers every route of template.yaml's HTTP API, with its security and the
statuses every route can answer, and the served file is exactly what the code generates."""

from __future__ import annotations

import json
from typing import Any

from rightsflow import api_document
from rightsflow.local.template import load_template
from tests.conftest import TEMPLATE

SCHEME_OF_AUTHORIZER = {"BrandKeyAuthorizer": "BrandApiKey", "AWS_IAM": "OpsIam", None: None}


def _template_routes() -> dict[tuple[str, str], str | None]:
    """(method, path) -> the authorizer template.yaml puts on it, for every HttpApi event."""
    template = load_template(TEMPLATE)
    routes: dict[tuple[str, str], str | None] = {}
    for resource in template.sam["Resources"].values():
        for event in resource.get("Properties", {}).get("Events", {}).values():
            if event["Type"] != "HttpApi":
                continue
            properties = event["Properties"]
            if properties["Path"] == "$default":
                continue  # the catch-all: answers 404/405 for what no route matches
            authorizer = properties.get("Auth", {}).get("Authorizer")
            routes[(properties["Method"].lower(), properties["Path"])] = authorizer
    return routes


def _operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): operation
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    }


def test_the_served_document_is_the_one_the_code_generates() -> None:
    served = api_document.DOCUMENT_PATH.read_text(encoding="utf-8")
    assert served == api_document.render(), "run: python -m rightsflow.api_document"


def test_every_route_of_the_template_is_documented_with_its_security() -> None:
    document = json.loads(api_document.DOCUMENT_PATH.read_text(encoding="utf-8"))
    operations = _operations(document)
    routes = _template_routes()
    assert set(operations) == set(routes)
    for route, authorizer in routes.items():
        scheme = SCHEME_OF_AUTHORIZER[authorizer]
        security = operations[route].get("security")
        assert security == ([{scheme: []}] if scheme else None), route
        if scheme:
            assert scheme in document["components"]["securitySchemes"]


def test_every_route_documents_what_the_gateway_and_the_body_rules_can_answer() -> None:
    document = json.loads(api_document.DOCUMENT_PATH.read_text(encoding="utf-8"))
    for (method, path), operation in _operations(document).items():
        statuses = set(operation["responses"])
        assert "429" in statuses, (method, path)  # API Gateway's throttling
        assert any(status.startswith(("2", "3")) for status in statuses), (method, path)
        if method == "post":
            assert {"400", "413", "415", "422"} <= statuses, (method, path)
        if operation.get("security") == [{"BrandApiKey": []}]:
            assert {"401", "403"} <= statuses, (method, path)
        if operation.get("security") == [{"OpsIam": []}]:
            assert "403" in statuses, (method, path)
        for status, answer in operation["responses"].items():
            if int(status) >= 400:
                schema = json.dumps(answer["content"]["application/json"]["schema"])
                assert "ErrorBody" in schema or "GatewayError" in schema, (method, path, status)
