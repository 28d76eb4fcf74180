"""Every log line a full run writes, from every component, holds no e-mail address, phone
number or verification code: logs carry request ids and hashes."""

from __future__ import annotations

import uuid
from email.message import EmailMessage

import pytest

from rightsflow.local.seed import Person, add_person
from tests.support import Api, wait_for

pytestmark = pytest.mark.e2e


def test_a_full_run_logs_no_email_phone_or_code(
    api: Api, log_lines: list[str], capfd: pytest.CaptureFixture[str]
) -> None:
    number = uuid.uuid4().int % 10**8
    person = Person(
        f"Log Watch {number}",
        f"log.watch.{number}@example.net",
        f"+44207946{number % 10000:04d}",
        f"ACME-L{number}",
    )
    add_person(api.services.stack, api.services.peers.hubspot, person)
    # through the web: an erasure, verified by code and phone, fulfilled everywhere
    receipt = api.submit_verified(
        email=person.email,
        phone="+44 20 7946 " + person.phone[-4:],
        type="erasure",
        name=person.name,
    )
    assert api.wait_until_terminal(receipt, timeout=90)["status"] == "completed"
    code = api.latest_code(receipt)
    # and by e-mail
    message = EmailMessage()
    message["From"] = person.email
    message["To"] = api.services.stack.parameters["PrivacyInboxAddress"]
    message["Subject"] = "Please delete my data"
    message["Message-ID"] = f"<{uuid.uuid4()}@example.net>"
    message.set_content("Please delete my data.")
    api.services.mail.deliver(message.as_bytes(), person.email, [message["To"]])
    wait_for(
        lambda: len([m for m in api.outbox(to=person.email) if "We received" in m["subject"]]) >= 2
    )
    printed = capfd.readouterr()
    everything = "\n".join(log_lines) + printed.out + printed.err
    assert receipt["request_id"] in everything  # the logs are there, and name requests
    for secret in (
        person.email,
        person.phone,
        person.phone[1:],
        "7946 " + person.phone[-4:],
        person.name,
        code,
    ):
        assert secret not in everything, f"{secret!r} found in the logs"
