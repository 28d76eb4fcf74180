"""Telling recipients (GDPR Art. 19): after a rectification, erasure or restriction, everyone the
data map lists as receiving data from an affected store is told, by its channel; one that
cannot be reached is reported to the person and to ops, never silently skipped."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rightsflow.domain.clock import to_iso, utc_now
from rightsflow.domain.data_map import DataMap
from rightsflow.domain.lifecycle import RequestType
from rightsflow.domain.notices import Notice
from rightsflow.domain.regimes import GDPR, REGIMES_BY_CODE
from rightsflow.domain.requests import RightsRequest, ops_facts
from rightsflow.integration.mailer import Mailer
from rightsflow.integration.ops_notifier import OpsNotifier
from rightsflow.integration.outcomes_store import OutcomesStore
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.webhooks import post_signed
from rightsflow.service.brand_channel import BrandChannel
from rightsflow.service.changes import Change, apply_change

COMPONENT = "NotifyRecipients"
ART_19_TYPES = {RequestType.RECTIFICATION, RequestType.ERASURE, RequestType.RESTRICTION}


@dataclass
class Recipients:
    requests: RequestsStore
    outcomes: OutcomesStore
    data_map: DataMap
    physical_names: Mapping[str, str]
    vendor_secret: str
    brands: BrandChannel
    mailer: Mailer
    notifier: OpsNotifier

    def plan(self, request_id: str) -> dict[str, Any]:
        record = self.requests.get(request_id)
        if record.type not in ART_19_TYPES:
            return {"recipients": []}
        scope = record.effective_scope(list(self.data_map.stores))
        affected = [
            o.store
            for o in self.outcomes.all(request_id)
            if o.changed and scope.may_change(self.data_map, o.store)
        ]
        names = sorted(
            {name for store in affected for name in self.data_map.stores[store].recipients}
        )
        pending = {n: {"status": "pending"} for n in names if n not in record.recipient_notices}
        if pending:
            self._record(request_id, "recipients_planned", {**pending}, {"recipients": names})
        return {
            "recipients": [
                n for n in names if record.recipient_notices.get(n, {}).get("status") != "notified"
            ]
        }

    def notify(self, request_id: str, name: str) -> None:
        record = self.requests.get(request_id)
        recipient = self.data_map.recipients[name]
        payload = self._notice(record)
        if recipient.channel == "email":
            self.mailer.send(recipient.address, self._email(record, payload))
        else:
            kind, _, target = recipient.address.partition(":")
            if kind == "brand":
                self.brands.send(target, payload, f"Privacy notice ({payload['article']})")
            else:
                store = self.data_map.stores[target]
                post_signed(self.physical_names[store.resource], self.vendor_secret, payload)
        self._record(
            request_id,
            "recipient_notified",
            {name: {"status": "notified", "channel": recipient.channel, "at": _now()}},
            {"recipient": name, "channel": recipient.channel},
        )

    def unreachable(self, request_id: str, name: str, error: str) -> None:
        record = self._record(
            request_id,
            "recipient_unreachable",
            {name: {"status": "unreachable", "error": error, "at": _now()}},
            {"recipient": name, "error": error},
        )
        self.notifier.publish(
            "recipient_unreachable",
            f"Recipient {name} could not be told about request {request_id}",
            {**ops_facts(record), "recipient": name, "error": error},
        )

    def _record(
        self, request_id: str, action: str, notices: dict[str, Any], detail: dict[str, Any]
    ) -> RightsRequest:
        def decide(current: RightsRequest) -> Change:
            return Change(
                action,
                COMPONENT,
                updates={"recipient_notices": {**current.recipient_notices, **notices}},
                detail=detail,
            )

        return apply_change(self.requests, request_id, decide)

    def _notice(self, record: RightsRequest) -> dict[str, Any]:
        """What a recipient must act on: whose data, what changed. No more than that."""
        return {
            "event": "data_subject_request_carried_out",
            "article": REGIMES_BY_CODE[record.regime].recipients_basis()
            if record.regime in REGIMES_BY_CODE
            else GDPR.recipients_basis(),
            "request_id": record.request_id,
            "type": record.type,
            "person": {"email": record.email},
            "corrections": record.details.get("corrections", {})
            if record.type is RequestType.RECTIFICATION
            else {},
            "action_expected": {
                RequestType.RECTIFICATION: "correct the data you received from us",
                RequestType.ERASURE: "erase the data you received from us",
                RequestType.RESTRICTION: "restrict processing of the data you received from us",
            }.get(record.type, ""),
        }

    @staticmethod
    def _email(record: RightsRequest, payload: dict[str, Any]) -> Notice:
        lines = [
            "Hello,",
            "",
            f"A data subject exercised a right with us (request {record.request_id}): "
            f"{payload['type']}.",
            f"As a recipient of their data, please {payload['action_expected']}.",
            f"The person: {record.email}",
        ]
        if payload["corrections"]:
            lines.append(f"Corrections: {payload['corrections']}")
        lines += ["", f"This notice is sent under {payload['article']}.", "", "Privacy team"]
        text = "\n".join(lines)
        return Notice(
            subject=f"Privacy notice ({payload['article']}): request {record.request_id}",
            text=text,
            html="<p>"
            + text.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br>")
            + "</p>",
        )


def _now() -> str:
    return to_iso(utc_now())
