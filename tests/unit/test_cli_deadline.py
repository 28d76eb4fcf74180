"""`rightsflow deadline`: the calculator from a terminal, as ops and anyone checking us use it."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from rightsflow.cli import app
from rightsflow.domain.deadlines import calculate


def test_the_json_is_the_calculator_s_answer() -> None:
    arguments = [
        "--jurisdiction",
        "DE",
        "--type",
        "access",
        "--received",
        "2026-01-31T10:00:00+01:00",
    ]
    result = CliRunner().invoke(app, ["deadline", *arguments, "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed == calculate("DE", "access", "2026-01-31T10:00:00+01:00").model_dump()
    assert printed["due_local_date"] == "2026-03-02"


def test_the_plain_answer_gives_the_dates_and_the_law() -> None:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        app,
        [
            "deadline",
            "--jurisdiction",
            "CH",
            "--type",
            "access",
            "--received",
            "2026-01-05T10:00:00+01:00",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Due (the law)        2026-02-04" in result.output
    assert "DPO Art. 18(1)" in result.output


def test_a_wrong_flag_value_is_named() -> None:
    result = CliRunner().invoke(
        app, ["deadline", "--jurisdiction", "DE", "--type", "access", "--received", "yesterday"]
    )
    assert result.exit_code == 2
    assert "--received" in result.output


def test_a_receipt_past_the_calendar_s_end_is_a_clean_error_not_a_traceback() -> None:
    # GIVEN a receipt whose deadlines would fall after 9999-12-31
    result = CliRunner().invoke(
        app,
        [
            "deadline",
            "--jurisdiction",
            "DE",
            "--type",
            "access",
            "--received",
            "9999-12-31T23:59:59+00:00",
            "--json",
        ],
    )
    # THEN the flag is named and nothing crashed
    assert result.exit_code == 2, result.output
    assert "--received" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_uk_is_read_as_gb_and_us_alone_is_refused_naming_the_flag() -> None:
    uk = CliRunner().invoke(app, ["deadline", "--jurisdiction", "UK", "--type", "access", "--json"])
    assert uk.exit_code == 0, uk.output
    assert json.loads(uk.output)["regime"] == "UK_GDPR"
    us = CliRunner().invoke(app, ["deadline", "--jurisdiction", "US", "--type", "access"])
    assert us.exit_code == 2
    assert "--jurisdiction" in us.output
    assert "US-CA" in us.output
