"""The platform database (a SQL store) end to end, on SQLite (the local default) and on a real
PostgreSQL server: every right through the HTTP API and the state machine, as a person asks."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from rightsflow.local import sql_demo
from rightsflow.local.seed import Person, add_person
from tests.e2e.test_fulfilment import _closing, _outcomes, _package, _run
from tests.support import Api

pytestmark = pytest.mark.e2e


# The PostgreSQL stack runs on the worker that runs the server (ONE_WORKER_FIXTURES, conftest).
@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.xdist_group("postgresql"))]
)
def sql_api(request: pytest.FixtureRequest) -> Api:
    """The stack whose SQL stores run on SQLite, or the one running them on PostgreSQL."""
    fixture = "api" if request.param == "sqlite" else "postgres_api"
    chosen: Api = request.getfixturevalue(fixture)
    return chosen


@pytest.fixture
def engine(sql_api: Api) -> Iterator[sa.Engine]:
    """The database itself, to see what a request did there."""
    url = sql_api.services.stack.options.database_url
    assert url is not None
    made = sql_demo.demo_engine(url)
    yield made
    made.dispose()


@pytest.fixture
def member(sql_api: Api) -> tuple[Person, sql_demo.PlatformAccount]:
    """Someone with a platform account (and data in the other stores too), whose support
    ticket's thread a colleague wrote in."""
    number = uuid.uuid4().int % 10**8
    someone = Person(
        name=f"Mary Somerville {number}",
        email=f"mary.{number}@example.net",
        phone=f"+44207946{number % 10000:04d}",
        account_number=f"ACME-S{number}",
    )
    add_person(sql_api.services.stack, sql_api.services.peers.hubspot, someone)
    account = sql_demo.PlatformAccount(**_account_ids(sql_api, someone))
    return someone, account


def _account_ids(api: Api, someone: Person) -> dict[str, int]:
    url = api.services.stack.options.database_url
    assert url is not None
    engine = sql_demo.demo_engine(url)
    t = sql_demo
    try:
        with engine.connect() as connection:
            user_id = connection.execute(
                sa.select(t.platform_users.c.id).where(
                    sa.func.lower(t.platform_users.c.email) == someone.email
                )
            ).scalar_one()
            ticket_id = connection.execute(
                sa.select(t.support_tickets.c.id).where(t.support_tickets.c.opened_by == user_id)
            ).scalar_one()
            colleague_message = connection.execute(
                sa.select(t.ticket_messages.c.id).where(
                    t.ticket_messages.c.ticket_id == ticket_id,
                    t.ticket_messages.c.author_id != user_id,
                )
            ).scalar_one()
    finally:
        engine.dispose()
    return {"user_id": user_id, "ticket_id": ticket_id, "colleague_message_id": colleague_message}


def _row(engine: sa.Engine, table: sa.Table, row_id: int) -> dict[str, Any] | None:
    with engine.connect() as connection:
        found = connection.execute(sa.select(table).where(table.c.id == row_id)).mappings().first()
    return dict(found) if found else None


def _count(engine: sa.Engine, table: sa.Table, *where: Any) -> int:
    with engine.connect() as connection:
        statement = sa.select(sa.func.count()).select_from(table).where(*where)
        return int(connection.execute(statement).scalar_one())


