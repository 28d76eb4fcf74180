"""Fulfilment end to end on seeded data: every right, in every store the data map lists.

Each test puts a fresh person into eight stores (as Ada is seeded), so that erasing or changing
one person never disturbs another test."""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile
from collections import Counter
from typing import Any

import pytest
import requests

from rightsflow.domain.data_map import load_data_map
from rightsflow.domain.identity import Identity
from rightsflow.integration.registry import PrivacyRegistry
from rightsflow.local.seed import (
    ADA_ANALYTICS_EVENTS,
    ADA_INVOICES,
    ADA_SMS_LINES,
    ADA_TRANSACTIONS,
    Person,
    add_person,
)
from rightsflow.local.sql_demo import SESSIONS_PER_ACCOUNT, PlatformAccount
from tests.support import Api, wait_for

pytestmark = pytest.mark.e2e

PLATFORM_ROWS = PlatformAccount(0, 0, 0).rows
EXPECTED_ACCESS = {
    "acme_profiles": 1,
    "acme_transactions": ADA_TRANSACTIONS,
    "acme_sms_log": ADA_SMS_LINES,
    "site_leads": 1,
    "job_applicants": 1,
    "web_analytics": ADA_ANALYTICS_EVENTS,
    "hubspot_marketing": 1,
    "platform_users": PLATFORM_ROWS,
}
PAGE_LINK = re.compile(r"(http://127\.0\.0\.1:\d+/\?request_id=(req-[0-9a-f]+))")


@pytest.fixture
def person(api: Api) -> Person:
    number = uuid.uuid4().int % 10**8
    someone = Person(
        name=f"Augusta King {number}",
        email=f"augusta.{number}@example.net",
        phone=f"+44207946{number % 10000:04d}",
        account_number=f"ACME-T{number}",
    )
    add_person(api.services.stack, api.services.peers.hubspot, someone)
    return someone


def _run(api: Api, who: Person, request_type: str, **fields: Any) -> dict[str, Any]:
    """The person asks, proves who they are (e-mail code, phone and account number), and waits
    for the end."""
    receipt = api.submit_verified(
        email=who.email,
        phone=who.phone,
        account_number=who.account_number,
        type=request_type,
        **fields,
    )
    view = api.wait_until_terminal(receipt, timeout=60)
    record = api.record(receipt["request_id"])
    assert view["status"] != "needs_attention", record.get("attention_reason")
    return {**receipt, "view": view, "record": record}


def _closing(api: Api, done: dict[str, Any]) -> dict[str, Any]:
    messages = wait_for(
        lambda: [
            m
            for m in api.outbox(to=done["email"])
            if "closed" in m["subject"] and done["request_id"] in m["subject"]
        ]
    )
    return messages[0]


