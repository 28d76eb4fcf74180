"""`rightsflow ops`: the ops team's command line over the ops API, against a deployed stack
(SigV4 with your AWS credentials) or the local one (its bearer token)."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import date
from typing import Annotated, Any, NoReturn

import boto3
import requests
import typer
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from rich.console import Console
from rich.table import Table

ops = typer.Typer(help="Operate Rightsflow: list, inspect and act on rights requests.")
console = Console(soft_wrap=True)


class OpsClient:
    def __init__(self, endpoint: str, token: str | None, sigv4_region: str | None) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.token = token
        self.sigv4_region = sigv4_region

    def call(
        self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None
    ) -> Any:
        url = f"{self.endpoint}{path}"
        query = {k: v for k, v in (params or {}).items() if v is not None}
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"}
        if self.sigv4_region:
            headers.update(self._signed(method, url, query, data))
        elif self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            answer = requests.request(
                method, url, params=query, data=data, headers=headers, timeout=60
            )
        except requests.ConnectionError:
            _fail(
                f"No Rightsflow API answers at {self.endpoint}: start one with `rightsflow "
                "local`, or name a deployed one with --endpoint (or RIGHTSFLOW_API)."
            )
        except requests.Timeout:
            _fail(f"The Rightsflow API at {self.endpoint} did not answer within 60 seconds.")
        if answer.status_code >= 400:
            _fail(self._problem(answer))
        return answer.json()

    def _problem(self, answer: requests.Response) -> str:
        """One line saying what went wrong and, where it can, what to do."""
        try:
            body = answer.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        if answer.status_code == 403 and "error" not in body:
            if self.sigv4_region:
                return (
                    "403: the ops API refused your AWS credentials (they need "
                    "execute-api:Invoke on the ops routes)."
                )
            if not self.token:
                return (
                    "403: the ops API needs the ops token: pass --token or set "
                    "RIGHTSFLOW_OPS_TOKEN (`rightsflow local` prints it), or --aws-region to "
                    "sign with AWS credentials."
                )
            return "403: the ops API refused this ops token (it changes at every start)."
        message = body.get("message") or answer.text.strip() or answer.reason
        error = body.get("error")
        return (
            f"{answer.status_code} {error}: {message}"
            if error
            else f"{answer.status_code}: {message}"
        )

    def _signed(
        self, method: str, url: str, query: dict[str, Any], data: bytes | None
    ) -> dict[str, str]:
        prepared = requests.Request(method, url, params=query).prepare()
        request = AWSRequest(method=method, url=str(prepared.url), data=data)
        credentials = boto3.Session().get_credentials()
        if credentials is None:
            console.print("[red]No AWS credentials found to sign the call with.[/red]")
            raise typer.Exit(code=1)
        SigV4Auth(credentials, "execute-api", str(self.sigv4_region)).add_auth(request)
        return dict(request.headers.items())


# Wide enough that, piped or redirected, every row of a table is one line with every cell whole.
_UNBOUNDED_WIDTH = 10_000
JsonOption = Annotated[
    bool, typer.Option("--json", help="The API's answer as JSON, for scripts (nothing cut).")
]


def _print_table(table: Table) -> None:
    """A table with every cell whole: on a narrow terminal cells fold onto more lines instead
    of being cut short ("app…"); piped or redirected, each row is one line however long."""
    for column in table.columns:
        column.overflow = "fold"
    if console.is_terminal:
        console.print(table)
    else:
        Console(width=_UNBOUNDED_WIDTH, soft_wrap=True).print(table)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False))


def _fail(message: str) -> NoReturn:
    console.print(f"[red]{message}[/red]")
    raise typer.Exit(code=1)


def _client(ctx: typer.Context) -> OpsClient:
    client: OpsClient = ctx.obj
    return client


@ops.callback()
def _connect(
    ctx: typer.Context,
    endpoint: Annotated[
        str, typer.Option(envvar="RIGHTSFLOW_API", help="The HTTP API's URL.")
    ] = "http://127.0.0.1:3000",
    token: Annotated[
        str | None,
        typer.Option(envvar="RIGHTSFLOW_OPS_TOKEN", help="The local stack's ops token."),
    ] = None,
    aws_region: Annotated[
        str | None,
        typer.Option(help="Sign calls with your AWS credentials (SigV4) for this region."),
    ] = None,
) -> None:
    ctx.obj = OpsClient(endpoint, token, aws_region)


@ops.command("list")
def list_requests(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option(help="One status (default: every open request).")
    ] = None,
    type_: Annotated[str | None, typer.Option("--type")] = None,
    brand: str | None = None,
    channel: str | None = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only requests past their due date.")
    ] = False,
    due_before: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    limit: int = 50,
    as_json: JsonOption = False,
) -> None:
    """Requests, soonest due first; overdue ones marked."""
    page = _client(ctx).call(
        "GET",
        "/ops/requests",
        params={
            "status": status,
            "type": type_,
            "brand": brand,
            "channel": channel,
            "overdue": "true" if overdue else None,
            "due_before": due_before,
            "limit": limit,
        },
    )
    if as_json:
        _print_json(page)
        return
    table = Table("request", "type", "status", "channel", "brand", "due", "")
    for item in page["requests"]:
        flag = "[bold red]OVERDUE[/]" if item["overdue"] else (item["waiting_for"] or "")
        table.add_row(
            item["request_id"],
            item["type"],
            item["status"],
            item["channel"],
            item["brand"] or "",
            item["due_at"][:16].replace("T", " "),
            flag,
        )
    _print_table(table)
    if page.get("next_cursor"):
        console.print("(more: narrow the filters or raise --limit)")


@ops.command()
def show(ctx: typer.Context, request_id: str) -> None:
    """A request in full: record, audit trail, and its execution."""
    detail = _client(ctx).call("GET", f"/ops/requests/{request_id}")
    record = detail["record"]
    console.print(f"[bold]{record['request_id']}[/]  {record['type']}  [bold]{record['status']}[/]")
    for name in (
        "channel",
        "group_id",
        "language",
        "jurisdiction",
        "regime",
        "received_at",
        "due_at",
        "acknowledged_at",
        "verified_by",
        "waiting_for",
        "attention_reason",
        "decline_reason",
        "closed_at",
    ):
        if record.get(name) is not None:
            console.print(f"  {name:<17} {record[name]}")
    trail = Table("at", "action", "by", "status")
    for event in detail["audit_trail"]:
        change = (
            f"{event['from_status'] or ''} → {event['to_status']}" if event["to_status"] else ""
        )
        trail.add_row(event["at"], event["action"], event["component"], change)
    _print_table(trail)
    execution = detail["execution"]
    console.print(f"Execution {execution['status']}  {execution['arn']}")
    if execution["current_state"]:
        console.print(f"  now in: {execution['current_state']}")
    for event in execution["recent_history"][:10]:
        console.print(f"  {event['at']}  {event['type']}  {event['state'] or ''}")


@ops.command()
def executions(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="RUNNING, FAILED…")] = None,
    limit: int = 50,
    as_json: JsonOption = False,
) -> None:
    """The state machine's executions, with status and duration."""
    found = _client(ctx).call("GET", "/ops/executions", params={"status": status, "limit": limit})
    if as_json:
        _print_json(found)
        return
    table = Table("execution (request)", "status", "started", "duration")
    for item in found:
        duration = (
            f"{item['duration_seconds']:.1f} s"
            if item["duration_seconds"] is not None
            else "running"
        )
        table.add_row(item["name"], item["status"], item["started_at"], duration)
    _print_table(table)


