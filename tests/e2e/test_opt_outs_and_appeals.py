"""Opt-outs, Global Privacy Control, appeals and the deadline calculator, end to end on the local
stack, driven over HTTP as the GDPR page, a browser and the ops team do."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from rightsflow.domain.canonical import phone_e164
from rightsflow.domain.data_map import Identifier
from rightsflow.domain.identity import identifier_hash
from rightsflow.local.seed import ADA as ADA_RECORD
from tests.support import CODE_LINE, Api, unique_email, wait_for

pytestmark = pytest.mark.e2e

ADA = ADA_RECORD["email"]
APPEAL_TOKEN = re.compile(r"appeal token:\s*\n\s*(\S+)")


def _register(api: Api, kind: Identifier, value: str) -> dict[str, Any]:
    """The privacy register's entry for one identifier, as a processing job reads it."""
    stack = api.services.stack
    item = (
        stack.client("dynamodb")
        .get_item(
            TableName=stack.resource("PrivacyRegistryTable"),
            Key={"subject": {"S": f"{kind}#{identifier_hash(value)}"}},
        )
        .get("Item", {})
    )
    return {name: value.get("BOOL") for name, value in item.items() if "BOOL" in value}


def _ops(api: Api, method: str, path: str, **kwargs: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {api.services.ops_token}"}
    return api.session.request(method, f"{api.url}{path}", headers=headers, timeout=60, **kwargs)


def _closing(api: Api, receipt: dict[str, Any]) -> dict[str, Any]:
    def find() -> dict[str, Any] | None:
        for message in api.outbox(to=receipt["email"]):
            if receipt["request_id"] in message["subject"] and "closed" in message["subject"]:
                return message
        return None

    return wait_for(find)


def _anonymous(text: str, receipt: dict[str, Any]) -> str:
    """A notice with what legitimately differs between two people taken out."""
    text = text.replace(receipt["request_id"], "REQ")
    return re.sub(r"since .+? to all", "since WHEN to all", text)


# ---------------------------------------------------------------------------- opt-outs
def test_an_opt_out_is_honoured_at_once_without_a_code_and_closed_with_a_notice(api: Api) -> None:
    email = unique_email("optout")
    # GIVEN a Californian asks us not to sell or share their data, giving a phone number too
    receipt = api.submit(
        type="opt_out_sale_sharing", email=email, phone="(415) 555-0134", jurisdiction="US-CA"
    )
    # THEN the register already holds the opt-out for both identifiers given, when we answer
    assert _register(api, Identifier.EMAIL, email).get("sale_sharing_opt_out") is True
    phone = phone_e164("(415) 555-0134", "US")
    assert _register(api, Identifier.PHONE, phone).get("sale_sharing_opt_out") is True
    # AND the request completes without any verification code, within the 15 business days
    view = api.wait_until_terminal(receipt)
    assert view["status"] == "completed"
    assert "pending_verification" not in [entry["status"] for entry in view["history"]]
    record = api.record(receipt["request_id"])
    assert record["regime"] == "CCPA"
    assert not record.get("acknowledge_by")  # neither the law nor our policy asks for one
    # AND the only e-mail is the closing notice, which names the identifiers, not our data
    messages = [m for m in api.outbox(to=email) if receipt["request_id"] in m["text"]]
    assert not any(CODE_LINE.search(m["text"]) for m in messages)
    assert [m["subject"] for m in messages] == [
        f"Your privacy request {receipt['request_id']} is closed"
    ]
    assert "opt-out of the sale and sharing" in messages[0]["text"]
    assert "your e-mail address and phone number" in messages[0]["text"]  # listed as English does


def test_what_an_opt_out_says_reveals_nothing_about_whether_we_know_the_person(
    api: Api,
) -> None:
    # GIVEN one opt-out for someone in eight of our stores, and one for an unknown address
    known = api.submit(type="opt_out_targeted_advertising", email=ADA, jurisdiction="US-VA")
    unknown = api.submit(
        type="opt_out_targeted_advertising", email=unique_email("nobody"), jurisdiction="US-VA"
    )
    # THEN both answers, statuses and closing notices are the same words
    assert set(known) == set(unknown)
    assert api.wait_until_terminal(known)["status"] == "completed"
    assert api.wait_until_terminal(unknown)["status"] == "completed"
    assert _anonymous(_closing(api, known)["text"], known) == _anonymous(
        _closing(api, unknown)["text"], unknown
    )


def test_a_request_carrying_sec_gpc_records_an_opt_out_of_sale_and_sharing(api: Api) -> None:
    email = unique_email("gpc")
    # GIVEN a browser with Global Privacy Control sends an access request
    answer = api.post(
        "/requests",
        {"type": "access", "email": email, "jurisdiction": "US-CA"},
        headers={"Sec-GPC": "1"},
    )
    assert answer.status_code == 202, answer.text
    receipt = {**answer.json(), "email": email}
    # THEN the opt-out is recorded at once, and the access request goes on as usual
    assert _register(api, Identifier.EMAIL, email).get("sale_sharing_opt_out") is True
    assert api.record(receipt["request_id"])["gpc"] is True
    acknowledgment = wait_for(
        lambda: [m for m in api.outbox(to=email) if "received" in m["subject"]]
    )
    assert "Global Privacy Control" in acknowledgment[0]["text"]
    assert wait_for(lambda: api.status(receipt)["status"] == "pending_verification")


def test_a_gpc_signal_in_a_submission_that_joins_an_open_request_is_still_honoured(
    api: Api,
) -> None:
    email = unique_email("gpc-join")
    # GIVEN the person's access request is open, sent without Global Privacy Control
    first = api.submit(email=email, type="access", jurisdiction="US-CA")
    assert _register(api, Identifier.EMAIL, email).get("sale_sharing_opt_out") is None
    # WHEN the same access request comes again from a browser that sends Sec-GPC: 1
    answer = api.post(
        "/requests",
        {"type": "access", "email": email, "jurisdiction": "US-CA", "phone": "+1 415 555 0199"},
        headers={"Sec-GPC": "1"},
    )
    # THEN it joins the open request (no second request, no token)
    assert answer.status_code == 202, answer.text
    assert answer.json()["joined"] is True
    assert answer.json()["request_id"] == first["request_id"]
    # AND the opt-out of sale and sharing is recorded at once for every identifier it gave
    assert _register(api, Identifier.EMAIL, email).get("sale_sharing_opt_out") is True
    phone = phone_e164("+1 415 555 0199", "US")
    assert _register(api, Identifier.PHONE, phone).get("sale_sharing_opt_out") is True


def test_a_gpc_signal_on_a_retry_that_replays_the_first_answer_is_still_honoured(
    api: Api,
) -> None:
    email = unique_email("gpc-retry")
    body = {"type": "access", "email": email, "jurisdiction": "US-CA"}
    # GIVEN a request sent with an Idempotency-Key and without Global Privacy Control
    first = api.post("/requests", body, headers={"Idempotency-Key": f"k-{email}"})
    assert first.status_code == 202, first.text
    assert _register(api, Identifier.EMAIL, email).get("sale_sharing_opt_out") is None
    # WHEN the browser retries it with the same key, now sending Sec-GPC: 1
    retry = api.post("/requests", body, headers={"Idempotency-Key": f"k-{email}", "Sec-GPC": "1"})
    # THEN the first answer is replayed (no second request)
    assert retry.status_code == 202, retry.text
    assert retry.json()["request_id"] == first.json()["request_id"]
    # AND the opt-out of sale and sharing is recorded all the same
    assert _register(api, Identifier.EMAIL, email).get("sale_sharing_opt_out") is True


def test_post_gpc_records_the_opt_out_for_the_identifiers_given_and_emails_nobody(
    api: Api,
) -> None:
    before = len(api.outbox())
    # GIVEN a signal for a phone number only
    answer = api.post("/gpc", {"phone": "+1 415 555 0199"})
    # THEN it is honoured at once for that number
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "recorded": "opt_out_sale_sharing",
        "identifiers": 1,
        "jurisdiction": "US-CA",
        "regime": "CCPA",
    }
    assert _register(api, Identifier.PHONE, "+14155550199").get("sale_sharing_opt_out") is True
    # AND the answer for a known person is the same as for anyone; nobody is e-mailed
    for email in (ADA, unique_email("stranger")):
        same = api.post("/gpc", {"email": email, "jurisdiction": "us-ca"})
        assert same.json() == {**answer.json(), "identifiers": 1}
    assert not [m for m in api.outbox()[before:] if ADA in m["to"]]
    # AND a signal naming nobody is refused, saying what is missing
    empty = api.post("/gpc", {"jurisdiction": "US-CA"})
    assert empty.status_code == 422
    assert "at least one identifier" in empty.json()["message"]


