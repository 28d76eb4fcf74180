"""The Brand API's use cases: a Brand submits requests it verified, reads its own requests, and
instructs us on those forwarded to it. A Brand never sees or touches another Brand's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from rightsflow.domain.data_map import load_data_map
from rightsflow.domain.errors import InvalidRequest, NotThisBrands, RequestNotFound
from rightsflow.domain.lifecycle import RequestType, Status
from rightsflow.domain.requests import Channel, Receipt, RightsRequest, Submission
from rightsflow.domain.routing import BrandPart
from rightsflow.domain.scope import Scope
from rightsflow.integration.brand_inbox import BrandInbox
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.workflow import Workflow
from rightsflow.service.intake import Intake, IntakeCommand
from rightsflow.service.routing import BrandRouting


class Instruction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["fulfil", "decline"]
    reason: str | None = Field(default=None, max_length=2000)


class BrandPartView(BaseModel):
    instruction: str
    status: str
    stores: list[str]
    reason: str | None = None
    forwarded_at: str | None = None
    decided_at: str | None = None


class BrandView(BaseModel):
    """What a Brand sees of a request: its own part, never another Brand's."""

    request_id: str
    type: RequestType
    status: Status
    channel: Channel
    received_at: str
    due_at: str
    updated_at: str
    part: BrandPartView | None = None
    scope: Scope | None = Field(
        default=None, description="the stores the request may read and change"
    )
    found_in: list[str] | None = Field(
        default=None,
        description="the Brand's stores where the person was found (null: not searched yet; "
        "[]: searched, not found, nothing changed)",
    )


class BrandPage(BaseModel):
    requests: list[BrandView]
    next_cursor: str | None = None


def brand_view(record: RightsRequest, brand: str) -> BrandView:
    """What a Brand sees: its own part, the request's scope when it is the Brand's own request
    (another's scope, or a person's, is not the Brand's to know), and where in its stores the
    person was found."""
    raw = record.brand_parts.get(brand)
    part = BrandPart.model_validate(raw) if raw else None
    own = record.channel is Channel.BRAND_API and record.brand == brand
    data_map = load_data_map()
    found_in = (
        None
        if record.planned_stores is None
        else [
            name
            for name in record.planned_stores
            if (store := data_map.stores.get(name)) is not None and store.brand == brand
        ]
    )
    return BrandView(
        request_id=record.request_id,
        type=record.type,
        status=record.status,
        channel=record.channel,
        received_at=record.received_at,
        due_at=record.due_at,
        updated_at=record.updated_at,
        part=BrandPartView(**part.model_dump(include=set(BrandPartView.model_fields)))
        if part
        else None,
        scope=record.scope if own else None,
        found_in=found_in,
    )


@dataclass
class BrandApi:
    requests: RequestsStore
    inbox: BrandInbox
    intake: Intake
    routing: BrandRouting
    workflow: Workflow

    def submit(self, brand: str, submission: Submission, idempotency_key: str | None) -> Receipt:
        if submission.brand not in (None, brand):
            raise InvalidRequest("brand", f"a Brand submits requests for itself ({brand}) only")
        command = IntakeCommand(
            submission=submission.model_copy(update={"brand": brand}),
            channel=Channel.BRAND_API,
            idempotency_key=f"{brand}:{idempotency_key}" if idempotency_key else None,
        )
        receipt = self.intake.submit(command)
        self.inbox.add(brand, receipt.request_id, receipt.received_at)
        return receipt

    def read(self, brand: str, request_id: str) -> BrandView:
        if not self.inbox.contains(brand, request_id):
            raise RequestNotFound(request_id)
        return brand_view(self.requests.get(request_id), brand)

    def page(self, brand: str, limit: int, cursor: str | None) -> BrandPage:
        ids, next_cursor = self.inbox.page(brand, limit, cursor)
        views = [brand_view(self.requests.get(request_id), brand) for request_id in ids]
        return BrandPage(requests=views, next_cursor=next_cursor)

    def instruct(self, brand: str, request_id: str, instruction: Instruction) -> BrandView:
        if not self.inbox.contains(brand, request_id):
            raise RequestNotFound(request_id)
        try:
            record = self.routing.instruct(
                self.workflow, request_id, brand, instruction.action, instruction.reason
            )
        except NotThisBrands as error:
            raise RequestNotFound(request_id) from error
        return brand_view(record, brand)


def caller_brand(authorizer_context: dict[str, Any]) -> str | None:
    brand = authorizer_context.get("brand")
    return str(brand) if brand else None
