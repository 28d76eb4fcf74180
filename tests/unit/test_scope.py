"""Scope: a request reads and changes only the stores the channel it came by allows, cell by
cell of the one table (channel x store role), whatever the person is found in."""

from __future__ import annotations

import pytest

from rightsflow.domain.data_map import DataMap, parse_data_map
from rightsflow.domain.requests import Channel
from rightsflow.domain.scope import (
    SCOPE_OF_CHANNEL,
    SCOPE_RULES,
    Scope,
    ScopeError,
    ScopeKind,
    StoreRole,
    decide_scope,
    describe,
    parse_scope,
    scope_for_channel,
)

_STORE = """
    description: {description}
    kind: dynamodb
    resource: {resource}
    key: [email]
    role: {role}
    {brand}
    categories: [name]
    purposes: [x]
    legal_basis: x
    retention: x
    source: x
    lookup:
      email: {{attribute: email}}
    erasure: {{action: delete}}
    backup: {{kind: point-in-time recovery, window_days: 35}}
"""


def _map() -> DataMap:
    stores = {
        "ours": ("Our site's leads", "OursTable", "controller", ""),
        "acme_members": ("acme's members", "AcmeTable", "processor", "brand: acme"),
        "globex_members": ("globex's members", "GlobexTable", "processor", "brand: globex"),
    }
    text = """
brands:
  acme: {name: ACME Corp, instruction: fulfil, email: a@acme.example}
  globex: {name: Globex Corporation, instruction: forward, email: dpo@globex.example}
stores:
""" + "".join(
        f"  {name}:" + _STORE.format(description=d, resource=r, role=role, brand=b)
        for name, (d, r, role, b) in stores.items()
    )
    return parse_data_map(text)


DATA_MAP = _map()
# The store that plays each role for a request that speaks for acme (or names acme's scope).
ROLE_STORE = {
    StoreRole.OURS: "ours",
    StoreRole.THE_BRANDS: "acme_members",
    StoreRole.ANOTHER_BRANDS: "globex_members",
}
READ_AND_CHANGE, NOTHING = (True, True), (False, False)

# Every cell of the table: (channel, scope ops name or None) x store role -> (read, change).
CELLS = [
    (Channel.WEB, None, StoreRole.OURS, READ_AND_CHANGE),
    (Channel.WEB, None, StoreRole.THE_BRANDS, READ_AND_CHANGE),
    (Channel.WEB, None, StoreRole.ANOTHER_BRANDS, READ_AND_CHANGE),
    (Channel.EMAIL, None, StoreRole.OURS, READ_AND_CHANGE),
    (Channel.EMAIL, None, StoreRole.THE_BRANDS, READ_AND_CHANGE),
    (Channel.EMAIL, None, StoreRole.ANOTHER_BRANDS, READ_AND_CHANGE),
    (Channel.BRAND_API, None, StoreRole.OURS, NOTHING),
    (Channel.BRAND_API, None, StoreRole.THE_BRANDS, READ_AND_CHANGE),
    (Channel.BRAND_API, None, StoreRole.ANOTHER_BRANDS, NOTHING),
    (Channel.OPS, "every_store", StoreRole.OURS, READ_AND_CHANGE),
    (Channel.OPS, "every_store", StoreRole.THE_BRANDS, READ_AND_CHANGE),
    (Channel.OPS, "every_store", StoreRole.ANOTHER_BRANDS, READ_AND_CHANGE),
    (Channel.OPS, "our_stores", StoreRole.OURS, READ_AND_CHANGE),
    (Channel.OPS, "our_stores", StoreRole.THE_BRANDS, NOTHING),
    (Channel.OPS, "our_stores", StoreRole.ANOTHER_BRANDS, NOTHING),
    (Channel.OPS, "brand:acme", StoreRole.OURS, NOTHING),
    (Channel.OPS, "brand:acme", StoreRole.THE_BRANDS, READ_AND_CHANGE),
    (Channel.OPS, "brand:acme", StoreRole.ANOTHER_BRANDS, NOTHING),
]


def _scope(channel: Channel, named: str | None) -> Scope:
    """The scope intake decides for a request from acme (the Brand API) or about acme."""
    if named is None:
        return scope_for_channel(DATA_MAP, channel, brand="acme")
    kind, brand = parse_scope(named)
    return scope_for_channel(DATA_MAP, channel, None, Scope(kind=kind, brand=brand))