# ---------------------------------------------------------------------------- appeals
def _declined_in_virginia(api: Api) -> dict[str, Any]:
    """An access request from Virginia that ends unverified: five wrong codes."""
    receipt = api.submit(type="access", jurisdiction="US-VA")
    wait_for(lambda: api.status(receipt)["status"] == "pending_verification")
    right = api.latest_code(receipt)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for _ in range(5):
        api.post(f"/requests/{receipt['request_id']}/verify", {"code": wrong})
    assert api.wait_until_terminal(receipt)["status"] == "unverified"
    return receipt


def _appeal(api: Api, receipt: dict[str, Any], token: str, **fields: Any) -> requests.Response:
    body = {
        "type": "appeal",
        "email": receipt["email"],
        "details": {
            "appeal_of": receipt["request_id"],
            "status_token": token,
            "message": "I did enter the right code.",
        },
        **fields,
    }
    return api.post("/requests", body)


def test_a_decision_is_appealed_once_and_ops_deny_it_naming_the_attorney_general(
    api: Api,
) -> None:
    # GIVEN a Virginian's request closed without action (a refusal the VCDPA lets them appeal)
    receipt = _declined_in_virginia(api)
    closing = _closing(api, receipt)
    # THEN the closing e-mail says how and until when to appeal, with an appeal token
    assert "You can appeal this decision until" in closing["text"]
    token = APPEAL_TOKEN.search(closing["text"])
    assert token is not None
    # WHEN someone without the token, or from another address, tries to appeal
    assert _appeal(api, receipt, "not-the-token").json()["field"] == "details.appeal_of"
    other = _appeal(api, receipt, token.group(1), email=unique_email("other"))
    assert (other.status_code, other.json()["field"]) == (422, "email")
    # AND the person appeals with the token from the e-mail
    appeal = _appeal(api, receipt, token.group(1))
    assert appeal.status_code == 202, appeal.text
    appealed = {**appeal.json(), "email": receipt["email"]}
    # THEN the appeal runs on Virginia's 60-day appeal clock and waits for ops, without a code
    record = api.record(appealed["request_id"])
    assert record["regime"] == "US_VA_VCDPA"
    assert "status_token" not in record["details"]
    wait_for(lambda: api.record(appealed["request_id"]).get("waiting_for") == "ops_answer")
    # AND a second appeal of the same decision, even with the status token, is refused
    again = _appeal(api, receipt, receipt["status_token"])
    assert again.status_code == 422
    assert "already appealed" in again.json()["message"]
    # WHEN ops deny the appeal in writing through the ops API
    answered = _ops(
        api,
        "POST",
        f"/ops/requests/{appealed['request_id']}/answer",
        json={"decision": "denied", "answer": "The codes entered did not match the one sent."},
    )
    assert answered.status_code == 200, answered.text
    # THEN the person receives the decision, the reasons and how to complain to the AG
    assert api.wait_until_terminal(appealed)["status"] == "completed"
    decision = _closing(api, appealed)["text"]
    assert "Your appeal against our decision on request" in decision
    assert "is denied" in decision
    assert "The codes entered did not match the one sent." in decision
    assert "Attorney General of Virginia" in decision
    assert "You can appeal this decision" not in decision  # an appeal's answer is final


