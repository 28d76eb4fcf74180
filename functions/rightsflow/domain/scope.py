"""Scope: which stores a request may read and change, decided once at intake from who asked.

A person asking for themselves may reach every store (the Brands whose data it is still decide
about their part: routing by role). A Brand asking about one of its consumers may reach only
the stores the data map assigns to that Brand: it is the controller of those and of nothing
else (GDPR Art. 28(3)(a): a processor acts on the controller's documented instructions, which
cover the controller's own data). Ops, starting a request on the company's own initiative,
name its scope.

The rule is one table, channel by store role:

=================  ==========  ===========================  ============================
channel (scope)    our stores  the scope's Brand's stores   another Brand's stores
=================  ==========  ===========================  ============================
web, email         read+change read+change (Brand decides)  read+change (Brand decides)
  (every_store)
brand_api          -           read+change                  -
  (brand_stores)
ops: every_store   read+change read+change (Brand decides)  read+change (Brand decides)
ops: our_stores    read+change -                            -
ops: brand_stores  -           read+change                  -
=================  ==========  ===========================  ============================
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from pydantic import BaseModel, Field

from rightsflow.domain.data_map import DataMap, Role, Store


class ScopeKind(StrEnum):
    EVERY_STORE = "every_store"  # a person's own request: every store, routed by role
    OUR_STORES = "our_stores"  # only the stores we are the controller of
    BRAND_STORES = "brand_stores"  # only the stores the data map assigns to one Brand


class StoreRole(StrEnum):
    """A store, as a request's scope sees it."""

    OURS = "ours"  # we are its controller
    THE_BRANDS = "the_brands"  # we process it for the Brand the scope names
    ANOTHER_BRANDS = "another_brands"  # we process it for any other Brand


class Access(NamedTuple):
    read: bool
    change: bool


NONE = Access(read=False, change=False)
READ_AND_CHANGE = Access(read=True, change=True)

# Who asked -> the scope the request gets at intake. Ops name theirs (None here).
SCOPE_OF_CHANNEL: dict[str, ScopeKind | None] = {
    "web": ScopeKind.EVERY_STORE,
    "email": ScopeKind.EVERY_STORE,
    "brand_api": ScopeKind.BRAND_STORES,
    "ops": None,
}

# The table: (scope, store role) -> may read / may change.
SCOPE_RULES: dict[tuple[ScopeKind, StoreRole], Access] = {
    (ScopeKind.EVERY_STORE, StoreRole.OURS): READ_AND_CHANGE,
    (ScopeKind.EVERY_STORE, StoreRole.THE_BRANDS): READ_AND_CHANGE,
    (ScopeKind.EVERY_STORE, StoreRole.ANOTHER_BRANDS): READ_AND_CHANGE,
    (ScopeKind.OUR_STORES, StoreRole.OURS): READ_AND_CHANGE,
    (ScopeKind.OUR_STORES, StoreRole.THE_BRANDS): NONE,
    (ScopeKind.OUR_STORES, StoreRole.ANOTHER_BRANDS): NONE,
    (ScopeKind.BRAND_STORES, StoreRole.OURS): NONE,
    (ScopeKind.BRAND_STORES, StoreRole.THE_BRANDS): READ_AND_CHANGE,
    (ScopeKind.BRAND_STORES, StoreRole.ANOTHER_BRANDS): NONE,
}


class ScopeError(ValueError):
    """A scope that cannot be: a Brand scope without a declared Brand, say."""


class Scope(BaseModel):
    """A request's scope as stored on it: its kind, the Brand it names, and the stores it
    reaches, fixed at intake (a store added to the data map later is not in it)."""

    kind: ScopeKind
    brand: str | None = None  # for brand_stores: the Brand whose stores these are
    stores: list[str] = Field(default_factory=list)

    def store_role(self, store: Store) -> StoreRole:
        if store.role is Role.CONTROLLER or store.brand is None:
            return StoreRole.OURS
        return StoreRole.THE_BRANDS if store.brand == self.brand else StoreRole.ANOTHER_BRANDS

    def access(self, data_map: DataMap, store_name: str) -> Access:
        """What the request may do in a store: the table's cell, and only in its stores."""
        store = data_map.stores.get(store_name)
        if store is None or store_name not in self.stores:
            return NONE
        return SCOPE_RULES[(self.kind, self.store_role(store))]

    def may_read(self, data_map: DataMap, store_name: str) -> bool:
        return self.access(data_map, store_name).read

    def may_change(self, data_map: DataMap, store_name: str) -> bool:
        return self.access(data_map, store_name).change

    @property
    def includes_ours(self) -> bool:
        """Whether the company's own processing is in scope (and so our privacy register)."""
        return SCOPE_RULES[(self.kind, StoreRole.OURS)].change

    def covers(self, other: Scope) -> bool:
        """Whether a request of this scope does all a request of `other` would: the same kind
        and Brand, and every store of the other's (a second submission may join an open request
        only if nothing it asks for is left out)."""
        return (
            self.kind is other.kind
            and self.brand == other.brand
            and set(other.stores) <= set(self.stores)
        )

    def readable(self, data_map: DataMap) -> list[str]:
        return [name for name in data_map.stores if self.may_read(data_map, name)]


def decide_scope(data_map: DataMap, kind: ScopeKind, brand: str | None = None) -> Scope:
    """The scope of a new request: the data map's stores its cell lets it read."""
    if kind is ScopeKind.BRAND_STORES:
        if not brand or brand not in data_map.brands:
            raise ScopeError(f"a Brand's scope names a declared Brand, not {brand!r}")
    elif brand is not None:
        brand = None  # only a Brand scope names a Brand
    draft = Scope(kind=kind, brand=brand, stores=list(data_map.stores))
    return draft.model_copy(update={"stores": draft.readable(data_map)})


def scope_for_channel(
    data_map: DataMap, channel: str, brand: str | None, named: Scope | None = None
) -> Scope:
    """Decided at intake: by the channel (a Brand's request: that Brand's stores), or as ops
    name it. Raises ScopeError where ops name none, or another channel names one."""
    kind = SCOPE_OF_CHANNEL[channel]
    if kind is None:
        if named is None:
            raise ScopeError("a request ops start names its scope")
        return decide_scope(data_map, named.kind, named.brand)
    if named is not None:
        raise ScopeError(f"a {channel} request's scope follows from who asked")
    return decide_scope(data_map, kind, brand if kind is ScopeKind.BRAND_STORES else None)


def parse_scope(text: str) -> tuple[ScopeKind, str | None]:
    """`every_store`, `our_stores` or `brand:<name>` (how ops name a scope)."""
    if text.startswith("brand:"):
        return ScopeKind.BRAND_STORES, text.removeprefix("brand:")
    return ScopeKind(text), None


def describe(data_map: DataMap, scope: Scope) -> str:
    """The scope in words, for the person and the Brand."""
    if scope.kind is ScopeKind.EVERY_STORE:
        return "every place we keep personal data"
    places = "; ".join(data_map.stores[s].description for s in scope.stores if s in data_map.stores)
    if scope.kind is ScopeKind.OUR_STORES:
        return f"only the data we hold for ourselves ({places})"
    brand = data_map.brands[scope.brand].name if scope.brand in data_map.brands else scope.brand
    return f"only the data we process for {brand} ({places})"
