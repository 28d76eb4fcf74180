"""A SQL store (PostgreSQL, MySQL, SQLite; Aurora or RDS in AWS), reached with SQLAlchemy Core.

The data map names an entry table, whose lookup columns find a person's rows, and related tables
reached from those rows by foreign key, parents first (the way Fides traverses a dataset graph).
No ORM model of the company's schema: tables are reflected from the live database, and before
the first lookup the schema is checked against the data map: every lookup and foreign-key column
must be served by an index for the very comparison this connector runs (a case-insensitive
e-mail needs an index on lower(email), or a case-insensitive column with an index). Every
statement is parameterised. One request's changes in one store are one transaction, deletions
children first; the database refusing any of them rolls all of them back.

Only the SQL stores' function imports this module (SQLAlchemy and the drivers ship with it
alone); every other function reaches SQL stores through `remote_sql`.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import ssl
import uuid
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine

from rightsflow.domain.canonical import canonical_or_none, email_spellings
from rightsflow.domain.data_map import DataMap, ErasureAction, Identifier, Store, StoreKind
from rightsflow.domain.errors import (
    StoreNotConfigured,
    StoreRefusedChange,
    StoreSchemaRefused,
    StoreUnavailable,
)
from rightsflow.domain.fulfilment import Action, ActionKind, Found
from rightsflow.domain.identity import Identity
from rightsflow.integration.secrets import secret_value
from rightsflow.integration.stores import Applied, Erasable

# Parent key values bound per statement when following a foreign key (well under every
# database's limit on bound parameters).
CHUNK = 500
_TRANSIENT = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError, exc.DisconnectionError)


# ---------------------------------------------------------------------------- connections
def connection_url(secret: str, host: str | None = None) -> sa.URL:
    """The database URL a connection secret describes. The secret is the JSON Secrets Manager
    keeps for RDS (`engine`, `host`, `port`, `username`, `password`, `dbname`; `host` may be
    replaced, e.g. by an RDS Proxy endpoint) or `{"url": "<SQLAlchemy URL>"}`."""
    try:
        value = json.loads(secret)
    except json.JSONDecodeError:
        value = {"url": secret}
    if not isinstance(value, dict):
        raise StoreSchemaRefused("the connection secret is neither JSON nor a database URL")
    if "url" in value:
        return sa.make_url(str(value["url"]))
    engine = str(value.get("engine", "")).lower()
    if "postgres" in engine:
        driver = "postgresql+pg8000"
    elif "mysql" in engine or "mariadb" in engine or engine == "aurora":
        driver = "mysql+pymysql"
    else:
        raise StoreSchemaRefused(f"the connection secret's engine {engine!r} is not supported")
    return sa.URL.create(
        driver,
        username=value.get("username"),
        password=value.get("password"),
        host=host or value.get("host"),
        port=int(value["port"]) if value.get("port") else None,
        database=value.get("dbname") or value.get("database"),
        query={"ssl": "false"} if value.get("ssl") is False else {},
    )


def create_store_engine(url: sa.URL | str) -> Engine:
    """One connection per warm Lambda container, checked before use, with short timeouts: sized
    for RDS Proxy, which multiplexes many containers onto few database connections."""
    url = sa.make_url(url)
    use_tls = url.query.get("ssl", "true") != "false"
    url = url.difference_update_query(["ssl"])
    connect_args: dict[str, Any] = {}
    backend = url.get_backend_name()
    if backend == "postgresql":
        connect_args["timeout"] = 10  # seconds, for connecting and for each answer
        if use_tls and url.host not in {None, "127.0.0.1", "localhost"}:
            connect_args["ssl_context"] = ssl.create_default_context()
    elif backend in {"mysql", "mariadb"}:
        connect_args.update(connect_timeout=5, read_timeout=15, write_timeout=15)
        if use_tls and url.host not in {None, "127.0.0.1", "localhost"}:
            connect_args["ssl"] = ssl.create_default_context()
    elif backend == "sqlite":
        connect_args["timeout"] = 15  # waits this long for another writer
    engine = sa.create_engine(
        url,
        pool_size=1,
        max_overflow=0,
        pool_timeout=10,
        pool_pre_ping=True,
        pool_recycle=300,
        connect_args=connect_args,
    )
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_enforces_foreign_keys)
    return engine


def _sqlite_enforces_foreign_keys(connection: Any, _: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


# ---------------------------------------------------------------------------- the live schema
@dataclass(frozen=True)
class IndexKey:
    """One key part of an index: a column (with its collation, if the index says) or an
    expression, normalised (lowercase, no spaces, quotes, parentheses or casts)."""

    column: str | None
    expression: str | None = None
    nocase: bool = False


def _normalised(expression: str) -> str:
    text = re.sub(r"::[a-z ]+", "", expression.lower())
    return re.sub(r"[\s\"`()\[\]]", "", text)


def _index_keys(connection: Connection, table: str) -> list[list[IndexKey]]:
    """Every index of `table` (primary key and unique constraints included) as its key parts."""
    inspector = sa.inspect(connection)
    found: list[list[IndexKey]] = []
    primary = inspector.get_pk_constraint(table).get("constrained_columns") or []
    if primary:
        found.append([IndexKey(column) for column in primary])
    if connection.dialect.name == "sqlite":
        return found + _sqlite_index_keys(connection, table)
    for unique in inspector.get_unique_constraints(table):
        found.append([IndexKey(column) for column in unique["column_names"]])
    for index in inspector.get_indexes(table):
        expressions = index.get("expressions") or []
        keys = []
        for position, column in enumerate(index["column_names"]):
            expression = expressions[position] if position < len(expressions) else None
            keys.append(
                IndexKey(column, None)
                if column is not None
                else IndexKey(None, _normalised(expression or ""))
            )
        found.append(keys)
    return found


def _sqlite_index_keys(connection: Connection, table: str) -> list[list[IndexKey]]:
    """SQLAlchemy's SQLite reflection leaves out expression indexes and collations; SQLite's
    own catalogue says both."""
    found = []
    indexes = connection.execute(
        sa.text("SELECT name FROM pragma_index_list(:table)"), {"table": table}
    ).scalars()
    for name in list(indexes):
        sql = connection.execute(
            sa.text("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"),
            {"name": name},
        ).scalar()
        expressions = _sqlite_index_expressions(sql or "")
        keys = []
        parts = connection.execute(
            sa.text(
                "SELECT seqno, cid, name, coll FROM pragma_index_xinfo(:name) "
                "WHERE key = 1 ORDER BY seqno"
            ),
            {"name": name},
        ).all()
        for seqno, cid, column, collation in parts:
            if cid == -2:  # an expression
                expression = expressions[seqno] if seqno < len(expressions) else ""
                keys.append(IndexKey(None, _normalised(expression)))
            else:
                keys.append(IndexKey(column, None, str(collation).upper() == "NOCASE"))
        found.append(keys)
    return found


def _sqlite_index_expressions(sql: str) -> list[str]:
    """The key parts of a CREATE INDEX statement, split at top-level commas."""
    opened = sql.find("(")
    if opened < 0:
        return []
    parts, depth, current = [], 0, ""
    for character in sql[opened + 1 :]:
        if character == "(":
            depth += 1
        elif character == ")":
            if depth == 0:
                break
            depth -= 1
        if character == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += character
    parts.append(current)
    return [re.sub(r"(?i)\s+(asc|desc)\s*$", "", part.strip()) for part in parts]


def _case_insensitive_column(connection: Connection, table: str, column: str) -> bool:
    """Whether the column itself compares case-insensitively: PostgreSQL citext, a MySQL `_ci`
    collation (SQLite's NOCASE is read from each index instead)."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        for described in sa.inspect(connection).get_columns(table):
            if described["name"] == column:
                return type(described["type"]).__name__.upper() == "CITEXT"
        return False
    if dialect in {"mysql", "mariadb"}:
        collation = connection.execute(
            sa.text(
                "SELECT collation_name FROM information_schema.columns WHERE "
                "table_schema = DATABASE() AND table_name = :table AND column_name = :column"
            ),
            {"table": table, "column": column},
        ).scalar()
        return str(collation or "").lower().endswith("_ci")
    return False


# ---------------------------------------------------------------------------- the checked graph
@dataclass(frozen=True)
class Comparison:
    """How one lookup column is compared with a person's identifier, as its index allows."""

    column: str
    how: str  # "equal" | "lower" (lower(column) = value) | "nocase" (SQLite COLLATE NOCASE)

    def clause(self, table: sa.Table, value: str) -> sa.ColumnElement[bool]:
        column = table.c[self.column]
        if self.how == "lower":
            return sa.func.lower(column) == value
        if self.how == "nocase":
            return sa.collate(column, "NOCASE") == value
        return column == value


@dataclass
class TableLink:
    """A table of the graph: its reflected Table, primary key, and how it hangs off its parent."""

    name: str
    table: sa.Table
    key: list[str]
    parent: str | None = None
    columns: list[str] = field(default_factory=list)  # this table's foreign-key columns
    parent_columns: list[str] = field(default_factory=list)  # what they refer to


@dataclass
class Graph:
    """The checked graph of one SQL store: tables in order (entry first, parents before
    children) and the comparison each lookup runs."""

    links: dict[str, TableLink]
    lookups: dict[Identifier, Comparison]


def check_schema(store_name: str, store: Store, connection: Connection) -> Graph:
    """Reflect the store's tables and check them against the data map. Raises
    StoreSchemaRefused naming the table and column when a table, column, primary key, foreign
    key or index the data map relies on is missing from the live schema."""
    if store.sql is None:
        raise StoreSchemaRefused(f"{store_name}: not a sql store")
    metadata = sa.MetaData()
    inspector = sa.inspect(connection)
    links: dict[str, TableLink] = {}
    for name in store.tables():
        if not inspector.has_table(name):
            raise StoreSchemaRefused(f"{store_name}: table {name} does not exist in the database")
        with warnings.catch_warnings():
            # SQLite's expression indexes are read from its own catalogue instead.
            warnings.filterwarnings("ignore", "Skipped unsupported reflection", exc.SAWarning)
            table = sa.Table(name, metadata, autoload_with=connection)
        key = list(inspector.get_pk_constraint(name).get("constrained_columns") or [])
        if not key:
            raise StoreSchemaRefused(
                f"{store_name}: table {name} has no primary key (rows are changed one by one)"
            )
        links[name] = TableLink(name, table, key)
    entry = store.sql.table
    lookups: dict[Identifier, Comparison] = {}
    for identifier, lookup in store.lookup.items():
        _column(store_name, links[entry], lookup.attribute)
        lookups[identifier] = _comparison(
            store_name, connection, entry, lookup.attribute, identifier is Identifier.EMAIL
        )
    for name, related in store.sql.related.items():
        link = links[name]
        for column in related.foreign_key:
            _column(store_name, link, column)
        constraint = next(
            (
                fk
                for fk in inspector.get_foreign_keys(name)
                if fk["referred_table"] == related.parent
                and list(fk["constrained_columns"]) == related.foreign_key
            ),
            None,
        )
        if constraint is None:
            raise StoreSchemaRefused(
                f"{store_name}: {name}.{','.join(related.foreign_key)} is no foreign key to "
                f"{related.parent} in the database"
            )
        if not _indexed(_index_keys(connection, name), related.foreign_key):
            raise StoreSchemaRefused(
                f"{store_name}: {name}.{','.join(related.foreign_key)} has no index: following "
                f"the foreign key to {related.parent} would scan {name}"
            )
        link.parent = related.parent
        link.columns = list(related.foreign_key)
        link.parent_columns = list(constraint["referred_columns"])
    for name, link in links.items():
        _check_rules(store_name, store, link, name)
    _check_no_cascade(store_name, store, connection, links)
    return Graph(links, lookups)


def _column(store_name: str, link: TableLink, column: str) -> sa.Column[Any]:
    if column not in link.table.c:
        raise StoreSchemaRefused(f"{store_name}: {link.name}.{column} does not exist")
    return link.table.c[column]


def _indexed(indexes: list[list[IndexKey]], columns: Sequence[str]) -> bool:
    """Whether an index leads with exactly these columns (in any order)."""
    wanted = set(columns)
    return any(
        len(keys) >= len(wanted) and {key.column for key in keys[: len(wanted)]} == wanted
        for keys in indexes
    )


def _comparison(
    store_name: str, connection: Connection, table: str, column: str, case_insensitive: bool
) -> Comparison:
    indexes = _index_keys(connection, table)
    leading = [keys[0] for keys in indexes if keys]
    if not case_insensitive:
        if any(key.column == column for key in leading):
            return Comparison(column, "equal")
        raise StoreSchemaRefused(f"{store_name}: {table}.{column} has no index for lookups")
    if any(key.expression == f"lower{column.lower()}" for key in leading):
        return Comparison(column, "lower")
    if any(key.column == column and key.nocase for key in leading):
        return Comparison(column, "nocase")
    if any(key.column == column for key in leading) and _case_insensitive_column(
        connection, table, column
    ):
        return Comparison(column, "equal")
    raise StoreSchemaRefused(
        f"{store_name}: {table}.{column} has no index for a case-insensitive lookup (an index "
        f"on lower({column}), or a case-insensitive column such as citext, a MySQL _ci "
        "collation or SQLite COLLATE NOCASE, with an index)"
    )


def _check_rules(store_name: str, store: Store, link: TableLink, name: str) -> None:
    """Every column a right writes exists; a column anonymised can be blanked (NULL)."""
    rules = store.rules_for(name)
    named = [*rules.rectifiable, *rules.erasure.fields]
    named += [
        flag.attribute for flag in (rules.consent, rules.profiling, rules.restriction) if flag
    ]
    for column in named:
        _column(store_name, link, column)
    if rules.erasure.action is ErasureAction.ANONYMISE:
        for column in rules.erasure.fields:
            if not link.table.c[column].nullable or column in link.key:
                raise StoreSchemaRefused(
                    f"{store_name}: {name}.{column} cannot be anonymised: it is NOT NULL or "
                    "part of the primary key"
                )


def _check_no_cascade(
    store_name: str, store: Store, connection: Connection, links: dict[str, TableLink]
) -> None:
    """A deletion the database would carry on to other rows (ON DELETE CASCADE, SET NULL)
    changes rows the data map does not account for, someone else's perhaps: refused."""
    deleted = {
        name
        for name in links
        if store.rules_for(name).erasure.action is ErasureAction.DELETE
        or store.rules_for(name).erasure.legal_hold is not None
    }
    inspector = sa.inspect(connection)
    for table in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(table):
            action = str((fk.get("options") or {}).get("ondelete") or "").upper()
            if fk["referred_table"] in deleted and action in {"CASCADE", "SET NULL", "SET DEFAULT"}:
                raise StoreSchemaRefused(
                    f"{store_name}: deleting rows of {fk['referred_table']} would also change "
                    f"{table}.{','.join(fk['constrained_columns'])} (ON DELETE {action}), rows "
                    "the data map does not account for"
                )


# ---------------------------------------------------------------------------- values
def _plain(value: Any) -> Any:
    """A database value as JSON: dates as ISO 8601, exact decimals as text, bytes as base64."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _bound(column: sa.Column[Any], value: Any) -> Any:
    """A key value back from its JSON form (a UUID, date or exact decimal key was text)."""
    if not isinstance(value, str):
        return value
    try:
        kind = column.type.python_type
    except NotImplementedError:
        return value
    converters: dict[type, Callable[[str], Any]] = {
        uuid.UUID: uuid.UUID,
        dt.datetime: dt.datetime.fromisoformat,
        dt.date: dt.date.fromisoformat,
        Decimal: Decimal,
        bytes: base64.b64decode,
    }
    convert = converters.get(kind)
    return convert(value) if convert is not None else value


# SQLite's lower() (and PostgreSQL's under the C locale) folds ASCII letters only, leaving
# `BÜCHER` as `bÜcher`: the non-ASCII letters of a spelling are asked for in either case, for
# up to this many of them (2**n spellings); beyond, only in lower case.
_CASED_LETTERS = 3


def _either_case(spelling: str) -> set[str]:
    """`ada@bücher.example` -> it and `ada@bÜcher.example`: the spellings a database whose
    lower() leaves non-ASCII letters alone may hold of one lower-case address."""
    letters = [
        i
        for i, ch in enumerate(spelling)
        if not ch.isascii() and len(ch.upper()) == 1 and ch.upper() != ch
    ]
    if not letters or len(letters) > _CASED_LETTERS:
        return {spelling}
    spellings = set()
    for mask in range(2 ** len(letters)):
        chars = list(spelling)
        for bit, position in enumerate(letters):
            if mask >> bit & 1:
                chars[position] = chars[position].upper()
        spellings.add("".join(chars))
    return spellings


def _email_of(column: str, emails: frozenset[str]) -> Callable[[sa.RowMapping], bool]:
    """Whether a row's e-mail, read as written, is one of `emails` (canonical match forms)."""
    return lambda row: canonical_or_none(Identifier.EMAIL, row[column]) in emails


# ---------------------------------------------------------------------------- the connector
class SqlStore:
    """One SQL store of the data map over one engine; the schema is checked on first use."""

    def __init__(self, name: str, store: Store, engine: Engine) -> None:
        self.name = name
        self.store = store
        self.engine = engine
        self._graph: Graph | None = None

    def graph(self) -> Graph:
        if self._graph is None:
            with self._connection("reading the schema") as connection:
                self._graph = check_schema(self.name, self.store, connection)
        return self._graph

    def find(self, identity: Identity) -> list[Found]:
        """The person's rows in the entry table (by its indexed lookup columns), then in each
        related table by foreign key from the rows found so far, parents first."""
        graph = self.graph()
        rows: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
        with self._connection(f"reading {self.name}") as connection:
            for name, link in graph.links.items():
                found: dict[tuple[Any, ...], dict[str, Any]] = {}
                for statement, match in self._selects(graph, link, identity, rows):
                    for row in connection.execute(statement).mappings():
                        if match is None or match(row):
                            found[tuple(row[column] for column in link.key)] = dict(row)
                rows[name] = found
        return [
            Found(
                key={column: _plain(row[column]) for column in graph.links[name].key},
                data={column: _plain(value) for column, value in row.items()},
                table=name,
            )
            for name, found in rows.items()
            for _, row in sorted(found.items(), key=lambda item: str(item[0]))
        ]

    def _selects(
        self,
        graph: Graph,
        link: TableLink,
        identity: Identity,
        rows: dict[str, dict[tuple[Any, ...], dict[str, Any]]],
    ) -> Iterable[tuple[sa.Select[Any], Callable[[sa.RowMapping], bool] | None]]:
        """The statements that read `link`'s rows of the person, each with the check a row it
        returns must pass (None: every row it returns is the person's)."""
        if link.parent is None:
            for identifier, comparison in graph.lookups.items():
                values = identity.values(identifier)  # canonical (rightsflow.domain.canonical)
                match = None
                if identifier is Identifier.EMAIL:
                    # The database folds case on its side (its index decides how, a MySQL _ci
                    # collation ignoring accents too): bind the spellings the canonical address
                    # may have there, then keep only rows whose e-mail is the person's,
                    # canonically.
                    match = _email_of(comparison.column, values)
                    values = frozenset(
                        cased
                        for value in values
                        for spelling in email_spellings(value)
                        for cased in _either_case(spelling)
                    )
                for value in sorted(values):
                    yield sa.select(link.table).where(comparison.clause(link.table, value)), match
            # Entry rows erased of the e-mail but with rows kept under a legal hold: by key.
            for held in sorted(identity.held_rows.get(self.name, frozenset())):
                key = json.loads(held)
                if set(key) == set(link.key):
                    by_name = link.table.c
                    yield (
                        sa.select(link.table).where(
                            *(by_name[c] == _bound(by_name[c], key[c]) for c in link.key)
                        ),
                        None,
                    )
            return
        parents = sorted(
            {tuple(row[c] for c in link.parent_columns) for row in rows[link.parent].values()},
            key=str,
        )
        parents = [values for values in parents if None not in values]
        columns = [link.table.c[column] for column in link.columns]
        for start in range(0, len(parents), CHUNK):
            chunk = parents[start : start + CHUNK]
            condition = (
                columns[0].in_([values[0] for values in chunk])
                if len(columns) == 1
                else sa.tuple_(*columns).in_(chunk)
            )
            yield sa.select(link.table).where(condition), None

    def apply(self, actions: Sequence[Action], applied: Applied) -> None:
        """Carry out a request's changes in one transaction, then tell `applied` all of them
        at once (they became durable together)."""
        self.apply_all(actions)
        if actions:
            applied(actions)

    def recheck(self, identity: Identity, places: Sequence[str]) -> list[Found]:
        return self.find(identity)  # the rows themselves, read again: no places of their own

    def copies(self, identity: Identity) -> list[str]:
        return []  # the database's backups and snapshots age out on its own schedule

    def erase_copies(self, where: str, identity: Identity, erasable: Erasable) -> int:
        return 0

    def apply_all(self, actions: Sequence[Action]) -> None:
        """Carry out a request's changes in one transaction: updates and anonymisations first
        (they may release references), then deletions, children before parents. If the
        database refuses any statement, none of them is kept (StoreRefusedChange); a lost
        connection or time-out rolls back too (StoreUnavailable: retried)."""
        graph = self.graph()
        order = {name: position for position, name in enumerate(graph.links)}
        changes = [a for a in actions if a.kind in {ActionKind.UPDATE, ActionKind.ANONYMISE}]
        deletions = sorted(
            (a for a in actions if a.kind is ActionKind.DELETE),
            key=lambda a: -order[self._table_of(a)],
        )
        if not changes and not deletions:
            return
        with self._connection(f"changing {self.name}", transaction=True) as connection:
            for action in [*changes, *deletions]:
                link = graph.links[self._table_of(action)]
                where = sa.and_(
                    *(link.table.c[c] == _bound(link.table.c[c], action.key[c]) for c in link.key)
                )
                if action.kind is ActionKind.DELETE:
                    connection.execute(sa.delete(link.table).where(where))
                elif action.kind is ActionKind.ANONYMISE:
                    blanks = dict.fromkeys(action.blank)
                    connection.execute(sa.update(link.table).where(where).values(blanks))
                else:
                    connection.execute(sa.update(link.table).where(where).values(action.set))

    def _table_of(self, action: Action) -> str:
        assert self.store.sql is not None
        return action.table or self.store.sql.table

    def _connection(self, what: str, *, transaction: bool = False) -> _Guarded:
        return _Guarded(self.engine, f"{self.name}: {what}", transaction)


class _Guarded:
    """A connection (in a transaction, if asked) whose failures become named errors that say
    what failed but never the statement's parameters (they are personal data)."""

    def __init__(self, engine: Engine, what: str, transaction: bool) -> None:
        self.engine = engine
        self.what = what
        self.transaction = transaction
        self._context: Any = None

    def __enter__(self) -> Connection:
        try:
            self._context = self.engine.begin() if self.transaction else self.engine.connect()
            connection: Connection = self._context.__enter__()
        except exc.SQLAlchemyError as error:
            raise _failure(error, self.what) from None
        return connection

    def __exit__(self, kind: Any, error: BaseException | None, trace: Any) -> None:
        try:
            self._context.__exit__(kind, error, trace)
        except exc.SQLAlchemyError as failure:
            raise _failure(failure, self.what) from None
        if isinstance(error, exc.SQLAlchemyError):
            raise _failure(error, self.what) from None


# What is worth retrying: PostgreSQL SQLSTATE classes (connection, resources, operator
# intervention) and codes (serialization failure, deadlock); MySQL/MariaDB error codes (too
# many connections, lock wait time-out, deadlock, server gone or unreachable).
_PG_TRANSIENT_CLASSES = {"08", "53", "57"}
_PG_TRANSIENT = {"40001", "40P01"}
_MYSQL_TRANSIENT = {1040, 1205, 1213, 2002, 2003, 2006, 2013, 2055}


def _transient(error: exc.SQLAlchemyError, cause: BaseException) -> bool:
    if isinstance(error, exc.TimeoutError | exc.DisconnectionError):
        return True  # no connection free in the pool, or one lost
    if getattr(error, "connection_invalidated", False):
        return True
    argument = cause.args[0] if cause.args else None
    if isinstance(argument, dict) and "C" in argument:  # pg8000: the server's SQLSTATE
        code = str(argument["C"])
        return code[:2] in _PG_TRANSIENT_CLASSES or code in _PG_TRANSIENT
    if isinstance(argument, int):  # PyMySQL: the server's error number
        return argument in _MYSQL_TRANSIENT
    if type(cause).__module__.startswith("sqlite3"):
        return "locked" in str(cause) or "busy" in str(cause)
    return isinstance(error, _TRANSIENT)


def _failure(error: exc.SQLAlchemyError, what: str) -> Exception:
    cause = getattr(error, "orig", None) or error
    if _transient(error, cause):
        return StoreUnavailable(f"{what}: {type(cause).__name__}; nothing was changed")
    return StoreRefusedChange(
        f"{what}: the database refused it ({_database_says(cause)}); nothing was changed"
    )


def _database_says(cause: BaseException) -> str:
    """The database's own words where they carry no values: PostgreSQL's message field (its
    detail, which quotes values, is left out), SQLite's message; elsewhere the error's kind."""
    argument = cause.args[0] if cause.args else None
    if isinstance(argument, dict) and "M" in argument:  # pg8000: the server's error fields
        code = str(argument.get("C", ""))
        if code.startswith("22"):  # a data exception quotes the value it could not take
            return f"SQLSTATE {code}"
        return f"{code} {argument['M']}".strip()
    if type(cause).__module__.startswith("sqlite3"):
        return str(cause)
    if isinstance(argument, int) and len(cause.args) > 1 and argument in _MYSQL_OWN_WORDS:
        return f"{argument} {cause.args[1]}"  # a trigger's SIGNAL: the schema author's words
    number = argument if isinstance(argument, int) else ""
    return f"{type(cause).__name__} {number}".strip()


# MySQL errors whose message is the schema's own words, never a row's values: a SIGNAL raised
# by a trigger (1644) and a foreign key refusing a deletion (1451).
_MYSQL_OWN_WORDS = {1451, 1644}


class DirectSql:
    """The SQL stores of the data map, reached directly (only the SQL stores function does):
    one engine per connection secret, read from Secrets Manager on first use."""

    def __init__(
        self,
        data_map: DataMap,
        physical_names: Mapping[str, str],
        host: str | None = None,
        read_secret: Callable[[str], str] = secret_value,
    ) -> None:
        self.data_map = data_map
        self.physical_names = physical_names
        self.host = host or None
        self.read_secret = read_secret
        self._engines: dict[str, Engine] = {}
        self._stores: dict[str, SqlStore] = {}

    def connector(self, store_name: str) -> SqlStore:
        if store_name not in self._stores:
            store = self.data_map.stores[store_name]
            if store.kind is not StoreKind.SQL:
                raise StoreNotConfigured(f"{store_name} is not a SQL store")
            secret_arn = self.physical_names.get(store.resource, "")
            if not secret_arn:
                raise StoreNotConfigured(
                    f"{store_name}: no connection secret (template parameter {store.resource})"
                )
            if secret_arn not in self._engines:
                url = connection_url(self.read_secret(secret_arn), self.host)
                self._engines[secret_arn] = create_store_engine(url)
            self._stores[store_name] = SqlStore(store_name, store, self._engines[secret_arn])
        return self._stores[store_name]