def _download_link(api: Api, done: dict[str, Any]) -> str:
    """What the page's Download button does: the closing e-mail leads to the request's page,
    which asks the API, with the status token, for a fresh link."""
    page = PAGE_LINK.search(_closing(api, done)["text"])
    assert page, "the closing e-mail does not lead to the request's page"
    assert page.group(2) == done["request_id"]
    answer = api.session.get(
        f"{api.url}/requests/{done['request_id']}/package",
        headers={"X-Request-Token": done["status_token"]},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 303, answer.text
    return str(answer.headers["Location"])


def _package(api: Api, done: dict[str, Any]) -> dict[str, Any]:
    """Download the package as the person would, and open the zip."""
    answer = requests.get(_download_link(api, done), timeout=30)
    assert answer.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def records_by_store(files: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """An access package's records by store: a SQL store's folder of tables (`store/table.json`)
    is one store, its tables' rows together."""
    found: dict[str, list[dict[str, Any]]] = {}
    for name, body in files.items():
        if not name.endswith(".json") or name == "details.json":
            continue
        store = name.removesuffix(".json").split("/", maxsplit=1)[0]
        found.setdefault(store, []).extend(json.loads(body))
    return found


def _table_item(api: Api, table: str, key: dict[str, str]) -> dict[str, Any] | None:
    stack = api.services.stack
    answer = stack.client("dynamodb").get_item(
        TableName=stack.resource(table), Key={k: {"S": v} for k, v in key.items()}
    )
    item: dict[str, Any] | None = answer.get("Item")
    return item


def _identity(who: Person) -> Identity:
    return Identity(
        email=who.email,
        phones=frozenset({who.phone}),
        account_numbers=frozenset({who.account_number}),
    )


def _registry(api: Api) -> PrivacyRegistry:
    return PrivacyRegistry(api.services.stack.resource("PrivacyRegistryTable"))


# ---------------------------------------------------------------------------- access
def test_access_delivers_exactly_the_persons_records_from_every_store(
    api: Api, person: Person
) -> None:
    done = _run(api, person, "access")
    assert done["view"]["status"] == "completed"
    files = _package(api, done)
    assert {"README.txt", "details.json"} <= set(files)
    for store, count in EXPECTED_ACCESS.items():
        if store == "platform_users":
            continue  # a folder of tables: checked below and in test_sql_stores
        records = json.loads(files[f"{store}.json"])
        assert len(records) == count, store
        assert f"{store}.csv" in files
        for record in records:  # nobody else's data
            mine = {person.email, person.phone, person.account_number}
            identifiers = {
                record.get(name)
                for name in ("email", "phone", "account_number")
                if record.get(name)
            }
            assert identifiers, f"{store}: a record that names nobody"
            assert identifiers <= mine, f"{store}: someone else's record {record}"
    details = {entry["store"]: entry for entry in json.loads(files["details.json"])}
    profiles = details["acme_profiles"]
    for art_15_fact in ("purposes", "categories_of_personal_data", "retention", "source"):
        assert profiles[art_15_fact], art_15_fact
    assert "Brand acme" in profiles["controller"]
    assert "Google Analytics" in " ".join(details["web_analytics"]["recipients"])
    # AND the platform database's rows come by table (the SQL store's own tests say which)
    platform = details["platform_users"]
    assert platform["records"] == PLATFORM_ROWS
    assert platform["tables"]["sessions"] == SESSIONS_PER_ACCOUNT
    assert "We found data about you in 8 places" in _closing(api, done)["text"]


def test_a_second_copy_is_counted_and_the_person_is_told_about_fees(
    api: Api, person: Person
) -> None:
    _run(api, person, "access")
    second = _run(api, person, "access")
    assert second["record"]["copy_number"] == 2
    assert "copy number 2" in _closing(api, second)["text"]


def test_the_download_link_refuses_a_tampered_or_unsigned_url(api: Api, person: Person) -> None:
    done = _run(api, person, "access")
    unsigned = _download_link(api, done).split("?")[0]
    assert requests.get(unsigned, timeout=10).status_code == 403


def test_the_package_is_had_only_with_the_status_token_and_the_link_is_fresh_each_time(
    api: Api, person: Person
) -> None:
    # GIVEN a completed access request
    done = _run(api, person, "access")
    path = f"{api.url}/requests/{done['request_id']}/package"
    # WHEN it is asked for without the token, or with a wrong one
    for headers in ({}, {"X-Request-Token": "guess"}):
        answer = api.session.get(path, headers=headers, allow_redirects=False, timeout=30)
        # THEN it is a 404, exactly like the status of a request one may not see
        assert answer.status_code == 404
        assert answer.json() == api.get(f"/requests/{done['request_id']}").json()
    # AND with the token, the page's way (JSON), it is a link valid a few minutes
    answer = api.session.get(
        path,
        headers={"X-Request-Token": done["status_token"], "Accept": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    link = answer.json()
    assert "X-Amz-Expires=300" in link["download_url"]
    assert requests.get(link["download_url"], timeout=30).status_code == 200
    # AND the status says until when the package can be had, which the e-mail promised
    until = api.status(done)["package_available_until"]
    assert until
    assert "You can download it until" in _closing(api, done)["text"]


def test_a_request_without_a_package_answers_404_naming_why(api: Api, person: Person) -> None:
    done = _run(api, person, "objection")
    answer = api.session.get(
        f"{api.url}/requests/{done['request_id']}/package",
        headers={"X-Request-Token": done["status_token"]},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 404
    assert answer.json()["error"] == "no_package"
    assert api.status(done)["package_available_until"] is None


def test_portability_gives_only_data_provided_or_under_consent_or_contract(
    api: Api, person: Person
) -> None:
    done = _run(api, person, "portability")
    files = _package(api, done)
    assert "web_analytics.json" not in files  # legitimate interests: not portable
    assert len(json.loads(files["acme_profiles.json"])) == 1
    assert "data portability" in files["README.txt"]


# ---------------------------------------------------------------------------- erasure
def test_erasure_deletes_or_anonymises_keeps_held_invoices_and_access_then_shows_only_them(
    api: Api, person: Person
) -> None:
    done = _run(api, person, "erasure")
    assert done["view"]["status"] == "completed"
    text = _closing(api, done)["text"]
    assert f"{ADA_TRANSACTIONS - ADA_INVOICES} records deleted" in text
    assert f"{ADA_INVOICES} records kept (kept under legal hold: tax law" in text
    assert f"{ADA_SMS_LINES} records anonymised" in text
    assert _table_item(api, "SiteLeadsTable", {"email": person.email}) is None
    assert person.email not in json.dumps(api.services.peers.hubspot.contacts)
    # WHEN the person asks for access afterwards, THEN only the held invoices remain
    files = _package(api, _run(api, person, "access"))
    remaining = {
        name.removesuffix(".json"): json.loads(body)
        for name, body in files.items()
        if name.endswith(".json") and name != "details.json" and "/" not in name
    }
    assert list(remaining) == ["acme_transactions"]
    # (and the platform invoices kept under tax law, with the anonymised rows they hang off)
    assert len(json.loads(files["platform_users/invoices.json"])) == 2
    assert {r["kind"] for r in remaining["acme_transactions"]} == {"invoice"}
    assert len(remaining["acme_transactions"]) == ADA_INVOICES
    # AND a second erasure finds nothing left to erase in the stores, and deletes the package
    # the access request in between prepared
    again = _run(api, person, "erasure")
    text = _closing(api, again)["text"]
    stores, _, after = text.partition("We also deleted the copy of your data")
    assert after, "the package made for the access request is deleted too"
    assert "deleted" not in stores
    assert "anonymised" not in stores
    assert f"{ADA_INVOICES} records kept" in text


def test_a_repeat_erasure_giving_only_the_phone_the_first_one_deleted_finds_nothing_left(
    api: Api, person: Person
) -> None:
    # GIVEN the person erased their data giving only their phone, in its national form (GB)
    national = "0" + person.phone.removeprefix("+44")
    first = api.submit_verified(
        email=person.email, phone=national, jurisdiction="GB", type="erasure"
    )
    assert api.wait_until_terminal(first)["status"] == "completed"
    # WHEN they send the same request again (the phone is gone with their profile; only
    # invoices kept under tax law remain, which carry the account number, not the phone)
    again = api.submit_verified(
        email=person.email, phone=national, jurisdiction="GB", type="erasure"
    )
    view = api.wait_until_terminal(again)
    # THEN it completes: the phone is "not on file", not a mismatch, and nothing is left
    record = api.record(again["request_id"])
    assert view["status"] == "completed", record.get("attention_reason")
    text = _closing(api, again)["text"]
    assert "deleted" not in text
    assert f"{ADA_INVOICES} records kept" in text


def test_a_repeat_erasure_giving_an_account_number_we_hold_otherwise_is_still_reviewed(
    api: Api, person: Person
) -> None:
    # GIVEN the person's data was erased (the invoices, under the account number, are kept)
    _run(api, person, "erasure")
    # WHEN someone with the address asks again giving another account number
    again = api.submit_verified(
        email=person.email, account_number="ACME-NOT-THEIRS", type="erasure"
    )
    # THEN a record carries a different value: ops review it, as before
    assert api.wait_until_terminal(again)["status"] == "needs_attention"
    assert "does not match" in api.record(again["request_id"])["attention_reason"]


# ---------------------------------------------------------------------------- rectification
def test_rectification_changes_the_fields_the_map_allows_and_refuses_the_rest(
    api: Api, person: Person
) -> None:
    corrections = {"address": "1 New Street, London", "name": "Augusta Ada King", "kind": "refund"}
    done = _run(api, person, "rectification", details={"corrections": corrections})
    assert done["view"]["status"] == "completed"
    profile = _table_item(
        api, "AcmeProfilesTable", {"profile_id": f"acme-p-{person.account_number}"}
    )
    assert profile is not None
    assert profile["address"]["S"] == "1 New Street, London"
    assert profile["name"]["S"] == "Augusta Ada King"
    lead = _table_item(api, "SiteLeadsTable", {"email": person.email})
    assert lead is not None
    assert lead["name"]["S"] == "Augusta Ada King"
    text = _closing(api, done)["text"]
    assert "corrected" in text
    assert "kind cannot be changed" in text
    outcomes = {o["store"]: o for o in _outcomes(api, done["request_id"])}
    assert outcomes["acme_transactions"]["changed"] == 0
    assert "kind" in outcomes["acme_transactions"]["refused"]


def test_rectification_without_corrections_is_refused_at_intake(api: Api) -> None:
    answer = api.post(
        "/requests", {"type": "rectification", "email": "x@example.com", "details": {}}
    )
    assert answer.status_code == 422
    assert answer.json()["field"] == "details"


# ---------------------------------------------------------------------------- restriction
def test_restriction_flags_every_store_and_lifting_it_tells_the_person_first(
    api: Api, person: Person
) -> None:
    registry = _registry(api)
    done = _run(api, person, "restriction")
    assert done["view"]["status"] == "completed"
    assert registry.is_restricted(_identity(person))
    assert registry.is_restricted(Identity(email=person.email))  # any identifier finds it
    profile = _table_item(
        api, "AcmeProfilesTable", {"profile_id": f"acme-p-{person.account_number}"}
    )
    assert profile is not None
    assert profile["processing_restricted"]["BOOL"] is True
    lifted = _run(api, person, "lift_restriction")
    assert lifted["view"]["status"] == "completed"
    assert not registry.is_restricted(_identity(person))
    profile = _table_item(
        api, "AcmeProfilesTable", {"profile_id": f"acme-p-{person.account_number}"}
    )
    assert profile is not None
    assert profile["processing_restricted"]["BOOL"] is False
    subjects = [
        m["subject"] for m in api.outbox(to=person.email) if lifted["request_id"] in m["subject"]
    ]
    assert subjects.index(next(s for s in subjects if "lifting" in s)) < subjects.index(
        next(s for s in subjects if "closed" in s)
    )


# ---------------------------------------------------------------------------- consent & objection
@pytest.mark.parametrize("request_type", ["withdraw_consent", "objection"])
def test_marketing_stops_everywhere_and_the_person_is_suppressed(
    api: Api, person: Person, request_type: str
) -> None:
    done = _run(api, person, request_type)
    assert done["view"]["status"] == "completed"
    profile = _table_item(
        api, "AcmeProfilesTable", {"profile_id": f"acme-p-{person.account_number}"}
    )
    lead = _table_item(api, "SiteLeadsTable", {"email": person.email})
    assert profile is not None
    assert lead is not None
    assert profile["marketing_opt_in"]["BOOL"] is False
    assert lead["newsletter_consent"]["BOOL"] is False
    contact = next(
        c for c in api.services.peers.hubspot.contacts if c["data"]["email"] == person.email
    )
    assert contact["data"]["subscribed"] is False
    assert _registry(api).flags(_identity(person)).get("marketing_suppressed")


def test_an_objection_to_other_processing_goes_to_ops_review(api: Api, person: Person) -> None:
    receipt = api.submit_verified(
        email=person.email,
        phone=person.phone,
        type="objection",
        details={"processing": "analytics of my visits"},
    )
    view = api.wait_until_terminal(receipt)
    assert view["status"] == "needs_attention"
    assert "compelling legitimate grounds" in api.record(receipt["request_id"])["attention_reason"]


def test_automated_decision_opts_the_person_out_of_profiling(api: Api, person: Person) -> None:
    done = _run(api, person, "automated_decision")
    assert done["view"]["status"] == "completed"
    profile = _table_item(
        api, "AcmeProfilesTable", {"profile_id": f"acme-p-{person.account_number}"}
    )
    assert profile is not None
    assert profile["profiling_opt_out"]["BOOL"] is True
    assert _registry(api).flags(_identity(person)).get("profiling_opt_out")


# ---------------------------------------------------------------------------- failures
def _outcomes(api: Api, request_id: str) -> list[dict[str, Any]]:
    stack = api.services.stack
    items = stack.client("dynamodb").query(
        TableName=stack.resource("StoreOutcomesTable"),
        KeyConditionExpression="request_id = :id",
        ExpressionAttributeValues={":id": {"S": request_id}},
    )["Items"]
    return [json.loads(item["outcome"]["S"]) for item in items]


def test_a_failing_store_is_retried_then_parked_then_finished_by_ops_without_double_changes(
    api: Api, person: Person
) -> None:
    from rightsflow.integration.requests_store import RequestsStore
    from rightsflow.integration.workflow import Workflow
    from rightsflow.service import ops_actions

    stack = api.services.stack
    # GIVEN the transactions store fails on every try the state machine makes (1 + 4 retries)
    stack.runtime.inject_failure(
        "FulfilmentFunction",
        "StoreUnavailable",
        times=5,
        when={"step": "store", "store": "acme_transactions"},
    )
    receipt = api.submit_verified(email=person.email, phone=person.phone, type="erasure")
    # THEN the other stores go on, and the request is parked naming the store that failed,
    # with nothing reported done to the person
    view = api.wait_until_terminal(receipt, timeout=90)
    assert view["status"] == "needs_attention"
    outcomes = {o["store"]: o for o in _outcomes(api, receipt["request_id"])}
    assert outcomes.pop("acme_transactions")["status"] == "failed"
    planned = set(api.record(receipt["request_id"])["planned_stores"])
    assert {store: o["status"] for store, o in outcomes.items()} == dict.fromkeys(
        planned - {"acme_transactions"}, "done"
    )
    reason = api.record(receipt["request_id"])["attention_reason"]
    assert reason == (
        "workflow step failed with StoresNotFulfilled: "
        "acme_transactions: failed with StoreUnavailable"
    )
    assert not [m for m in api.outbox(to=person.email) if "closed" in m["subject"]]
    # WHEN ops re-drive it
    ops_actions.retry_parked(
        RequestsStore(stack.resource("RequestsTable"), stack.resource("AuditTable")),
        Workflow(stack.state_machine_arn),
        receipt["request_id"],
        actor="ops-carol",
        reason="the transactions store is back",
    )
    # THEN it finishes, each store was fulfilled exactly once, and every record changed once
    view = api.wait_until_terminal(receipt, timeout=60)
    assert view["status"] == "completed"
    fulfilled = Counter(_fulfilled_stores(api, receipt["request_id"]))
    assert set(fulfilled) == set(api.record(receipt["request_id"])["planned_stores"])
    assert set(fulfilled.values()) == {1}
    outcomes = {o["store"]: o for o in _outcomes(api, receipt["request_id"])}
    assert outcomes["acme_profiles"]["changed"] == 1
    assert outcomes["acme_transactions"]["changed"] == ADA_TRANSACTIONS - ADA_INVOICES
    assert outcomes["acme_transactions"]["kept"] == ADA_INVOICES
    assert outcomes["acme_sms_log"]["changed"] == ADA_SMS_LINES


def _fulfilled_stores(api: Api, request_id: str) -> list[str]:
    stack = api.services.stack
    items = stack.client("dynamodb").query(
        TableName=stack.resource("AuditTable"),
        KeyConditionExpression="request_id = :id",
        ExpressionAttributeValues={":id": {"S": request_id}},
    )["Items"]
    return [
        json.loads(item["detail"]["S"])["store"]
        for item in items
        if item["action"]["S"] == "store_fulfilled"
    ]


def test_every_store_of_the_data_map_is_reached_for_access() -> None:
    assert set(load_data_map().stores) == set(EXPECTED_ACCESS) | {"globex_profiles"}


def test_the_package_is_kept_seven_legal_days_then_answers_410(clock_api: Api) -> None:
    # GIVEN a completed access request, in a stack where a legal day lasts a fraction of a second
    receipt = clock_api.submit_verified(type="access")
    assert clock_api.wait_until_terminal(receipt)["status"] == "completed"
    path = f"{clock_api.url}/requests/{receipt['request_id']}/package"
    headers = {"X-Request-Token": receipt["status_token"]}
    first = clock_api.session.get(path, headers=headers, allow_redirects=False, timeout=30)
    assert first.status_code == 303, first.text
    # WHEN the seven days pass
    until = clock_api.status(receipt)["package_available_until"]
    assert until

    def gone() -> bool:
        answer = clock_api.session.get(path, headers=headers, allow_redirects=False, timeout=30)
        return answer.status_code == 410

    wait_for(gone, timeout=120, every=0.5)
    # THEN the package is gone, said so, and the status no longer offers it
    answer = clock_api.session.get(path, headers=headers, allow_redirects=False, timeout=30)
    assert answer.json()["error"] == "package_expired"
    assert clock_api.status(receipt)["package_available_until"] is None
