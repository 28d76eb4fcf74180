"""The `rightsflow` command: run the product locally (and, later, operate it)."""

from __future__ import annotations

import signal
import threading
import warnings
from contextlib import ExitStack
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


@mail.command("classify")
def mail_classify(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True)],
    json_lines: Annotated[
        bool, typer.Option("--json", help="One JSON object per line, for scripts.")
    ] = False,
    max_bytes: Annotated[int, typer.Option(help="Intake's size limit.")] = 10 * 1024 * 1024,
    our_address: Annotated[
        list[str] | None,
        typer.Option(help="An address of ours, never answered (default: the template's)."),
    ] = None,
) -> None:
    """Say what e-mail intake would do with each message: nothing is created, no mail sent."""
    import json

    from rightsflow.domain.mail_classification import classify

    ours = frozenset(a.lower() for a in (our_address or ["privacy@rightsflow.example"]))
    for file in files:
        decision = classify(file.read_bytes(), max_bytes=max_bytes, our_addresses=ours)
        if json_lines:
            typer.echo(
                json.dumps(
                    {
                        "file": str(file),
                        "outcome": decision.outcome.value,
                        "rights": list(decision.rights),
                        "language": decision.language,
                        "sender": decision.sender,
                        "reasons": list(decision.reasons),
                    },
                    ensure_ascii=False,
                )
            )
            continue
        rights = ", ".join(decision.rights) or "-"
        console.print(
            f"[bold]{file}[/]: {decision.outcome.value}  rights: {rights}  "
            f"language: {decision.language}  sender: {decision.sender or '-'}"
        )
        for reason in decision.reasons:
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
            "reminders and deadlines; dates in records and e-mails stay the legal ones.",
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
) -> None:
    """Deploy template.yaml into an in-process moto and serve its HTTP API on 127.0.0.1."""
    # Lambda functions that emit no metric on a call say so; locally that is noise.
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    from rightsflow.local import services
    from rightsflow.local.stack import StackOptions

    options = StackOptions(
        parameters={
            "GdprPageUrl": f"http://127.0.0.1:{port}/",
            "GdprPageOrigin": f"http://127.0.0.1:{port}",
        }
    )
    if template is not None:
        options.template_path = template
    if day_seconds is not None:
        options.function_environment["DAY_SECONDS"] = str(day_seconds)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    with ExitStack() as cleanup:
        with console.status("Deploying template.yaml into the local stack..."):
            try:
                running = cleanup.enter_context(
                    services.running(
                        options,
                        port=port,
                        aws_port=aws_port,
                        smtp_port=smtp_port or None,
                        seed_demo_data=not no_seed,
                        database_url=_sqlalchemy_url(database_url),
                    )
                )
            except StoreSchemaRefused as error:
                console.print(
                    f"[bold red]The SQL stores' database cannot serve the data map:[/] {error}"
                )
                raise typer.Exit(code=1) from None
        cleanup.callback(console.print, "Stopped.")
        try:
            # Ctrl-C may come as soon as the API answers, even while this is still printed.
            _print_endpoints(running, options.template_path)
            while not stopping.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
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


def _print_endpoints(running: LocalServices, template: Path) -> None:
    stack = running.stack
    api = running.api_url
    console.print(f"[bold green]Rightsflow is running locally[/] (template {template})")
    console.print(f"  GDPR page       {api}/")
    console.print(f"  HTTP API        {api}")
    console.print(f"  OpenAPI         {api}/openapi.json")
    console.print(f"  Outbox (JSON)   {api}/_local/outbox")
    console.print(f"  Ops feed (JSON) {api}/_local/ops-notifications")
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
    console.print(
        f"  Brand webhooks  {running.peers.url}/brands/<brand>  (received: {api}/_local/webhooks)"
    )
    for brand, key in sorted(running.brand_keys.items()):
        console.print(f"  Brand API key   {brand}: {key}")
    console.print(
        f'\nTry: curl -X POST {api}/requests -d \'{{"type":"access","email":"a@example.com"}}\''
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
) -> None:
    """The table of regimes the legal clock applies, as Markdown (the README's section)."""
    from rightsflow.domain.regime_table import replace_in, table_markdown

    if write is None:
        typer.echo(table_markdown())
        return
    write.write_text(replace_in(write.read_text(encoding="utf-8")), encoding="utf-8")
    console.print(f"Regenerated the table of regimes in {write}")


@app.command()
def demo() -> None:
    """A guided tour on a fresh in-process stack; exits 0 only if every step behaved as the
    law requires."""
    from rightsflow.demo import run

    if not run(console):
        raise typer.Exit(code=1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