def _act(ctx: typer.Context, request_id: str, action: str, body: dict[str, Any]) -> None:
    detail = _client(ctx).call("POST", f"/ops/requests/{request_id}/{action}", body)
    record = detail["record"]
    console.print(f"{record['request_id']}: {record['status']}, due {record['due_at']}")


@ops.command()
def extend(
    ctx: typer.Context,
    request_id: str,
    reason: Annotated[str, typer.Option(help="Told to the person.")],
    until: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD (default: the legal maximum)")
    ] = None,
) -> None:
    """Extend the deadline within the law; the person is told why and until when."""
    _act(ctx, request_id, "extend", {"reason": reason, "until": until})


@ops.command()
def answer(
    ctx: typer.Context,
    request_id: str,
    answer: Annotated[str, typer.Option(help="The written answer the person receives.")],
    decision: Annotated[
        str | None, typer.Option(help="For an appeal: granted or denied (with the reasons).")
    ] = None,
) -> None:
    """Answer a complaint in writing, or decide an appeal; the request then closes."""
    _act(ctx, request_id, "answer", {"answer": answer, "decision": decision})


@ops.command()
def approve(ctx: typer.Context, request_id: str, reason: Annotated[str, typer.Option()]) -> None:
    """Approve a request held for review."""
    _act(ctx, request_id, "approve", {"reason": reason})


