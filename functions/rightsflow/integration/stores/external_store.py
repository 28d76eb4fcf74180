"""An external store (a vendor's API) reached by a signed webhook: it answers `find` with the
person's records and carries out `delete`, `anonymise` and `update` on them."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from rightsflow.domain.data_map import Store
from rightsflow.domain.errors import StoreUnavailable
from rightsflow.domain.fulfilment import Action, Found
from rightsflow.domain.identity import Identity
from rightsflow.integration.signing import signed_headers

TIMEOUT_SECONDS = 10


class ExternalStore:
    def __init__(self, store: Store, url: str, secret: str) -> None:
        self.store = store
        self.url = url
        self.secret = secret

    def _call(self, payload: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(payload, sort_keys=True).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL comes from our own template
            self.url, data=body, headers=signed_headers(self.secret, body), method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
                result: dict[str, Any] = json.loads(answer.read() or b"{}")
                return result
        except urllib.error.HTTPError as error:
            if error.code >= 500 or error.code == 429:
                raise StoreUnavailable(f"{self.store.description}: HTTP {error.code}") from error
            raise RuntimeError(
                f"{self.store.description} refused the call: HTTP {error.code}"
            ) from error
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise StoreUnavailable(f"{self.store.description}: {type(error).__name__}") from error

    def find(self, identity: Identity) -> list[Found]:
        lookup = {
            str(identifier): sorted(identity.values(identifier)) for identifier in self.store.lookup
        }
        answer = self._call({"action": "find", "lookup": lookup})
        return [Found.model_validate(record) for record in answer.get("records", [])]

    def apply(self, action: Action) -> None:
        self._call({"action": str(action.kind), **action.model_dump(mode="json", exclude={"kind"})})