def test_access_gives_the_account_and_its_related_rows_by_table(
    sql_api: Api, member: tuple[Person, sql_demo.PlatformAccount]
) -> None:
    someone, account = member
    done = _run(sql_api, someone, "access")
    files = _package(sql_api, done)
    tables = {
        name.removeprefix("platform_users/").removesuffix(".json"): json.loads(body)
        for name, body in files.items()
        if name.startswith("platform_users/") and name.endswith(".json")
    }
    assert set(tables) == {
        "platform_users",
        "sessions",
        "support_tickets",
        "ticket_messages",
        "billing_accounts",
        "invoices",
    }
    assert "platform_users/sessions.csv" in files
    assert len(tables["sessions"]) == sql_demo.SESSIONS_PER_ACCOUNT
    assert len(tables["invoices"]) == sql_demo.INVOICES_PER_ACCOUNT
    assert tables["platform_users"][0]["email"].lower() == someone.email
    # her own messages only: the colleague's message in her thread is the colleague's data
    assert {m["id"] for m in tables["ticket_messages"]} & {account.colleague_message_id} == set()
    assert len(tables["ticket_messages"]) == sql_demo.OWN_MESSAGES
    details = {entry["store"]: entry for entry in json.loads(files["details.json"])}
    assert details["platform_users"]["records"] == account.rows
    assert "table sessions: 3 records" in files["README.txt"]


def test_erasure_follows_each_tables_rule_and_leaves_the_colleagues_message(
    sql_api: Api, engine: sa.Engine, member: tuple[Person, sql_demo.PlatformAccount]
) -> None:
    someone, account = member
    done = _run(sql_api, someone, "erasure")
    assert done["view"]["status"] == "completed"
    t = sql_demo
    assert _count(engine, t.sessions, t.sessions.c.user_id == account.user_id) == 0
    assert _count(engine, t.ticket_messages, t.ticket_messages.c.author_id == account.user_id) == 0
    assert _row(engine, t.ticket_messages, account.colleague_message_id) is not None
    ticket = _row(engine, t.support_tickets, account.ticket_id)
    assert ticket is not None
    assert ticket["subject"] is None
    user = _row(engine, t.platform_users, account.user_id)
    assert user is not None
    assert (user["email"], user["name"], user["username"]) == (None, None, None)
    assert _count(engine, t.invoices, t.invoices.c.number.like(f"INV-{account.user_id}-%")) == 2
    # AND the closing e-mail says what was done there, and what was kept and why
    outcome = next(
        o for o in _outcomes(sql_api, done["request_id"]) if o["store"] == "platform_users"
    )
    assert outcome["changes"] == {"delete": 5, "anonymise": 3}
    text = _closing(sql_api, done)["text"]
    assert "5 records deleted; 3 records anonymised; 2 records kept (kept under legal hold" in text
    # WHEN she asks for access afterwards, THEN the kept invoices are still hers to see, with
    # the rows (emptied of what named her) they hang off, and nothing else
    files = _package(sql_api, _run(sql_api, someone, "access"))
    kept = {n for n in files if n.startswith("platform_users/") and n.endswith(".json")}
    assert kept == {
        f"platform_users/{table}.json"
        for table in ("platform_users", "support_tickets", "billing_accounts", "invoices")
    }
    billing = json.loads(files["platform_users/billing_accounts.json"])
    assert billing[0]["billing_name"] is None
    # AND a second erasure finds nothing left to erase there, and says what is kept
    again = _run(sql_api, someone, "erasure")
    outcome = next(
        o for o in _outcomes(sql_api, again["request_id"]) if o["store"] == "platform_users"
    )
    assert (outcome["changes"], outcome["kept"]) == ({}, 2)


def test_rectification_changes_what_each_table_allows_and_refuses_the_invoices(
    sql_api: Api, engine: sa.Engine, member: tuple[Person, sql_demo.PlatformAccount]
) -> None:
    someone, account = member
    corrections = {"name": "Mary Fairfax Somerville", "billing_address": "1 Chelsea Row, London"}
    done = _run(sql_api, someone, "rectification", details={"corrections": corrections})
    assert done["view"]["status"] == "completed"
    t = sql_demo
    user = _row(engine, t.platform_users, account.user_id)
    assert user is not None
    assert user["name"] == "Mary Fairfax Somerville"
    with engine.connect() as connection:
        billing = connection.execute(
            sa.select(t.billing_accounts.c.billing_address).where(
                t.billing_accounts.c.user_id == account.user_id
            )
        ).scalar_one()
        invoiced = connection.execute(
            sa.select(t.invoices.c.billing_address).where(
                t.invoices.c.number.like(f"INV-{account.user_id}-%")
            )
        ).scalars()
        assert set(invoiced) == {"12 St James's Square, London"}  # a record of what happened
    assert billing == "1 Chelsea Row, London"
    outcome = next(
        o for o in _outcomes(sql_api, done["request_id"]) if o["store"] == "platform_users"
    )
    assert "(invoices)" in outcome["refused"]["billing_address"]


