"""An external store (a vendor's API) reached by a signed webhook: it answers `find` with the
person's records and carries out `delete`, `anonymise` and `update` on them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rightsflow.domain.data_map import Store
from rightsflow.domain.errors import DeliveryFailed, StoreUnavailable
from rightsflow.domain.fulfilment import Action, Found
from rightsflow.domain.identity import Identity
from rightsflow.integration.webhooks import post_signed


class ExternalStore:
    def __init__(self, store: Store, url: str, secret: str) -> None:
        self.store = store
        self.url = url
        self.secret = secret

    def _call(self, payload: dict[str, Any]) -> dict[str, Any]:
        try:
            return post_signed(self.url, self.secret, payload)
        except DeliveryFailed as error:
            raise StoreUnavailable(f"{self.store.description}: {error}") from error

    def find(self, identity: Identity) -> list[Found]:
        lookup = {
            str(identifier): sorted(identity.values(identifier)) for identifier in self.store.lookup
        }
        answer = self._call({"action": "find", "lookup": lookup})
        return [Found.model_validate(record) for record in answer.get("records", [])]

    def apply(self, actions: Sequence[Action], applied: Callable[[Sequence[Action]], None]) -> None:
        for action in actions:
            payload = action.model_dump(mode="json", exclude={"kind"})
            self._call({"action": str(action.kind), **payload})
            applied([action])

    def recheck(self, identity: Identity, places: Sequence[str]) -> list[Found]:
        return self.find(identity)  # read from the store itself: no places of its own

    def copies(self, identity: Identity) -> list[str]:
        return []  # the vendor's own copies are the vendor's to erase, once told

    def erase_copies(
        self, where: str, identity: Identity, erasable: Callable[[dict[str, Any]], bool]
    ) -> int:
        return 0
