"""Canonical identifiers: the one form in which an e-mail address, a phone number or an account
number is compared, looked up, indexed, hashed and sent to. Every path goes through here.

The forms (decided once, for every store and channel):

- **e-mail**, matched: trimmed, Unicode NFC, the ASCII letters before the @ in lower case
  and nothing else changed there (so `Grace.Hopper@Example.COM` is `grace.hopper@example.com`,
  while `Straße@…` is not `strasse@…`, nor `ﬀ@…` `ff@…`: Unicode case folding would equate
  mailboxes that are different people's), the domain as its IDNA A-label in lower case (so
  `ada@bücher.example` and `ada@xn--bcher-kva.example` are the same person).
  Sent to: the same, but the part before the @ as the person wrote it; an address whose part
  before the @ is not ASCII cannot be delivered by Amazon SES (no SMTPUTF8), so it is refused
  where it is given (a 422 naming `email` at intake).
- **phone**: E.164 through `phonenumbers` (`+442079460000`), and an extension kept after it as
  RFC 3966 writes it (`+442070001000;ext=12`: `ext. 12`, `x12` and `#12` are that; colleagues
  on one switchboard are not one person, and a number without an extension is another number
  than any with one). A leading `00` is the international prefix (`0044 20 7946 0000`); a
  national number (`020 7946 0000`) takes the region of the request's jurisdiction (GB; US for
  US-CA) where the person types it, or the region the store that holds it declares; with no
  region it cannot be read and is refused (or, read from a store, compared with nothing)
  rather than guessed.
- **account number**: as the data map declares (`identifiers.account_number`): by default
  trimmed, spaces removed, upper case (`acme 1815` is `ACME1815`, `acme-1815` is `ACME-1815`).

Canonicalising is idempotent: the canonical form of a canonical form is itself.
"""

from __future__ import annotations

import hashlib
import re
import string
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, Literal

import idna


class Identifier(StrEnum):
    """How a person can be named in a request."""

    EMAIL = "email"
    PHONE = "phone"
    ACCOUNT_NUMBER = "account_number"


class UnreadableIdentifier(ValueError):
    """A value cannot be read as the identifier it claims to be; `identifier` names the kind
    (and so the field of a request). The message never repeats the value."""

    def __init__(self, identifier: Identifier, problem: str) -> None:
        super().__init__(f"{identifier}: {problem}")
        self.identifier = identifier
        self.problem = problem


class UndeliverableAddress(UnreadableIdentifier):
    """A well-formed e-mail address Amazon SES cannot send to (non-ASCII before the @)."""


@dataclass(frozen=True)
class AccountNumberForm:
    """How account numbers are compared, as the data map declares them (`identifiers:
    account_number:`, validated there by pydantic). A dataclass, not a model: every function
    canonicalises identifiers, and this module must not cost a cold start pydantic."""

    # How pydantic reads it inside the data map: unknown keys are refused, naming the key.
    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}

    case: Literal["upper", "lower", "as_written"] = "upper"
    ignore: str = " "  # characters that are not part of the number (spaces, by default)


DEFAULT_ACCOUNT_FORM = AccountNumberForm()


# ------------------------------------------------------------------ e-mail
@dataclass(frozen=True)
class EmailAddress:
    """One e-mail address in the two forms the product uses."""

    match: str  # compared, looked up, indexed and hashed in this form
    sending: str | None  # handed to SES in this form; None: SES cannot deliver to it


# Only A-Z: str.lower() and casefold() also map non-ASCII letters (and casefold the sharp s to
# ss, the long s to s, the ff ligature to ff), which would make different mailboxes one person.
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value.strip())


def email_address(raw: str) -> EmailAddress:
    """Both forms of an e-mail address. Raises UnreadableIdentifier when it has no local part,
    no domain, or a domain that is not a valid (internationalised) domain name."""
    text = _nfc(raw)
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        raise UnreadableIdentifier(Identifier.EMAIL, "an e-mail address is name@domain")
    try:
        ascii_domain = idna.encode(domain.rstrip("."), uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError) as error:
        raise UnreadableIdentifier(
            Identifier.EMAIL, "the part after the @ is not a valid domain name"
        ) from error
    match_local = local.translate(_ASCII_LOWER)
    return EmailAddress(
        match=f"{match_local}@{ascii_domain}",
        sending=f"{local}@{ascii_domain}" if local.isascii() else None,
    )


def email_match_form(raw: str) -> str:
    """How an e-mail address is compared: `Grace.Hopper@Example.COM` -> `grace.hopper@example.com`."""
    return email_address(raw).match


def email_spellings(match: str) -> frozenset[str]:
    """The lower-case spellings a store may hold of an address in match form: the domain as its
    A-label and as its Unicode U-label (`ada@xn--bcher-kva.example`, `ada@bücher.example`).
    A store that folds case on its side (a database's lower(), a case-insensitive column) is
    queried with these; what it finds is matched canonically again (`email_match_form`)."""
    local, _, domain = match.rpartition("@")
    try:
        unicode_domain = idna.decode(domain)
    except (idna.IDNAError, UnicodeError):
        return frozenset({match})
    return frozenset({match, f"{local}@{unicode_domain}"})


def sending_address(raw: str) -> str:
    """The address handed to SES: `ada@bücher.example` -> `ada@xn--bcher-kva.example`.
    Raises UndeliverableAddress for a non-ASCII part before the @ (`jörg@example.de`)."""
    address = email_address(raw)
    if address.sending is None:
        raise UndeliverableAddress(
            Identifier.EMAIL,
            "we cannot send e-mail to an address with non-ASCII characters before the @; "
            "please give another address",
        )
    return address.sending


