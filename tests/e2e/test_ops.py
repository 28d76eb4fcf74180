"""The ops API and the `rightsflow ops` CLI on the local stack, as the ops team uses them."""

from __future__ import annotations

import json
import socket
import uuid
from typing import Any

import pytest
import requests
from typer.testing import CliRunner

from rightsflow.cli import app as cli
from rightsflow.local.seed import Person, add_person
from tests.support import Api, unique_email, wait_for

pytestmark = pytest.mark.e2e


def _ops(api: Api, method: str, path: str, **kwargs: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {api.services.ops_token}"}
    return api.session.request(method, f"{api.url}{path}", headers=headers, timeout=60, **kwargs)


def _cli(api: Api, *arguments: str) -> str:
    result = CliRunner(env={"COLUMNS": "250"}).invoke(
        cli, ["ops", "--endpoint", api.url, "--token", api.services.ops_token, *arguments]
    )
    assert result.exit_code == 0, result.output
    # The CLI runs in the process of the stack, whose functions go on working (and printing
    # their structured logs and metrics) while CliRunner holds stdout: keep the CLI's own.
    return "".join(
        line for line in result.output.splitlines(keepends=True) if not _stack_line(line)
    )


def _stack_line(line: str) -> bool:
    try:
        parsed = json.loads(line)
    except ValueError:
        return False
    return isinstance(parsed, dict) and ("_aws" in parsed or "function_name" in parsed)


def _someone(api: Api) -> Person:
    number = uuid.uuid4().int % 10**8
    person = Person(
        f"Ops Case {number}",
        f"ops.case.{number}@example.net",
        f"+44207946{number % 10000:04d}",
        f"ACME-O{number}",
    )
    add_person(api.services.stack, api.services.peers.hubspot, person)
    return person


def test_the_ops_api_needs_the_ops_credentials(api: Api) -> None:
    assert api.get("/ops/requests").status_code == 403
    wrong = api.session.get(
        f"{api.url}/ops/requests", headers={"Authorization": "Bearer nope"}, timeout=30
    )
    assert wrong.status_code == 403


def test_list_filters_by_status_type_channel_and_due_date_with_a_cursor(api: Api) -> None:
    receipts = [api.submit(type="automated_decision") for _ in range(3)]
    for receipt in receipts:
        wait_for(lambda r=receipt: api.status(r)["status"] == "pending_verification")  # type: ignore[misc]
    page = _ops(
        api,
        "GET",
        "/ops/requests",
        params={"status": "pending_verification", "type": "automated_decision", "limit": 2},
    )
    assert page.status_code == 200
    first = page.json()
    assert len(first["requests"]) <= 2
    assert all(
        r["status"] == "pending_verification" and r["type"] == "automated_decision"
        for r in first["requests"]
    )
    seen = [r["request_id"] for r in first["requests"]]
    cursor = first["next_cursor"]
    while cursor:
        more = _ops(
            api,
            "GET",
            "/ops/requests",
            params={
                "status": "pending_verification",
                "type": "automated_decision",
                "limit": 2,
                "cursor": cursor,
            },
        ).json()
        seen += [r["request_id"] for r in more["requests"]]
        cursor = more["next_cursor"]
    assert {r["request_id"] for r in receipts} <= set(seen)
    open_now = _ops(api, "GET", "/ops/requests", params={"channel": "web", "limit": 200}).json()
    assert all(not r["overdue"] for r in open_now["requests"])
    overdue = _ops(api, "GET", "/ops/requests", params={"overdue": "true"}).json()
    assert overdue["requests"] == []  # nothing here is late
    soon = _ops(api, "GET", "/ops/requests", params={"due_before": "2000-01-01"}).json()
    assert soon["requests"] == []
    bad = _ops(api, "GET", "/ops/requests", params={"status": "sleeping"})
    assert bad.status_code == 422
    assert bad.json()["field"] == "status"
    assert _ops(api, "GET", "/ops/requests", params={"cursor": "not-a-cursor"}).status_code == 422


def test_show_gives_the_record_the_audit_trail_and_the_execution_without_secrets(api: Api) -> None:
    receipt = api.submit_verified(type="access")
    api.wait_until_terminal(receipt)
    # the request is completed a moment before its execution ends: wait for the execution
    detail = wait_for(
        lambda: (
            d
            if (d := _ops(api, "GET", f"/ops/requests/{receipt['request_id']}").json())[
                "execution"
            ]["status"]
            != "RUNNING"
            else None
        ),
        timeout=60,
    )
    assert detail["record"]["status"] == "completed"
    assert "status_token_hash" not in detail["record"]
    assert "verification" not in detail["record"]
    assert detail["audit_trail"][0]["action"] == "request_received"
    assert detail["execution"]["status"] == "SUCCEEDED"
    assert detail["execution"]["arn"].endswith(receipt["request_id"])
    assert detail["execution"]["recent_history"]
    assert _ops(api, "GET", "/ops/requests/req-unknown").status_code == 404


def test_extend_through_the_api_tells_the_person_and_refuses_past_the_limit(api: Api) -> None:
    receipt = api.submit(type="access", jurisdiction="FR")
    wait_for(lambda: api.status(receipt)["status"] == "pending_verification")
    answer = _ops(
        api,
        "POST",
        f"/ops/requests/{receipt['request_id']}/extend",
        json={"reason": "Archive restore needed."},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["record"]["due_at"] > receipt["due_at"]
    assert any("more time" in m["subject"] for m in api.outbox(to=receipt["email"]))
    again = _ops(
        api, "POST", f"/ops/requests/{receipt['request_id']}/extend", json={"reason": "More."}
    )
    assert again.status_code == 409
    missing = _ops(api, "POST", f"/ops/requests/{receipt['request_id']}/extend", json={})
    assert missing.status_code == 422
    assert missing.json()["field"] == "reason"


def test_approve_and_reject_a_request_held_for_review(api: Api) -> None:
    # Two people (one person's second access request would join the first)
    held = [
        api.submit_verified(email=_someone(api).email, phone="+44 20 0000 0000", type="access")
        for _ in range(2)
    ]
    for receipt in held:
        wait_for(lambda r=receipt: api.record(r["request_id"]).get("waiting_for") == "ops_review")  # type: ignore[misc]
    approved = _ops(
        api,
        "POST",
        f"/ops/requests/{held[0]['request_id']}/approve",
        json={"reason": "ID checked by phone"},
    )
    assert approved.status_code == 200, approved.text
    rejected = _ops(
        api,
        "POST",
        f"/ops/requests/{held[1]['request_id']}/reject",
        json={"reason": "the phone is not theirs"},
    )
    assert rejected.status_code == 200
    assert api.wait_until_terminal(held[0])["status"] == "completed"
    assert api.wait_until_terminal(held[1])["status"] == "declined"
    # nothing waits for a review any more
    assert (
        _ops(
            api, "POST", f"/ops/requests/{held[0]['request_id']}/approve", json={"reason": "again"}
        ).status_code
        == 409
    )


def test_retry_finishes_a_parked_request_without_redoing_finished_stores(api: Api) -> None:
    person = _someone(api)
    stack = api.services.stack
    stack.runtime.inject_failure(
        "FulfilmentFunction",
        "StoreUnavailable",
        times=5,
        when={"step": "store", "store": "site_leads"},
    )
    receipt = api.submit_verified(email=person.email, phone=person.phone, type="withdraw_consent")
    assert api.wait_until_terminal(receipt, timeout=90)["status"] == "needs_attention"
    parked = _ops(
        api, "GET", "/ops/requests", params={"status": "needs_attention", "limit": 200}
    ).json()
    assert receipt["request_id"] in [r["request_id"] for r in parked["requests"]]
    answer = _ops(
        api,
        "POST",
        f"/ops/requests/{receipt['request_id']}/retry",
        json={"reason": "leads table is back"},
    )
    assert answer.status_code == 200, answer.text
    assert api.wait_until_terminal(receipt, timeout=90)["status"] == "completed"
    trail = _ops(api, "GET", f"/ops/requests/{receipt['request_id']}").json()["audit_trail"]
    stores = [e["detail"]["store"] for e in trail if e["action"] == "store_fulfilled"]
    assert sorted(stores) == sorted(set(stores))  # no store fulfilled twice
    assert "site_leads" in stores


def test_cancel_ends_a_withdrawn_request_and_stops_its_execution(api: Api) -> None:
    receipt = api.submit(type="erasure")
    wait_for(lambda: api.status(receipt)["status"] == "pending_verification")
    answer = _ops(
        api,
        "POST",
        f"/ops/requests/{receipt['request_id']}/cancel",
        json={"reason": "phoned to withdraw"},
    )
    assert answer.status_code == 200, answer.text
    assert api.status(receipt)["status"] == "declined"
    trail = _ops(api, "GET", f"/ops/requests/{receipt['request_id']}").json()["audit_trail"]
    withdrawn = next(e for e in trail if e["action"] == "withdrawn_by_person")
    assert withdrawn["detail"]["execution_stopped"] is True
    # AND its execution, which waited for the code, is stopped at once, as in AWS
    shown = _ops(api, "GET", f"/ops/requests/{receipt['request_id']}").json()["execution"]
    assert shown["status"] == "ABORTED"
    sfn = api.services.stack.client("stepfunctions")
    described = sfn.describe_execution(executionArn=shown["arn"])
    assert described["status"] == "ABORTED"
    last = sfn.get_execution_history(executionArn=shown["arn"])["events"][-1]
    assert last["type"] == "ExecutionAborted"
    assert last["executionAbortedEventDetails"]["cause"] == "withdrawn by the person"
    assert "Execution ABORTED" in _cli(api, "show", receipt["request_id"])
    closing = [m for m in api.outbox(to=receipt["email"]) if "closed" in m["subject"]]
    assert "you withdrew the request" in closing[0]["text"]
    assert (
        _ops(
            api, "POST", f"/ops/requests/{receipt['request_id']}/cancel", json={"reason": "again"}
        ).status_code
        == 409
    )


def test_stopping_an_execution_by_hand_aborts_it_while_it_waits_for_ops(api: Api) -> None:
    # GIVEN a complaint waiting for ops' written answer (a task token) while its clock waits
    # for the next reminder
    receipt = api.submit(type="complaint", details={"message": "You phoned me at night."})
    shown = wait_for(
        lambda: (
            view
            if (view := _ops(api, "GET", f"/ops/requests/{receipt['request_id']}").json())[
                "execution"
            ]["current_state"]
            == "AwaitOpsAnswer"
            else None
        ),
        timeout=90,
    )["execution"]
    sfn = api.services.stack.client("stepfunctions")

    # WHEN someone stops its execution (`aws stepfunctions stop-execution`)
    sfn.stop_execution(executionArn=shown["arn"], cause="stopped by hand")

    # THEN it is ABORTED at once, its history ending there, and ops see it so
    assert sfn.describe_execution(executionArn=shown["arn"])["status"] == "ABORTED"
    events = sfn.get_execution_history(executionArn=shown["arn"])["events"]
    assert events[-1]["type"] == "ExecutionAborted"
    assert (
        _ops(api, "GET", f"/ops/requests/{receipt['request_id']}").json()["execution"]["status"]
        == "ABORTED"
    )
    aborted = _ops(api, "GET", "/ops/executions", params={"status": "ABORTED"}).json()
    assert receipt["request_id"] in json.dumps(aborted)


def test_a_request_on_the_companys_own_initiative_skips_verification_and_keeps_its_reason(
    api: Api,
) -> None:
    email = unique_email("child")
    answer = _ops(
        api,
        "POST",
        "/ops/requests",
        json={
            "type": "erasure",
            "email": email,
            "reason": "data of a child under 13 found",
            "scope": "our_stores",
        },
    )
    assert answer.status_code == 202, answer.text
    receipt = {**answer.json(), "email": email}
    assert api.wait_until_terminal(receipt)["status"] == "completed"
    record = api.record(receipt["request_id"])
    assert record["channel"] == "ops"
    assert record["verified_by"] == "ops"
    assert "child under 13" in record["details"]
    assert record["scope"]["kind"] == "our_stores"
    for body, field in [
        ({"type": "erasure", "email": email, "scope": "our_stores"}, "reason"),
        ({"type": "erasure", "email": email, "reason": "x"}, "scope"),
        ({"type": "erasure", "email": email, "reason": "x", "scope": "everything"}, "scope"),
        ({"type": "erasure", "email": email, "reason": "x", "scope": "brand:initech"}, "scope"),
    ]:
        refused = _ops(api, "POST", "/ops/requests", json=body)
        assert refused.status_code == 422, body
        assert refused.json()["field"] == field


def test_executions_and_report(api: Api) -> None:
    receipt = api.submit_verified(type="objection")
    api.wait_until_terminal(receipt)

    def succeeded() -> bool | None:
        # The request completes a moment before its execution ends, and other tests' executions
        # share the stack: read the API's longest page, until this execution has ended.
        executions = _ops(
            api, "GET", "/ops/executions", params={"status": "SUCCEEDED", "limit": 1000}
        ).json()
        return receipt["request_id"] in [e["name"] for e in executions] or None

    assert wait_for(succeeded, timeout=60)
    report = _ops(api, "GET", "/ops/report", params={"since": "2026-01-01"}).json()
    assert report["total"] >= 1
    assert report["by_type"].get("objection", 0) >= 1
    assert 0 <= report["on_time_rate"] <= 1


def test_the_ops_cli_lists_shows_acts_and_reports(api: Api) -> None:
    pending = api.submit(type="restriction", jurisdiction="DE")
    wait_for(lambda: api.status(pending)["status"] == "pending_verification")
    listed = _cli(api, "list", "--status", "pending_verification", "--limit", "200")
    assert pending["request_id"] in listed
    shown = _cli(api, "show", pending["request_id"])
    assert "request_received" in shown
    assert "Execution RUNNING" in shown
    assert "SUCCEEDED" in _cli(api, "executions") or "RUNNING" in _cli(api, "executions")
    extended = _cli(api, "extend", pending["request_id"], "--reason", "Backlog after a holiday.")
    assert "pending_verification" in extended
    cancelled = _cli(api, "cancel", pending["request_id"], "--reason", "changed their mind")
    assert "declined" in cancelled
    as_json = json.loads(_cli(api, "report", "--since", "2026-01-01", "--format", "json"))
    assert as_json["total"] >= 1
    as_csv = _cli(api, "report", "--since", "2026-01-01", "--format", "csv")
    assert as_csv.splitlines()[0] == "measure,value"
    assert "on_time_rate" in _cli(api, "report", "--since", "2026-01-01")
    held_person = _someone(api)
    held = api.submit_verified(email=held_person.email, phone="+1 000 000 0000", type="access")
    wait_for(lambda: api.record(held["request_id"]).get("waiting_for") == "ops_review")
    assert "in_progress" in _cli(api, "approve", held["request_id"], "--reason", "checked")
    result = CliRunner().invoke(cli, ["ops", "--endpoint", api.url, "--token", "wrong", "list"])
    assert result.exit_code == 1
    assert "403" in result.output


def test_the_ops_cli_says_in_one_line_when_there_is_no_stack_or_no_token(api: Api) -> None:
    runner = CliRunner(env={"COLUMNS": "250", "RIGHTSFLOW_OPS_TOKEN": "", "RIGHTSFLOW_API": ""})
    # GIVEN no stack at the address
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{probe.getsockname()[1]}"
    result = runner.invoke(cli, ["ops", "--endpoint", nowhere, "list"])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0, result.output
    assert "No Rightsflow API answers at" in result.output
    assert "rightsflow local" in result.output
    assert "Traceback" not in result.output
    # GIVEN a stack but no token
    result = runner.invoke(cli, ["ops", "--endpoint", api.url, "list"])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0, result.output
    assert "RIGHTSFLOW_OPS_TOKEN" in result.output


def test_the_ops_cli_lists_whole_cells_at_80_columns_and_as_json(api: Api) -> None:
    # GIVEN open requests, and a terminal 80 columns wide whose output is piped
    receipt = api.submit(type="automated_decision")
    wait_for(lambda: api.status(receipt)["status"] == "pending_verification")
    narrow = CliRunner(env={"COLUMNS": "80"})
    base = ["ops", "--endpoint", api.url, "--token", api.services.ops_token]
    # WHEN ops list the requests
    listed = narrow.invoke(cli, [*base, "list", "--type", "automated_decision"])
    # THEN no cell is cut short
    assert listed.exit_code == 0, listed.output
    assert receipt["request_id"] in listed.output
    assert "pending_verification" in listed.output
    assert "…" not in listed.output
    # WHEN they ask for JSON
    as_json = narrow.invoke(cli, [*base, "list", "--type", "automated_decision", "--json"])
    assert as_json.exit_code == 0, as_json.output
    page = next(
        parsed
        for line in as_json.output.splitlines()
        if isinstance(parsed := _json_or_none(line), dict) and "requests" in parsed
    )
    # THEN it is the API's answer, for scripts
    mine = next(r for r in page["requests"] if r["request_id"] == receipt["request_id"])
    assert mine["status"] == "pending_verification"
    triage = narrow.invoke(cli, [*base, "triage", "list", "--json"])
    assert triage.exit_code == 0, triage.output
    assert any(isinstance(_json_or_none(line), list) for line in triage.output.splitlines())


def _json_or_none(line: str) -> Any:
    """A line of output as JSON (the CLI's), or None (another line, such as the stack's logs
    printed by the functions running in this process meanwhile)."""
    try:
        return json.loads(line)
    except ValueError:
        return None
