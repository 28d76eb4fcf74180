"""The SQL store connector on real databases: SQLite, and PostgreSQL (a server of its own)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from rightsflow.domain.data_map import Store, load_data_map, parse_data_map
from rightsflow.domain.errors import StoreRefusedChange, StoreSchemaRefused
from rightsflow.domain.fulfilment import Action, ActionKind, plan_for
from rightsflow.domain.identity import Identity
from rightsflow.domain.lifecycle import RequestType
from rightsflow.integration.stores.sql_store import SqlStore, connection_url, create_store_engine
from rightsflow.local import sql_demo
from tests.conftest import new_mysql_database, new_postgres_database

ADA = "ada.lovelace@example.com"
STORE = load_data_map().stores["platform_users"]


# Each server runs on one worker (ONE_WORKER_FIXTURES, conftest).
@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.xdist_group("postgresql")),
        pytest.param("mysql", marks=pytest.mark.xdist_group("mysql")),
    ]
)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of each kind, with the connector's own engine settings."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
    elif request.param == "postgresql":
        url = new_postgres_database(request.getfixturevalue("postgres_server"))
    else:  # MariaDB, of the MySQL family
        url = new_mysql_database(request.getfixturevalue("mysql_server"))
    made = create_store_engine(url)
    yield made
    made.dispose()


@pytest.fixture
def ada(engine: Engine) -> sql_demo.PlatformAccount:
    sql_demo.create_schema(engine)
    sql_demo.add_others(engine, [("grace", "grace@example.org", "Grace Hopper")])
    return sql_demo.add_account(
        engine, username="alovelace", email=ADA, name="Ada Lovelace", company="Analytical"
    )


def _count(engine: Engine, table: sa.Table, *where: Any) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count()).select_from(table).where(*where)
            ).scalar_one()
        )


def _erase(connector: SqlStore, store: Store = STORE) -> list[Action]:
    found = connector.find(Identity(email=ADA))
    actions = plan_for(store, RequestType.ERASURE, found, {}).actions
    connector.apply_all([a for a in actions if a.kind is not ActionKind.KEEP])
    return actions


def test_a_person_is_found_case_insensitively_with_their_related_rows_and_nobody_elses(
    engine: Engine, ada: sql_demo.PlatformAccount
) -> None:
    # GIVEN Ada signed up as "Ada.lovelace@…" and a colleague wrote in her ticket's thread
    connector = SqlStore("platform_users", STORE, engine)
    # WHEN she is looked up by the e-mail she proved, in another case
    found = connector.find(Identity(email=ADA.upper()))
    # THEN every row of hers is found, in each table, and not the colleague's message
    tables = [record.table for record in found]
    assert len(found) == ada.rows
    assert tables.count("sessions") == sql_demo.SESSIONS_PER_ACCOUNT
    assert tables.count("invoices") == sql_demo.INVOICES_PER_ACCOUNT
    messages = [r for r in found if r.table == "ticket_messages"]
    assert ada.colleague_message_id not in {r.key["id"] for r in messages}
    assert {r.data["author_id"] for r in messages} == {ada.user_id}


def test_an_address_kept_as_written_is_found_by_its_canonical_form(
    engine: Engine, ada: sql_demo.PlatformAccount
) -> None:
    # GIVEN Grace signed up as Grace.Hopper@Example.COM, and someone at a Unicode domain
    grace = sql_demo.add_account(
        engine,
        username="ghopper",
        email="Grace.Hopper@Example.COM",
        name="Grace Hopper",
        company="Navy",
    )
    # (which SQLite's lower() leaves as `jorg@bÜcher.example`: it folds ASCII only)
    jorg = sql_demo.add_account(
        engine, username="jorg", email="jorg@BÜCHER.EXAMPLE", name="Jörg", company="Bücher"
    )
    connector = SqlStore("platform_users", STORE, engine)
    # WHEN each is looked up by the canonical form of the address they proved
    found_grace = connector.find(Identity(email="grace.hopper@example.com"))
    found_jorg = connector.find(Identity(email="JORG@xn--bcher-kva.example"))
    # THEN each is found, with their related rows, and nobody else
    assert len(found_grace) == grace.rows
    assert {r.data["user_id"] for r in found_grace if r.table == "sessions"} == {grace.user_id}
    assert len(found_jorg) == jorg.rows
    assert {r.data["user_id"] for r in found_jorg if r.table == "sessions"} == {jorg.user_id}


def test_a_row_the_database_matches_but_that_is_someone_elses_address_is_not_taken(
    engine: Engine, ada: sql_demo.PlatformAccount
) -> None:
    # GIVEN someone else whose e-mail a MySQL _ci collation compares equal to Ada's (it ignores
    # accents; PostgreSQL and SQLite do not find the row at all)
    sql_demo.add_others(engine, [("accented", "adá.lovelace@example.com", "Not Ada")])
    connector = SqlStore("platform_users", STORE, engine)
    # WHEN Ada is looked up
    found = connector.find(Identity(email=ADA))
    # THEN only her own rows come back
    entry = [r for r in found if r.table == "platform_users"]
    assert [r.key["id"] for r in entry] == [ada.user_id]


def test_every_statement_is_parameterised(engine: Engine, ada: sql_demo.PlatformAccount) -> None:
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    connector = SqlStore("platform_users", STORE, engine)
    _erase(connector)
    assert statements
    assert not [s for s in statements if "ada" in s.lower() or "lovelace" in s.lower()]


def test_erasure_follows_each_tables_rule_in_one_transaction_and_spares_the_colleague(
    engine: Engine, ada: sql_demo.PlatformAccount
) -> None:
    connector = SqlStore("platform_users", STORE, engine)
    _erase(connector)
    t = sql_demo
    assert _count(engine, t.sessions, t.sessions.c.user_id == ada.user_id) == 0
    assert _count(engine, t.ticket_messages, t.ticket_messages.c.author_id == ada.user_id) == 0
    # the colleague's message in her ticket's thread survives, and so does the thread
    assert _count(engine, t.ticket_messages, t.ticket_messages.c.id == ada.colleague_message_id)
    assert _count(engine, t.support_tickets, t.support_tickets.c.subject.is_(None)) == 1
    # invoices are kept (tax law); the account is anonymised, no longer found by e-mail
    assert _count(engine, t.invoices) == sql_demo.INVOICES_PER_ACCOUNT
    assert _count(engine, t.platform_users, t.platform_users.c.email.is_(None)) == 1
    assert connector.find(Identity(email=ADA)) == []


def test_a_refused_statement_leaves_no_half_change(
    engine: Engine, ada: sql_demo.PlatformAccount
) -> None:
    # GIVEN the database refuses to delete one of Ada's messages (a trigger, say)
    _refuse_deleting_messages(engine)
    connector = SqlStore("platform_users", STORE, engine)
    # WHEN her erasure runs
    with pytest.raises(StoreRefusedChange, match="nothing was changed") as refused:
        _erase(connector)
    # THEN nothing of it was kept: sessions deleted before the refusal are back
    assert _count(engine, sql_demo.sessions) == 1 + sql_demo.SESSIONS_PER_ACCOUNT
    assert len(connector.find(Identity(email=ADA))) == ada.rows
    assert ADA not in str(refused.value)


def _refuse_deleting_messages(engine: Engine) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql(
                "CREATE TRIGGER refuse BEFORE DELETE ON ticket_messages "
                "BEGIN SELECT RAISE(ABORT, 'messages are under review'); END"
            )
        elif engine.dialect.name in MYSQL:
            connection.exec_driver_sql(
                "CREATE TRIGGER refuse BEFORE DELETE ON ticket_messages FOR EACH ROW "
                "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'messages are under review'"
            )
        else:
            connection.exec_driver_sql(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'messages are under review'; END $$"
            )
            connection.exec_driver_sql(
                "CREATE TRIGGER refuse BEFORE DELETE ON ticket_messages "
                "FOR EACH ROW EXECUTE FUNCTION refuse()"
            )


MYSQL = {"mysql", "mariadb"}


def _drop_email_index(engine: Engine) -> None:
    with engine.begin() as connection:
        if engine.dialect.name in MYSQL:
            connection.exec_driver_sql("DROP INDEX platform_users_email ON platform_users")
        else:
            connection.exec_driver_sql("DROP INDEX platform_users_lower_email")


def test_a_lookup_column_without_an_index_is_refused_naming_table_and_column(
    engine: Engine, ada: sql_demo.PlatformAccount
) -> None:
    _drop_email_index(engine)
    with pytest.raises(StoreSchemaRefused, match=r"platform_users\.email has no index"):
        SqlStore("platform_users", STORE, engine).graph()


def test_a_plain_index_does_not_serve_a_case_insensitive_lookup(
    engine: Engine, ada: sql_demo.PlatformAccount
) -> None:
    # GIVEN an index on the e-mail column, but a column that compares case-sensitively
    _drop_email_index(engine)
    with engine.begin() as connection:
        if engine.dialect.name in MYSQL:
            connection.exec_driver_sql(
                "ALTER TABLE platform_users MODIFY email VARCHAR(254) COLLATE utf8mb4_bin"
            )
        connection.exec_driver_sql("CREATE INDEX by_email ON platform_users (email)")
    # THEN the map is refused: that index cannot serve the comparison the connector runs
    with pytest.raises(StoreSchemaRefused, match="case-insensitive"):
        SqlStore("platform_users", STORE, engine).graph()


def test_a_foreign_key_without_an_index_is_refused(
    engine: Engine, ada: sql_demo.PlatformAccount
) -> None:
    if engine.dialect.name in MYSQL:
        pytest.skip("InnoDB always keeps an index on a foreign key's columns")
    index = _index_on(engine, "sessions", "user_id")
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP INDEX {index}")
    with pytest.raises(StoreSchemaRefused, match=r"sessions\.user_id has no index"):
        SqlStore("platform_users", STORE, engine).graph()


def _index_on(engine: Engine, table: str, column: str) -> str:
    indexes = sa.inspect(engine).get_indexes(table)
    return next(str(i["name"]) for i in indexes if i["column_names"] == [column])


CHAIN = """
stores:
  accounts:
    description: accounts
    kind: sql
    resource: Db
    role: controller
    categories: [x]
    purposes: [x]
    legal_basis: x
    retention: x
    source: x
    lookup:
      email: {attribute: email}
    erasure: {action: delete}
    backup: {kind: automated backups, window_days: 7}
    sql:
      table: accounts
      related:
        keys: {parent: accounts, foreign_key: [account_id], erasure: {action: delete}}
        key_uses: {parent: keys, foreign_key: [key_id], erasure: {action: delete}}
