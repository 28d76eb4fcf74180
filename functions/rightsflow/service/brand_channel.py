"""How we speak to a Brand: a webhook signed with the Brand's own secret, and/or e-mail."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rightsflow.domain.data_map import DataMap
from rightsflow.domain.fulfilment import StoreOutcome
from rightsflow.domain.notices import Notice
from rightsflow.domain.requests import RightsRequest
from rightsflow.domain.routing import BrandPart
from rightsflow.integration.mailer import Mailer
from rightsflow.integration.signing import derived_secret
from rightsflow.integration.webhooks import post_signed


@dataclass
class BrandChannel:
    data_map: DataMap
    physical_names: Mapping[str, str]  # webhook URL parameters by name
    # Read when a Brand is first written to, not at cold start: most calls of the Brand API
    # (reading, instructing) never sign anything.
    master_secret: Callable[[], str]
    mailer: Mailer

    def secret_for(self, brand: str) -> str:
        return derived_secret(self.master_secret(), f"brand:{brand}")

    def send(self, brand: str, payload: dict[str, Any], subject: str) -> list[str]:
        """Deliver by every channel the Brand has; returns the channels used."""
        settings = self.data_map.brands[brand]
        used: list[str] = []
        if settings.webhook:
            post_signed(self.physical_names[settings.webhook], self.secret_for(brand), payload)
            used.append("webhook")
        if settings.email:
            text = json.dumps(payload, indent=2, sort_keys=True, default=str)
            self.mailer.send(
                settings.email,
                Notice(subject=subject, text=text, html=f"<pre>{_escape(text)}</pre>"),
            )
            used.append("email")
        return used

    def ask_for_instruction(
        self, record: RightsRequest, part: BrandPart, *, reminder: bool
    ) -> None:
        payload = {
            "event": "instruction_requested",
            "reminder": reminder,
            "request_id": record.request_id,
            "type": record.type,
            "brand": part.brand,
            "received_at": record.received_at,
            "due_at": record.due_at,
            # The Brand is the controller of this data: it needs to know whose it is.
            "person": {
                "email": record.email,
                "name": record.name,
                "phone": record.phone,
                "account_number": record.account_number,
            },
            "details": record.details,
            "stores": [
                {"store": s, "description": self.data_map.stores[s].description}
                for s in part.stores
            ],
            "instruct": {
                "method": "POST",
                "path": f"/brands/{part.brand}/requests/{record.request_id}/instruction",
                "body": {"action": "fulfil | decline", "reason": "required to decline"},
            },
        }
        prefix = "Reminder: " if reminder else ""
        self.send(
            part.brand,
            payload,
            f"{prefix}privacy request {record.request_id} needs your instruction",
        )

    def report(self, record: RightsRequest, part: BrandPart, outcomes: list[StoreOutcome]) -> None:
        payload = {
            "event": "request_fulfilled",
            "request_id": record.request_id,
            "type": record.type,
            "brand": part.brand,
            "instruction": part.instruction,
            "stores": [
                {
                    "store": o.store,
                    "found": o.found,
                    "changed": o.changed,
                    "kept": o.kept,
                    "kept_reasons": sorted(set(o.kept_reasons)),
                    "refused": o.refused,
                    # read again after the change: the store holds what the right leaves
                    "verified": o.verified_at is not None,
                }
                for o in outcomes
            ],
        }
        self.send(part.brand, payload, f"Privacy request {record.request_id} was carried out")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
