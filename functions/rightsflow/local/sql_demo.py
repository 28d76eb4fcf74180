"""The demo's platform database: Brand staff accounts on our platform (username, e-mail, company,
billing) with their sessions, support tickets and messages, billing accounts and invoices. The
same schema on SQLite (the local default), PostgreSQL and MySQL/MariaDB; the tests and the
benchmark use it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from rightsflow.integration.stores.sql_store import create_store_engine

metadata = sa.MetaData()

platform_users = sa.Table(
    "platform_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(64), unique=True),  # NULL once anonymised
    sa.Column("email", sa.String(254)),
    sa.Column("name", sa.String(200)),
    sa.Column("company", sa.String(100)),
    sa.Column("processing_restricted", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


# Case-insensitive e-mail lookups: lower(email) = :email, served by this expression index;
# MySQL and MariaDB compare with the column's case-insensitive (_ci) collation, served by a
# plain index (MariaDB has no expression indexes).
def case_insensitive_index(table: sa.Table, column: str) -> None:
    """An index on lower(column) where expression indexes exist (PostgreSQL, SQLite); on MySQL
    and MariaDB, whose default collations compare case-insensitively, on the column itself."""
    sa.Index(f"{table.name}_lower_{column}", sa.func.lower(table.c[column])).ddl_if(
        callable_=_on("postgresql", "sqlite")
    )
    sa.Index(f"{table.name}_{column}", table.c[column]).ddl_if(callable_=_on("mysql", "mariadb"))


def _on(*dialects: str) -> Callable[..., bool]:
    def applies(*_: Any, dialect: sa.Dialect, **__: Any) -> bool:
        return dialect.name in dialects

    return applies


case_insensitive_index(platform_users, "email")

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.ForeignKey("platform_users.id"), nullable=False, index=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ip_address", sa.String(45)),
    sa.Column("user_agent", sa.String(200)),
)

support_tickets = sa.Table(
    "support_tickets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("opened_by", sa.ForeignKey("platform_users.id"), index=True),
    sa.Column("subject", sa.String(200)),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
)

ticket_messages = sa.Table(
    "ticket_messages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("ticket_id", sa.ForeignKey("support_tickets.id"), nullable=False, index=True),
    sa.Column("author_id", sa.ForeignKey("platform_users.id"), index=True),
    sa.Column("body", sa.Text),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
)

billing_accounts = sa.Table(
    "billing_accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.ForeignKey("platform_users.id"), nullable=False, index=True),
    sa.Column("billing_name", sa.String(200)),
    sa.Column("billing_address", sa.String(300)),
    sa.Column("vat_number", sa.String(20)),
)

invoices = sa.Table(
    "invoices",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "billing_account_id", sa.ForeignKey("billing_accounts.id"), nullable=False, index=True
    ),
    sa.Column("number", sa.String(20), nullable=False, unique=True),
    sa.Column("amount", sa.Numeric(10, 2), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("billing_name", sa.String(200)),
    sa.Column("billing_address", sa.String(300)),
)

_START = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
SESSIONS_PER_ACCOUNT = 3
INVOICES_PER_ACCOUNT = 2
OWN_MESSAGES = 2  # the account holder's messages in their own ticket


@dataclass(frozen=True)
class PlatformAccount:
    """What one demo account holds, to check a request's outcome against."""

    user_id: int
    ticket_id: int
    colleague_message_id: int  # the other person's message in the shared ticket thread

    @property
    def rows(self) -> int:
        """Rows that are the holder's: account, sessions, ticket, own messages, billing
        account and invoices (not the colleague's message)."""
        return 1 + SESSIONS_PER_ACCOUNT + 1 + OWN_MESSAGES + 1 + INVOICES_PER_ACCOUNT


def create_schema(engine: Engine) -> None:
    metadata.create_all(engine)


def _insert(connection: Connection, table: sa.Table, row: dict[str, Any]) -> int:
    inserted = connection.execute(sa.insert(table).values(row)).inserted_primary_key
    assert inserted is not None
    return int(inserted[0])


def add_account(
    engine: Engine,
    *,
    username: str,
    email: str,
    name: str,
    company: str,
    colleague_id: int | None = None,
) -> PlatformAccount:
    """An account with its sessions, billing account and invoices, and a support ticket whose
    thread a colleague (another account: `colleague_id`, else a new one) wrote in too."""
    with engine.begin() as connection:
        if colleague_id is None:
            colleague_id = _insert(
                connection,
                platform_users,
                {
                    "username": f"{username}-colleague",
                    "email": f"colleague.of.{email}",
                    "name": f"Colleague of {name}",
                    "company": company,
                    "created_at": _START,
                },
            )
        user_id = _insert(
            connection,
            platform_users,
            {
                "username": username,
                # As the person typed it at sign-up: found by lower(email) all the same.
                "email": email[0].upper() + email[1:],
                "name": name,
                "company": company,
                "created_at": _START,
            },
        )
        for number in range(SESSIONS_PER_ACCOUNT):
            _insert(
                connection,
                sessions,
                {
                    "user_id": user_id,
                    "started_at": _START + timedelta(days=number),
                    "ip_address": f"81.2.69.{160 + number}",
                    "user_agent": "Firefox 132",
                },
            )
        ticket_id = _insert(
            connection,
            support_tickets,
            {
                "opened_by": user_id,
                "subject": f"Export for {company} fails",
                "status": "open",
                "opened_at": _START,
            },
        )
        for number in range(OWN_MESSAGES):
            _insert(
                connection,
                ticket_messages,
                {
                    "ticket_id": ticket_id,
                    "author_id": user_id,
                    "body": f"Message {number + 1} from {name}",
                    "sent_at": _START + timedelta(hours=number * 2),
                },
            )
        colleague_message_id = _insert(
            connection,
            ticket_messages,
            {
                "ticket_id": ticket_id,
                "author_id": colleague_id,
                "body": "Same problem here; attaching our logs.",
                "sent_at": _START + timedelta(hours=1),
            },
        )
        account_id = _insert(
            connection,
            billing_accounts,
            {
                "user_id": user_id,
                "billing_name": name,
                "billing_address": "12 St James's Square, London",
                "vat_number": "GB123456789",
            },
        )
        for number in range(INVOICES_PER_ACCOUNT):
            _insert(
                connection,
                invoices,
                {
                    "billing_account_id": account_id,
                    "number": f"INV-{user_id}-{number}",
                    "amount": Decimal("490.00"),
                    "currency": "GBP",
                    "issued_at": _START + timedelta(days=30 * number),
                    "billing_name": name,
                    "billing_address": "12 St James's Square, London",
                },
            )
    return PlatformAccount(user_id, ticket_id, colleague_message_id)


def add_others(engine: Engine, people: Iterable[tuple[str, str, str]]) -> list[int]:
    """Other staff accounts, each with one session: (username, e-mail, name). Returns their
    ids (two rows each)."""
    ids = []
    with engine.begin() as connection:
        for number, (username, email, name) in enumerate(people):
            user_id = _insert(
                connection,
                platform_users,
                {
                    "username": username,
                    "email": email,
                    "name": name,
                    "company": "acme" if number % 2 else "globex",
                    "created_at": _START,
                },
            )
            _insert(
                connection,
                sessions,
                {"user_id": user_id, "started_at": _START, "ip_address": "203.0.113.9"},
            )
            ids.append(user_id)
    return ids


def demo_engine(url: str) -> Engine:
    """An engine on the demo database (SQLite enforcing foreign keys, as the connector does)."""
    return create_store_engine(url)
