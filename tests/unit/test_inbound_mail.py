"""Reading e-mails to the privacy address: every encoding in the corpus, odd senders, mislabelled
charsets, attachments, and the mail machines send (RFC 3834)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import yaml

from rightsflow.domain.inbound_mail import MalformedMail, decode_bytes, parse, refusal
from rightsflow.domain.mail_classification import MailOutcome, classify

CORPUS = Path(__file__).resolve().parents[1] / "data" / "emails"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "expected.yaml").read_text())
READABLE = {
    n: e for n, e in EXPECTED.items() if e["outcome"] in {"request_created", "unrecognised"}
}
LETTERS = CORPUS / "letters"
LETTER_EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((LETTERS / "expected.yaml").read_text())
OURS = frozenset({"privacy@rightsflow.example"})


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
    decision = classify((CORPUS / name).read_bytes())
    wanted = [expected["type"]] if "type" in expected else []
    assert list(decision.rights) == wanted
    assert decision.language == expected["language"]


def test_the_letters_corpus_has_80_letters_in_10_languages_with_their_sources() -> None:
    letters = {n: e for n, e in LETTER_EXPECTED.items() if e["source"].startswith("http")}
    assert len(letters) >= 80
    assert len({e["language"] for e in letters.values()}) >= 10
    assert all(e["outcome"] == "request" for e in letters.values())
    assert sum(1 for e in letters.values() if len(e["rights"]) > 1) >= 20


@pytest.mark.parametrize("name", sorted(LETTER_EXPECTED))
def test_each_letter_gets_what_it_asks_for(name: str) -> None:
    """GIVEN a letter from a public template WHEN classified THEN exactly the rights it asks."""
    expected = LETTER_EXPECTED[name]
    decision = classify(
        (LETTERS / name).read_bytes(),
        envelope_sender=expected.get("envelope"),
        our_addresses=OURS,
    )
    assert decision.outcome.value == expected["outcome"], decision.reasons
    if expected["outcome"] in {"request", "triage"}:
        assert sorted(decision.rights) == sorted(expected["rights"]), decision.reasons
        assert decision.language == expected["language"]
    if "jurisdiction" in expected:
        # where the letter says its writer lives, or the law it invokes; else the default
        assert decision.jurisdiction == expected["jurisdiction"], decision.reasons
    if "sender" in expected:
        assert decision.sender == expected["sender"]


def test_several_rights_come_in_the_order_requests_are_made() -> None:
    decision = classify(next(LETTERS.glob("en_*_en_erasure_withdraw_object.eml")).read_bytes())
    assert decision.rights == ("withdraw_consent", "objection", "erasure")


def _message(body: str, **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = headers.pop("From", "Pat Doe <pat.doe@example.com>")
    message["To"] = "privacy@rightsflow.example"
    message["Subject"] = headers.pop("Subject", "Hello")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto_Submitted": "auto-replied"}, "Auto-Submitted: auto-replied"),
        ({"Auto_Submitted": "auto-generated"}, "Auto-Submitted: auto-generated"),
        ({"Precedence": "bulk"}, "Precedence: bulk"),
        ({"Precedence": "auto_reply"}, "Precedence: auto_reply"),
        ({"X_Autoreply": "yes"}, "X-Autoreply header"),
        ({"From": "MAILER-DAEMON@mx.example.net"}, "sent by mailer-daemon"),
        ({"From": "postmaster@example.net"}, "sent by postmaster"),
        ({"Return_Path": "<>"}, "empty return path"),
    ],
)
def test_mail_sent_by_machines_creates_nothing(headers: dict[str, str], reason: str) -> None:
    decision = classify(_message("Please delete my data.", **headers))
    assert decision.outcome is MailOutcome.IGNORED
    assert any(reason in r for r in decision.reasons)


def test_auto_submitted_no_is_a_person() -> None:
    decision = classify(_message("Please delete my data.", Auto_Submitted="no"))
    assert decision.outcome is MailOutcome.REQUEST


def test_an_empty_envelope_sender_is_a_bounce() -> None:
    decision = classify(_message("Please delete my data."), envelope_sender="")
    assert decision.outcome is MailOutcome.IGNORED


def test_mail_from_our_own_addresses_is_never_answered() -> None:
    raw = _message("We received your request for erasure.", From="privacy@rightsflow.example")
    assert classify(raw, our_addresses=OURS).outcome is MailOutcome.IGNORED


def test_utf8_bytes_are_utf8_whatever_the_label() -> None:
    assert decode_bytes("löschen".encode(), "iso-8859-1") == "löschen"
    assert decode_bytes("löschen".encode(), "us-ascii") == "löschen"
    assert decode_bytes("löschen".encode("latin-1"), "iso-8859-1") == "löschen"
    assert decode_bytes("“Löschung”".encode("cp1252"), None) == "“Löschung”"


def test_a_mislabelled_subject_and_body_are_read() -> None:
    mail = parse((LETTERS / "charset_utf8_labelled_latin1.eml").read_bytes())
    assert mail.subject == "Löschung"
    assert "löschen" in mail.body


def test_a_from_with_an_unquoted_comma_names_its_address() -> None:
    mail = parse((LETTERS / "sender_unquoted_comma.eml").read_bytes())
    assert mail.sender == "jane.roe@example.org"


def test_without_a_from_the_envelope_sender_is_the_person() -> None:
    raw = (LETTERS / "sender_from_envelope_only.eml").read_bytes()
    with pytest.raises(MalformedMail, match="no sender"):
        parse(raw)
    mail = parse(raw, envelope_sender="lee.chan@example.com")
    assert mail.sender == "lee.chan@example.com"
    assert mail.sender_from_envelope


def test_an_address_the_validator_refuses_goes_to_triage_with_its_reason() -> None:
    decision = classify((LETTERS / "sender_address_refused.eml").read_bytes())
    assert decision.outcome is MailOutcome.TRIAGE
    assert decision.sender == "taro..yamada.@docomo.ne.jp"
    assert decision.sender_problem
    assert any("sender address refused" in r for r in decision.reasons)


def test_a_letter_in_a_pdf_attachment_is_read() -> None:
    mail = parse((LETTERS / "attachment_pdf_letter.eml").read_bytes())
    assert mail.attachments == ["erasure-letter.pdf"]
    assert mail.attachments_read == ["erasure-letter.pdf"]
    assert "erase all personal data" in mail.attachment_text
    assert "erase" not in mail.body


def test_attachments_that_are_not_text_are_noted_not_read() -> None:
    mail = parse((CORPUS / "10_attachment_pdf_access.eml").read_bytes())
    assert mail.attachments == ["passport.pdf"]
    assert mail.attachments_read == []  # not a readable PDF: noted only
    assert "copy of my personal data" in mail.body


def test_quoted_history_does_not_count() -> None:
    mail = parse((CORPUS / "09_de_reply_quoted.eml").read_bytes())
    assert "Auskunft" not in mail.body
    assert "löschen" in mail.body


def test_html_only_mail_is_read_as_text_without_styles() -> None:
    mail = parse((CORPUS / "06_html_only_unsubscribe.eml").read_bytes())
    assert "unsubscribe" in mail.body
    assert "color" not in mail.body


def test_a_message_without_a_sender_is_malformed() -> None:
    with pytest.raises(MalformedMail, match="no sender"):
        parse((CORPUS / "19_malformed_no_from.eml").read_bytes())


def test_garbage_never_crashes_the_parser() -> None:
    assert classify(b"\x00\xff\xfe not an e-mail at all").outcome is MailOutcome.MALFORMED


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
