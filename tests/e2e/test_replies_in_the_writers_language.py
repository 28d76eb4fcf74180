"""Replies in the writer's language, end to end: a letter written in each language we write,
sent to the privacy address over the local SMTP listener, is acknowledged and sent its code in
that language (read back by the language detector intake reads letters with); and a request
from the GDPR page carries the page's language to its e-mails."""

from __future__ import annotations

import re
import smtplib
import uuid
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
import yaml

from rightsflow.domain.language import LANGUAGES, words
from rightsflow.domain.mail_recognition import detect_language
from tests.support import Api, unique_email, wait_for

pytestmark = pytest.mark.e2e

LETTERS = Path(__file__).resolve().parents[1] / "data" / "emails" / "letters"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((LETTERS / "expected.yaml").read_text())
NEEDS_CODE = {"access", "erasure", "rectification", "portability"}


def _letter_in(language: str) -> str:
    """The first letter of the corpus written in `language` that asks for a right needing a
    code (so that it is acknowledged and then sent one)."""
    return next(
        name
        for name, facts in sorted(EXPECTED.items())
        if facts["language"] == language
        and facts["outcome"] == "request"
        and name.startswith(f"{language}_")
        and set(facts["rights"]) & NEEDS_CODE
    )


def _code_line(language: str) -> re.Pattern[str]:
    marker = "000000"
    line = words(language).gettext("Your verification code: %(code)s", code=marker)
    return re.compile(re.escape(line).replace(marker, r"(\d{6})"))


def _reads_as(text: str) -> str:
    return detect_language(re.sub(r"https?://\S+|req-[\w-]+", " ", text))[0]


def _send(api: Api, raw: bytes, sender: str) -> None:
    """The letter as its writer sent it, from a fresh address with a fresh Message-ID."""
    message = message_from_bytes(raw, policy=policy.default)
    del message["From"]
    del message["Message-ID"]
    del message["To"]
    message["From"] = sender
    message["To"] = api.services.stack.parameters["PrivacyInboxAddress"]
    message["Message-ID"] = f"<{uuid.uuid4()}@letters.example>"
    assert api.services.smtp_port
    with smtplib.SMTP("127.0.0.1", api.services.smtp_port, timeout=60) as smtp:
        smtp.send_message(message)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_letter_is_acknowledged_and_sent_its_code_in_its_writers_language(
    api: Api, language: str
) -> None:
    # GIVEN a letter written in this language, from the corpus of real request templates
    name = _letter_in(language)
    sender = unique_email(f"letter-{language}")
    # WHEN its writer sends it to the privacy address
    _send(api, (LETTERS / name).read_bytes(), sender)
    say = words(language)
    # THEN the acknowledgment comes in that language: subject, greeting and text
    acknowledgment = wait_for(
        lambda: [m for m in api.outbox(to=sender) if not _code_line(language).search(m["text"])],
        timeout=90,
    )[0]
    received = say.ngettext(
        "We received your privacy request %(request_ids)s",
        "We received your privacy requests %(request_ids)s",
        len(EXPECTED[name]["rights"]),
        request_ids="IDS",
    )
    subject = re.escape(received).replace("IDS", r"req-[\w, -]+")
    assert re.fullmatch(subject, acknowledgment["subject"].strip()), acknowledgment["subject"]
    assert acknowledgment["text"].startswith(say.gettext("Hello,"))
    assert _reads_as(acknowledgment["text"]) == language, acknowledgment["text"]
    # AND the verification e-mail too, with its code on the line the person reads it from
    code_mail = wait_for(
        lambda: [m for m in api.outbox(to=sender) if _code_line(language).search(m["text"])],
        timeout=90,
    )[0]
    request_id = re.findall(r"req-[\w-]+", code_mail["subject"])[0]
    assert code_mail["subject"].strip() == say.gettext(
        "Your verification code for privacy request %(request_id)s", request_id=request_id
    )
    assert _reads_as(code_mail["text"]) == language, code_mail["text"]
    # AND the request keeps the language, for every e-mail that follows
    assert api.record(request_id)["language"] == language


def test_a_request_from_the_page_is_answered_in_the_pages_language(api: Api) -> None:
    # GIVEN a person who reads the page in Polish (the body says so) and one whose browser only
    # says Danish (Accept-Language)
    polish = api.submit(type="erasure", jurisdiction="PL", language="pl")
    answer = api.post(
        "/requests",
        {"type": "access", "email": (danish := unique_email("dansk")), "jurisdiction": "DK"},
        headers={"Accept-Language": "ja, da-DK;q=0.9, en;q=0.5"},
    )
    assert answer.status_code == 202, answer.text
    # THEN each is acknowledged in their language, and their status says which
    for email, language in ((str(polish["email"]), "pl"), (danish, "da")):

        def sent(to: str = email) -> list[dict[str, Any]]:
            return api.outbox(to=to)

        acknowledgment = wait_for(sent, timeout=90)[0]
        assert _reads_as(acknowledgment["text"]) == language, acknowledgment["text"]
    assert api.status(polish)["language"] == "pl"
    assert api.status(polish)["time_zone"] == "Europe/Warsaw"
    # AND a language we do not write is refused, naming the field
    refused = api.post(
        "/requests", {"type": "access", "email": unique_email("x"), "language": "tlh"}
    )
    assert refused.status_code == 422
    assert refused.json()["field"] == "language"
