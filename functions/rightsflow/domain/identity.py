"""Who a request is about: the e-mail the person proved control of, and the identifiers that
records found by that e-mail in stores authoritative for linking hold (rightsflow.domain.linking).
Nothing the request merely claims is used to find data.

Every value here is canonical (rightsflow.domain.canonical): the e-mail in its match form, phones
in E.164, account numbers as the data map declares them. That is what stores are queried with,
what indexes and registers are keyed by, and what is hashed."""

from __future__ import annotations

from pydantic import BaseModel, field_validator

from rightsflow.domain.canonical import (
    Identifier,
    email_match_form,
    identifier_hash,
    phone_e164,
)

__all__ = ["Identity", "identifier_hash", "normalise_email"]


class Identity(BaseModel):
    email: str
    phones: frozenset[str] = frozenset()
    account_numbers: frozenset[str] = frozenset()
    # Rows kept under a legal hold whose link to the e-mail was erased: SQL store -> the entry
    # rows' keys (JSON), so that a later access request still finds what is kept.
    held_rows: dict[str, frozenset[str]] = {}

    @field_validator("email")
    @classmethod
    def _email_match_form(cls, value: str) -> str:
        return email_match_form(value)

    @field_validator("phones")
    @classmethod
    def _e164(cls, values: frozenset[str]) -> frozenset[str]:
        # Phones reach an identity already canonical (with the region that read them); a
        # number without its country code here is a bug, refused rather than guessed.
        return frozenset(phone_e164(value) for value in values)

    def values(self, identifier: Identifier) -> frozenset[str]:
        if identifier is Identifier.EMAIL:
            return frozenset({self.email})
        if identifier is Identifier.PHONE:
            return self.phones
        return self.account_numbers

    def with_found(self, identifier: Identifier, value: str) -> Identity:
        """Add a canonical value found in a record (the caller canonicalises it)."""
        if identifier is Identifier.PHONE:
            return self.model_copy(update={"phones": self.phones | {phone_e164(value)}})
        if identifier is Identifier.ACCOUNT_NUMBER:
            return self.model_copy(update={"account_numbers": self.account_numbers | {value}})
        return self

    def without(self, identifier: Identifier, value: str) -> Identity:
        """The identity less one phone or account number (the e-mail always stays)."""
        if identifier is Identifier.PHONE:
            return self.model_copy(update={"phones": self.phones - {value}})
        if identifier is Identifier.ACCOUNT_NUMBER:
            return self.model_copy(update={"account_numbers": self.account_numbers - {value}})
        return self

    def with_held_rows(self, store: str, keys: set[str]) -> Identity:
        held = {**self.held_rows, store: self.held_rows.get(store, frozenset()) | keys}
        return self.model_copy(update={"held_rows": held})

    def hashes(self) -> list[tuple[Identifier, str]]:
        """Every identifier as (kind, hash): how registers and indexes name a person."""
        return [
            (identifier, identifier_hash(value))
            for identifier in Identifier
            for value in sorted(self.values(identifier))
        ]


def normalise_email(email: str) -> str:
    """The e-mail's canonical match form (kept for callers of the old name)."""
    return email_match_form(email)
