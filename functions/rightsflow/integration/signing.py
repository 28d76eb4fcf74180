"""Signed webhooks: HMAC-SHA256 over the timestamp and the body, with a shared secret."""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Rightsflow-Signature"
TIMESTAMP_HEADER = "X-Rightsflow-Timestamp"
MAX_SKEW_SECONDS = 300


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def signed_headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    timestamp = str(int(now if now is not None else time.time()))
    return {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


def is_authentic(
    secret: str, headers: dict[str, str], body: bytes, now: float | None = None
) -> bool:
    """What a receiver checks: a fresh timestamp and a signature made with the shared secret."""
    lowered = {name.lower(): value for name, value in headers.items()}
    timestamp = lowered.get(TIMESTAMP_HEADER.lower(), "")
    given = lowered.get(SIGNATURE_HEADER.lower(), "")
    if not timestamp.isdigit():
        return False
    if abs((now if now is not None else time.time()) - int(timestamp)) > MAX_SKEW_SECONDS:
        return False
    return hmac.compare_digest(given, signature(secret, timestamp, body))


def derived_secret(master: str, label: str) -> str:
    """One secret per party (`brand:acme`) from one master secret: each Brand gets its own,
    and the master alone is stored."""
    return hmac.new(master.encode(), label.encode(), hashlib.sha256).hexdigest()