def test_an_appeal_needs_a_decision_a_law_lets_the_person_appeal(api: Api) -> None:
    # GIVEN a request still open, and a German one closed: the GDPR gives no appeal to us
    open_request = api.submit(type="access", jurisdiction="US-TX")
    still_open = _appeal(api, open_request, open_request["status_token"])
    assert still_open.status_code == 422
    assert "still open" in still_open.json()["message"]
    german = api.submit(type="objection", jurisdiction="DE")
    assert api.wait_until_terminal(german)["status"] == "completed"
    refused = _appeal(api, german, german["status_token"])
    assert refused.status_code == 422
    assert "no right to appeal" in refused.json()["message"]
    # AND an unknown id answers exactly like a wrong token
    unknown = _appeal(api, {**german, "request_id": "req-0000"}, german["status_token"])
    assert unknown.json()["message"] == _appeal(api, open_request, "wrong").json()["message"]


# ---------------------------------------------------------------------------- the calculator
def test_the_deadline_calculator_is_public_and_names_wrong_input(api: Api) -> None:
    answer = api.get(
        "/deadlines",
        params={"jurisdiction": "DE", "type": "access", "received_at": "2026-01-31T10:00:00+01:00"},
    )
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["due_local_date"], report["target_local_date"]) == ("2026-03-02", "2026-02-28")
    assert report["latest_extended_local_date"] == "2026-04-28"
    assert report["fallback"] is False
    # WHEN received_at is omitted it is now; a wrong value is a 422 naming the parameter
    assert api.get("/deadlines", params={"jurisdiction": "BR", "type": "erasure"}).ok
    naive = api.get(
        "/deadlines",
        params={"jurisdiction": "DE", "type": "access", "received_at": "2026-01-31T10:00:00"},
    )
    assert (naive.status_code, naive.json()["field"]) == (422, "received_at")
    unknown_type = api.get("/deadlines", params={"jurisdiction": "DE", "type": "delete"})
    assert (unknown_type.status_code, unknown_type.json()["field"]) == (422, "type")


