"""Signed webhooks out: JSON POSTed with an HMAC-SHA256 signature over timestamp and body."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from rightsflow.domain.errors import DeliveryFailed
from rightsflow.integration.signing import signed_headers

TIMEOUT_SECONDS = 10


def post_signed(url: str, secret: str, payload: dict[str, Any]) -> dict[str, Any]:
    """POST `payload`; DeliveryFailed (retried by the state machine) when the peer is down or
    overloaded, RuntimeError when it refuses the call outright."""
    body = json.dumps(payload, sort_keys=True, default=str).encode()
    request = urllib.request.Request(  # noqa: S310 - URLs come from our own template
        url, data=body, headers=signed_headers(secret, body), method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
            result: dict[str, Any] = json.loads(answer.read() or b"{}")
            return result
    except urllib.error.HTTPError as error:
        if error.code >= 500 or error.code == 429:
            raise DeliveryFailed(f"{url}: HTTP {error.code}") from error
        raise RuntimeError(f"{url} refused the call: HTTP {error.code}") from error
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise DeliveryFailed(f"{url}: {type(error).__name__}") from error
