"""Who a request is about: the e-mail the person proved control of, and the identifiers that
records found by that e-mail hold. Nothing the request merely claims is used to find data."""

from __future__ import annotations

import hashlib

from pydantic import BaseModel

from rightsflow.domain.data_map import Identifier


class Identity(BaseModel):
    email: str
    phones: frozenset[str] = frozenset()
    account_numbers: frozenset[str] = frozenset()
    # Rows kept under a legal hold whose link to the e-mail was erased: SQL store -> the entry
    # rows' keys (JSON), so that a later access request still finds what is kept.
    held_rows: dict[str, frozenset[str]] = {}

    def values(self, identifier: Identifier) -> frozenset[str]:
        if identifier is Identifier.EMAIL:
            return frozenset({self.email})
        if identifier is Identifier.PHONE:
            return self.phones
        return self.account_numbers

    def with_found(self, identifier: Identifier, value: str) -> Identity:
        if identifier is Identifier.PHONE:
            return self.model_copy(update={"phones": self.phones | {value}})
        if identifier is Identifier.ACCOUNT_NUMBER:
            return self.model_copy(update={"account_numbers": self.account_numbers | {value}})
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
    return email.strip().lower()


def identifier_hash(value: str) -> str:
    """The key under which indexes and registers file an identifier (never the value itself)."""
    return hashlib.sha256(value.encode()).hexdigest()
