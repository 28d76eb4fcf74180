"""Controller/processor routing, the Brand API and telling recipients (GDPR Art. 19)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests

from rightsflow.integration.signing import signed_headers
from rightsflow.local.seed import Person, add_globex_member, add_person
from tests.support import CODE_LINE, Api, unique_email, wait_for

pytestmark = pytest.mark.e2e


def _someone(label: str) -> Person:
    number = uuid.uuid4().int % 10**8
    return Person(
        name=f"{label.title()} {number}",
        email=f"{label}.{number}@example.net",
        phone=f"+44207946{number % 10000:04d}",
        account_number=f"ACME-{label[:2].upper()}{number}",
    )


def _brand(
    api: Api, brand: str, method: str, path: str, key: str | None = None, **kw: Any
) -> requests.Response:
    headers = {"Authorization": f"Bearer {key or api.services.brand_keys[brand]}"}
    return api.session.request(method, f"{api.url}{path}", headers=headers, timeout=30, **kw)


def _events(api: Api, brand: str, request_id: str) -> list[str]:
    return [
        d["event"]
        for d in api.services.peers.brand(brand).deliveries
        if d.get("request_id") == request_id
    ]


def _closing_text(api: Api, receipt: dict[str, Any]) -> str:
    messages = wait_for(
        lambda: [
            m
            for m in api.outbox(to=receipt["email"])
            if "closed" in m["subject"] and receipt["request_id"] in m["subject"]
        ]
    )
    return str(messages[0]["text"])


def _site_lead_only(api: Api) -> Person:
    someone = _someone("lead")
    stack = api.services.stack
    stack.client("dynamodb").put_item(
        TableName=stack.resource("SiteLeadsTable"),
        Item={"email": {"S": someone.email}, "name": {"S": someone.name}},
    )
    return someone


def test_data_we_control_is_answered_by_us_with_no_brand_involved(api: Api) -> None:
    someone = _site_lead_only(api)
    receipt = api.submit_verified(email=someone.email, type="access")
    assert api.wait_until_terminal(receipt)["status"] == "completed"
    record = api.record(receipt["request_id"])
    assert (
        record["controller_stores"]
        == ["site_leads", "platform_users", "web_analytics", "hubspot_marketing", "job_applicants"]
        or record["brand_parts"] == {}
    )
    assert record["brand_parts"] == {}
    assert "decides about your data" not in _closing_text(api, receipt)


def test_a_brand_with_a_standing_fulfil_instruction_is_acted_for_then_told(api: Api) -> None:
    someone = _someone("acmefan")
    add_person(api.services.stack, api.services.peers.hubspot, someone)
    receipt = api.submit_verified(
        email=someone.email,
        phone=someone.phone,
        type="rectification",
        details={"corrections": {"address": "2 Acme Road"}},
    )
    view = api.wait_until_terminal(receipt)
    assert view["status"] == "completed"
    assert "awaiting_brand" not in [entry["status"] for entry in view["history"]]
    assert "request_fulfilled" in _events(api, "acme", receipt["request_id"])
    report = next(
        d
        for d in api.services.peers.brand("acme").deliveries
        if d.get("request_id") == receipt["request_id"] and d["event"] == "request_fulfilled"
    )
    assert {s["store"] for s in report["stores"]} == {
        "acme_profiles",
        "acme_transactions",
        "acme_sms_log",
    }
    assert "ACME Corp decides about your data" in _closing_text(api, receipt)


def _globex_member(api: Api) -> Person:
    someone = _someone("globex")
    add_globex_member(api.services.stack, someone)
    return someone


def test_forward_then_fulfil_on_the_brands_instruction(api: Api) -> None:
    someone = _globex_member(api)
    receipt = api.submit_verified(email=someone.email, phone=someone.phone, type="erasure")
    wait_for(lambda: api.status(receipt)["status"] == "awaiting_brand")
    # The status is written before the webhook goes out (functions run side by side locally,
    # as in AWS): wait for the delivery itself.
    asked = wait_for(
        lambda: next(
            (
                d
                for d in api.services.peers.brand("globex").deliveries
                if d.get("request_id") == receipt["request_id"]
            ),
            None,
        )
    )
    assert asked["event"] == "instruction_requested"
    assert asked["person"]["email"] == someone.email  # the Brand is the controller: it must know
    answer = _brand(
        api,
        "globex",
        "POST",
        f"/brands/globex/requests/{receipt['request_id']}/instruction",
        json={"action": "fulfil"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["part"]["status"] == "fulfil"
    view = api.wait_until_terminal(receipt)
    assert view["status"] == "completed"
    assert "awaiting_brand" in [entry["status"] for entry in view["history"]]
    stack = api.services.stack
    remaining = stack.client("dynamodb").get_item(
        TableName=stack.resource("GlobexProfilesTable"),
        Key={"member_id": {"S": f"gx-{someone.account_number}"}},
    )
    assert "Item" not in remaining
    # a second instruction is refused: the Brand already answered
    again = _brand(
        api,
        "globex",
        "POST",
        f"/brands/globex/requests/{receipt['request_id']}/instruction",
        json={"action": "decline", "reason": "changed our mind"},
    )
    assert again.status_code == 409


def test_forward_then_decline_passes_the_brands_reason_to_the_person(api: Api) -> None:
    someone = _globex_member(api)
    receipt = api.submit_verified(email=someone.email, phone=someone.phone, type="access")
    wait_for(lambda: api.status(receipt)["status"] == "awaiting_brand")
    missing_reason = _brand(
        api,
        "globex",
        "POST",
        f"/brands/globex/requests/{receipt['request_id']}/instruction",
        json={"action": "decline"},
    )
    assert missing_reason.status_code == 422
    assert missing_reason.json()["field"] == "reason"
    answer = _brand(
        api,
        "globex",
        "POST",
        f"/brands/globex/requests/{receipt['request_id']}/instruction",
        json={"action": "decline", "reason": "the member closed their account with us in 2025"},
    )
    assert answer.status_code == 200
    assert api.wait_until_terminal(receipt)["status"] == "declined"
    text = _closing_text(api, receipt)
    assert "closed their account with us in 2025" in text
    assert "dpo@globex.example" in text


def test_a_silent_brand_is_reminded_then_escalated_to_ops(clock_api: Api) -> None:
    api = clock_api
    someone = _globex_member(api)
    receipt = api.submit_verified(email=someone.email, phone=someone.phone, type="portability")
    # One legal day is 0.25 s here: 5 days to answer, then 5 more after the reminder.
    wait_for(
        lambda: (
            "brand_silent" in [m["event"] for m in api.ops_notifications(receipt["request_id"])]
        ),
        timeout=30,
    )
    deliveries = [
        d
        for d in api.services.peers.brand("globex").deliveries
        if d.get("request_id") == receipt["request_id"]
    ]
    assert [d["reminder"] for d in deliveries] == [False, True]
    assert api.status(receipt)["status"] == "awaiting_brand"
    assert "brand_silence_escalated" in api.audit_actions(receipt["request_id"])
    # The Brand may still answer after the escalation
    answer = _brand(
        api,
        "globex",
        "POST",
        f"/brands/globex/requests/{receipt['request_id']}/instruction",
        json={"action": "fulfil"},
    )
    assert answer.status_code == 200
    assert api.wait_until_terminal(receipt, timeout=30)["status"] == "completed"


def test_a_brand_submits_a_request_it_verified_and_reads_it_back(api: Api) -> None:
    email = unique_email("acme-member")
    answer = _brand(
        api, "acme", "POST", "/brands/acme/requests", json={"type": "objection", "email": email}
    )
    assert answer.status_code == 202, answer.text
    receipt = {**answer.json(), "email": email}
    view = api.wait_until_terminal(receipt)
    assert view["status"] == "completed"
    assert not any(CODE_LINE.search(m["text"]) for m in api.outbox(to=email))
    record = api.record(receipt["request_id"])
    assert record["channel"] == "brand_api"
    assert record["verified_by"] == "brand:acme"
    read = _brand(api, "acme", "GET", f"/brands/acme/requests/{receipt['request_id']}")
    assert read.status_code == 200
    assert read.json()["channel"] == "brand_api"
    listed = _brand(api, "acme", "GET", "/brands/acme/requests", params={"limit": 100})
    assert receipt["request_id"] in [r["request_id"] for r in listed.json()["requests"]]


def test_a_brand_never_sees_instructs_or_submits_for_another(api: Api) -> None:
    someone = _globex_member(api)
    receipt = api.submit_verified(email=someone.email, phone=someone.phone, type="access")
    wait_for(lambda: api.status(receipt)["status"] == "awaiting_brand")
    acme_key = api.services.brand_keys["acme"]
    request_id = receipt["request_id"]
    # acme's key on globex's routes
    assert _brand(api, "globex", "GET", "/brands/globex/requests", key=acme_key).status_code == 403
    assert (
        _brand(
            api,
            "globex",
            "POST",
            "/brands/globex/requests",
            key=acme_key,
            json={"type": "access", "email": "a@example.com"},
        ).status_code
        == 403
    )
    assert (
        _brand(
            api,
            "globex",
            "POST",
            f"/brands/globex/requests/{request_id}/instruction",
            key=acme_key,
            json={"action": "fulfil"},
        ).status_code
        == 403
    )
    # acme's own routes, for globex's request
    assert _brand(api, "acme", "GET", f"/brands/acme/requests/{request_id}").status_code == 404
    assert (
        _brand(
            api,
            "acme",
            "POST",
            f"/brands/acme/requests/{request_id}/instruction",
            json={"action": "fulfil"},
        ).status_code
        == 404
    )
    assert request_id not in json.dumps(
        _brand(api, "acme", "GET", "/brands/acme/requests", params={"limit": 100}).json()
    )
    # acme submitting in globex's name through its own route
    body = {"type": "access", "email": "a@example.com", "brand": "globex"}
    mismatch = _brand(api, "acme", "POST", "/brands/acme/requests", json=body)
    assert mismatch.status_code == 422
    assert mismatch.json()["field"] == "brand"
    # no key, or a made-up one
    assert api.get("/brands/acme/requests").status_code == 401
    assert _brand(api, "acme", "GET", "/brands/acme/requests", key="rfk_made-up").status_code == 403
    assert api.status(receipt)["status"] == "awaiting_brand"


def test_brand_webhooks_are_signed_and_a_forgery_is_refused(api: Api) -> None:
    receiver = api.services.peers.brand("acme")
    url = f"{api.services.peers.url}/brands/acme"
    body = json.dumps({"event": "instruction_requested", "request_id": "req-forged"}).encode()
    forged = requests.post(
        url, data=body, headers=signed_headers("not-the-secret", body), timeout=10
    )
    assert forged.status_code == 401
    assert receiver.refused >= 1
    assert not [d for d in receiver.deliveries if d.get("request_id") == "req-forged"]
    genuine = requests.post(
        url, data=body, headers=signed_headers(str(receiver.secret), body), timeout=10
    )
    assert genuine.status_code == 200


def test_recipients_are_told_retried_after_a_failure_and_listed_to_the_person(api: Api) -> None:
    someone = _someone("recipient")
    add_person(api.services.stack, api.services.peers.hubspot, someone)
    acme = api.services.peers.brand("acme")
    acme.fail_next(2, event="data_subject_request_carried_out")
    receipt = api.submit_verified(email=someone.email, phone=someone.phone, type="restriction")
    assert api.wait_until_terminal(receipt, timeout=60)["status"] == "completed"
    notices = api.record(receipt["request_id"])["recipient_notices"]
    assert set(notices) == {"acme", "google_analytics", "hubspot", "sms_carrier"} - {
        "sms_carrier"
    } | ({"sms_carrier"} if "sms_carrier" in notices else set())
    assert {n["status"] for n in notices.values()} == {"notified"}
    assert "data_subject_request_carried_out" in _events(api, "acme", receipt["request_id"])
    assert any(
        receipt["request_id"] in m["subject"]
        for m in api.outbox(to="privacy-requests@analytics-vendor.example")
    )
    text = _closing_text(api, receipt)
    assert "We told those who received your data from us" in text
    assert "Google Analytics" in text


def test_a_recipient_that_cannot_be_reached_is_reported_not_skipped(api: Api) -> None:
    someone = _someone("unreachable")
    add_person(api.services.stack, api.services.peers.hubspot, someone)
    api.services.peers.brand("acme").fail_next(100, event="data_subject_request_carried_out")
    try:
        receipt = api.submit_verified(
            email=someone.email,
            phone=someone.phone,
            type="rectification",
            details={"corrections": {"name": "Someone Else"}},
        )
        assert api.wait_until_terminal(receipt, timeout=60)["status"] == "completed"
    finally:
        api.services.peers.brand("acme").fail_next(0)
    notices = api.record(receipt["request_id"])["recipient_notices"]
    assert notices["acme"]["status"] == "unreachable"
    assert "We could not reach: Brand acme" in _closing_text(api, receipt)
    assert "recipient_unreachable" in [
        m["event"] for m in api.ops_notifications(receipt["request_id"])
    ]
