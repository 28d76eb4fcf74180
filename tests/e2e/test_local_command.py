"""`rightsflow local` as a person runs it: a real process, real ports on 127.0.0.1, Ctrl-C to stop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import boto3
import pytest
import requests

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


@pytest.fixture
def rightsflow_local() -> Iterator[RunningCommand]:
    port, aws_port = _free_port(), _free_port()
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
            "--day-seconds",
            "5",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    api = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            return requests.get(f"{api}/openapi.json", timeout=10).status_code == 200
        except (requests.ConnectionError, requests.Timeout):
            assert process.poll() is None, "rightsflow local exited early"
            return False

    try:
        wait_for(ready, timeout=60, every=0.25)
        yield RunningCommand(process, api, f"http://127.0.0.1:{aws_port}")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


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
    # AND enters the code the verification e-mail gave them
    code = wait_for(lambda: _code_in_outbox(rightsflow_local.api, email))
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

    wait_for(completed, timeout=30)
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
    machine = sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"]
    names = [e["name"] for e in sfn.list_executions(stateMachineArn=machine)["executions"]]
    assert receipt["request_id"] in names
    # WHEN the person presses Ctrl-C
    rightsflow_local.process.send_signal(signal.SIGINT)
    output, _ = rightsflow_local.process.communicate(timeout=30)
    # THEN it stops cleanly, having printed where everything was
    assert rightsflow_local.process.returncode == 0, output
    assert rightsflow_local.api in output
    assert rightsflow_local.aws in output
    assert "Stopped." in output


def test_local_refuses_a_database_whose_lookup_column_has_no_index(postgres_server: str) -> None:
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
        [sys.executable, "-m", "rightsflow.cli", "local", "--database-url", plain_url, *ports],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"},
        check=False,
    )
    # THEN it refuses to start, naming the table and the column
    assert finished.returncode == 1, finished.stdout + finished.stderr
    assert "platform_users.email has no index" in finished.stdout
