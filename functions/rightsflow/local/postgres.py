"""A throwaway PostgreSQL server for tests and benchmarks: Debian's `postgresql` binaries, a data
directory in a temporary folder, listening on 127.0.0.1 only, stopped and removed afterwards."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa


class PostgresUnavailable(RuntimeError):
    """PostgreSQL's server programs are not installed here (Debian: apt-get install postgresql)."""


def server_binaries() -> Path:
    """The folder holding initdb and postgres (the newest installed version)."""
    for candidate in [os.environ.get("PG_BINDIR", ""), *sorted(_debian_bindirs(), reverse=True)]:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise PostgresUnavailable("PostgreSQL is not installed (apt-get install postgresql)")


def _debian_bindirs() -> list[str]:
    return glob.glob("/usr/lib/postgresql/*/bin")


_INITDB = ["--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C"]
# A server whose data is thrown away needs no crash safety: faster on a busy machine.
_THROWAWAY = ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _server_user() -> pwd.struct_passwd | None:
    """initdb and postgres refuse to run as root: as root, they run as the `postgres` user (the
    server is then our direct child, so stopping it needs no helper process in between)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError as error:
        raise PostgresUnavailable("running as root and there is no postgres user") from error


@contextmanager
def running_postgres(timeout: float = 60.0) -> Iterator[str]:
    """Start a server; yields the SQLAlchemy URL of its `rightsflow` database."""
    binaries = server_binaries()
    user = _server_user()
    folder = Path(tempfile.mkdtemp(prefix="rightsflow-pg-"))
    as_user: dict[str, Any] = {}
    try:
        if user is not None:
            os.chown(folder, user.pw_uid, user.pw_gid)
            as_user = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
        data = folder / "data"
        subprocess.run(  # noqa: S603 - fixed programs, arguments of our own
            [str(binaries / "initdb"), "-D", str(data), "-U", "postgres", *_INITDB],
            check=True,
            capture_output=True,
            cwd=folder,
            **as_user,
        )
        server, port = _start(binaries, as_user, folder, data, timeout)
        try:
            admin = sa.create_engine(
                f"postgresql+pg8000://postgres@127.0.0.1:{port}/postgres",
                isolation_level="AUTOCOMMIT",
            )
            with admin.connect() as connection:
                connection.exec_driver_sql("CREATE DATABASE rightsflow")
            admin.dispose()
            yield f"postgresql+pg8000://postgres@127.0.0.1:{port}/rightsflow"
        finally:
            server.send_signal(signal.SIGINT)  # fast shutdown
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _start(
    binaries: Path, as_user: dict[str, Any], folder: Path, data: Path, timeout: float
) -> tuple[subprocess.Popen[bytes], int]:
    """Start on a free port (PostgreSQL cannot take port 0: ask the OS, retry on collision)."""
    for _ in range(5):
        port = free_port()
        log = open(folder / "server.log", "ab")  # noqa: SIM115 - the server writes it until stopped
        where = ["-D", str(data), "-p", str(port), "-k", str(folder), "-h", "127.0.0.1"]
        server = subprocess.Popen(  # noqa: S603
            [str(binaries / "postgres"), *where, *_THROWAWAY],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=folder,
            **as_user,
        )
        log.close()
        if _ready(server, port, timeout):
            return server, port
        if server.poll() is None:
            server.kill()
        server.wait()
    log_text = (folder / "server.log").read_text(errors="replace")[-2000:]
    raise PostgresUnavailable(f"the PostgreSQL server did not start:\n{log_text}")


def _ready(server: subprocess.Popen[bytes], port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False  # it stopped: the port was taken, most likely
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                pass
            probe = sa.create_engine(f"postgresql+pg8000://postgres@127.0.0.1:{port}/postgres")
            try:
                with probe.connect() as connection:
                    connection.exec_driver_sql("SELECT 1")
                return True
            finally:
                probe.dispose()
        except (OSError, sa.exc.SQLAlchemyError):
            time.sleep(0.2)
    return False
