"""Opening a request: what is stored, what the person gets back, what never leaves the record."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from rightsflow.domain.identifiers import secret_matches
from rightsflow.domain.lifecycle import RequestType, Status
from rightsflow.domain.requests import Channel, Submission, open_request

RECEIVED = datetime(2026, 1, 31, 9, 0, tzinfo=UTC)


def test_a_new_request_gets_its_clock_its_id_and_a_token_only_stored_as_a_hash() -> None:
    submission = Submission(type=RequestType.ACCESS, email="ada@example.com", jurisdiction="fr")
    new = open_request(submission, Channel.WEB, RECEIVED)
    record = new.record
    assert record.status is Status.RECEIVED
    assert record.jurisdiction == "FR"
    assert record.regime == "GDPR"
    assert record.due_at == "2026-02-28T22:59:59.000Z"
    assert record.request_id.startswith("req-")
    assert len(record.request_id) <= 80  # a valid Step Functions execution name
    assert new.status_token not in record.model_dump_json()
    assert secret_matches(new.status_token, record.status_token_hash)
    assert not secret_matches("guess", record.status_token_hash)
    assert "ada@example.com" not in record.subject_hash


def test_unknown_jurisdiction_is_recorded_as_a_fallback() -> None:
    submission = Submission(type=RequestType.ERASURE, email="a@example.com", jurisdiction="ZZ")
    record = open_request(submission, Channel.WEB, RECEIVED).record
    assert record.regime_fallback
    assert record.regime == "LGPD"


def test_defaults_to_the_eu() -> None:
    submission = Submission(type=RequestType.ACCESS, email="a@example.com")
    assert submission.jurisdiction == "EU"


def test_fields_nobody_asked_for_are_refused_by_name() -> None:
    with pytest.raises(ValidationError) as raised:
        Submission.model_validate({"type": "access", "email": "a@example.com", "ssn": "123"})
    assert raised.value.errors()[0]["loc"] == ("ssn",)


def test_brand_is_normalised_to_its_slug() -> None:
    submission = Submission(type=RequestType.ACCESS, email="a@example.com", brand=" ACME ")
    assert submission.brand == "acme"