"""


def _chain(engine: Engine, on_delete: str | None = None) -> Store:
    metadata = sa.MetaData()
    accounts = sa.Table(
        "accounts",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(100)),
    )
    sql_demo.case_insensitive_index(accounts, "email")
    keys = sa.Table(
        "keys",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.ForeignKey("accounts.id", ondelete=on_delete), index=True),
    )
    uses = sa.Table(
        "key_uses",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key_id", sa.ForeignKey("keys.id"), index=True),
    )
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(sa.insert(accounts).values(id=1, email=ADA))
        connection.execute(sa.insert(keys).values(id=1, account_id=1))
        connection.execute(sa.insert(uses).values([{"id": 1, "key_id": 1}, {"id": 2, "key_id": 1}]))
    return parse_data_map(CHAIN).stores["accounts"]


def test_deletions_go_children_first_whatever_order_they_are_planned_in(engine: Engine) -> None:
    store = _chain(engine)
    connector = SqlStore("accounts", store, engine)
    found = connector.find(Identity(email=ADA))
    assert [r.table for r in found] == ["accounts", "keys", "key_uses", "key_uses"]
    actions = plan_for(store, RequestType.ERASURE, found, {}).actions  # parents first
    connector.apply_all(actions)
    assert connector.find(Identity(email=ADA)) == []


def test_a_deletion_the_database_would_cascade_is_refused(engine: Engine) -> None:
    store = _chain(engine, on_delete="CASCADE")
    with pytest.raises(StoreSchemaRefused, match=r"keys\.account_id \(ON DELETE CASCADE\)"):
        SqlStore("accounts", store, engine).graph()


def test_an_rds_secret_becomes_a_url_and_a_proxy_endpoint_replaces_its_host() -> None:
    secret = (
        '{"engine": "postgres", "host": "db.internal", "port": 5432, "username": "app", '
        '"password": "s3cret", "dbname": "platform"}'
    )
    url = connection_url(secret, host="proxy.internal")
    assert url.drivername == "postgresql+pg8000"
    assert (url.host, url.port, url.database, url.username) == (
        "proxy.internal",
        5432,
        "platform",
        "app",
    )
    assert connection_url('{"engine": "aurora-mysql", "host": "h"}').drivername == "mysql+pymysql"


def test_a_long_answer_comes_in_pages_that_fit_lambdas_limit() -> None:
    from rightsflow.integration.stores.remote_sql import answer_page

    records = [{"key": {"id": n}, "data": {"body": "x" * 100}} for n in range(50)]
    pages, start = [], 0
    while start is not None:
        page = answer_page(records, {"from": start}, limit=1000)
        pages.append(page["records"])
        start = page["next"]
    assert len(pages) > 1
    assert [r for p in pages for r in p] == records


def test_rows_keyed_by_uuid_or_timestamp_are_changed_by_their_key(engine: Engine) -> None:
    import datetime as dt
    import uuid as uuid_module

    metadata = sa.MetaData()
    accounts = sa.Table(
        "accounts",
        metadata,
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("email", sa.String(100)),
    )
    sql_demo.case_insensitive_index(accounts, "email")
    events = sa.Table(
        "events",
        metadata,
        sa.Column("account_id", sa.ForeignKey("accounts.id"), primary_key=True),
        sa.Column("at", sa.DateTime, primary_key=True),
    )
    metadata.create_all(engine)
    key = uuid_module.uuid4()
    with engine.begin() as connection:
        connection.execute(sa.insert(accounts).values(id=key, email=ADA))
        connection.execute(sa.insert(events).values(account_id=key, at=dt.datetime(2026, 1, 2, 3)))
    store = parse_data_map(
        CHAIN.split("        keys:", maxsplit=1)[0]
        + "        events: {parent: accounts, foreign_key: [account_id], erasure: {action: delete}}"
    ).stores["accounts"]
    connector = SqlStore("accounts", store, engine)
    _erase(connector, store)
    assert _count(engine, events) == 0
    assert _count(engine, accounts) == 0
