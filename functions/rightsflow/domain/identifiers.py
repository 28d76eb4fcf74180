"""Ids, secrets and the hashed identifiers that may appear in logs and metrics instead of personal data."""

import hashlib
import hmac
import secrets
import string
import uuid

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def new_request_id() -> str:
    """A request id that is also a valid Step Functions execution name (<= 80 chars, [A-Za-z0-9-])."""
    return f"req-{uuid.uuid4().hex}"


def new_status_token() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """Status tokens are high-entropy, so an unsalted SHA-256 is enough to store them."""
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def pseudonym(value: str) -> str:
    """A short stable hash of a personal identifier, for logs and correlation (never the value).
    Give it the identifier's canonical form (rightsflow.domain.canonical) so that every spelling
    of it gets the same pseudonym; what is not yet canonical is trimmed and its ASCII letters
    lower-cased (never case-folded: `Straße` and `strasse` are different people)."""
    return hashlib.sha256(value.strip().translate(_ASCII_LOWER).encode()).hexdigest()[:16]
