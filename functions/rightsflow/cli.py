"""The `rightsflow` command: run the product locally (and, later, operate it)."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import threading
import traceback
import warnings
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from rightsflow.domain.errors import StoreSchemaRefused

if TYPE_CHECKING:
    from rightsflow.local.services import LocalServices

app = typer.Typer(help="Rightsflow: privacy rights requests, from intake to closing notice.")
console = Console(soft_wrap=True)


@app.callback()
def _main() -> None:
    """Rightsflow command line."""


def _add_ops() -> None:
    from rightsflow.ops_cli import ops

    app.add_typer(ops, name="ops")


_add_ops()

mail = typer.Typer(help="E-mail intake, checked by hand.")
app.add_typer(mail, name="mail")


_VERDICTS = ("spam", "virus", "spf", "dkim", "dmarc")


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} bytes"


def _receipt(verdicts: list[str]) -> dict[str, object]:
    """SES's receipt verdicts as `--verdict spam=FAIL` gives them."""
    receipt: dict[str, object] = {}
    for given in verdicts:
        name, _, status = given.partition("=")
        if name.lower() not in _VERDICTS or not status:
            raise typer.BadParameter(
                f"{given!r}: give NAME=STATUS, NAME one of {', '.join(_VERDICTS)} "
                "(STATUS: PASS, FAIL, GRAY…)",
                param_hint="--verdict",
            )
        receipt[f"{name.lower()}Verdict"] = {"status": status.upper()}
    return receipt


@mail.command("classify")
def mail_classify(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True)],
    json_lines: Annotated[
        bool, typer.Option("--json", help="One JSON object per line, for scripts.")
    ] = False,
    max_bytes: Annotated[
        int, typer.Option(help="Intake's size limit (the template's MaxMailBytes: 10 MB).")
    ] = 10 * 1024 * 1024,
    verdict: Annotated[
        list[str] | None,
        typer.Option(
            help="A verdict SES would give on receipt, e.g. spam=FAIL (repeat): a file carries "
            "none, so without this every verdict is PASS."
        ),
    ] = None,
    our_address: Annotated[
        list[str] | None,
        typer.Option(help="An address of ours, never answered (default: the template's)."),
    ] = None,
) -> None:
    """Say what e-mail intake would do with each message: nothing is created, no mail sent.

    SES's spam, virus, SPF and DKIM verdicts come with SES's receipt, not with the message: from
    a file they are PASS unless given with --verdict. The size limit is --max-bytes."""
    import json

    from rightsflow.domain.inbound_mail import refusal
    from rightsflow.domain.mail_classification import classify

    receipt = _receipt(verdict or [])
    refused = refusal(receipt)
    verdicts_note = (
        "SES verdicts given: " + ", ".join(v.lower() for v in verdict or [])
        if receipt
        else "SES verdicts (spam, virus, SPF, DKIM) come with SES's receipt, not in a file: "
        "treated as PASS (--verdict spam=FAIL to try one)"
    )
    ours = frozenset(a.lower() for a in (our_address or ["privacy@rightsflow.example"]))
    for file in files:
        raw = file.read_bytes()
        decision = classify(raw, max_bytes=max_bytes, our_addresses=ours, refused_by_ses=refused)
        size_note = (
            f"{_size(len(raw))}, "
            + ("over" if len(raw) > max_bytes else "within")
            + f" the size limit of {_size(max_bytes)} (--max-bytes)"
        )
        reasons = [*decision.reasons, verdicts_note, size_note]
        if json_lines:
            typer.echo(
                json.dumps(
                    {
                        "file": str(file),
                        "outcome": decision.outcome.value,
                        "rights": list(decision.rights),
                        "language": decision.language,
                        "jurisdiction": decision.jurisdiction,
                        "sender": decision.sender,
                        "reasons": reasons,
                    },
                    ensure_ascii=False,
                )
            )
            continue
        rights = ", ".join(decision.rights) or "-"
        console.print(
            f"[bold]{file}[/]: {decision.outcome.value}  rights: {rights}  "
            f"language: {decision.language}  jurisdiction: {decision.jurisdiction}  "
            f"sender: {decision.sender or '-'}"
        )
        for reason in reasons:
            console.print(f"  · {reason}", markup=False, highlight=False)


