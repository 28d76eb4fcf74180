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
    # France includes its outermost regions, where the GDPR runs too: Réunion's day ends first.
    # The month ends on Saturday 28 February there: ops work to it, the law ends on Monday
    assert record.time_zone == "Indian/Reunion"
    assert record.target_at == "2026-02-28T19:59:59.000Z"
    assert record.due_at == "2026-03-02T19:59:59.000Z"
    assert record.request_id.startswith("req-")
    assert len(record.request_id) <= 80  # a valid Step Functions execution name
    assert new.status_token not in record.model_dump_json()
    assert secret_matches(new.status_token, record.status_token_hash)
    assert not secret_matches("guess", record.status_token_hash)
    assert "ada@example.com" not in record.subject_hash


def test_unknown_jurisdiction_is_recorded_as_a_fallback() -> None:
    # GIVEN a real place (Mexico) the table has no law for
    submission = Submission(type=RequestType.ERASURE, email="a@example.com", jurisdiction="MX")
    record = open_request(submission, Channel.WEB, RECEIVED).record
    assert record.regime_fallback
    assert record.regime == "KR_PIPA"  # 10 days: the strictest clock of the table


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


@pytest.mark.parametrize(
    ("details", "problem"),
    [
        ({}, "details.appeal_of"),
        ({"appeal_of": "req-1"}, "details.status_token"),
        ({"appeal_of": "../etc", "status_token": "t"}, "details.appeal_of"),
        ({"appeal_of": "req-1", "status_token": "t", "message": 3}, "details.message"),
    ],
)
def test_an_appeal_names_the_request_and_its_status_token(
    details: dict[str, object], problem: str
) -> None:
    with pytest.raises(ValidationError, match=problem.replace(".", "\\.")):
        Submission.model_validate(
            {
                "type": "appeal",
                "email": "a@example.com",
                "jurisdiction": "US-VA",
                "details": details,
            }
        )


def test_an_opt_out_gets_no_acknowledgment_and_the_law_s_15_business_days() -> None:
    submission = Submission(
        type=RequestType.OPT_OUT_SALE_SHARING, email="a@example.com", jurisdiction="US-CA"
    )
    record = open_request(submission, Channel.WEB, RECEIVED, gpc=True).record
    assert record.acknowledge_by is None
    assert record.gpc
    # 15 business days from 31 January, Presidents' Day (16 February) not counted: 23 February,
    # end of day in California
    assert record.due_at == "2026-02-24T07:59:59.000Z"


def test_an_address_ses_cannot_deliver_is_refused_naming_email() -> None:
    with pytest.raises(ValidationError) as raised:
        Submission.model_validate({"type": "access", "email": "jörg.beispiel@example.de"})
    assert [error["loc"] for error in raised.value.errors()] == [("email",)]
    assert "non-ASCII" in raised.value.errors()[0]["msg"]


def test_an_internationalised_domain_is_accepted_and_the_same_person_either_way() -> None:
    unicode = open_request(
        Submission(type=RequestType.ACCESS, email="ada@bücher.example"), Channel.WEB, RECEIVED
    )
    ascii_ = open_request(
        Submission(type=RequestType.ACCESS, email="Ada@xn--bcher-kva.example"),
        Channel.WEB,
        RECEIVED,
    )
    assert unicode.record.subject_hash == ascii_.record.subject_hash


@pytest.mark.parametrize(
    ("phone", "jurisdiction"),
    [
        ("+44 20 7946 0000", "EU"),
        ("0044 20 7946 0000", "EU"),
        ("020 7946 0000", "GB"),
        ("+44 (0)20 7946-0000", "DE"),
    ],
)
def test_a_phone_is_kept_in_e164_however_it_was_typed(phone: str, jurisdiction: str) -> None:
    submission = Submission.model_validate(
        {"type": "access", "email": "a@example.com", "phone": phone, "jurisdiction": jurisdiction}
    )
    assert submission.phone == "+442079460000"


def test_a_national_phone_with_no_country_to_read_it_in_is_refused_naming_phone() -> None:
    with pytest.raises(ValidationError) as raised:
        Submission.model_validate(
            {"type": "access", "email": "a@example.com", "phone": "020 7946 0000"}
        )
    assert [error["loc"] for error in raised.value.errors()] == [("phone",)]
    assert "country code" in raised.value.errors()[0]["msg"]


@pytest.mark.parametrize("typed", ["ACME 1815", "acme 1815", " ACME-18 15 ", "acme-1815"])
def test_an_account_number_may_be_typed_with_spaces_and_in_any_case(typed: str) -> None:
    # GIVEN the account number ACME1815 typed as people type it (the README: "upper case,
    # spaces ignored")
    # WHEN a request gives it
    submission = Submission.model_validate(
        {"type": "access", "email": "a@example.com", "account_number": typed}
    )
    # THEN it is accepted, as written (the data map's form compares it: ACME 1815 is ACME1815)
    assert submission.account_number == typed.strip()


@pytest.mark.parametrize("typed", ["ACME/1815", "ACME\t1815", "", "1" * 97])
def test_an_account_number_with_other_characters_is_refused_naming_it(typed: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Submission.model_validate(
            {"type": "access", "email": "a@example.com", "account_number": typed}
        )
    assert [error["loc"] for error in raised.value.errors()] == [("account_number",)]
    assert "letters, digits" in raised.value.errors()[0]["msg"]
