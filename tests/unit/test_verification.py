"""Verification rules: codes, their storage, assurance by request type, second identifiers."""

from __future__ import annotations

import pytest

from rightsflow.domain.lifecycle import RequestType
from rightsflow.domain.verification import (
    ASSURANCE,
    Assurance,
    OnFile,
    Verification,
    assurance_for,
    code_matches,
    expiry_timeout_seconds,
    hash_code,
    new_code,
    new_salt,
    second_identifier_verdict,
)


def _stored(code: str) -> Verification:
    salt = new_salt()
    return Verification(
        code_hash=hash_code(code, salt),
        salt=salt,
        sent_at="2026-01-01T00:00:00.000Z",
        expires_at="2026-01-08T00:00:00.000Z",
        task_token="token",
    )


def test_codes_are_six_random_digits() -> None:
    codes = {new_code() for _ in range(200)}
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(codes) > 190


def test_a_code_is_stored_only_as_a_salted_hash() -> None:
    code = new_code()
    stored = _stored(code)
    assert code not in stored.model_dump_json()
    assert stored.code_hash != _stored(code).code_hash  # a new salt, a new hash
    assert code_matches(code, stored)
    assert code_matches(f" {code} ", stored)
    assert not code_matches(f"{(int(code) + 1) % 10**6:06d}", stored)


def test_every_request_type_has_an_assurance_level() -> None:
    assert set(ASSURANCE) == set(RequestType)
    for strict in ("access", "portability", "erasure", "rectification"):
        assert ASSURANCE[RequestType(strict)] is Assurance.EMAIL_AND_SECOND_IDENTIFIER
    assert ASSURANCE[RequestType.AUTOMATED_DECISION] is Assurance.EMAIL


@pytest.mark.parametrize(
    "kind",
    [
        "opt_out_sale_sharing",
        "limit_sensitive_pi",
        "opt_out_targeted_advertising",
        "opt_out_profiling",
        "withdraw_consent",
        "objection",
    ],
)
def test_stopping_processing_needs_no_code(kind: str) -> None:
    assert assurance_for(RequestType(kind), {}) is Assurance.NONE


def test_an_objection_to_other_processing_needs_control_of_the_e_mail() -> None:
    details = {"processing": "profiling for credit scoring"}
    assert assurance_for(RequestType.OBJECTION, details) is Assurance.EMAIL


ON_FILE = OnFile(frozenset({"+442079460000"}), frozenset({"ACME-1815"}))


@pytest.mark.parametrize(
    ("phone", "account", "satisfied"),
    [
        ("020 7946 0000", None, True),
        ("0044 20 7946 0000", None, True),
        ("+44 (0)20 7946-0000", None, True),
        (None, "acme-1815", True),
        (None, " acme-1815 ", True),
        ("call me", None, False),
        ("+44 20 0000 1111", None, False),
        (None, None, False),
        ("+44 20 0000 1111", "ACME-1815", True),
    ],
)
def test_a_second_identifier_on_file_must_be_matched(
    phone: str | None, account: str | None, satisfied: bool
) -> None:
    assert second_identifier_verdict(ON_FILE, phone, account, "GB").satisfied is satisfied


def test_nothing_on_file_needs_no_second_identifier() -> None:
    assert second_identifier_verdict(OnFile(), None, None, "EU").satisfied


# After an erasure that kept invoices under tax law: the profile (phone, account number) is
# gone, the register remembers the invoices' account number.
ONLY_HELD = OnFile(frozenset(), frozenset({"ACME-1815"}), live=False)


def test_a_repeat_erasure_giving_a_phone_no_record_carries_any_more_is_not_a_mismatch() -> None:
    # GIVEN only records kept under a legal hold remain, none carrying a phone
    # WHEN the person erases again, giving the phone our first erasure deleted
    verdict = second_identifier_verdict(ONLY_HELD, "020 7946 0001", None, "GB", discloses=False)
    # THEN the phone is "not on file", which contradicts nothing: the erasure goes on
    assert verdict.satisfied
    assert "not on file" in verdict.reason


@pytest.mark.parametrize(
    ("on_file", "phone", "account", "discloses", "reason"),
    [
        # a record carrying a different value is a mismatch, whatever else remains
        (ONLY_HELD, None, "ACME-9999", False, "does not match"),
        (ON_FILE, "+44 20 0000 1111", None, False, "does not match"),
        (ONLY_HELD, "call me", None, False, "does not match"),
        # nothing given while something is on file
        (ONLY_HELD, None, None, False, "gave none"),
        # access discloses: a phone not on file proves nothing about the account we hold
        (ONLY_HELD, "020 7946 0001", None, True, "not on file"),
        # a live record carries an account number: the request must match it
        (
            OnFile(frozenset(), frozenset({"ACME-1815"}), live=True),
            "020 7946 0001",
            None,
            False,
            "not on file",
        ),
    ],
)
def test_verification_is_not_weakened_where_a_record_contradicts_or_data_would_be_disclosed(
    on_file: OnFile, phone: str | None, account: str | None, discloses: bool, reason: str
) -> None:
    verdict = second_identifier_verdict(on_file, phone, account, "GB", discloses=discloses)
    assert not verdict.satisfied
    assert reason in verdict.reason


def test_the_wait_for_a_code_follows_compressed_time_but_lasts_at_least_a_second() -> None:
    assert expiry_timeout_seconds(7, None) == 7 * 86_400
    assert expiry_timeout_seconds(7, 10) == 70
    assert expiry_timeout_seconds(7, 0.01) == 1
