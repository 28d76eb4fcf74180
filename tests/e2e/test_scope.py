"""Scope end to end: a Brand's request reaches only the stores the data map assigns to that
Brand; a request ops start reaches only the scope they name; the person, the Brand and ops
see the scope."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from rightsflow.local import sql_demo
from rightsflow.local.seed import ADA, Person, add_globex_member, add_person
from tests.e2e.test_brands import _brand, _events, _someone
from tests.e2e.test_fulfilment import (
    EXPECTED_ACCESS,
    _closing,
    _outcomes,
    _package,
    _run,
    _table_item,
    records_by_store,
)
from tests.support import Api, wait_for

pytestmark = pytest.mark.e2e


def _counts(api: Api, who: Person) -> dict[str, int]:
    """What the person would get from an access request: their records, by store."""
    files = _package(api, _run(api, who, "access"))
    return {store: len(records) for store, records in records_by_store(files).items()}


def _platform_user(api: Api, email: str) -> dict[str, Any]:
    """The person's account row in the platform database (a SQL store of ours)."""
    url = api.services.stack.options.database_url
    assert url is not None
    engine = sql_demo.demo_engine(url)
    users = sql_demo.platform_users
    try:
        with engine.connect() as connection:
            row = connection.execute(
                sa.select(users).where(sa.func.lower(users.c.email) == email.lower())
            ).one()
    finally:
        engine.dispose()
    return dict(row._mapping)


