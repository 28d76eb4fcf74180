"""Fixtures shared by every test: the local stack stood up from template.yaml."""

from __future__ import annotations

import json
import logging
import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import Api

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "template.yaml"
# The environment as the test run began: the in-process stacks set function variables
# (DAY_SECONDS, MIN_CODE_SECONDS…) that a `rightsflow` started as a subprocess must not inherit.
PRISTINE_ENVIRONMENT = dict(os.environ)


# One legal day lasts this long in the compressed-time stack: a 45-day clock runs in 11 s,
# slow enough that a busy CI machine still does each step before its deadline.
DAY_SECONDS = 0.25


# The test stacks let a new verification code be sent after 2 s instead of 60.
RESEND_SECONDS = 2
# Tests call the API far faster than a person (and the fuzzer faster still): API Gateway's
# throttling is set out of their way here, and tested on its own.
PARAMETERS = {
    "VerificationResendSeconds": str(RESEND_SECONDS),
    "ApiThrottlingRateLimit": "100000",
    "ApiThrottlingBurstLimit": "100000",
}
MAX_MAIL_BYTES = 200_000
# In compressed time a code must still live long enough to be typed (600 s for a person, in
# `rightsflow local`); the tests type fast, and watch codes expire.
MIN_CODE_SECONDS = 3
# Likewise a package (600 s in `rightsflow local`): here long enough to download it at least
# once on a busy machine, short enough to watch it go.
MIN_PACKAGE_SECONDS = 15


