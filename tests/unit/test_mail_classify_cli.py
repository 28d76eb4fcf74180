"""`rightsflow mail classify`: what intake would do with each message, for ops to check by hand;
nothing is created and no mail is sent (no stack runs at all)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from rightsflow.cli import app

LETTERS = Path(__file__).resolve().parents[1] / "data" / "emails" / "letters"


def test_json_lines_have_exactly_the_keys_ops_script_against() -> None:
    files = [
        next(LETTERS.glob("en_*_en_erasure_withdraw_object.eml")),
        LETTERS / "auto_bounce_with_our_acknowledgment.eml",
        LETTERS / "sender_address_refused.eml",
        LETTERS / "no_right_question.eml",
    ]
    result = CliRunner().invoke(app, ["mail", "classify", *map(str, files), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [set(line) for line in lines] == [
        {"file", "outcome", "rights", "language", "jurisdiction", "sender", "reasons"}
    ] * 4
    assert [line["outcome"] for line in lines] == ["request", "ignored", "triage", "unrecognised"]
    assert lines[0]["rights"] == ["withdraw_consent", "objection", "erasure"]
    assert lines[0]["language"] == "en"
    assert lines[0]["jurisdiction"] == "GB"  # "Article 17 of the UK GDPR"
    assert lines[3]["jurisdiction"] == "EU"  # none stated: the default
    assert lines[0]["sender"] == "imogen.clarke@example.co.uk"
    assert lines[2]["sender"] == "taro..yamada.@docomo.ne.jp"
    assert any("sender address refused" in reason for reason in lines[2]["reasons"])


def test_the_readable_form_names_outcome_rights_and_reasons(tmp_path: Path) -> None:
    letter = tmp_path / "letter.eml"
    letter.write_bytes(
        b"From: Ola Nordmann <ola@example.no>\nTo: privacy@rightsflow.example\n"
        b"Subject: Loschung\nContent-Type: text/plain; charset=us-ascii\n\n"
        + "Bitte löschen Sie meine Daten.".encode()
    )
    result = CliRunner().invoke(app, ["mail", "classify", str(letter)])
    assert result.exit_code == 0, result.output
    assert "request" in result.output
    assert "erasure" in result.output
    assert "language: de" in result.output


def test_a_missing_file_is_a_clear_error() -> None:
    result = CliRunner().invoke(app, ["mail", "classify", "/nonexistent.eml"])
    assert result.exit_code == 2
    assert "does not exist" in result.output


CORPUS = Path(__file__).resolve().parents[1] / "data" / "emails"
# What intake records for a message, as `mail classify` names it.
AS_CLASSIFIED = {
    "request_created": "request",
    "refused_spam": "ignored",
    "refused_virus": "ignored",
    "refused_forged_sender": "ignored",
}


def test_classify_given_the_corpus_verdicts_and_limit_says_what_intake_does() -> None:
    import yaml

    from tests.conftest import MAX_MAIL_BYTES

    expected = yaml.safe_load((CORPUS / "expected.yaml").read_text())
    assert expected["20_oversized.eml"]["max_bytes"] == MAX_MAIL_BYTES
    for name, entry in sorted(expected.items()):
        # GIVEN a corpus e-mail, with SES's verdicts and the size limit it is tested against
        arguments = ["mail", "classify", str(CORPUS / name), "--json"]
        for verdict, status in (entry.get("verdicts") or {}).items():
            arguments += ["--verdict", f"{verdict.removesuffix('Verdict')}={status}"]
        if "max_bytes" in entry:
            arguments += ["--max-bytes", str(entry["max_bytes"])]
        # WHEN ops classify the file with them
        result = CliRunner().invoke(app, arguments)
        assert result.exit_code == 0, result.output
        line = json.loads(result.output)
        # THEN classify says what intake does with the message
        wanted = AS_CLASSIFIED.get(entry["outcome"], entry["outcome"])
        assert line["outcome"] == wanted, (name, line["reasons"])


def test_from_the_file_alone_classify_says_why_it_may_differ_from_intake() -> None:
    # GIVEN the spam and the oversized e-mails, with no verdicts or limit given
    files = [CORPUS / "15_spam_fail.eml", CORPUS / "20_oversized.eml"]
    result = CliRunner().invoke(app, ["mail", "classify", *map(str, files), "--json"])
    assert result.exit_code == 0, result.output
    spam, oversized = (json.loads(line) for line in result.output.splitlines())
    # THEN each says why: verdicts come from SES, and the size is within the default limit
    assert spam["outcome"] == "request"
    assert any("treated as PASS" in reason for reason in spam["reasons"])
    assert oversized["outcome"] == "request"
    assert any("within the size limit of 10.0 MB" in r for r in oversized["reasons"])
