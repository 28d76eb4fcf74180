"""Every door of the HTTP API answers well: bytes that are not text, bodies that are not JSON,
media types, unknown routes and methods, and the request-type rules on every channel."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.support import Api, unique_email

pytestmark = pytest.mark.e2e

NOT_UTF8 = b'{"type":"access","email":"a\xff@example.com"}'


def _ops_headers(api: Api) -> dict[str, str]:
    return {"Authorization": f"Bearer {api.services.ops_token}"}


def _brand_headers(api: Api, brand: str = "acme") -> dict[str, str]:
    return {"Authorization": f"Bearer {api.services.brand_keys[brand]}"}


def _assert_error_shape(answer: requests.Response, status: int, error: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"].startswith("application/json")
    body: dict[str, Any] = answer.json()
    assert body["error"] == error
    assert isinstance(body["message"], str)
    assert body["message"]
    return body


def _doors(api: Api) -> list[tuple[str, dict[str, str]]]:
    """A POST route of each API that reads a body, with the credentials it needs."""
    receipt = api.submit()
    request_id = receipt["request_id"]
    return [
        ("/requests", {}),
        (f"/requests/{request_id}/verify", {}),
        ("/brands/acme/requests", _brand_headers(api)),
        (f"/brands/acme/requests/{request_id}/instruction", _brand_headers(api)),
        ("/ops/requests", _ops_headers(api)),
        (f"/ops/requests/{request_id}/reject", _ops_headers(api)),
        (f"/ops/requests/{request_id}/extend", _ops_headers(api)),
    ]


def test_a_body_that_is_not_utf8_is_a_400_naming_the_body_on_every_api(api: Api) -> None:
    for path, headers in _doors(api):
        # WHEN bytes that are not UTF-8 are posted (curl --data-binary $'\xff')
        answer = api.session.post(
            f"{api.url}{path}",
            data=NOT_UTF8,
            headers={**headers, "Content-Type": "application/json"},
            timeout=30,
        )
        # THEN the answer is a 400 in the documented shape, never a 500
        body = _assert_error_shape(answer, 400, "invalid_encoding")
        assert body["field"] == "body", path


def test_broken_json_is_a_400_whatever_its_content_type(api: Api) -> None:
    for content_type in (
        "application/json",
        "application/x-www-form-urlencoded",  # how the README's curl -d sends it
        "text/plain",
        "image/png",
        None,
    ):
        headers = {"Content-Type": content_type} if content_type else {}
        answer = api.session.post(
            f"{api.url}/requests", data=b"{type: access", headers=headers, timeout=30
        )
        body = _assert_error_shape(answer, 400, "invalid_json")
        assert body["field"] == "body"


def test_media_types_are_compared_case_insensitively(api: Api) -> None:
    answer = api.session.post(
        f"{api.url}/requests",
        json={"type": "access", "email": unique_email()},
        headers={"Content-Type": "Application/JSON; Charset=UTF-8"},
        timeout=30,
    )
    assert answer.status_code == 202, answer.text


def test_json_labelled_as_something_that_cannot_carry_it_is_a_415(api: Api) -> None:
    answer = api.session.post(
        f"{api.url}/requests",
        data=b'{"type": "access", "email": "a@example.com"}',
        headers={"Content-Type": "image/png"},
        timeout=30,
    )
    body = _assert_error_shape(answer, 415, "unsupported_media_type")
    assert body["field"] == "Content-Type"


def test_unknown_routes_and_methods_answer_in_the_documented_shape(api: Api) -> None:
    # An unknown path: 404
    _assert_error_shape(api.get("/nowhere"), 404, "no_such_route")
    _assert_error_shape(api.post("/requests/req-1/nowhere", {}), 404, "no_such_route")
    # A known path with another method: 405 with Allow
    answer = api.session.delete(f"{api.url}/requests", timeout=30)
    _assert_error_shape(answer, 405, "method_not_allowed")
    assert answer.headers["Allow"] == "POST"
    answer = api.session.put(f"{api.url}/ops/requests/req-1/extend", timeout=30)
    _assert_error_shape(answer, 405, "method_not_allowed")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"type": "complaint"}, "details.message"),
        ({"type": "complaint", "details": {}}, "details.message"),
        ({"type": "rectification"}, "details.corrections"),
        ({"type": "rectification", "details": {"corrections": {}}}, "details.corrections"),
    ],
)
def test_request_type_rules_hold_when_details_are_left_out_on_every_channel(
    api: Api, body: dict[str, Any], problem: str
) -> None:
    email = unique_email()
    channels = [
        ("/requests", {}, {}),
        ("/brands/acme/requests", _brand_headers(api), {}),
        ("/ops/requests", _ops_headers(api), {"reason": "found in a support ticket"}),
    ]
    for path, headers, extra in channels:
        answer = api.post(path, {**body, "email": email, **extra}, headers=headers)
        result = _assert_error_shape(answer, 422, "validation_error")
        assert result["field"] == "details", path
        assert problem in result["message"], path
    # AND nothing was stored or sent
    assert api.outbox(to=email) == []
