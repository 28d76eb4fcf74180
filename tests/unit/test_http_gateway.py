"""The local HTTP API is derived from the template: routes, events and responses as API Gateway's."""

from __future__ import annotations

import json

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from rightsflow.local.http_gateway import (
    Route,
    Throttle,
    build_event,
    cors_from_template,
    routes_from_template,
    throttles_from_template,
    translate_result,
)
from rightsflow.local.template import load_template
from tests.conftest import TEMPLATE


def test_every_httpapi_event_in_the_template_becomes_a_route() -> None:
    template = load_template(TEMPLATE)
    body = template.cloudformation["Resources"]["HttpApi"]["Properties"]["Body"]
    routes = {route.route_key: route.function_logical_id for route in routes_from_template(body)}
    expected = {}
    for logical_id, resource in template.sam["Resources"].items():
        for event in resource.get("Properties", {}).get("Events", {}).values():
            if event["Type"] == "HttpApi":
                path = event["Properties"]["Path"]
                key = (
                    path
                    if path == "$default"
                    else f"{event['Properties']['Method'].upper()} {path}"
                )
                expected[key] = logical_id
    assert routes == expected


def test_cors_comes_from_the_template_parameters() -> None:
    template = load_template(TEMPLATE, {"GdprPageOrigin": "https://privacy.example.com"})
    body = template.cloudformation["Resources"]["HttpApi"]["Properties"]["Body"]
    cors = cors_from_template(body)
    assert cors.allow_origins == ("https://privacy.example.com",)
    assert cors.headers_for("https://evil.example") == {}


def test_the_event_is_payload_format_2() -> None:
    builder = EnvironBuilder(
        path="/requests/req-1",
        method="GET",
        query_string="a=1&a=2",
        headers=[("X-Request-Token", "t"), ("Cookie", "c=1")],
    )
    request = Request(builder.get_environ())
    route = Route("GET", "/requests/{request_id}", "IntakeApiFunction")
    event = build_event(route, {"request_id": "req-1"}, request, "HttpApi")
    assert event["version"] == "2.0"
    assert event["routeKey"] == "GET /requests/{request_id}"
    assert event["rawPath"] == "/requests/req-1"
    assert event["pathParameters"] == {"request_id": "req-1"}
    assert event["queryStringParameters"] == {"a": "1,2"}
    assert event["headers"]["x-request-token"] == "t"
    assert event["cookies"] == ["c=1"]
    assert event["requestContext"]["http"]["method"] == "GET"


def test_a_plain_function_result_is_a_200_json_answer() -> None:
    response = translate_result({"ok": True})
    assert response.status_code == 200
    assert json.loads(response.get_data()) == {"ok": True}


def test_a_structured_result_keeps_status_headers_and_cookies() -> None:
    response = translate_result(
        {"statusCode": 202, "headers": {"X-A": "b"}, "body": "{}", "cookies": ["k=v"]}
    )
    assert response.status_code == 202
    assert response.headers["X-A"] == "b"
    assert response.headers["Set-Cookie"] == "k=v"


def test_throttling_lets_a_burst_through_then_the_steady_rate() -> None:
    throttle = Throttle(rate=2, burst=3)
    assert [throttle.allow(100.0) for _ in range(4)] == [True, True, True, False]
    assert throttle.allow(100.4) is False  # 0.8 of a call refilled
    assert throttle.allow(100.5) is True  # 1 refilled
    assert throttle.allow(110.0) is True


def test_throttling_limits_come_from_the_template_stage() -> None:
    template = load_template(
        TEMPLATE, {"ApiThrottlingRateLimit": "7", "ApiThrottlingBurstLimit": "9"}
    )
    stage = next(
        r
        for r in template.cloudformation["Resources"].values()
        if r["Type"] == "AWS::ApiGatewayV2::Stage"
    )
    parameters = {"ApiThrottlingRateLimit": "7", "ApiThrottlingBurstLimit": "9"}

    def resolve(value: object) -> object:
        if isinstance(value, dict) and "Ref" in value:
            return parameters[value["Ref"]]
        return value

    default, per_route = throttles_from_template(stage, resolve)
    assert default == {"rate": 7.0, "burst": 9.0}
    assert per_route == {}


def test_the_default_route_catches_what_no_route_matches() -> None:
    template = load_template(TEMPLATE)
    body = template.cloudformation["Resources"]["HttpApi"]["Properties"]["Body"]
    defaults = [r for r in routes_from_template(body) if r.path == "$default"]
    assert [(r.route_key, r.function_logical_id) for r in defaults] == [
        ("$default", "IntakeApiFunction")
    ]