# ---------------------------------------------------------------- how `pytest -n 2` shares work
# A resource that takes long to build (a stack, a database server, a browser) is built once by
# each worker that uses it. The tests using one of these go to one worker (`--dist loadgroup`,
# pyproject.toml), so a run builds it once; every other test goes to whichever worker is free.
# A test using one through `request.getfixturevalue` says so itself, with an `xdist_group` mark
# of the same name (see the `sql_api` and `engine` fixtures).
ONE_WORKER_FIXTURES = {
    "clock_api": "clock-stack",
    "postgres_server": "postgresql",
    "mysql_server": "mysql",
    "browser": "browser",
    "lake": "lake-stack",
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with the group of the one-worker resources it uses (before pytest-xdist
    reads the marks)."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for group in sorted({name for f, name in ONE_WORKER_FIXTURES.items() if f in used}):
            item.add_marker(pytest.mark.xdist_group(group))


_GROUPS_LOST = pytest.StashKey[str]()


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Notice when pytest-xdist lost the groups: it tags the node ids of grouped tests with
    `@group`, and with pytest 9.2 that tag silently stays off (pytest-dev/pytest-xdist#1386), so
    that every worker would build every shared resource."""
    if not getattr(session.config.option, "loadgroup", False):
        return  # not an xdist worker running --dist loadgroup
    lost = [
        item.nodeid
        for item in session.items
        if item.get_closest_marker("xdist_group") is not None and "@" not in item.nodeid
    ]
    if lost:
        session.config.stash[_GROUPS_LOST] = (
            f"pytest-xdist did not group {len(lost)} tests: this pytest and pytest-xdist do "
            "not work together (see the pytest pin in pyproject.toml)"
        )


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Fail each grouped test, saying why, when the groups were lost."""
    lost = item.config.stash.get(_GROUPS_LOST, None)
    if lost is not None and item.get_closest_marker("xdist_group") is not None:
        pytest.fail(lost, pytrace=False)


def running_stack(
    parameters: dict[str, str] | None = None,
    aws_endpoint: bool = False,
    database_url: str | None = None,
    **function_environment: str,
) -> Iterator[object]:
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    from rightsflow.local import services
    from rightsflow.local.stack import StackOptions

    options = StackOptions(
        template_path=TEMPLATE,
        parameters={**PARAMETERS, **(parameters or {})},
        function_environment={
            # A smaller e-mail limit, so the corpus's oversized message stays small in the repo.
            "MAX_MAIL_BYTES": str(MAX_MAIL_BYTES),
            "MIN_CODE_SECONDS": str(MIN_CODE_SECONDS),
            "MIN_PACKAGE_SECONDS": str(MIN_PACKAGE_SECONDS),
            # Real time unless a test says otherwise, said outright: functions read settings
            # from the process environment, where a compressed-time stack may have left
            # DAY_SECONDS (the local runtime never removes a variable) before a stack started
            # later in the same process (the big-store stack, the PostgreSQL one) cold-starts.
            "DAY_SECONDS": str(24 * 3600),
            **function_environment,
        },
    )
    aws_port = 0 if aws_endpoint else None  # 0: an AWS endpoint on a free port
    with services.running(
        options, port=0, smtp_port=0, aws_port=aws_port, database_url=database_url
    ) as running:
        yield running


@pytest.fixture(scope="session")
def local_services() -> Iterator[object]:
    """One local stack per test worker: template.yaml in moto, its HTTP API on 127.0.0.1."""
    yield from running_stack()


@pytest.fixture(scope="session")
def clock_api() -> Iterator[Api]:
    """A stack of its own in compressed time, to watch reminders and deadlines pass."""
    from rightsflow.local.services import LocalServices

    # A code stays valid 30 legal days here (7.5 s): long enough to be entered, short enough to
    # watch it expire.
    parameters = {"VerificationExpiryDays": "30"}
    for running in running_stack(parameters, DAY_SECONDS=str(DAY_SECONDS)):
        assert isinstance(running, LocalServices)
        yield Api(running)


@pytest.fixture(scope="session")
def api(local_services: object) -> Api:
    from rightsflow.local.services import LocalServices

    assert isinstance(local_services, LocalServices)
    return Api(local_services)


@pytest.fixture
def log_lines() -> Iterator[list[str]]:
    """Every log record any component writes while the test runs, at the levels the product
    runs with (Powertools INFO, libraries at their defaults), as written plus its fields."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record) + " " + json.dumps(record.__dict__, default=str))

    handler = Collect()
    watched = [logging.getLogger(), logging.getLogger("rightsflow")]
    for logger in watched:
        logger.addHandler(handler)
    yield lines
    for logger in watched:
        logger.removeHandler(handler)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL server (Debian's, which .ci/run installs) in a temporary folder on
    127.0.0.1, stopped afterwards; its URL. Skipped, saying why, only where it is not installed."""
    from rightsflow.local.postgres import PostgresUnavailable, running_postgres, server_binaries

    try:
        server_binaries()
    except PostgresUnavailable as error:
        pytest.skip(f"{error}: the PostgreSQL tests cannot run here")
    with running_postgres() as url:
        yield url


def new_postgres_database(server_url: str) -> str:
    """A database of its own on the test server, for one test."""
    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return str(sa.make_url(server_url).set(database=name))


@pytest.fixture(scope="session")
def postgres_api(postgres_server: str) -> Iterator[Api]:
    """A stack of its own whose SQL stores run on the PostgreSQL server."""
    from rightsflow.local.services import LocalServices

    database = new_postgres_database(postgres_server)
    for running in running_stack(database_url=database):
        assert isinstance(running, LocalServices)
        yield Api(running)


@pytest.fixture(scope="session")
def mysql_server() -> Iterator[str]:
    """A MySQL-family server (Debian's MariaDB, which .ci/run installs) in a temporary folder
    on 127.0.0.1, stopped afterwards. Skipped, saying why, only where it is not installed."""
    from rightsflow.local.mysql import MysqlUnavailable, available, running_mysql

    try:
        available()
    except MysqlUnavailable as error:
        pytest.skip(f"{error}: the MySQL tests cannot run here")
    with running_mysql() as url:
        yield url


def new_mysql_database(server_url: str) -> str:
    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return str(sa.make_url(server_url).set(database=name))
