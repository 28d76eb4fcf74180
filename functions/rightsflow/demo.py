"""`rightsflow demo`: the whole product on a fresh in-process stack, step by step, checking at
each step that what happened is what the law requires."""

from __future__ import annotations

import io
import logging
import re
import smtplib
import time
import uuid
import warnings
import zipfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import requests
from rich.console import Console
from rich.table import Table

from rightsflow.local import services
from rightsflow.local.seed import ADA, ADA_INVOICES, Person, add_globex_member, add_person
from rightsflow.local.services import LocalServices
from rightsflow.local.stack import StackOptions

CODE = re.compile(r"verification code: (\d{6})")
PAGE_LINK = re.compile(r"http://127\.0\.0\.1:\d+/\?request_id=(req-[0-9a-f]+)")
TERMINAL = {"completed", "declined", "unverified"}


class StepFailed(Exception):
    """What the law requires did not happen."""


@dataclass
class Outcome:
    step: str
    requirement: str
    ok: bool
    detail: str
    seconds: float


def _wait(check: Callable[[], Any], what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise StepFailed(f"gave up waiting for {what}")


class Visitor:
    """Does what a person does, against the local stack's HTTP API and outbox."""

    def __init__(self, running: LocalServices, email: str) -> None:
        self.running = running
        self.api = running.api_url
        self.email = email

    def outbox(self) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = requests.get(
            f"{self.api}/_local/outbox", timeout=30
        ).json()
        return [m for m in messages if self.email in m["to"]]

    def ask(self, **body: Any) -> dict[str, Any]:
        answer = requests.post(
            f"{self.api}/requests", json={"email": self.email, **body}, timeout=30
        )
        if answer.status_code != 202:
            raise StepFailed(f"request refused: {answer.status_code} {answer.text}")
        receipt: dict[str, Any] = answer.json()
        return receipt

    def verify(self, request_id: str) -> None:
        def code() -> str | None:
            for message in reversed(self.outbox()):
                found = CODE.search(message["text"])
                if found and request_id in message["text"]:
                    return found.group(1)
            return None

        answer = requests.post(
            f"{self.api}/requests/{request_id}/verify",
            json={"code": _wait(code, "the verification e-mail")},
            timeout=30,
        )
        if answer.status_code != 200:
            raise StepFailed(f"code refused: {answer.text}")

    def status(self, receipt: dict[str, Any]) -> dict[str, Any]:
        view: dict[str, Any] = requests.get(
            f"{self.api}/requests/{receipt['request_id']}",
            headers={"X-Request-Token": receipt["status_token"]},
            timeout=30,
        ).json()
        return view

    def until(self, receipt: dict[str, Any], statuses: set[str], timeout: float = 90) -> str:
        status: str = _wait(
            lambda: s if (s := self.status(receipt)["status"]) in statuses else None,
            f"status {' or '.join(sorted(statuses))}",
            timeout,
        )
        return status

    def closing(self, request_id: str) -> str:
        messages = _wait(
            lambda: [
                m for m in self.outbox() if "closed" in m["subject"] and request_id in m["subject"]
            ],
            "the closing e-mail",
        )
        return str(messages[0]["text"])


def access_request(running: LocalServices) -> str:
    ada = Visitor(running, ADA["email"])
    receipt = ada.ask(type="access", phone="+44 20 7946 0000")
    ada.verify(receipt["request_id"])
    if ada.until(receipt, TERMINAL) != "completed":
        raise StepFailed("the access request did not complete")
    page = PAGE_LINK.search(ada.closing(receipt["request_id"]))
    if not page or page.group(1) != receipt["request_id"]:
        raise StepFailed("the closing e-mail does not lead to the request's page")
    # The page's Download button: a fresh link from the API, with the status token.
    answer = requests.get(
        f"{running.api_url}/requests/{receipt['request_id']}/package",
        headers={"X-Request-Token": receipt["status_token"]},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 303:
        raise StepFailed(f"the package download answered {answer.status_code}")
    content = requests.get(answer.headers["Location"], timeout=30).content
    archive = zipfile.ZipFile(io.BytesIO(content))
    stores = sorted(
        n.removesuffix(".json")
        for n in archive.namelist()
        if n.endswith(".json") and n != "details.json"
    )
    if "details.json" not in archive.namelist() or len(stores) < 5:
        raise StepFailed(f"the package lacks the Art. 15 details or stores: {stores}")
    return (
        f"package with Ada's records in {len(stores)} files (one per store, the platform "
        "database's one per table) and the Art. 15 details"
    )


def erasure_with_legal_hold(running: LocalServices) -> str:
    number = uuid.uuid4().int % 10**6
    someone = Person(
        "Erin Erase",
        f"erin.{number}@example.net",
        f"+44207946{number % 10000:04d}",
        f"ACME-E{number}",
    )
    add_person(running.stack, running.peers.hubspot, someone)
    person = Visitor(running, someone.email)
    receipt = person.ask(type="erasure", phone=someone.phone)
    person.verify(receipt["request_id"])
    if person.until(receipt, TERMINAL) != "completed":
        raise StepFailed("the erasure did not complete")
    text = person.closing(receipt["request_id"])
    if f"{ADA_INVOICES} records kept (kept under legal hold: tax law" not in text:
        raise StepFailed("held invoices were not reported with the law that keeps them")
    return f"deleted/anonymised everywhere; {ADA_INVOICES} invoices kept under tax law, said so"


def forwarded_to_a_brand(running: LocalServices) -> str:
    number = uuid.uuid4().int % 10**6
    someone = Person(
        "Gina Globex",
        f"gina.{number}@example.net",
        f"+44207946{number % 10000:04d}",
        f"GX-{number}",
    )
    add_globex_member(running.stack, someone)
    person = Visitor(running, someone.email)
    receipt = person.ask(type="erasure", phone=someone.phone)
    person.verify(receipt["request_id"])
    person.until(receipt, {"awaiting_brand"})
    key = running.brand_keys["globex"]
    answer = requests.post(
        f"{running.api_url}/brands/globex/requests/{receipt['request_id']}/instruction",
        json={"action": "fulfil"},
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
    )
    if answer.status_code != 200:
        raise StepFailed(f"the Brand's instruction was refused: {answer.text}")
    if person.until(receipt, TERMINAL) != "completed":
        raise StepFailed("the forwarded request did not complete")
    if "Globex Corporation decides about your data" not in person.closing(receipt["request_id"]):
        raise StepFailed("the person was not told which Brand decides")
    return "globex (standing instruction: forward) was asked, instructed 'fulfil', and it was done"


def email_request(running: LocalServices) -> str:
    sender = f"mail.{uuid.uuid4().hex[:8]}@example.org"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = running.stack.parameters["PrivacyInboxAddress"]
    message["Subject"] = "Auskunft"
    message["Message-ID"] = f"<{uuid.uuid4()}@example.org>"
    message.set_content("Guten Tag, ich bitte um Auskunft über meine Daten.")
    if running.smtp_port is None:
        raise StepFailed("no SMTP listener")
    with smtplib.SMTP("127.0.0.1", running.smtp_port, timeout=30) as smtp:
        smtp.send_message(message)
        smtp.send_message(message)  # delivered twice: still one request
    person = Visitor(running, sender)
    acks = _wait(
        lambda: [m for m in person.outbox() if "erhalten" in m["subject"]],
        "the German acknowledgment",
    )
    time.sleep(1)
    if len([m for m in person.outbox() if "erhalten" in m["subject"]]) != 1:
        raise StepFailed("a duplicate delivery made a second request")
    return f"German e-mail → one access request, answered in German: {acks[0]['subject']!r}"


def overdue_escalation(running: LocalServices) -> str:
    person = Visitor(running, f"late.{uuid.uuid4().hex[:8]}@example.org")
    receipt = person.ask(type="complaint", details={"message": "Nobody answered my letter."})

    def escalated() -> bool:
        feed = requests.get(f"{running.api_url}/_local/ops-notifications", timeout=30).json()
        return any(
            isinstance(item["message"], dict)
            and item["message"].get("request_id") == receipt["request_id"]
            and item["message"].get("event") == "request_overdue"
            for item in feed
        )

    _wait(escalated, "the overdue escalation", timeout=60)
    return "45-day complaint clock ran out (one legal day = 0.05 s): ops topic told, audit event written"


STEPS: list[tuple[str, str, Callable[[LocalServices], str], bool]] = [
    (
        "Access request",
        "a copy of every record, with the Art. 15 details, after identity is verified",
        access_request,
        False,
    ),
    (
        "Erasure with a legal hold",
        "delete or anonymise; keep what tax law requires, and say why",
        erasure_with_legal_hold,
        False,
    ),
    (
        "Forwarded to a Brand",
        "a processor acts on the controlling Brand's instruction",
        forwarded_to_a_brand,
        False,
    ),
    (
        "E-mail request",
        "an e-mail becomes one request, answered in the person's language",
        email_request,
        False,
    ),
    ("Overdue escalation", "a missed deadline is escalated to ops", overdue_escalation, True),
]


def _quiet() -> None:
    """A guided tour shows its steps, not the local servers' access lines; the functions' log
    and metric lines go where the caller sends stdout (`rightsflow demo`: a log file)."""
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def run(console: Console) -> bool:
    _quiet()
    started = time.monotonic()
    outcomes: list[Outcome] = []
    with ExitStack() as stacks:
        with console.status("Starting a fresh local stack (template.yaml in moto, seeded)..."):
            running = stacks.enter_context(services.running(StackOptions(), port=0, smtp_port=0))
            compressed = stacks.enter_context(
                services.running(
                    StackOptions(function_environment={"DAY_SECONDS": "0.05"}),
                    port=0,
                    seed_demo_data=False,
                )
            )
        console.print(
            f"Local stack ready in {time.monotonic() - started:.0f} s: {running.api_url}\n"
        )
        for number, (name, requirement, step, uses_clock) in enumerate(STEPS, 1):
            console.print(f"[bold]{number}. {name}[/] — {requirement}")
            began = time.monotonic()
            try:
                detail = step(compressed if uses_clock else running)
                ok = True
            except StepFailed as error:
                detail, ok = str(error), False
            outcomes.append(Outcome(name, requirement, ok, detail, time.monotonic() - began))
            mark = "[green]✓[/]" if ok else "[red]✗[/]"
            console.print(f"   {mark} {detail}\n")
    table = Table("step", "the law requires", "result", "seconds", title="Rightsflow demo")
    for outcome in outcomes:
        table.add_row(
            outcome.step,
            outcome.requirement,
            "[green]as required[/]" if outcome.ok else f"[red]NOT as required[/]: {outcome.detail}",
            f"{outcome.seconds:.1f}",
        )
    console.print(table)
    console.print(f"Total: {time.monotonic() - started:.0f} s")
    return all(outcome.ok for outcome in outcomes)