def _brand_submits(api: Api, brand: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = _brand(api, brand, "POST", f"/brands/{brand}/requests", json=body)
    assert answer.status_code == 202, answer.text
    return {**answer.json(), "email": body["email"]}


def test_a_brands_erasure_of_someone_not_its_consumer_changes_nothing_anywhere(api: Api) -> None:
    # GIVEN someone in eight stores (acme's and ours, the platform database too) who is not a
    # member of globex
    someone = _someone("notglobex")
    add_person(api.services.stack, api.services.peers.hubspot, someone)
    # WHEN globex asks, with its own API key, for their erasure
    receipt = _brand_submits(api, "globex", {"type": "erasure", "email": someone.email})
    view = api.wait_until_terminal(receipt)
    request_id = receipt["request_id"]
    record = api.record(request_id)
    # THEN the request covered globex's stores only, found nothing there, and changed nothing
    assert record["scope"] == {
        "kind": "brand_stores",
        "brand": "globex",
        "stores": ["globex_profiles"],
    }
    assert view["status"] == "completed"
    assert record["planned_stores"] == []
    assert _outcomes(api, request_id) == []
    assert record["recipient_notices"] == {}
    assert "request_fulfilled" not in _events(api, "acme", request_id)
    assert _counts(api, someone) == EXPECTED_ACCESS  # every record is still there
    # AND the person is told what it covered and that nothing was changed
    text = _closing(api, receipt)["text"]
    assert "Globex Corporation asked us to act on your data" in text
    assert "only the data we process for Globex Corporation" in text
    assert "We found no data about you there, so nothing was changed." in text
    assert "We found data about you" not in text
    # AND globex sees its scope and that the person was found in none of its stores
    read = _brand(api, "globex", "GET", f"/brands/globex/requests/{request_id}").json()
    assert read["status"] == "completed"
    assert read["scope"]["stores"] == ["globex_profiles"]
    assert read["found_in"] == []
    assert read["part"] is None
    # AND the person's own status view shows the scope
    assert api.status(receipt)["scope"]["kind"] == "brand_stores"


def test_the_issue_case_globex_erasing_ada_leaves_her_data_alone(api: Api) -> None:
    """The seeded Ada is in eight stores and not a globex member."""
    receipt = _brand_submits(api, "globex", {"type": "erasure", "email": ADA["email"]})
    assert api.wait_until_terminal(receipt)["status"] == "completed"
    assert api.record(receipt["request_id"])["planned_stores"] == []
    profile = _table_item(
        api, "AcmeProfilesTable", {"profile_id": f"acme-p-{ADA['account_number']}"}
    )
    assert profile is not None
    assert _table_item(api, "SiteLeadsTable", {"email": ADA["email"]}) is not None
    # AND her account in our platform database (SQL) was neither read for globex nor changed
    account = _platform_user(api, ADA["email"])
    assert account["name"] == ADA["name"]
    assert account["username"] == "alovelace"


def test_a_brands_request_for_its_own_consumer_is_its_instruction_and_stays_in_its_stores(
    api: Api,
) -> None:
    # GIVEN a globex member who is also in acme's and our stores
    someone = _someone("gxboth")
    add_person(api.services.stack, api.services.peers.hubspot, someone)
    add_globex_member(api.services.stack, someone)
    # WHEN globex asks for their erasure
    receipt = _brand_submits(api, "globex", {"type": "erasure", "email": someone.email})
    # THEN globex is not asked for an instruction (its request is one) and only its store changes
    assert api.wait_until_terminal(receipt)["status"] == "completed"
    request_id = receipt["request_id"]
    assert "instruction_requested" not in _events(api, "globex", request_id)
    assert [o["store"] for o in _outcomes(api, request_id)] == ["globex_profiles"]
    member = _table_item(api, "GlobexProfilesTable", {"member_id": f"gx-{someone.account_number}"})
    assert member is None
    assert _counts(api, someone) == EXPECTED_ACCESS
    read = _brand(api, "globex", "GET", f"/brands/globex/requests/{request_id}").json()
    assert read["found_in"] == ["globex_profiles"]
    assert read["part"]["status"] == "fulfil"


def test_acmes_rectification_never_touches_our_own_stores(api: Api) -> None:
    someone = _someone("acmerect")
    add_person(api.services.stack, api.services.peers.hubspot, someone)
    receipt = _brand_submits(
        api,
        "acme",
        {
            "type": "rectification",
            "email": someone.email,
            "details": {"corrections": {"name": "Renamed By Acme"}},
        },
    )
    assert api.wait_until_terminal(receipt)["status"] == "completed"
    profile = _table_item(
        api, "AcmeProfilesTable", {"profile_id": f"acme-p-{someone.account_number}"}
    )
    assert profile is not None
    assert profile["name"]["S"] == "Renamed By Acme"
    lead = _table_item(api, "SiteLeadsTable", {"email": someone.email})
    assert lead is not None
    assert lead["name"]["S"] == someone.name  # our own record: not acme's to change
    assert _platform_user(api, someone.email)["name"] == someone.name  # ours, in SQL: the same
    stores = {o["store"] for o in _outcomes(api, receipt["request_id"])}
    assert stores <= {"acme_profiles", "acme_transactions", "acme_sms_log"}
    contact = next(
        c for c in api.services.peers.hubspot.contacts if c["data"]["email"] == someone.email
    )
    assert contact["data"]["name"] == someone.name


def test_a_request_ops_start_for_our_stores_leaves_the_brands_data_alone(api: Api) -> None:
    someone = _someone("opsscope")
    add_person(api.services.stack, api.services.peers.hubspot, someone)
    headers = {"Authorization": f"Bearer {api.services.ops_token}"}
    answer = api.session.post(
        f"{api.url}/ops/requests",
        json={
            "type": "erasure",
            "email": someone.email,
            "reason": "the person asked us by phone; acme handles its own",
            "scope": "our_stores",
        },
        headers=headers,
        timeout=60,
    )
    assert answer.status_code == 202, answer.text
    receipt = {**answer.json(), "email": someone.email}
    assert api.wait_until_terminal(receipt)["status"] == "completed"
    assert _table_item(api, "SiteLeadsTable", {"email": someone.email}) is None
    profile = _table_item(
        api, "AcmeProfilesTable", {"profile_id": f"acme-p-{someone.account_number}"}
    )
    assert profile is not None  # acme's data: outside the scope ops named
    stores = {o["store"] for o in _outcomes(api, receipt["request_id"])}
    assert stores
    assert not stores & {"acme_profiles", "acme_transactions", "acme_sms_log"}
    shown = api.session.get(
        f"{api.url}/ops/requests/{receipt['request_id']}", headers=headers, timeout=60
    ).json()
    assert shown["record"]["scope"]["kind"] == "our_stores"
    assert "acme_profiles" not in shown["record"]["scope"]["stores"]
    wait_for(lambda: "only the data we hold for ourselves" in _closing(api, receipt)["text"])
