"""Benchmark: finding and erasing one person in the platform database (a SQL store) on a real
PostgreSQL server, with every table holding 1,000 and then 1,000,000 rows of other people.

The real connector (rightsflow.integration.stores.sql_store) finds the person by e-mail and
follows the foreign keys; the real erasure rules plan the changes; one transaction makes them.
Both databases live on one server and are measured in alternating rounds, so that a machine
busy with other work slows both alike. Prints the statements one request runs, the median
seconds, whether each lookup's query plan uses an index, and last the ratio of the two times
(target: at most 1.2).

    .venv/bin/python benchmarks/sql_lookup.py          # needs Debian's postgresql installed
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings
from typing import Any

import sqlalchemy as sa

from rightsflow.domain.data_map import load_data_map
from rightsflow.domain.fulfilment import ActionKind, plan_for
from rightsflow.domain.identity import Identity
from rightsflow.domain.lifecycle import RequestType
from rightsflow.integration.stores.sql_store import SqlStore, create_store_engine
from rightsflow.local import sql_demo
from rightsflow.local.postgres import PostgresUnavailable, running_postgres

SIZES = (1_000, 1_000_000)
ROUNDS = 15

_FILL = [
    "INSERT INTO platform_users (username, email, name, company, processing_restricted, "
    "created_at) SELECT 'user' || g, 'user' || g || '@example.org', 'User ' || g, 'acme', "
    "false, now() FROM generate_series(1, :rows) AS g",
    "INSERT INTO sessions (user_id, started_at, ip_address) "
    "SELECT id, now(), '203.0.113.9' FROM platform_users",
    "INSERT INTO support_tickets (opened_by, subject, status, opened_at) "
    "SELECT id, 'Ticket', 'open', now() FROM platform_users",
    "INSERT INTO ticket_messages (ticket_id, author_id, body, sent_at) "
    "SELECT id, opened_by, 'Hello', now() FROM support_tickets",
    "INSERT INTO billing_accounts (user_id, billing_name) SELECT id, name FROM platform_users",
    "INSERT INTO invoices (billing_account_id, number, amount, currency, issued_at) "
    "SELECT id, 'B-' || id, 10, 'GBP', now() FROM billing_accounts",
]


def fill(server_url: str, rows: int) -> sa.Engine:
    name = f"bench_{rows}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    url = sa.make_url(server_url).set(database=name)
    loader = sa.create_engine(url)  # no short time-outs: filling takes a while
    sql_demo.create_schema(loader)
    started = time.perf_counter()
    with loader.begin() as connection:
        for statement in _FILL:
            connection.execute(sa.text(statement), {"rows": rows})
    with loader.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE")
    loader.dispose()
    print(f"filled every table with {rows:,} rows in {time.perf_counter() - started:.1f} s")
    return create_store_engine(url)  # what the SQL stores function uses


def one_request(engine: sa.Engine, number: int) -> dict[str, Any]:
    """Add a person (untimed), then time finding them and erasing them as a request does."""
    email = f"bench.{number}@example.net"
    sql_demo.add_account(
        engine, username=f"bench{number}", email=email, name="Bench Person", company="acme"
    )
    store = load_data_map().stores["platform_users"]
    connector = SqlStore("platform_users", store, engine)
    connector.graph()  # the schema check runs once per container, not per request
    statements: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        started = time.perf_counter()
        found = connector.find(Identity(email=email))
        found_at = time.perf_counter()
        actions = plan_for(store, RequestType.ERASURE, found, {}).actions
        connector.apply_all([a for a in actions if a.kind is not ActionKind.KEEP])
        ended = time.perf_counter()
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    return {
        "rows": len(found),
        "find": found_at - started,
        "total": ended - started,
        "statements": statements,
    }


def plans(engine: sa.Engine, statements: list[tuple[str, Any]]) -> list[str]:
    """For each SELECT the request ran: the table and the scan PostgreSQL chose for it."""
    lines = []
    with engine.connect() as connection:
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            plan = connection.exec_driver_sql("EXPLAIN " + statement, parameters).scalars().all()
            scans = [line.strip() for line in plan if "Scan" in line]
            table = statement.split("FROM", 1)[1].split()[0]
            lines.append(f"    {table:<18} {'; '.join(scans)}")
    return lines


def main() -> int:
    warnings.filterwarnings("ignore")
    try:
        server = running_postgres()
        server_url = server.__enter__()
    except PostgresUnavailable as error:
        print(f"cannot run: {error}")
        return 2
    try:
        engines = {rows: fill(server_url, rows) for rows in SIZES}
        timings: dict[int, list[dict[str, Any]]] = {rows: [] for rows in SIZES}
        for number in range(ROUNDS + 2):  # alternate the sizes; the first two rounds warm up
            for rows, engine in engines.items():
                result = one_request(engine, number)
                if number >= 2:
                    timings[rows].append(result)
        medians = {}
        for rows in SIZES:
            results = timings[rows]
            last = results[-1]
            kinds: dict[str, int] = {}
            for statement, _ in last["statements"]:
                verb = statement.split()[0].upper()
                kinds[verb] = kinds.get(verb, 0) + 1
            medians[rows] = statistics.median(r["total"] for r in results)
            print(f"\n{rows:>9,} rows per table: the person's {last['rows']} rows")
            print(f"  statements per request: {len(last['statements'])} {kinds}")
            print(f"  find (median s):        {statistics.median(r['find'] for r in results):.4f}")
            print(f"  find + erase (median s): {medians[rows]:.4f}   ({ROUNDS} requests)")
            print("  query plans of the lookups:")
            for line in plans(engines[rows], last["statements"]):
                print(line)
        for engine in engines.values():
            engine.dispose()
        ratio = medians[SIZES[1]] / medians[SIZES[0]]
        print(f"\ntime ratio (1M rows / 1k rows): {ratio:.2f}")
    finally:
        server.__exit__(None, None, None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
