"""Reading e-mails to the privacy address: every encoding in the corpus, and which right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from rightsflow.domain.inbound_mail import MalformedMail, parse, refusal, understand

CORPUS = Path(__file__).resolve().parents[1] / "data" / "emails"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "expected.yaml").read_text())
READABLE = {
    n: e for n, e in EXPECTED.items() if e["outcome"] in {"request_created", "unrecognised"}
}


def test_the_corpus_covers_every_outcome_with_at_least_25_emails() -> None:
    assert len(EXPECTED) >= 25
    outcomes = {e["outcome"] for e in EXPECTED.values()}
    assert outcomes == {
        "request_created",
        "unrecognised",
        "refused_spam",
        "refused_virus",
        "refused_forged_sender",
        "malformed",
        "too_large",
    }


@pytest.mark.parametrize("name", sorted(READABLE))
def test_the_right_and_the_language_are_recognised(name: str) -> None:
    expected = READABLE[name]
    understood = understand(parse((CORPUS / name).read_bytes()))
    assert (understood.right.value if understood.right else None) == expected.get("type")
    assert understood.language == expected["language"]


def test_quoted_history_does_not_count() -> None:
    mail = parse((CORPUS / "09_de_reply_quoted.eml").read_bytes())
    assert "Auskunft" not in mail.body
    assert "löschen" in mail.body


def test_html_only_mail_is_read_as_text_without_styles() -> None:
    mail = parse((CORPUS / "06_html_only_unsubscribe.eml").read_bytes())
    assert "unsubscribe" in mail.body
    assert "color" not in mail.body


def test_attachments_are_ignored_but_noted() -> None:
    mail = parse((CORPUS / "10_attachment_pdf_access.eml").read_bytes())
    assert mail.attachments == ["passport.pdf"]
    assert "copy of my personal data" in mail.body


def test_a_message_without_a_sender_is_malformed() -> None:
    with pytest.raises(MalformedMail, match="no sender"):
        parse((CORPUS / "19_malformed_no_from.eml").read_bytes())


def test_garbage_never_crashes_the_parser() -> None:
    with pytest.raises(MalformedMail):
        parse(b"\x00\xff\xfe not an e-mail at all")


@pytest.mark.parametrize(
    ("verdicts", "reason"),
    [
        ({"spamVerdict": "FAIL"}, "spam"),
        ({"virusVerdict": "FAIL"}, "virus"),
        ({"spfVerdict": "FAIL", "dkimVerdict": "FAIL"}, "forged_sender"),
        ({"spfVerdict": "FAIL", "dkimVerdict": "PASS"}, None),
        ({}, None),
    ],
)
def test_ses_verdicts_decide_what_is_refused(verdicts: dict[str, str], reason: str | None) -> None:
    receipt: dict[str, object] = {name: {"status": status} for name, status in verdicts.items()}
    assert refusal(receipt) == reason
