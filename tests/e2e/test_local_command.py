"""`rightsflow local` as a person runs it: a real process, real ports on 127.0.0.1, Ctrl-C to stop."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
import requests

from tests.conftest import PRISTINE_ENVIRONMENT
from tests.support import CODE_LINE, unique_email, wait_for

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class RunningCommand:
    process: subprocess.Popen[str]
    api: str
    aws: str
    log_file: Path


def _start(*extra: str, ignore_sigint: bool = False, tmp: Path) -> RunningCommand:
    """`rightsflow local` on free ports; `ignore_sigint` starts it as a shell's background job
    (`rightsflow local &`) is started, with SIGINT ignored."""
    port, aws_port, smtp_port = _free_port(), _free_port(), _free_port()
    log_file = tmp / "local.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rightsflow.cli",
            "local",
            "--port",
            str(port),
            "--aws-port",
            str(aws_port),
            "--smtp-port",
            str(smtp_port),
            "--log-file",
            str(log_file),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**PRISTINE_ENVIRONMENT, "PYTHONUNBUFFERED": "1"},
        preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))  # noqa: PLW1509
        if ignore_sigint
        else None,
    )
    return RunningCommand(
        process, f"http://127.0.0.1:{port}", f"http://127.0.0.1:{aws_port}", log_file
    )


def _wait_ready(command: RunningCommand) -> None:
    def ready() -> bool:
        try:
            return requests.get(f"{command.api}/openapi.json", timeout=10).status_code == 200
        except (requests.ConnectionError, requests.Timeout):
            assert command.process.poll() is None, "rightsflow local exited early"
            return False

    wait_for(ready, timeout=90, every=0.25)


@pytest.fixture
def rightsflow_local(tmp_path: Path) -> Iterator[RunningCommand]:
    # The README's suggestion: a legal day in 0.2 s (7 days of a code's life in 1.4 s).
    command = _start("--day-seconds", "0.2", tmp=tmp_path)
    api = command.api

    assert api
    try:
        _wait_ready(command)
        yield command
    finally:
        if command.process.poll() is None:
            command.process.kill()
            command.process.wait()


def _code_in_outbox(api: str, email: str) -> str | None:
    for message in requests.get(f"{api}/_local/outbox", timeout=10).json():
        found = CODE_LINE.search(message["text"])
        if email in message["to"] and found:
            return found.group(1)
    return None


def test_local_serves_the_api_the_outbox_and_an_aws_endpoint_then_stops_on_ctrl_c(
    rightsflow_local: RunningCommand,
) -> None:
    # WHEN a person posts a request the way the README shows (curl -d)
    email = unique_email()
    answer = requests.post(
        f"{rightsflow_local.api}/requests",
        data=f'{{"type":"access","email":"{email}"}}',
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert answer.status_code == 202
    receipt = answer.json()
    # AND enters the code the verification e-mail gave them, taking longer than the 7 legal
    # days a code lives (1.4 s at 0.2 s a day): a person must still be able to type it
    code = wait_for(lambda: _code_in_outbox(rightsflow_local.api, email))
    time.sleep(3)
    verified = requests.post(
        f"{rightsflow_local.api}/requests/{receipt['request_id']}/verify",
        json={"code": code},
        timeout=30,
    )
    assert verified.status_code == 200, verified.text

    # THEN the status can be read back with the token
    def completed() -> bool:
        view = requests.get(
            f"{rightsflow_local.api}/requests/{receipt['request_id']}",
            headers={"X-Request-Token": receipt["status_token"]},
            timeout=10,
        ).json()
        return bool(view["status"] == "completed")

    wait_for(completed, timeout=60)
    # AND the outbox shows the acknowledgment sent to the person
    outbox = requests.get(f"{rightsflow_local.api}/_local/outbox", timeout=10).json()
    assert any(email in message["to"] for message in outbox)
    assert requests.get(f"{rightsflow_local.api}/_local/ops-notifications", timeout=10).ok
    # AND boto3 pointed at the printed AWS endpoint sees the execution named after the request
    sfn = boto3.client(
        "stepfunctions",
        endpoint_url=rightsflow_local.aws,
        region_name="eu-west-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    names = [
        execution["name"]
        for machine in sfn.list_state_machines()["stateMachines"]
        for execution in sfn.list_executions(stateMachineArn=machine["stateMachineArn"])[
            "executions"
        ]
    ]
    assert receipt["request_id"] in names
    # WHEN the person presses Ctrl-C
    rightsflow_local.process.send_signal(signal.SIGINT)
    output, _ = rightsflow_local.process.communicate(timeout=30)
    # THEN it stops cleanly, having printed where everything was, every page included
    assert rightsflow_local.process.returncode == 0, output
    assert rightsflow_local.api in output
    assert rightsflow_local.aws in output
    assert f"{rightsflow_local.api}/_local/outbox.html" in output
    assert "forgets every request" in output
    assert "Stopped." in output
    # AND the console showed what a person reads; log and metric lines went to the log file
    assert '"level"' not in output
    assert '"_aws"' not in output
    assert str(rightsflow_local.log_file) in output
    logged = rightsflow_local.log_file.read_text()
    assert '"level":"INFO"' in logged
    assert '"_aws"' in logged


def _stops(command: RunningCommand, sent: signal.Signals) -> str:
    command.process.send_signal(sent)
    output, _ = command.process.communicate(timeout=30)
    assert command.process.returncode == 0, output
    assert "Traceback" not in output
    return output


def test_started_in_the_background_it_still_stops_on_sigint(tmp_path: Path) -> None:
    # GIVEN `rightsflow local &`: the shell starts it with SIGINT ignored
    command = _start(ignore_sigint=True, tmp=tmp_path)
    try:
        _wait_ready(command)
        # WHEN it is sent SIGINT (kill -INT, or Ctrl-C after fg)
        output = _stops(command, signal.SIGINT)
        # THEN it stops
        assert "Stopped." in output
    finally:
        if command.process.poll() is None:
            command.process.kill()
            command.process.wait()


def test_sigterm_stops_it_even_while_it_is_still_deploying(tmp_path: Path) -> None:
    command = _start(tmp=tmp_path)
    lines: list[str] = []
    stdout = command.process.stdout
    assert stdout is not None
    reader = threading.Thread(target=lambda: lines.extend(stdout), daemon=True)
    reader.start()
    try:
        # GIVEN it has started deploying
        wait_for(lambda: any("Deploying" in line for line in lines), timeout=60)
        # WHEN it is sent SIGTERM
        command.process.send_signal(signal.SIGTERM)
        # THEN it stops at once, before it is ready (not after finishing the start-up), cleanly
        assert command.process.wait(timeout=30) == 0
        reader.join(timeout=10)
        output = "".join(lines)
        assert "Stopped before it was ready." in output
        assert "Rightsflow is running locally" not in output
        # AND nothing went wrong on the way, neither on the console nor in the log
        assert "Traceback" not in output
        assert "Traceback" not in command.log_file.read_text()
    finally:
        if command.process.poll() is None:
            command.process.kill()
            command.process.wait()


@pytest.mark.parametrize("flag", ["--port", "--aws-port", "--smtp-port"])
def test_a_port_in_use_is_one_line_naming_the_flag_and_exit_status_2(
    flag: str, tmp_path: Path
) -> None:
    # GIVEN another program listening on the port
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ports = {f: str(_free_port()) for f in ("--port", "--aws-port", "--smtp-port")}
        ports[flag] = str(port)
        # WHEN rightsflow local is asked to use it
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "rightsflow.cli",
                "local",
                *[part for pair in ports.items() for part in pair],
                "--log-file",
                str(tmp_path / "local.log"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env=PRISTINE_ENVIRONMENT,
        )
    # THEN it says so in one line naming the option, and exits 2 without a traceback
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 2, output
    assert output.count("\n") == 0, output
    assert f"Port {port} is in use" in output
    assert flag in output


def test_local_refuses_a_database_whose_lookup_column_has_no_index(
    postgres_server: str, tmp_path: Path
) -> None:
    import sqlalchemy as sa

    from rightsflow.local import sql_demo
    from tests.conftest import new_postgres_database

    # GIVEN a PostgreSQL database with the platform tables, but no index on lower(email)
    database = new_postgres_database(postgres_server)
    engine = sa.create_engine(database)
    sql_demo.create_schema(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP INDEX platform_users_lower_email")
    engine.dispose()
    plain_url = database.replace("postgresql+pg8000://", "postgresql://")
    # WHEN `rightsflow local` is pointed at it, as the README shows
    ports = ["--port", str(_free_port()), "--aws-port", str(_free_port()), "--smtp-port", "0"]
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "rightsflow.cli",
            "local",
            "--database-url",
            plain_url,
            *ports,
            "--log-file",
            str(tmp_path / "local.log"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**PRISTINE_ENVIRONMENT, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"},
        check=False,
    )
    # THEN it refuses to start, naming the table and the column, without a traceback
    assert finished.returncode == 1, finished.stdout + finished.stderr
    assert "platform_users.email has no index" in finished.stdout
    assert "Traceback" not in finished.stdout + finished.stderr
