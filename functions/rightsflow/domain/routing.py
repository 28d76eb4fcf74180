"""Controller or processor: for its own data the company answers itself; for a Brand's consumer
data it is only the Brand's processor, and the Brand decides (its standing instruction, or an
instruction per request)."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from pydantic import BaseModel, Field

from rightsflow.domain.data_map import DataMap, Instruction, Role
from rightsflow.domain.language import SOURCE_LANGUAGE, words


class BrandPartStatus(StrEnum):
    STANDING_FULFIL = "standing_fulfil"  # the Brand told us once: act, then report
    AWAITING = "awaiting"  # forwarded; waiting for the Brand's instruction
    FULFIL = "fulfil"  # the Brand instructed us to act
    DECLINED = "declined"  # the Brand declined; its reason goes to the person


class BrandPart(BaseModel):
    """The part of a request that concerns one Brand's data."""

    brand: str
    instruction: Instruction
    stores: list[str]
    status: BrandPartStatus
    reason: str | None = None
    task_token: str | None = None
    forwarded_at: str | None = None
    reminded_at: str | None = None
    escalated_at: str | None = None
    decided_at: str | None = None
    reported_at: str | None = None

    @property
    def to_fulfil(self) -> bool:
        return self.status in {BrandPartStatus.STANDING_FULFIL, BrandPartStatus.FULFIL}


class Routing(BaseModel):
    controller_stores: list[str] = Field(default_factory=list)
    brand_parts: dict[str, BrandPart] = Field(default_factory=dict)


def route(data_map: DataMap, stores: list[str], instructed_by: str | None = None) -> Routing:
    """Split the person's stores into ours and each Brand's part. A Brand's own request
    (`instructed_by`) is its instruction for its part: it is not asked again."""
    routing = Routing()
    for name in stores:
        store = data_map.stores[name]
        if store.role is Role.CONTROLLER or store.brand is None:
            routing.controller_stores.append(name)
            continue
        part = routing.brand_parts.get(store.brand)
        if part is None:
            instruction = data_map.brands[store.brand].instruction
            part = BrandPart(
                brand=store.brand,
                instruction=instruction,
                stores=[],
                status=BrandPartStatus.FULFIL
                if store.brand == instructed_by
                else BrandPartStatus.STANDING_FULFIL
                if instruction is Instruction.FULFIL
                else BrandPartStatus.AWAITING,
            )
            routing.brand_parts[store.brand] = part
        part.stores.append(name)
    return routing


def stores_to_fulfil(controller_stores: list[str], parts: dict[str, BrandPart]) -> list[str]:
    return [
        *controller_stores,
        *(store for part in parts.values() if part.to_fulfil for store in part.stores),
    ]


def brand_notes(
    data_map: DataMap,
    parts: dict[str, BrandPart],
    language: str = SOURCE_LANGUAGE,
    found: Collection[str] | None = None,
) -> list[str]:
    """What the person is told about the data Brands control, in `language`. A part we
    fulfilled names only the stores where the person's data was `found` when we acted (another
    request may have erased the rest meanwhile), so the note never lists more places than the
    notice counts."""
    say = words(language)
    notes: list[str] = []
    for part in sorted(parts.values(), key=lambda p: p.brand):
        brand = data_map.brands[part.brand]
        stores = [s for s in part.stores if found is None or not part.to_fulfil or s in found]
        if not stores:
            continue
        places = "; ".join(say.translate(data_map.stores[s].description) for s in stores)
        notes.append(
            say.gettext(
                "%(brand)s decides about your data in: %(places)s. We process it on %(brand)s's "
                "behalf.",
                brand=brand.name,
                places=places,
            )
        )
        if part.status is BrandPartStatus.DECLINED:
            if brand.email:
                notes.append(
                    say.gettext(
                        "%(brand)s declined this request: %(reason)s. You can contact %(brand)s "
                        "at %(email)s.",
                        brand=brand.name,
                        reason=say.clause(part.reason or ""),
                        email=brand.email,
                    )
                )
            else:
                notes.append(
                    say.gettext(
                        "%(brand)s declined this request: %(reason)s.",
                        brand=brand.name,
                        reason=say.clause(part.reason or ""),
                    )
                )
    return notes