@app.command()
def local(
    port: Annotated[int, typer.Option(help="Port of the HTTP API on 127.0.0.1.")] = 3000,
    aws_port: Annotated[
        int, typer.Option(help="Port of the local AWS endpoint (boto3 / AWS CLI).")
    ] = 4566,
    template: Annotated[
        Path | None, typer.Option(help="template.yaml to deploy (default: this checkout's).")
    ] = None,
    day_seconds: Annotated[
        float | None,
        typer.Option(
            min=0.001,
            help="Make one legal day last this many seconds in the workflow's waits, to watch "
            "reminders and deadlines; dates in records and e-mails stay the legal ones, and a "
            "verification code still lives at least 10 minutes.",
        ),
    ] = None,
    smtp_port: Annotated[
        int, typer.Option(help="Port of the SMTP listener on 127.0.0.1 that plays SES (0: none).")
    ] = 2525,
    no_seed: Annotated[
        bool, typer.Option("--no-seed", help="Start with empty data stores (no demo people).")
    ] = False,
    database_url: Annotated[
        str | None,
        typer.Option(
            help="Database of the SQL stores (a SQLAlchemy URL such as "
            "postgresql+pg8000://user:password@127.0.0.1:5432/platform); default: SQLite in a "
            "temporary folder. Missing demo tables are created there.",
        ),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", help="Show the functions' JSON log and metric lines here too."),
    ] = False,
    log_file: Annotated[
        Path | None,
        typer.Option(help="Where the log and metric lines go (default: a file in the temp dir)."),
    ] = None,
) -> None:
    """Deploy template.yaml into an in-process moto and serve its HTTP API on 127.0.0.1.

    Everything lives in memory: stopping it forgets every request, e-mail and record."""
    terminal = sys.stdout
    console.file = terminal
    log_path = log_file or Path(tempfile.gettempdir()) / f"rightsflow-local-{port}.log"
    if not verbose:
        # The functions log JSON lines and EMF metrics on stdout, as Lambda wants: here they go
        # to a file, and the console shows what a person reads.
        log = log_path.open("a", encoding="utf-8", buffering=1)
        sys.stdout = sys.stderr = log
    run = _LocalRun()
    signal.signal(signal.SIGINT, run.request_stop)
    signal.signal(signal.SIGTERM, run.request_stop)
    database = _sqlalchemy_url(database_url)
    scratch = None
    if database is None:
        # The SQL stores' default database, in a folder removed here however the run ends.
        scratch = Path(tempfile.mkdtemp(prefix="rightsflow-sql-"))
        database = f"sqlite:///{scratch / 'platform.db'}"
    local_options = _LocalOptions(
        port,
        aws_port,
        template,
        day_seconds,
        smtp_port,
        no_seed,
        log_path,
        verbose,
        database,
        own_db=database_url is not None,
    )
    threading.Thread(
        target=run.run, args=(lambda: _run_local(local_options, run),), name="local", daemon=True
    ).start()
    code = 0
    if not run.wait() and not run.ended.is_set():
        console.print("Stopped before it was ready.")
    elif not run.ended.wait(STOPPING_SECONDS):
        console.print(f"Stopped (the local stack was still stopping after {STOPPING_SECONDS} s).")
    else:
        code = _exit_code(run.error, log_path)
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)
    terminal.flush()
    # Executions still waiting (for codes, for the legal clock) run on moto's threads, and a
    # start-up stopped half-way is left where it is: nothing is kept across restarts, so the
    # process ends now rather than wait for them.
    os._exit(code)


STOPPING_SECONDS = 30


class _LocalRun:
    """`rightsflow local`'s stack starts and serves on a thread of its own, while the main thread
    only waits: for Ctrl-C or SIGTERM, or for that thread to end.

    Python runs a signal handler in the main thread, between any two of its bytecodes. When the
    main thread deployed the stack itself, a handler raising KeyboardInterrupt there landed
    wherever the start-up was: in a garbage-collector callback (SQLAlchemy's) it was "ignored"
    and the whole start-up went on; in the moto lock's `released()` before it took the lock
    back, the lock was then released twice and the start-up failed on "release unlocked lock"
    (exit status 1). Here the handler only records that a stop was asked for (taking no lock,
    as it may interrupt the main thread holding one), and nothing is interrupted half-way: a
    stop before the stack is up ends the process at once, after it the stack's thread stops
    what it started."""

    def __init__(self) -> None:
        self.stop_requested = False  # set by the signal handler only
        self.stopping = threading.Event()  # set by the main thread: the stack's thread stops
        self.ended = threading.Event()  # the stack's thread has ended
        self.error: BaseException | None = None  # what ended it, if not a stop
        self._up = False
        self._lock = threading.Lock()

    def request_stop(self, *_: object) -> None:
        """The handler of SIGINT and SIGTERM, in the foreground or started in the background
        (where the shell leaves SIGINT ignored)."""
        self.stop_requested = True

    def run(self, start: Callable[[], None]) -> None:
        """The stack's thread."""
        try:
            start()
        except BaseException as error:  # reported by the main thread
            self.error = error
        finally:
            self.ended.set()

    def up(self) -> bool:
        """The stack's thread, once everything answers: False if a stop came first (the main
        thread has said so and ends the process), else the stack is up."""
        with self._lock:
            self._up = not self.stopping.is_set()
            return self._up

    def wait(self) -> bool:
        """The main thread: wait for a stop or for the stack's thread to end, then tell that
        thread to stop. True if the stack was up by then."""
        while not self.stop_requested and not self.ended.wait(0.2):
            pass
        self.stopping.set()
        with self._lock:
            return self._up


