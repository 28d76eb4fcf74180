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
