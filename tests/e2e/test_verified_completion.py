"""Completed means verified: after a change, every changed store is read again; a store that
says it deleted but did not parks the request, naming the store and what remains."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

import pytest
import sqlalchemy as sa

from rightsflow.domain.fulfilment import Action, ActionKind
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.stores.dynamodb_store import DynamoDBStore
from rightsflow.integration.stores.sql_store import SqlStore
from rightsflow.integration.workflow import Workflow
from rightsflow.local import sql_demo
from rightsflow.local.seed import ADA_INVOICES, Person, add_person
from rightsflow.service import ops_actions
from tests.e2e.test_fulfilment import _closing, _outcomes, _table_item
from tests.support import Api, wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture
def person(api: Api) -> Person:
    number = uuid.uuid4().int % 10**8
    someone = Person(
        name=f"Forgotten {number}",
        email=f"forgotten.{number}@example.net",
        phone=f"+44207946{number % 10000:04d}",
        account_number=f"ACME-F{number}",
    )
    add_person(api.services.stack, api.services.peers.hubspot, someone)
    return someone


def test_a_store_that_forgets_to_delete_parks_the_request_until_it_really_is_gone(
    api: Api, person: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = api.services.stack
    leads = stack.resource("SiteLeadsTable")
    original = DynamoDBStore.apply

    def forgetful(
        self: DynamoDBStore, actions: Sequence[Action], applied: Callable[[Sequence[Action]], None]
    ) -> None:
        """The site leads store answers as if it deleted the lead, and keeps it."""
        if self.table == leads and all(a.kind is ActionKind.DELETE for a in actions):
            applied(actions)
            return
        original(self, actions, applied)

    # GIVEN a store that "forgets" to delete
    monkeypatch.setattr(DynamoDBStore, "apply", forgetful)
    receipt = api.submit_verified(email=person.email, phone=person.phone, type="erasure")
    # THEN the request is not completed: it parks, naming the store and what remains
    view = api.wait_until_terminal(receipt, timeout=90)
    assert view["status"] == "needs_attention"
    request_id = receipt["request_id"]
    reason = api.record(request_id)["attention_reason"]
    assert (
        "site_leads: read again after the erasure, 1 record still found after erasure, "
        "with no legal hold" in reason
    )
    assert person.email not in reason  # ops are told what remains, never whose it is
    assert _table_item(api, "SiteLeadsTable", {"email": person.email}) is not None
    leads_outcome = _outcome(api, request_id, "site_leads")
    assert leads_outcome["status"] == "failed"
    assert leads_outcome["remaining"]
    assert leads_outcome["failure"].startswith("site_leads: read again after the erasure")
    # the other stores went on, and were checked
    assert _outcome(api, request_id, "acme_profiles")["verified_at"]
    assert not [m for m in api.outbox(to=person.email) if "closed" in m["subject"]]
    notified = wait_for(lambda: [m for m in api.ops_notifications(request_id) if m.get("error")])
    assert notified[0]["error"] == "StoresNotFulfilled"
    assert "site_leads: read again after the erasure" in notified[0]["reason"]
    # WHEN the store is mended and ops retry
    monkeypatch.setattr(DynamoDBStore, "apply", original)
    ops_actions.retry_parked(
        RequestsStore(stack.resource("RequestsTable"), stack.resource("AuditTable")),
        Workflow(stack.state_machine_arn),
        request_id,
        actor="ops-carol",
        reason="the leads store is mended",
    )
    # THEN the lead is really gone, counted once, and the closing notice says what was kept
    assert api.wait_until_terminal(receipt, timeout=90)["status"] == "completed"
    assert _table_item(api, "SiteLeadsTable", {"email": person.email}) is None
    leads_outcome = _outcome(api, request_id, "site_leads")
    assert leads_outcome["changed"] == 1
    assert leads_outcome["remaining"] == []
    assert leads_outcome["verified_at"]
    text = _closing(api, {**receipt, "email": person.email})["text"]
    assert f"{ADA_INVOICES} records kept (kept under legal hold: tax law" in text
    assert "point-in-time recovery (DynamoDB): kept 35 days, so the last such copy is gone by" in (
        text
    )


def _platform(api: Api, query: Callable[[sa.Connection], int]) -> int:
    """Ask the platform database (the SQL store) directly."""
    url = api.services.stack.options.database_url
    assert url is not None
    engine = sql_demo.demo_engine(url)
    try:
        with engine.connect() as connection:
            return query(connection)
    finally:
        engine.dispose()


def _account_id(api: Api, person: Person) -> int:
    users = sql_demo.platform_users
    where = sa.func.lower(users.c.email) == person.email
    return _platform(api, lambda c: int(c.execute(sa.select(users.c.id).where(where)).scalar_one()))


def _sessions(api: Api, user_id: int) -> int:
    sessions = sql_demo.sessions
    count = sa.select(sa.func.count()).where(sessions.c.user_id == user_id)
    return _platform(api, lambda c: int(c.execute(count).scalar_one()))


def test_a_sql_store_that_keeps_rows_it_said_it_deleted_parks_then_ops_retry_finishes_it(
    api: Api, person: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = api.services.stack
    original = SqlStore.apply_all

    def forgetful(self: SqlStore, actions: Sequence[Action]) -> None:
        """The platform database changes everything but the sessions, and says it did."""
        original(self, [a for a in actions if a.table != "sessions"])

    # GIVEN a platform database that "forgets" to delete the sessions
    user_id = _account_id(api, person)
    monkeypatch.setattr(SqlStore, "apply_all", forgetful)
    receipt = api.submit_verified(email=person.email, phone=person.phone, type="erasure")
    # THEN the re-read, from the account row whose e-mail is now blank, finds them: it parks
    view = api.wait_until_terminal(receipt, timeout=90)
    assert view["status"] == "needs_attention"
    request_id = receipt["request_id"]
    reason = api.record(request_id)["attention_reason"]
    assert (
        f"platform_users: read again after the erasure, {sql_demo.SESSIONS_PER_ACCOUNT} records "
        "of sessions still found after erasure, with no legal hold"
    ) in reason
    assert person.email not in reason
    assert _sessions(api, user_id) == sql_demo.SESSIONS_PER_ACCOUNT
    # WHEN the database is mended and ops retry
    monkeypatch.setattr(SqlStore, "apply_all", original)
    ops_actions.retry_parked(
        RequestsStore(stack.resource("RequestsTable"), stack.resource("AuditTable")),
        Workflow(stack.state_machine_arn),
        request_id,
        actor="ops-carol",
        reason="the platform database is mended",
    )
    # THEN the retry starts from the same account row, the sessions are gone, and it completes
    view = api.wait_until_terminal(receipt, timeout=90)
    assert view["status"] == "completed", api.record(request_id).get("attention_reason")
    assert _sessions(api, user_id) == 0
    platform = _outcome(api, request_id, "platform_users")
    assert platform["remaining"] == []
    assert platform["verified_at"]


def _outcome(api: Api, request_id: str, store: str) -> dict[str, Any]:
    return next(o for o in _outcomes(api, request_id) if o["store"] == store)