@dataclass
class _LocalOptions:
    port: int
    aws_port: int
    template: Path | None
    day_seconds: float | None
    smtp_port: int
    no_seed: bool
    log_path: Path
    verbose: bool
    database_url: str  # as SQLAlchemy reads it
    own_db: bool  # given with --database-url (it keeps what was written to it)


def _exit_code(error: BaseException | None, log_path: Path) -> int:
    """Say why the stack's thread ended, if it failed; the exit status."""
    if error is None:
        return 0
    from rightsflow.local.ports import PortInUse

    if isinstance(error, PortInUse):
        console.print(f"[red]{error}[/]")
        return 2
    if isinstance(error, StoreSchemaRefused):
        console.print(f"[bold red]The SQL stores' database cannot serve the data map:[/] {error}")
        return 1
    from rich.markup import escape

    from rightsflow.local.onboarding import OnboardingFailed

    if isinstance(error, OnboardingFailed):
        console.print(f"[bold red]A store's index cannot be built:[/] {escape(str(error))}")
        return 1
    traceback.print_exception(error)
    console.print(f"[red]rightsflow local failed: {error}[/] (details: {log_path})")
    return 1


def _run_local(local: _LocalOptions, run: _LocalRun) -> None:
    # Before anything else (the local stack takes seconds to import): a port in use is one
    # line naming its option.
    from rightsflow.local.ports import check_ports_free

    ports: dict[str, int | None] = {
        "--port": local.port,
        "--aws-port": local.aws_port,
        "--smtp-port": local.smtp_port,
    }
    check_ports_free(ports)
    # Lambda functions that emit no metric on a call say so; locally that is noise.
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    from rightsflow.local import services
    from rightsflow.local.stack import StackOptions

    options = StackOptions(
        parameters={
            "GdprPageUrl": f"http://127.0.0.1:{local.port}/",
            "GdprPageOrigin": f"http://127.0.0.1:{local.port}",
        }
    )
    if local.template is not None:
        options.template_path = local.template
    if local.day_seconds is not None:
        options.function_environment["DAY_SECONDS"] = str(local.day_seconds)
    with ExitStack() as cleanup:
        console.print("Deploying template.yaml into the local stack...")
        with console.status("Deploying..."):
            running = cleanup.enter_context(
                services.running(
                    options,
                    port=local.port,
                    aws_port=local.aws_port,
                    smtp_port=local.smtp_port or None,
                    seed_demo_data=not local.no_seed,
                    database_url=local.database_url,
                )
            )
        if not run.up():
            return
        # A stop from here on waits for the banner, then stops what started, in reverse.
        cleanup.callback(console.print, "Stopped.")
        _print_endpoints(
            running,
            options.template_path,
            None if local.verbose else local.log_path,
            own_db=local.own_db,
        )
        run.stopping.wait()
        console.print("Stopping...")


def _sqlalchemy_url(url: str | None) -> str | None:
    """postgresql://… and mysql://… use the drivers the SQL stores function ships with."""
    if url is None:
        return None
    for plain, driver in (
        ("postgresql://", "postgresql+pg8000://"),
        ("mysql://", "mysql+pymysql://"),
    ):
        if url.startswith(plain):
            return driver + url.removeprefix(plain)
    return url


def _without_password(url: str) -> str:
    from sqlalchemy import make_url

    return make_url(url).render_as_string(hide_password=True) if url else "(none)"


def _print_endpoints(
    running: LocalServices, template: Path, log_path: Path | None, *, own_db: bool = False
) -> None:
    stack = running.stack
    api = running.api_url
    console.print(f"[bold green]Rightsflow is running locally[/] (template {template})")
    console.print(f"  GDPR page       {api}/")
    console.print(f"  HTTP API        {api}  (OpenAPI: {api}/openapi.json)")
    console.print(f"  Outbox          {api}/_local/outbox.html  (JSON: {api}/_local/outbox)")
    console.print(f"  Ops feed        {api}/_local/ops-notifications")
    console.print(f"  Brand webhooks  {api}/_local/webhooks  (receivers: {running.peers.url})")
    console.print(
        f"  AWS endpoint    {running.aws_endpoint}  (region {stack.options.region}, any credentials)"
    )
    console.print(f"  State machine   {stack.state_machine_arn}")
    console.print(f"  SQL stores      {_without_password(stack.options.database_url or '')}")
    console.print(
        f"  Ops token       {running.ops_token}  (rightsflow ops --token …, or RIGHTSFLOW_OPS_TOKEN)"
    )
    if running.smtp_port:
        inbox = stack.parameters.get("PrivacyInboxAddress", "")
        console.print(f"  SMTP (as SES)   127.0.0.1:{running.smtp_port}  (write to {inbox})")
    for brand, key in sorted(running.brand_keys.items()):
        console.print(f"  Brand API key   {brand}: {key}")
    if log_path is not None:
        console.print(f"  Logs, metrics   {log_path}  (--verbose shows them here)")
    kept = " (the database given to --database-url keeps what was written to it)" if own_db else ""
    console.print(
        f"\nEverything is in memory: stopping forgets every request and e-mail{kept}.\n"
        f'Try: curl -X POST {api}/requests -d \'{{"type":"access","email":"a@example.com"}}\''
    )
    console.print("Press Ctrl-C to stop.")


