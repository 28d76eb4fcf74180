"""A throwaway MySQL-family server (Debian's MariaDB) for tests: a data directory in a temporary
folder, listening on 127.0.0.1 only, stopped and removed afterwards."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from rightsflow.local.postgres import free_port


class MysqlUnavailable(RuntimeError):
    """No MySQL or MariaDB server is installed here (Debian: apt-get install mariadb-server)."""


def _programs() -> tuple[str, str]:
    server = shutil.which("mariadbd") or shutil.which("mysqld")
    for candidate in ("/usr/sbin/mariadbd", "/usr/sbin/mysqld"):
        server = server or (candidate if Path(candidate).exists() else None)
    setup = shutil.which("mariadb-install-db") or shutil.which("mysql_install_db")
    if not server or not setup:
        raise MysqlUnavailable("MariaDB is not installed (apt-get install mariadb-server)")
    return server, setup


def available() -> None:
    """Raises MysqlUnavailable, saying why, where no server can be started."""
    _programs()


@contextmanager
def running_mysql(timeout: float = 60.0) -> Iterator[str]:
    """Start a server; yields the SQLAlchemy URL of its `rightsflow` database."""
    server_program, setup = _programs()
    folder = Path(tempfile.mkdtemp(prefix="rightsflow-mysql-"))
    as_user: dict[str, Any] = {}
    user = "root"
    if os.geteuid() == 0:  # the server will not run as root: as the mysql user then
        account = pwd.getpwnam("mysql")
        os.chown(folder, account.pw_uid, account.pw_gid)
        as_user = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
        user = "mysql"
    data = folder / "data"
    try:
        subprocess.run(  # noqa: S603 - fixed programs, arguments of our own
            [setup, "--no-defaults", f"--datadir={data}", f"--user={user}", "--skip-test-db"],
            check=True,
            capture_output=True,
            cwd=folder,
            **as_user,
        )
        port = free_port()
        options = [f"--datadir={data}", f"--port={port}", "--bind-address=127.0.0.1"]
        options += [f"--socket={folder / 'mysql.sock'}", f"--pid-file={folder / 'mysql.pid'}"]
        # A throwaway server for tests: no passwords, no durability.
        options += ["--skip-grant-tables", "--innodb-flush-log-at-trx-commit=0"]
        log = open(folder / "server.log", "ab")  # noqa: SIM115 - the server writes it until stopped
        server = subprocess.Popen(  # noqa: S603
            [server_program, "--no-defaults", *options],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=folder,
            **as_user,
        )
        log.close()
        try:
            url = f"mysql+pymysql://root@127.0.0.1:{port}"
            _wait_until_ready(server, url, timeout, folder)
            admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.exec_driver_sql("CREATE DATABASE rightsflow")
            admin.dispose()
            yield f"{url}/rightsflow"
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _wait_until_ready(
    server: subprocess.Popen[bytes], url: str, timeout: float, folder: Path
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        probe = sa.create_engine(url)
        try:
            with probe.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
            return
        except sa.exc.SQLAlchemyError:
            time.sleep(0.2)
        finally:
            probe.dispose()
    log = (folder / "server.log").read_text(errors="replace")[-2000:]
    raise MysqlUnavailable(f"the MariaDB server did not start:\n{log}")
