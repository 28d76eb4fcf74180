"""Identity verification: who must prove what before data is disclosed or changed, and the codes
that prove control of an e-mail address. Codes exist in clear only in the e-mail sent."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from rightsflow.domain.canonical import (
    DEFAULT_ACCOUNT_FORM,
    AccountNumberForm,
    Identifier,
    canonical_or_none,
    region_of,
)
from rightsflow.domain.lifecycle import RequestType

CODE_DIGITS = 6
MAX_ATTEMPTS = 5
MAX_RESENDS = 3
DEFAULT_EXPIRY_DAYS = 7


class Assurance(StrEnum):
    NONE = "none"  # nothing is disclosed or changed (a complaint)
    EMAIL = "email"  # control of the e-mail address
    EMAIL_AND_SECOND_IDENTIFIER = "email_and_second_identifier"  # ... and what we hold must match


# What each request type must prove: the one place this is configured. Stopping processing
# (opt-outs, withdrawing consent, objecting to direct marketing) needs no code: it is applied for
# the identifiers given, and asking for proof would be disproportionate (GDPR Art. 7(3), 12(2),
# 21(3); EDPB Guidelines 01/2022 paras 58-79; Cal. Code Regs. tit. 11 § 7060(b); the state laws).
ASSURANCE: dict[RequestType, Assurance] = {
    RequestType.OBJECTION: Assurance.NONE,  # to direct marketing; see assurance_for
    RequestType.WITHDRAW_CONSENT: Assurance.NONE,
    RequestType.OPT_OUT_SALE_SHARING: Assurance.NONE,
    RequestType.LIMIT_SENSITIVE_PI: Assurance.NONE,
    RequestType.OPT_OUT_TARGETED_ADVERTISING: Assurance.NONE,
    RequestType.OPT_OUT_PROFILING: Assurance.NONE,
    RequestType.AUTOMATED_DECISION: Assurance.EMAIL,
    # Disclosure or change of data: the e-mail is not enough where we hold a second identifier.
    RequestType.ACCESS: Assurance.EMAIL_AND_SECOND_IDENTIFIER,
    RequestType.PORTABILITY: Assurance.EMAIL_AND_SECOND_IDENTIFIER,
    RequestType.ERASURE: Assurance.EMAIL_AND_SECOND_IDENTIFIER,
    RequestType.RECTIFICATION: Assurance.EMAIL_AND_SECOND_IDENTIFIER,
    RequestType.RESTRICTION: Assurance.EMAIL_AND_SECOND_IDENTIFIER,
    RequestType.LIFT_RESTRICTION: Assurance.EMAIL_AND_SECOND_IDENTIFIER,
    # Nothing is disclosed or changed; an appeal is checked against its request's status token.
    RequestType.COMPLAINT: Assurance.NONE,
    RequestType.APPEAL: Assurance.NONE,
}


def assurance_for(request_type: RequestType, details: dict[str, Any]) -> Assurance:
    """What a request must prove. An objection to processing other than direct marketing
    (`details.processing`) is weighed by ops against the person's grounds: the person proves
    control of the e-mail first."""
    if request_type is RequestType.OBJECTION and details.get("processing"):
        return Assurance.EMAIL
    return ASSURANCE[request_type]


class Verification(BaseModel):
    """The pending proof of e-mail control, as stored: the code only as a salted hash."""

    code_hash: str
    salt: str
    sent_at: str
    expires_at: str  # legal time
    attempts_left: int = MAX_ATTEMPTS
    resends_used: int = 0
    task_token: str


class GroupCode(BaseModel):
    """The one code of a letter's group of requests (or of a request alone), as stored on the
    group's code holder (`code_holder`): the code only as a salted hash, when it was last sent,
    until when it is valid (legal time), how often it was re-sent, and which request's
    workflow issued it. Every request of the group waiting for a code carries a copy of it in
    its own `Verification`, so the one code verifies each of them."""

    code_hash: str
    salt: str
    sent_at: str
    expires_at: str  # legal time
    resends_used: int = 0
    issued_by: str
    mailed_at: str | None = None  # None: issued, not (yet) handed to the mailer


def code_holder(members: Sequence[tuple[str, RequestType, dict[str, Any]]]) -> str | None:
    """Which request of a group holds the group's code: the first, in the group's order, whose
    type needs proof of the e-mail (`members`: request id, type and details of each, in that
    order). The same for every request of the group whatever their states, so their workflows,
    running at once, all meet on one record. None: no request of the group needs a code."""
    for request_id, request_type, details in members:
        if assurance_for(request_type, details) is not Assurance.NONE:
            return request_id
    return None


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def hash_code(code: str, salt: str) -> str:
    """scrypt: a six-digit code is guessable offline unless each guess is expensive."""
    digest = hashlib.scrypt(code.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1, dklen=32)
    return digest.hex()


def new_salt() -> str:
    return secrets.token_hex(16)


def code_matches(code: str, verification: Verification) -> bool:
    candidate = hash_code(code.strip(), verification.salt)
    return hmac.compare_digest(candidate, verification.code_hash)


def expiry_timeout_seconds(expiry_days: float, day_seconds: float | None) -> int:
    """How long the workflow waits for the code, on the wall clock (at least one second)."""
    seconds = expiry_days * (day_seconds if day_seconds is not None else 86_400)
    return max(1, math.ceil(seconds))


def expires_at(sent_at: datetime, expiry_days: float) -> datetime:
    return sent_at + timedelta(days=expiry_days)


# ------------------------------------------------------------------ second identifiers
# Requests that give the person's data out (GDPR Art. 15, 20): a second identifier must match
# what we hold whatever else remains.
DISCLOSING = frozenset({RequestType.ACCESS, RequestType.PORTABILITY})


@dataclass(frozen=True)
class OnFile:
    """Second identifiers the stores hold for a person found by e-mail (empty: none on file),
    in canonical form. `live`: whether a record other than one kept under a legal hold carries
    any of them (False: only such records remain, as after an erasure that kept invoices)."""

    phones: frozenset[str] = frozenset()
    account_numbers: frozenset[str] = frozenset()
    live: bool = True

    @property
    def any(self) -> bool:
        return bool(self.phones or self.account_numbers)


@dataclass(frozen=True)
class SecondIdentifierVerdict:
    satisfied: bool
    reason: str


def second_identifier_verdict(
    on_file: OnFile,
    phone: str | None,
    account_number: str | None,
    jurisdiction: str,
    account_form: AccountNumberForm = DEFAULT_ACCOUNT_FORM,
    *,
    discloses: bool = True,
) -> SecondIdentifierVerdict:
    """Where we hold a phone or account number for the person, the request must match one;
    both sides are compared in canonical form (`0044 20 7946 0000` is `+44 20 7946 0000`).

    A **mismatch** is a record carrying a different value of the identifier given (or a value
    given that cannot be read): ops review it. An identifier of a kind no remaining record
    carries is **not on file**: it neither confirms nor contradicts. Where only records kept
    under a legal hold remain (`on_file.live` False, as after an erasure whose records were
    erased but whose invoices were kept) and the request discloses nothing (`discloses`
    False: an erasure, rectification or restriction, which cannot reach what a legal hold
    keeps beyond it), an identifier not on file satisfies the check: a second erasure by the
    same person finds nothing left instead of a mismatch our own erasure made. A request that
    would disclose data (access, portability), or gives nothing, still needs a match."""
    if not on_file.any:
        return SecondIdentifierVerdict(True, "no second identifier on file")
    given_phone = canonical_or_none(Identifier.PHONE, phone, region=region_of(jurisdiction))
    given_account = canonical_or_none(
        Identifier.ACCOUNT_NUMBER, account_number, account_form=account_form
    )
    if given_phone and given_phone in on_file.phones:
        return SecondIdentifierVerdict(True, "phone number matches")
    if given_account and given_account in on_file.account_numbers:
        return SecondIdentifierVerdict(True, "account number matches")
    if not phone and not account_number:
        return SecondIdentifierVerdict(
            False, "a second identifier is on file but the request gave none"
        )
    unreadable = (phone and not given_phone) or (account_number and not given_account)
    contradicted = (given_phone and on_file.phones) or (given_account and on_file.account_numbers)
    if unreadable or contradicted:
        return SecondIdentifierVerdict(
            False, "the second identifier given does not match our records"
        )
    # Every identifier given is of a kind no remaining record carries.
    if not on_file.live and not discloses:
        return SecondIdentifierVerdict(
            True,
            "the second identifier given is not on file: only records kept under a legal hold "
            "remain, and none carries one",
        )
    return SecondIdentifierVerdict(
        False,
        "the second identifier given is not on file; the request must match the "
        + ("phone number" if on_file.phones else "account number")
        + " we hold",
    )