@app.command()
def deadline(
    jurisdiction: Annotated[str, typer.Option(help="Where the person lives: DE, GB, US-CA, BR…")],
    request_type: Annotated[
        str, typer.Option("--type", help="access, erasure, opt_out_sale_sharing, appeal…")
    ],
    received: Annotated[
        str | None,
        typer.Option(help="When the request arrived, ISO 8601 with a UTC offset (default: now)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the calculator's JSON.")] = False,
) -> None:
    """The legal clock of a request: when it must be acknowledged and answered, the date ops
    work to, how far it may be extended, and the law for each of them."""
    from rightsflow.domain.deadlines import calculate
    from rightsflow.domain.errors import InvalidRequest

    try:
        report = calculate(jurisdiction, request_type, received)
    except InvalidRequest as error:
        console.print(f"[red]--{error.field.replace('_at', '')}[/red]: {error.problem}")
        raise typer.Exit(code=2) from error
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
        return
    zone = report.time_zone
    console.print(f"[bold]{report.law}[/bold] ({report.regime}), counted in {zone}")
    if report.fallback:
        console.print("[yellow]Unknown place: the strictest clock of the table applies.[/yellow]")
    lines = [
        ("Received", report.received_at),
        ("Acknowledge by", report.acknowledge_by_local_date or "not required"),
        ("Work to (target)", report.target_local_date),
        ("Due (the law)", f"{report.due_local_date}, end of day ({report.due})"),
        ("Extension notice by", report.extension_notice_by_local_date or "no extension allowed"),
        ("Latest if extended", report.latest_extended_local_date or "no extension allowed"),
        ("Verification", report.verification),
    ]
    for label, value in lines:
        console.print(f"  {label:<20} {value}")
    console.print("Why:")
    for citation in report.citations:
        console.print(f"  - {citation}")


@app.command()
def regimes(
    write: Annotated[
        Path | None, typer.Option(help="Regenerate the table between the markers of this file.")
    ] = None,
    page: Annotated[
        Path | None,
        typer.Option(
            help="Regenerate the list of places between the markers of this GDPR page "
            "(functions/rightsflow/page/index.html)."
        ),
    ] = None,
) -> None:
    """The table of regimes the legal clock applies, as Markdown (the README's section)."""
    from rightsflow.domain import place_choices
    from rightsflow.domain.regime_table import replace_in, table_markdown

    if write is None and page is None:
        typer.echo(table_markdown())
        return
    if write is not None:
        write.write_text(replace_in(write.read_text(encoding="utf-8")), encoding="utf-8")
        console.print(f"Regenerated the table of regimes in {write}")
    if page is not None:
        text = page.read_text(encoding="utf-8")
        page.write_text(place_choices.replace_in(text), encoding="utf-8")
        console.print(f"Regenerated the list of places in {page}")


@app.command()
def demo(
    log_file: Annotated[
        Path | None,
        typer.Option(
            help="Where the functions' log and metric lines go (default: a file in the temp dir)."
        ),
    ] = None,
) -> None:
    """A guided tour on a fresh in-process stack; exits 0 only if every step behaved as the
    law requires."""
    from rightsflow.demo import run

    # As `rightsflow local` does: the functions write their JSON log lines and EMF metrics on
    # stdout, as Lambda wants (CloudWatch reads them there); here they go to a file, and the
    # console shows the tour.
    terminal = sys.stdout
    console.file = terminal
    log_path = log_file or Path(tempfile.gettempdir()) / "rightsflow-demo.log"
    with log_path.open("w", encoding="utf-8", buffering=1) as log:
        sys.stdout = sys.stderr = log
        try:
            passed = run(console)
        finally:
            sys.stdout, sys.stderr = terminal, sys.__stderr__
    console.print(f"The functions' log and metric lines: {log_path}")
    if not passed:
        raise typer.Exit(code=1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