def test_restriction_sets_the_accounts_flag_and_lifting_clears_it(
    sql_api: Api, engine: sa.Engine, member: tuple[Person, sql_demo.PlatformAccount]
) -> None:
    someone, account = member
    _run(sql_api, someone, "restriction")
    user = _row(engine, sql_demo.platform_users, account.user_id)
    assert user is not None
    assert user["processing_restricted"] is True
    _run(sql_api, someone, "lift_restriction")
    user = _row(engine, sql_demo.platform_users, account.user_id)
    assert user is not None
    assert user["processing_restricted"] is False


def test_a_store_failing_mid_transaction_changes_nothing_and_parks_then_ops_finish_it(
    sql_api: Api, engine: sa.Engine, member: tuple[Person, sql_demo.PlatformAccount]
) -> None:
    from rightsflow.integration.requests_store import RequestsStore
    from rightsflow.integration.workflow import Workflow
    from rightsflow.service import ops_actions

    someone, account = member
    # GIVEN the database refuses to delete one of her messages (after her sessions went)
    _refuse_deleting(engine, account.user_id)
    receipt = sql_api.submit_verified(
        email=someone.email,
        phone=someone.phone,
        account_number=someone.account_number,
        type="erasure",
    )
    # THEN the request is parked, saying why, and nothing changed in the database
    view = sql_api.wait_until_terminal(receipt, timeout=90)
    assert view["status"] == "needs_attention"
    # (ops read the database's own words, and that nothing was changed)
    reason = sql_api.record(receipt["request_id"])["attention_reason"]
    assert "platform_users" in reason
    assert "messages are under review" in reason
    assert "nothing was changed" in reason
    t = sql_demo
    assert _count(engine, t.sessions, t.sessions.c.user_id == account.user_id) == 3
    user = _row(engine, t.platform_users, account.user_id)
    assert user is not None
    assert user["email"] is not None
    # WHEN the database accepts it again and ops re-drive the request
    _accept_deleting(engine)
    stack = sql_api.services.stack
    ops_actions.retry_parked(
        RequestsStore(stack.resource("RequestsTable"), stack.resource("AuditTable")),
        Workflow(stack.state_machine_arn),
        receipt["request_id"],
        actor="ops-carol",
        reason="the review hold on messages is lifted",
    )
    # THEN it completes, all of it
    assert sql_api.wait_until_terminal(receipt, timeout=90)["status"] == "completed"
    assert _count(engine, t.sessions, t.sessions.c.user_id == account.user_id) == 0
    assert _row(engine, t.ticket_messages, account.colleague_message_id) is not None


def _refuse_deleting(engine: sa.Engine, author_id: int) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql(
                "CREATE TRIGGER IF NOT EXISTS refuse BEFORE DELETE ON ticket_messages "
                f"WHEN OLD.author_id = {int(author_id)} "
                "BEGIN SELECT RAISE(ABORT, 'messages are under review'); END"
            )
        else:
            connection.exec_driver_sql(
                "CREATE OR REPLACE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'messages are under review'; END $$"
            )
            connection.exec_driver_sql(
                "CREATE TRIGGER refuse BEFORE DELETE ON ticket_messages FOR EACH ROW "
                f"WHEN (OLD.author_id = {int(author_id)}) EXECUTE FUNCTION refuse()"
            )


def _accept_deleting(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("DROP TRIGGER refuse")
        else:
            connection.exec_driver_sql("DROP TRIGGER refuse ON ticket_messages")
