"""E-mail intake end to end: each corpus e-mail through SES's path (raw message into the bucket,
the function called with a genuine SES receipt event), and a real SMTP session."""

from __future__ import annotations

import smtplib
import uuid
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support import CODE_LINE, Api, unique_email, wait_for

pytestmark = pytest.mark.e2e

CORPUS = Path(__file__).resolve().parents[1] / "data" / "emails"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "expected.yaml").read_text())


def _privacy_address(api: Api) -> str:
    return api.services.stack.parameters["PrivacyInboxAddress"]


def _deliver(api: Api, raw: bytes, verdicts: dict[str, str] | None = None) -> dict[str, Any]:
    sender = parseaddr(str(message_from_bytes(raw, policy=policy.compat32).get("From", "")))[1]
    full = {
        name: {"status": "PASS"}
        for name in ("spamVerdict", "virusVerdict", "spfVerdict", "dkimVerdict", "dmarcVerdict")
    }
    full.update({name: {"status": status} for name, status in (verdicts or {}).items()})
    _, answers = api.services.mail.deliver(
        raw,
        mail_from=sender or "bounce@example.com",
        recipients=[_privacy_address(api)],
        verdicts=full,
    )
    outcome: dict[str, Any] = answers[0]["outcomes"][0]
    return {**outcome, "sender": sender.lower()}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_corpus_email_has_its_expected_outcome(api: Api, name: str) -> None:
    expected = EXPECTED[name]
    result = _deliver(api, (CORPUS / name).read_bytes(), expected.get("verdicts"))
    assert result["outcome"] in {expected["outcome"], "duplicate"}
    sender = result["sender"]
    if expected["outcome"] == "request_created":
        record = api.record(result["request_id"])
        assert record["type"] == expected["type"]
        assert record["channel"] == "email"
        assert record["email"] == sender
        assert record["language"] == (
            expected["language"] if expected["language"] in {"en", "de"} else "en"
        )
        if expected.get("attachments"):
            assert record["details"].count("attachments_ignored") == 1
    elif expected["outcome"] in {"unrecognised", "too_large"}:
        reply = wait_for(lambda: api.outbox(to=sender))
        if expected["outcome"] == "unrecognised":
            greeting = "Guten Tag" if expected["language"] == "de" else "Hello"
            assert reply[0]["text"].startswith(greeting)
            assert api.services.stack.parameters["GdprPageUrl"] in reply[0]["text"]
        else:
            assert "too large" in reply[0]["text"]
    else:  # refused or malformed: nothing is created and nobody is answered
        assert result.get("request_id") is None
        if sender:
            assert api.outbox(to=sender) == []


def test_a_german_email_is_answered_in_german(api: Api) -> None:
    message = EmailMessage()
    sender = unique_email("deutsch")
    message["From"] = sender
    message["To"] = _privacy_address(api)
    message["Subject"] = "Löschung meiner Daten"
    message["Message-ID"] = f"<{uuid.uuid4()}@example.de>"
    message.set_content("Bitte löschen Sie alle meine Daten. Danke!")
    result = _deliver(api, message.as_bytes())
    assert result["outcome"] == "request_created"
    acknowledgment = wait_for(
        lambda: [m for m in api.outbox(to=sender) if "erhalten" in m["subject"]]
    )
    assert "Löschung Ihrer Daten" in acknowledgment[0]["text"]
    code = wait_for(lambda: [m for m in api.outbox(to=sender) if CODE_LINE.search(m["text"])])
    assert "Bestätigungscode" in code[0]["subject"]


def test_a_real_smtp_session_makes_a_request_and_the_code_comes_back(api: Api) -> None:
    port = api.services.smtp_port
    assert port
    sender = unique_email("smtp")
    message = EmailMessage()
    message["From"] = f"Smtp Person <{sender}>"
    message["To"] = _privacy_address(api)
    message["Subject"] = "Please delete my data"
    message["Message-ID"] = f"<{uuid.uuid4()}@mail.example>"
    message.set_content("Hello, please delete my data. Best, S.")
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.send_message(message)
        # the same message delivered again (a retry, a second MX): still one request
        smtp.send_message(message)
    code_mail = wait_for(lambda: [m for m in api.outbox(to=sender) if CODE_LINE.search(m["text"])])
    assert len(code_mail) == 1
    acknowledgments = [m for m in api.outbox(to=sender) if "We received" in m["subject"]]
    assert len(acknowledgments) == 1
    request_id = acknowledgments[0]["subject"].rsplit(" ", 1)[-1]
    record = api.record(request_id)
    assert record["type"] == "erasure"
    assert record["channel"] == "email"


def test_smtp_refuses_addresses_that_are_not_the_privacy_address(api: Api) -> None:
    port = api.services.smtp_port
    assert port
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.ehlo()
        code, _ = smtp.docmd("MAIL FROM:<someone@example.com>")
        assert code == 250
        code, _ = smtp.docmd("RCPT TO:<sales@rightsflow.example>")
        assert code == 550