# ------------------------------------------------------------------ phone
def region_of(jurisdiction: str | None) -> str | None:
    """The phone-number region of a jurisdiction code: DE -> DE, US-CA -> US, EU -> None."""
    if not jurisdiction:
        return None
    country = jurisdiction.strip().upper().split("-", maxsplit=1)[0]
    return None if country in {"EU", ""} else country


def phone_e164(raw: str, region: str | None = None) -> str:
    """E.164: `0044 20 7946 0000`, `+44 20 7946 0000` and (region GB) `020 7946 0000` are all
    `+442079460000`; with an extension, `+44 20 7000 1000 ext. 12` is `+442070001000;ext=12`
    (and matches neither `…;ext=34` nor `+442070001000`). Raises UnreadableIdentifier when the
    number cannot be read, or is national and no region says whose."""
    # Imported where a number is read, not at every cold start of every function (34 ms).
    import phonenumbers  # noqa: PLC0415

    text = _nfc(raw)
    if text.startswith("00"):
        text = "+" + text[2:]  # the international prefix
    try:
        parsed = phonenumbers.parse(text, None if text.startswith("+") else region)
    except phonenumbers.NumberParseException as error:
        problem = (
            "a national number needs its country: write it with + and the country code"
            if error.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE
            else "not a phone number we can read"
        )
        raise UnreadableIdentifier(Identifier.PHONE, problem) from error
    if not phonenumbers.is_possible_number(parsed):
        raise UnreadableIdentifier(Identifier.PHONE, "not a possible phone number (its length)")
    number = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return f"{number};ext={parsed.extension}" if parsed.extension else number


# ------------------------------------------------------------------ account number
def account_number(raw: str, form: AccountNumberForm = DEFAULT_ACCOUNT_FORM) -> str:
    """An account number as the data map declares it is compared: `acme 1815` -> `ACME1815`."""
    text = _nfc(raw)
    text = "".join(ch for ch in text if ch not in form.ignore)
    if form.case == "upper":
        text = text.upper()
    elif form.case == "lower":
        text = text.lower()
    if not text:
        raise UnreadableIdentifier(Identifier.ACCOUNT_NUMBER, "an account number is not empty")
    return text


# ------------------------------------------------------------------ any identifier
def canonical(
    identifier: Identifier,
    raw: str,
    *,
    region: str | None = None,
    account_form: AccountNumberForm = DEFAULT_ACCOUNT_FORM,
) -> str:
    """The canonical (match) form of any identifier. Raises UnreadableIdentifier."""
    if identifier is Identifier.EMAIL:
        return email_match_form(raw)
    if identifier is Identifier.PHONE:
        return phone_e164(raw, region)
    return account_number(raw, account_form)


def canonical_or_none(
    identifier: Identifier,
    raw: object,
    *,
    region: str | None = None,
    account_form: AccountNumberForm = DEFAULT_ACCOUNT_FORM,
) -> str | None:
    """The canonical form of a value read from a store, or None where it names nobody (empty,
    not text, or unreadable): such a value can find no one, and is never guessed at."""
    if not isinstance(raw, str | int) or isinstance(raw, bool) or not str(raw).strip():
        return None
    try:
        return canonical(identifier, str(raw), region=region, account_form=account_form)
    except UnreadableIdentifier:
        return None


# Where one stored value holds several identifiers, what separates them: e-mail address lists
# are written with "," (RFC 5322's address-list), ";" (Outlook) or spaces; phone lists with
# "," or ";" (never spaces or "/", which are written inside one number). Account numbers are
# never split.
_SEPARATORS: dict[Identifier, re.Pattern[str]] = {
    Identifier.EMAIL: re.compile(r"[,;\s]+"),
    Identifier.PHONE: re.compile(r"[,;]+"),
}


def held_identifiers(
    identifier: Identifier, raw: object, *, region: str | None = None
) -> list[str]:
    """The canonical identifiers a value read from a store holds: the value itself, or where
    it holds the separators above, each part between them that is one (`"ada@example.com;
    bob@example.com"` holds both). A value naming nobody gives []. A person is in a record
    only where one of these EQUALS their own canonical identifier: `ada@example.com` is never
    found inside `nada@example.com`."""
    separators = _SEPARATORS.get(identifier)
    if separators is None or not isinstance(raw, str) or not separators.search(raw.strip()):
        whole = canonical_or_none(identifier, raw, region=region)
        return [] if whole is None else [whole]
    parts = separators.split(raw.strip())
    held = (canonical_or_none(identifier, part, region=region) for part in parts)
    return list(dict.fromkeys(value for value in held if value is not None))


def could_be(identifier: Identifier, raw: object, wanted: str) -> bool:
    """A quick necessary condition for `raw`, as a store holds it, to be `wanted` (canonical):
    False only where the two cannot be the same identifier. Reading a store record by record,
    it spares parsing every value that cannot be the person's (a phone number costs some
    30 µs to parse). Every way of writing a phone number holds its national number's digits
    in a row, and so the last four digits of its E.164 form (letters, as in 1-800-FLOWERS, and
    digits of other scripts are left to the full parse)."""
    if identifier is not Identifier.PHONE:
        return True
    text = str(raw)
    if not text.isascii() or _LETTER.search(text):
        return True
    return _NOT_DIGIT.sub("", wanted)[-4:] in _NOT_DIGIT.sub("", text)


_LETTER = re.compile(r"[A-Za-z]")
_NOT_DIGIT = re.compile(r"[^0-9]")


def identifier_hash(value: str) -> str:
    """The key under which indexes and registers file an identifier (never the value itself):
    SHA-256 of its canonical form, which `canonical` gives."""
    return hashlib.sha256(value.encode()).hexdigest()