@ops.command()
def reject(ctx: typer.Context, request_id: str, reason: Annotated[str, typer.Option()]) -> None:
    """Reject a request held for review (it is declined; the person is told why)."""
    _act(ctx, request_id, "reject", {"reason": reason})


@ops.command()
def retry(ctx: typer.Context, request_id: str, reason: Annotated[str, typer.Option()]) -> None:
    """Re-drive a request parked in needs_attention from where it stopped."""
    _act(ctx, request_id, "retry", {"reason": reason})


@ops.command()
def cancel(ctx: typer.Context, request_id: str, reason: Annotated[str, typer.Option()]) -> None:
    """The person withdrew the request: end it and tell them."""
    _act(ctx, request_id, "cancel", {"reason": reason})


@ops.command()
def index(
    ctx: typer.Context,
    store: Annotated[str, typer.Argument(help="A store of the data map (S3, or kept as written).")],
    status_only: Annotated[
        bool, typer.Option("--status", help="Show the index and its latest backfill; start none.")
    ] = False,
    wait: Annotated[
        bool, typer.Option("--wait/--no-wait", help="Follow the backfill to its end.")
    ] = True,
    every: Annotated[float, typer.Option(help="Seconds between progress checks.")] = 2.0,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild",
            help="Index everything again, the index incomplete meanwhile (after a canonical "
            "form changed).",
        ),
    ] = False,
) -> None:
    """Backfill a store's index (once after deploying, or after adding a store), showing its
    progress and final counts. Exit codes: 0 the store's index is complete (with --status: now;
    else once the backfill ended; with --no-wait: the backfill started), 1 it is not complete
    (or the request failed), 2 a usage error."""
    client = _client(ctx)
    if not status_only:
        params = {"rebuild": "true"} if rebuild else None
        run = client.call("POST", f"/ops/stores/{store}/index", params=params)
        console.print(f"{store}: backfill started ({run['execution_arn']})")
    shown = ""
    while True:
        status = client.call("GET", f"/ops/stores/{store}/index")
        run = status.get("backfill")
        line = _progress(run)
        if line != shown:
            console.print(f"  {line}")
            shown = line
        if status_only or not wait or run is None or run["status"] != "RUNNING":
            break
        time.sleep(every)
    _index_summary(status)
    if not (status["complete"] or not wait):
        raise typer.Exit(code=1)


def _progress(run: dict[str, Any] | None) -> str:
    if run is None:
        return "no backfill has run"
    progress = run.get("progress")
    if run["status"] == "RUNNING" and progress and not progress["total"]:
        return "running: listing the store's objects"
    if run["status"] == "RUNNING" and progress:
        return (
            f"running: {progress['succeeded'] + progress['failed']:,} of "
            f"{progress['total']:,} objects done, {progress['failed']:,} failed"
        )
    if run["status"] == "RUNNING":
        return "running"
    if run["status"] != "SUCCEEDED":
        return f"{run['status']}: {run.get('error') or ''} {run.get('cause') or ''}".strip()
    return f"finished {run['stopped_at'] or ''}".strip()


def _index_summary(status: dict[str, Any]) -> None:
    """What is true now: complete since T, or not complete (why) since T; then the counts of
    the latest backfill (its result, or its progress while it runs or where it failed), never
    those of an earlier one as if they were its."""
    if status["complete"]:
        since = f" since {status['complete_since']}" if status.get("complete_since") else ""
        console.print(
            f"[bold]{status['store']}[/] ({status['kind']}): index [green]complete[/]{since}"
        )
    else:
        why = f" ({status['reason']})" if status.get("reason") else ""
        since = f" since {status['incomplete_since']}" if status.get("incomplete_since") else ""
        console.print(
            f"[bold]{status['store']}[/] ({status['kind']}): index [red]not complete[/]{since}",
            end="",
        )
        console.print(why, markup=False)
    run = status.get("backfill") or {}
    counts = run.get("result") or (run.get("progress") if run else status.get("counts")) or {}
    numbers = {k: v for k, v in counts.items() if isinstance(v, int) and not isinstance(v, bool)}
    if numbers:
        table = Table("counted", "number")
        for name, value in numbers.items():
            table.add_row(name, f"{value:,}")
        console.print(table)
    for item in status.get("unindexed", []):
        console.print(f"  not indexed: {item['object']}: {item['reason']}", markup=False)
    for where in (run.get("result") or {}).get("earlier_versions_unreadable", []):
        console.print(f"  earlier version not read: {where}", markup=False)


