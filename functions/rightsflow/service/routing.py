"""Routing by role: our own data we answer for; a Brand's consumer data the Brand decides about,
by its standing instruction or by an instruction for this request."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from rightsflow.domain.clock import to_iso, utc_now
from rightsflow.domain.data_map import DataMap
from rightsflow.domain.errors import IllegalTransition, InvalidRequest, NotThisBrands
from rightsflow.domain.lifecycle import Status
from rightsflow.domain.requests import Channel, RightsRequest, ops_facts
from rightsflow.domain.routing import (
    BrandPart,
    BrandPartStatus,
    route,
    stores_to_fulfil,
)
from rightsflow.domain.timescale import TimeScale
from rightsflow.integration.brand_inbox import BrandInbox
from rightsflow.integration.ops_notifier import OpsNotifier
from rightsflow.integration.outcomes_store import OutcomesStore
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.workflow import Workflow
from rightsflow.observability import logger, metrics
from rightsflow.service.brand_channel import BrandChannel
from rightsflow.service.changes import Change, apply_change, record_change

COMPONENT = "RouteByRole"


def _parts(record: RightsRequest) -> dict[str, BrandPart]:
    return {name: BrandPart.model_validate(part) for name, part in record.brand_parts.items()}


def _dump(parts: dict[str, BrandPart]) -> dict[str, Any]:
    return {name: part.model_dump(mode="json") for name, part in parts.items()}


@dataclass
class BrandRouting:
    requests: RequestsStore
    data_map: DataMap
    inbox: BrandInbox
    channel: BrandChannel
    notifier: OpsNotifier
    scale: TimeScale

    # ------------------------------------------------------------------ RouteByRole
    def route(self, request_id: str, stores: list[str]) -> dict[str, Any]:
        record = self.requests.get(request_id)
        if record.brand_parts:  # re-driven: the routing decided before stands
            parts = _parts(record)
        else:
            scope = record.effective_scope(list(self.data_map.stores))
            routing = route(
                self.data_map,
                [name for name in stores if scope.may_read(self.data_map, name)],
                instructed_by=record.brand if record.channel is Channel.BRAND_API else None,
            )
            parts = routing.brand_parts
            record = record_change(
                self.requests,
                request_id,
                action="routed_by_role",
                component=COMPONENT,
                updates={
                    "controller_stores": routing.controller_stores,
                    "brand_parts": _dump(parts),
                },
                detail={
                    "controller_stores": routing.controller_stores,
                    "brands": {b: p.instruction for b, p in parts.items()},
                },
            )
        for brand in parts:
            self.inbox.add(brand, request_id, record.received_at)
        return {
            "brands": [
                {
                    "brand": part.brand,
                    # Only a part still awaiting the Brand is forwarded: one the Brand already
                    # decided (its own request, or before a re-drive) is not asked again.
                    "instruction": part.instruction
                    if part.status is BrandPartStatus.AWAITING
                    else "decided",
                    "wait_seconds": self._wait_seconds(part.brand),
                }
                for part in parts.values()
            ]
        }

    def _wait_seconds(self, brand: str) -> int:
        days = self.data_map.brands[brand].reminder_days
        return max(1, math.ceil(days * (self.scale.day_seconds or 86_400)))

    # ------------------------------------------------------------------ ForwardToBrand
    def forward(self, request_id: str, brand: str, task_token: str, stage: str) -> None:
        """Tell the Brand (first, or as a reminder) and wait for its instruction."""
        now = to_iso(utc_now())

        def decide(current: RightsRequest) -> Change | None:
            parts = _parts(current)
            part = parts[brand]
            if part.status is not BrandPartStatus.AWAITING:
                return None
            stamp = {"forwarded_at": now} if stage == "first" else {"reminded_at": now}
            parts[brand] = part.model_copy(update={"task_token": task_token, **stamp})
            return Change(
                "forwarded_to_brand" if stage == "first" else "brand_reminded",
                COMPONENT,
                status=Status.AWAITING_BRAND,
                updates={"brand_parts": _dump(parts)},
                detail={"brand": brand},
            )

        record = apply_change(self.requests, request_id, decide)
        self.channel.ask_for_instruction(record, _parts(record)[brand], reminder=stage != "first")

    def escalate(self, request_id: str, brand: str, task_token: str) -> None:
        """The Brand stayed silent past its reminder: ops take it up; the Brand may still answer."""
        now = to_iso(utc_now())

        def decide(current: RightsRequest) -> Change | None:
            parts = _parts(current)
            if parts[brand].status is not BrandPartStatus.AWAITING:
                return None
            parts[brand] = parts[brand].model_copy(
                update={"task_token": task_token, "escalated_at": now}
            )
            return Change(
                "brand_silence_escalated",
                COMPONENT,
                updates={"brand_parts": _dump(parts)},
                detail={"brand": brand},
            )

        record = apply_change(self.requests, request_id, decide)
        self.notifier.publish(
            "brand_silent",
            f"Brand {brand} has not instructed us on request {request_id}",
            {**ops_facts(record), "brand": brand},
        )
        metrics.add_metric(name="BrandEscalations", unit="Count", value=1)

    # ------------------------------------------------------------------ the Brand's answer
    def instruct(
        self, workflow: Workflow, request_id: str, brand: str, action: str, reason: str | None
    ) -> RightsRequest:
        if action == "decline" and not (reason or "").strip():
            raise InvalidRequest("reason", "a decline needs the reason the person will be told")
        token: dict[str, str] = {}

        def decide(current: RightsRequest) -> Change:
            parts = _parts(current)
            part = parts.get(brand)
            if part is None:
                raise NotThisBrands(request_id)
            if part.status is not BrandPartStatus.AWAITING or not part.task_token:
                raise IllegalTransition(f"this request is not waiting for {brand}'s instruction")
            token["value"] = part.task_token
            parts[brand] = part.model_copy(
                update={
                    "status": BrandPartStatus.FULFIL
                    if action == "fulfil"
                    else BrandPartStatus.DECLINED,
                    "reason": (reason or "").strip() or None,
                    "decided_at": to_iso(utc_now()),
                    "task_token": None,
                }
            )
            return Change(
                f"brand_instructed_{action}",
                f"brand:{brand}",
                updates={"brand_parts": _dump(parts)},
                detail={"brand": brand, "action": action, "reason": reason or ""},
            )

        record = apply_change(self.requests, request_id, decide)
        workflow.resume(token["value"], {"action": action})
        logger.info("brand instructed", extra={"request_id": request_id, "brand": brand})
        return record

    # ------------------------------------------------------------------ SettleRouting
    def settle(self, request_id: str) -> dict[str, Any]:
        """Every Brand has answered: what is left to fulfil, or nothing (all declined)."""
        record = self.requests.get(request_id)
        parts = _parts(record)
        stores = stores_to_fulfil(record.controller_stores or [], parts)
        declined = [p for p in parts.values() if p.status is BrandPartStatus.DECLINED]
        if not stores and declined:
            reasons = "; ".join(
                f"{self.data_map.brands[p.brand].name}: {p.reason}" for p in declined
            )
            record_change(
                self.requests,
                request_id,
                action="declined_by_brands",
                component=COMPONENT,
                status=Status.DECLINED,
                updates={"decline_reason": reasons},
            )
            return {"stores": [], "declined": True}
        if record.status is Status.AWAITING_BRAND:
            record_change(
                self.requests,
                request_id,
                action="brands_answered",
                component=COMPONENT,
                status=Status.IN_PROGRESS,
            )
        return {"stores": stores, "declined": False}

    # ------------------------------------------------------------------ ReportToBrands
    def report(self, request_id: str, outcomes: OutcomesStore) -> None:
        """Tell each Brand whose data we changed on its standing or given instruction."""
        record = self.requests.get(request_id)
        done = {o.store: o for o in outcomes.all(request_id)}
        for brand, part in _parts(record).items():
            if not part.to_fulfil or part.reported_at:
                continue
            scope = record.effective_scope(list(self.data_map.stores))
            reported = [s for s in part.stores if s in done and scope.may_read(self.data_map, s)]
            self.channel.report(record, part, [done[s] for s in reported])

            def decide(current: RightsRequest, brand: str = brand) -> Change:
                parts = _parts(current)
                parts[brand] = parts[brand].model_copy(update={"reported_at": to_iso(utc_now())})
                return Change(
                    "reported_to_brand",
                    COMPONENT,
                    updates={"brand_parts": _dump(parts)},
                    detail={"brand": brand},
                )

            apply_change(self.requests, request_id, decide)