@pytest.mark.parametrize(
    ("channel", "named", "role", "allowed"),
    CELLS,
    ids=[f"{c.value}{'(' + n + ')' if n else ''}-{r.value}" for c, n, r, _ in CELLS],
)
def test_each_cell_of_the_scope_table(
    channel: Channel, named: str | None, role: StoreRole, allowed: tuple[bool, bool]
) -> None:
    scope = _scope(channel, named)
    store = ROLE_STORE[role]
    assert (scope.may_read(DATA_MAP, store), scope.may_change(DATA_MAP, store)) == allowed
    assert (store in scope.stores) is allowed[0]


def test_the_cells_cover_every_channel_and_every_role() -> None:
    assert {c for c, _, _, _ in CELLS} == set(Channel)
    assert {r for _, _, r, _ in CELLS} == set(StoreRole)
    assert set(SCOPE_RULES) == {(k, r) for k in ScopeKind for r in StoreRole}
    assert set(SCOPE_OF_CHANNEL) == {c.value for c in Channel}


def test_a_person_asking_through_the_web_with_a_brand_named_still_covers_every_store() -> None:
    scope = scope_for_channel(DATA_MAP, Channel.WEB, brand="globex")
    assert scope.kind is ScopeKind.EVERY_STORE
    assert scope.brand is None
    assert scope.stores == list(DATA_MAP.stores)


def test_a_brand_request_covers_only_the_stores_the_map_assigns_to_that_brand() -> None:
    scope = scope_for_channel(DATA_MAP, Channel.BRAND_API, brand="globex")
    assert scope == Scope(kind=ScopeKind.BRAND_STORES, brand="globex", stores=["globex_members"])
    assert describe(DATA_MAP, scope) == "only the data we process for Globex Corporation " + (
        "(globex's members)"
    )


def test_ops_must_name_a_scope_and_nobody_else_may() -> None:
    with pytest.raises(ScopeError, match="names its scope"):
        scope_for_channel(DATA_MAP, Channel.OPS, None)
    with pytest.raises(ScopeError, match="follows from who asked"):
        scope_for_channel(DATA_MAP, Channel.WEB, None, Scope(kind=ScopeKind.OUR_STORES))


@pytest.mark.parametrize("brand", [None, "initech"])
def test_a_brand_scope_names_a_declared_brand(brand: str | None) -> None:
    with pytest.raises(ScopeError, match="declared Brand"):
        decide_scope(DATA_MAP, ScopeKind.BRAND_STORES, brand)


def test_a_store_added_to_the_map_after_intake_is_not_in_the_scope() -> None:
    scope = Scope(kind=ScopeKind.EVERY_STORE, stores=["ours"])
    assert scope.may_change(DATA_MAP, "ours")
    assert not scope.may_read(DATA_MAP, "acme_members")
    assert not scope.may_read(DATA_MAP, "no_such_store")


def test_only_scopes_that_include_our_stores_touch_our_privacy_register() -> None:
    assert decide_scope(DATA_MAP, ScopeKind.EVERY_STORE).includes_ours
    assert decide_scope(DATA_MAP, ScopeKind.OUR_STORES).includes_ours
    assert not decide_scope(DATA_MAP, ScopeKind.BRAND_STORES, "acme").includes_ours


@pytest.mark.parametrize("text", ["everything", "brand", "ours"])
def test_a_scope_ops_cannot_name(text: str) -> None:
    with pytest.raises(ValueError, match="is not a valid ScopeKind"):
        parse_scope(text)


def test_a_submission_joins_only_an_open_request_whose_scope_covers_it() -> None:
    # GIVEN a person's own open request, a Brand's, and one from before a store was added
    everything = decide_scope(DATA_MAP, ScopeKind.EVERY_STORE)
    brands = decide_scope(DATA_MAP, ScopeKind.BRAND_STORES, "acme")
    older = everything.model_copy(update={"stores": everything.stores[:-1]})
    # THEN a person's new request is covered by the first only: never by a Brand's narrower
    # one, nor by one that misses a store the new one reaches
    assert everything.covers(everything)
    assert not brands.covers(everything)
    assert not older.covers(everything)
    # AND a Brand's new request is not covered by a person's own (another kind of request)
    assert not everything.covers(brands)