triage = typer.Typer(help="Letters e-mail intake kept for a person to read.")
ops.add_typer(triage, name="triage")


@triage.command("list")
def triage_list(ctx: typer.Context, limit: int = 50, as_json: JsonOption = False) -> None:
    """Open letters, oldest first."""
    letters = _root(ctx).call("GET", "/ops/triage", params={"limit": limit})
    if as_json:
        _print_json(letters)
        return
    table = Table("letter", "received", "language", "place", "suggested", "why")
    for item in letters:
        table.add_row(
            item["triage_id"],
            item["at"][:16].replace("T", " "),
            item["language"] or "",
            item.get("jurisdiction") or "",
            ", ".join(item["suggested_rights"]),
            "address refused" if item["sender_problem"] else "",
        )
    _print_table(table)


@triage.command("show")
def triage_show(ctx: typer.Context, triage_id: str) -> None:
    """A letter in full: sender, text, what intake saw in it."""
    item = _root(ctx).call("GET", f"/ops/triage/{triage_id}")
    console.print(f"[bold]{item['triage_id']}[/]  {item['state']}  received {item['at']}")
    console.print(f"  from      {item['sender']}  {item['sender_problem'] or ''}")
    console.print(f"  subject   {item['subject']}")
    console.print(f"  language  {item['language']}")
    console.print(f"  place     {item.get('jurisdiction') or '(none stated)'}")
    console.print(f"  suggested {', '.join(item['suggested_rights']) or '(none)'}")
    for reason in item["reasons"]:
        console.print(f"  · {reason}")
    console.print()
    console.print(item["text"], markup=False, highlight=False)


@triage.command("requests")
def triage_requests(
    ctx: typer.Context,
    triage_id: str,
    right: Annotated[list[str], typer.Option(help="A right the letter asks for (repeat).")],
    reason: Annotated[str, typer.Option()],
    email: Annotated[str | None, typer.Option(help="Another address for the person.")] = None,
    jurisdiction: Annotated[
        str | None,
        typer.Option(help="The person's place (DE, US-CA…); by default the one the letter states."),
    ] = None,
) -> None:
    """Make the requests the letter asks for; the person is acknowledged as by e-mail intake."""
    item = _root(ctx).call(
        "POST",
        f"/ops/triage/{triage_id}/requests",
        {"rights": right, "reason": reason, "email": email, "jurisdiction": jurisdiction},
    )
    console.print(f"{item['triage_id']}: requests {', '.join(item['request_ids'])}")


@triage.command("dismiss")
def triage_dismiss(
    ctx: typer.Context,
    triage_id: str,
    reason: Annotated[str, typer.Option()],
    tell_sender: Annotated[
        bool, typer.Option("--tell-sender", help="Answer with the rights and the page.")
    ] = False,
) -> None:
    """Close a letter that asks for no request."""
    item = _root(ctx).call(
        "POST", f"/ops/triage/{triage_id}/dismiss", {"reason": reason, "tell_sender": tell_sender}
    )
    console.print(f"{item['triage_id']}: {item['resolution']}")


def _root(ctx: typer.Context) -> OpsClient:
    """The ops client, from the `ops` callback however deep the command is."""
    current: Any = ctx
    while current.obj is None and current.parent is not None:
        current = current.parent
    client: OpsClient = current.obj
    return client


@ops.command()
def report(
    ctx: typer.Context,
    since: Annotated[str, typer.Option(help="YYYY-MM-DD")] = str(date.today().replace(day=1)),
    format_: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """Counts by status and type, on-time rate and median time to close."""
    data = _client(ctx).call("GET", "/ops/report", params={"since": since})
    if format_ == "json":
        console.print_json(json.dumps(data))
        return
    rows = [("total", data["total"])]
    rows += [(f"status:{k}", v) for k, v in sorted(data["by_status"].items())]
    rows += [(f"type:{k}", v) for k, v in sorted(data["by_type"].items())]
    rows += [
        ("closed", data["closed"]),
        ("closed_on_time", data["closed_on_time"]),
        ("on_time_rate", data["on_time_rate"]),
        ("median_days_to_close", data["median_days_to_close"]),
    ]
    if format_ == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["measure", "value"])
        writer.writerows(rows)
        typer.echo(buffer.getvalue().rstrip("\n"))
        return
    if format_ != "table":
        raise typer.BadParameter("table, csv or json", param_hint="--format")
    table = Table("measure", "value", title=f"Requests received since {data['since']}")
    for name, value in rows:
        table.add_row(name, "" if value is None else str(value))
    _print_table(table)
