"""The intake API end to end: HTTP in, the state machine runs, the status and e-mails come back."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from tests.support import Api, unique_email, wait_for

pytestmark = pytest.mark.e2e


def test_a_submitted_request_runs_to_completion_and_its_history_shows_each_status(api: Api) -> None:
    # GIVEN a person on the GDPR page
    email = unique_email("ada")
    # WHEN they submit an access request
    answer = api.post("/requests", {"type": "access", "email": email})
    # THEN it is accepted with an id, a due date and a status token
    assert answer.status_code == 202
    receipt = answer.json()
    assert set(receipt) == {
        "request_id",
        "status",
        "received_at",
        "due_at",
        "status_token",
        "joined",
    }
    assert receipt["joined"] is False
    assert receipt["status"] == "received"
    assert receipt["due_at"] > receipt["received_at"]
    # AND once the person enters the code e-mailed to them, the workflow carries it to the end
    api.verify({**receipt, "email": email})
    view = api.wait_until_terminal(receipt)
    assert view["status"] == "completed"
    assert view["request_id"] == receipt["request_id"]
    assert view["type"] == "access"
    assert view["due_at"] == receipt["due_at"]
    assert [entry["status"] for entry in view["history"]] == [
        "received",
        "pending_verification",
        "in_progress",
        "completed",
    ]
    # AND the public view echoes no personal data back
    assert email not in json.dumps(view)


def test_the_person_gets_an_acknowledgment_with_the_request_id_and_due_date(api: Api) -> None:
    email = unique_email()
    receipt = api.submit(email=email, type="erasure", jurisdiction="DE")
    wait_for(lambda: api.outbox(to=email))
    messages = api.outbox(to=email)
    acknowledgment = next(m for m in messages if "We received" in m["subject"])
    assert receipt["request_id"] in acknowledgment["text"]
    assert "erasure" in acknowledgment["text"]
    assert "Answer due" in acknowledgment["text"]
    assert receipt["request_id"] in acknowledgment["html"]
    assert acknowledgment["sent_at"]


def test_outbox_lists_messages_newest_last_with_the_documented_fields(api: Api) -> None:
    email = unique_email()
    receipt = api.submit_verified(email=email)
    api.wait_until_terminal(receipt)
    messages = wait_for(lambda: found if len(found := api.outbox(to=email)) >= 3 else None)
    for message in messages:
        assert {"to", "subject", "text", "html", "sent_at"} <= set(message)
    assert "received" in messages[0]["subject"]
    assert "verification code" in messages[1]["subject"]
    assert "closed" in messages[-1]["subject"]
    assert [m["sent_at"] for m in messages] == sorted(m["sent_at"] for m in messages)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "a@example.com"}, "type"),
        ({"type": "access"}, "email"),
        ({"type": "delete-everything", "email": "a@example.com"}, "type"),
        ({"type": "access", "email": "not-an-address"}, "email"),
        ({"type": "access", "email": "a@example.com", "jurisdiction": "Germany!"}, "jurisdiction"),
        ({"type": "access", "email": "a@example.com", "phone": "call me"}, "phone"),
        ({"type": "access", "email": "a@example.com", "phone": "020 7946 0000"}, "phone"),
        ({"type": "access", "email": "jörg.beispiel@example.de"}, "email"),
        ({"type": "access", "email": "a@example.com", "favourite": "colour"}, "favourite"),
        ({"type": "access", "email": "a@example.com", "details": "fix it"}, "details"),
    ],
)
def test_invalid_input_is_refused_with_a_4xx_naming_the_field(
    api: Api, body: dict[str, Any], field: str
) -> None:
    answer = api.post("/requests", body)
    assert 400 <= answer.status_code < 500
    problem = answer.json()
    assert problem["field"] == field
    assert field in problem["message"]


def _nested(levels: int) -> dict[str, Any]:
    details: dict[str, Any] = {}
    inner = details
    for _ in range(levels - 1):
        inner["a"] = {}
        inner = inner["a"]
    return details


@pytest.mark.parametrize("levels", [32, 40, 900])
def test_details_nested_deeper_than_a_stored_request_can_hold_are_a_422(
    api: Api, levels: int
) -> None:
    # GIVEN details nesting more levels than DynamoDB stores in an item (32, the item's own
    # included, so 31 for details)
    email = unique_email("deep")
    answer = api.post("/requests", {"type": "access", "email": email, "details": _nested(levels)})
    # THEN it is refused naming what is too deep, and nothing is made
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] in {"details", "body"}
    assert "deeper than" in answer.json()["message"]
    assert not api.outbox(to=email)


def test_details_as_deep_as_a_stored_request_can_hold_are_taken(api: Api) -> None:
    receipt = api.submit(type="access", details=_nested(31))
    assert api.record(receipt["request_id"])["status"] in {"received", "pending_verification"}


@pytest.mark.parametrize(
    ("given", "answer_status", "stored"), [("UK", 202, "GB"), ("uk-sct", 202, "GB-SCT")]
)
def test_uk_is_read_as_the_united_kingdom_and_gets_its_clock(
    api: Api, given: str, answer_status: int, stored: str
) -> None:
    answer = api.post(
        "/requests", {"type": "access", "email": unique_email("uk"), "jurisdiction": given}
    )
    assert answer.status_code == answer_status, answer.text
    record = api.record(answer.json()["request_id"])
    assert (record["jurisdiction"], record["regime"], record["regime_fallback"]) == (
        stored,
        "UK_GDPR",
        False,
    )


@pytest.mark.parametrize(("given", "says"), [("US", "US-CA"), ("EU-DE", "DE"), ("XX", "GB")])
def test_a_jurisdiction_that_is_not_iso_3166_is_a_422_listing_what_is_accepted(
    api: Api, given: str, says: str
) -> None:
    answer = api.post(
        "/requests", {"type": "access", "email": unique_email("place"), "jurisdiction": given}
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "jurisdiction"
    assert says in answer.json()["message"]


def test_a_brand_we_do_not_know_is_a_422_naming_the_field_and_the_brands(api: Api) -> None:
    # GIVEN a request naming a Brand the data map does not list
    email = unique_email("nobrand")
    answer = api.post("/requests", {"type": "access", "email": email, "brand": "nope"})
    # THEN it is refused, naming the field and the Brands there are; nothing is sent
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["field"] == "brand"
    assert "acme" in problem["message"]
    assert "globex" in problem["message"]
    assert api.outbox(to=email) == []
    # AND a Brand we know, in any case, is taken
    assert (
        api.post("/requests", {"type": "access", "email": email, "brand": " ACME "}).status_code
        == 202
    )


def test_an_internationalised_domain_gets_its_mail_at_the_ascii_form_of_the_domain(
    api: Api,
) -> None:
    # GIVEN a person whose address has a Unicode domain
    local = unique_email("ada").split("@")[0]
    receipt = api.submit(type="access", email=f"{local}@bücher.example")
    # THEN SES is given the domain's IDNA A-label, and the person gets the code and can use it
    sent_to = f"{local}@xn--bcher-kva.example"
    code = api.latest_code({**receipt, "email": sent_to})
    answer = api.post(f"/requests/{receipt['request_id']}/verify", {"code": code})
    assert answer.status_code == 200, answer.text
    assert api.wait_until_terminal(receipt)["status"] == "completed"


def test_a_body_that_is_not_json_is_a_400(api: Api) -> None:
    answer = api.session.post(
        f"{api.url}/requests", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_json"


def test_json_sent_the_way_curl_dash_d_sends_it_is_accepted(api: Api) -> None:
    # curl -d labels the body application/x-www-form-urlencoded
    answer = api.session.post(
        f"{api.url}/requests",
        data=json.dumps({"type": "access", "email": unique_email()}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 202, answer.text


def test_a_body_over_64_kib_is_refused_with_413_and_nothing_is_stored(api: Api) -> None:
    email = unique_email()
    body = {"type": "rectification", "email": email, "details": {"note": "x" * 70_000}}
    answer = api.post("/requests", body)
    assert answer.status_code == 413
    assert answer.json()["field"] == "body"
    assert api.outbox(to=email) == []


def test_a_wrong_or_missing_token_answers_exactly_like_an_unknown_id(api: Api) -> None:
    receipt = api.submit()
    path = f"/requests/{receipt['request_id']}"
    wrong = api.get(path, headers={"X-Request-Token": "guess"})
    missing = api.get(path)
    unknown = api.get("/requests/req-0000", headers={"X-Request-Token": receipt["status_token"]})
    assert wrong.status_code == missing.status_code == unknown.status_code == 404
    assert wrong.json() == missing.json() == unknown.json()


def test_the_same_idempotency_key_returns_the_same_request_and_starts_one_execution(
    api: Api,
) -> None:
    body = {"type": "portability", "email": unique_email()}
    headers = {"Idempotency-Key": f"retry-{unique_email()}"}
    first = api.post("/requests", body, headers=headers)
    second = api.post("/requests", body, headers=headers)
    assert first.status_code == second.status_code == 202
    assert first.json()["request_id"] == second.json()["request_id"]
    sfn = api.services.stack.client("stepfunctions")
    executions = sfn.list_executions(stateMachineArn=api.services.stack.state_machine_arn)
    named = [e for e in executions["executions"] if e["name"] == first.json()["request_id"]]
    assert len(named) == 1


def test_an_idempotency_key_reused_with_another_body_is_refused(api: Api) -> None:
    headers = {"Idempotency-Key": f"key-{unique_email()}"}
    first = api.post("/requests", {"type": "access", "email": unique_email()}, headers=headers)
    second = api.post("/requests", {"type": "erasure", "email": unique_email()}, headers=headers)
    assert first.status_code == 202
    assert second.status_code == 422
    assert second.json()["field"] == "Idempotency-Key"


def test_a_second_submission_of_the_same_type_joins_the_open_request_and_sends_nothing(
    api: Api,
) -> None:
    # GIVEN a person's open access request, acknowledged and waiting for its code
    email = unique_email()
    first = api.submit(email=email, type="access")
    wait_for(lambda: api.status(first)["status"] == "pending_verification")
    sent_before = len(api.outbox(to=email))
    # WHEN the same address submits an access request again, without an Idempotency-Key
    again = api.post("/requests", {"type": "access", "email": email.upper()})
    # THEN it joins the open request: the same id, 202, and nothing of that request handed out
    assert again.status_code == 202, again.text
    joined = again.json()
    assert joined["request_id"] == first["request_id"]
    assert joined["joined"] is True
    assert joined["status_token"] is None
    assert joined["status"] == "received"
    assert joined["received_at"] > first["received_at"]
    # AND no second execution, acknowledgment or code
    sfn = api.services.stack.client("stepfunctions")
    executions = sfn.list_executions(stateMachineArn=api.services.stack.state_machine_arn)
    assert [e["name"] for e in executions["executions"]].count(first["request_id"]) == 1
    time.sleep(1)
    assert len(api.outbox(to=email)) == sent_before
    assert "submission_joined" in api.audit_actions(first["request_id"])
    # AND another type is a request of its own
    other = api.submit(email=email, type="erasure")
    assert other["request_id"] != first["request_id"]


def test_a_submission_joins_only_an_open_request(api: Api) -> None:
    # GIVEN a request of the person's that has ended (withdrawn through ops)
    email = unique_email()
    first = api.submit(email=email, type="automated_decision")
    wait_for(lambda: api.status(first)["status"] == "pending_verification")
    token = api.services.ops_token
    cancelled = api.post(
        f"/ops/requests/{first['request_id']}/cancel",
        {"reason": "the person withdrew it by phone"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert cancelled.status_code == 200, cancelled.text
    # WHEN the person asks again
    again = api.submit(email=email, type="automated_decision")
    # THEN it is a new request, with its own token
    assert again["request_id"] != first["request_id"]
    assert again["joined"] is False
    assert again["status_token"]


def test_the_openapi_document_describes_the_routes(api: Api) -> None:
    # WHEN someone reads /openapi.json on the local stack (the README points there)
    answer = api.get("/openapi.json")
    assert answer.status_code == 200
    document = answer.json()
    # THEN it is the one document of all three APIs, and the public deadline calculator
    paths = document["paths"]
    assert "/requests" in paths
    assert "/requests/{request_id}" in paths
    assert "/deadlines" in paths
    assert "/brands/{brand}/requests" in paths
    assert "/ops/requests" in paths
    assert "/ops/triage/{triage_id}/requests" in paths
    assert [tag["name"] for tag in document["tags"]] == ["People", "Brands", "Ops"]
    assert paths["/brands/{brand}/requests"]["post"]["security"] == [{"BrandApiKey": []}]
    assert paths["/ops/requests"]["get"]["security"] == [{"OpsIam": []}]
    assert "security" not in paths["/deadlines"]["get"]
    schema_names = set(document["components"]["schemas"])
    assert {"Submission", "Receipt", "PublicView"} <= schema_names
    # AND it is the committed document (`python -m rightsflow.api_document` writes it)
    from rightsflow.api_document import DOCUMENT_PATH

    assert document == json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))


def test_every_status_change_leaves_an_audit_event_without_personal_data(api: Api) -> None:
    email = unique_email("grace")
    receipt = api.submit_verified(email=email, name="Grace Hopper", phone="+1 555 0100")
    api.wait_until_terminal(receipt)
    stack = api.services.stack
    items = stack.client("dynamodb").query(
        TableName=stack.resource("AuditTable"),
        KeyConditionExpression="request_id = :id",
        ExpressionAttributeValues={":id": {"S": receipt["request_id"]}},
    )["Items"]
    actions = [item["action"]["S"] for item in items]
    assert actions[0] == "request_received"
    assert "acknowledgment_sent" in actions
    assert "identity_verified" in actions
    assert "request_completed" in actions
    assert all(item["component"]["S"] for item in items)
    dumped = json.dumps(items)
    for personal in (email, "Grace Hopper", "555 0100"):
        assert personal not in dumped


def test_the_execution_carries_no_personal_data(api: Api) -> None:
    email = unique_email("alan")
    receipt = api.submit_verified(email=email, name="Alan Turing")
    api.wait_until_terminal(receipt)
    stack = api.services.stack
    sfn = stack.client("stepfunctions")
    arn = sfn.describe_execution(
        executionArn=f"{stack.state_machine_arn.replace(':stateMachine:', ':execution:')}:"
        f"{receipt['request_id']}"
    )
    history = sfn.get_execution_history(executionArn=arn["executionArn"])
    dumped = json.dumps(history, default=str) + json.dumps(arn, default=str)
    assert email not in dumped
    assert "Alan Turing" not in dumped