@pytest.mark.parametrize(
    ("jurisdiction", "received_at"),
    [("DE", "9999-12-31T23:59:59+00:00"), ("US-CA", "9999-11-20T10:00:00-08:00")],
)
def test_a_receipt_too_far_in_the_future_is_a_422_naming_received_at(
    api: Api, jurisdiction: str, received_at: str
) -> None:
    # GIVEN a receipt whose deadlines would fall after 9999-12-31
    answer = api.get(
        "/deadlines",
        params={"jurisdiction": jurisdiction, "type": "access", "received_at": received_at},
    )
    # THEN the calculator says which field, instead of failing
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "received_at"
    assert "9999-01-01" in answer.json()["message"]


@pytest.mark.parametrize(
    ("given", "status", "regime"),
    [("UK", 200, "UK_GDPR"), ("US", 422, None), ("EU-DE", 422, None), ("MX", 200, "KR_PIPA")],
)
def test_the_calculator_reads_uk_as_gb_and_refuses_codes_that_are_not_iso_3166(
    api: Api, given: str, status: int, regime: str | None
) -> None:
    answer = api.get("/deadlines", params={"jurisdiction": given, "type": "access"})
    assert answer.status_code == status, answer.text
    if regime is None:
        assert answer.json()["field"] == "jurisdiction"
    else:
        assert answer.json()["regime"] == regime
        assert answer.json()["fallback"] is (given == "MX")
