"""Routing by role, and the signatures that let a Brand trust our webhooks."""

from __future__ import annotations

from rightsflow.domain.data_map import load_data_map
from rightsflow.domain.lifecycle import RequestType
from rightsflow.domain.routing import BrandPartStatus, brand_notes, route, stores_to_fulfil
from rightsflow.integration.signing import (
    derived_secret,
    is_authentic,
    signed_headers,
)

DATA_MAP = load_data_map()


def test_controller_stores_are_ours_and_processor_stores_are_grouped_by_brand() -> None:
    routing = route(
        DATA_MAP, ["site_leads", "acme_profiles", "acme_transactions", "globex_profiles"]
    )
    assert routing.controller_stores == ["site_leads"]
    assert routing.brand_parts["acme"].stores == ["acme_profiles", "acme_transactions"]
    assert routing.brand_parts["acme"].status is BrandPartStatus.STANDING_FULFIL
    assert routing.brand_parts["globex"].status is BrandPartStatus.AWAITING


def test_only_brands_that_said_fulfil_have_their_stores_fulfilled() -> None:
    routing = route(DATA_MAP, ["site_leads", "acme_profiles", "globex_profiles"])
    parts = routing.brand_parts
    assert stores_to_fulfil(routing.controller_stores, parts) == ["site_leads", "acme_profiles"]
    parts["globex"] = parts["globex"].model_copy(update={"status": BrandPartStatus.FULFIL})
    assert "globex_profiles" in stores_to_fulfil(routing.controller_stores, parts)


def test_the_person_is_told_which_brand_decides_and_why_it_declined() -> None:
    parts = route(DATA_MAP, ["globex_profiles"]).brand_parts
    parts["globex"] = parts["globex"].model_copy(
        update={"status": BrandPartStatus.DECLINED, "reason": "no such member"}
    )
    notes = "\n".join(brand_notes(DATA_MAP, parts))
    assert "Globex Corporation decides about your data in: Members of Brand globex" in notes
    assert "declined this request: no such member" in notes
    assert "dpo@globex.example" in notes


def test_a_fulfilled_brand_part_lists_only_the_places_the_notice_counts() -> None:
    # GIVEN an erasure planned when the person was in acme's three stores, but another erasure
    # of the same person ran first, so only the SMS log still held anything when this one acted
    from rightsflow.domain.fulfilment import OutcomeStatus, StoreOutcome
    from rightsflow.domain.summary import fulfilment_summary

    stores = ["acme_profiles", "acme_transactions", "acme_sms_log"]
    parts = route(DATA_MAP, stores).brand_parts
    outcomes = [
        StoreOutcome(store=name, status=OutcomeStatus.DONE, at="2026-11-29T16:00:00.000Z")
        for name in stores
    ]
    outcomes[2].found = outcomes[2].changed = 1
    found = {o.store for o in outcomes if o.found}
    # WHEN the closing notice is written
    summary = fulfilment_summary(
        DATA_MAP,
        RequestType.ERASURE,
        outcomes,
        brand_notes=brand_notes(DATA_MAP, parts, found=found),
    )
    # THEN it counts one place and the Brand's note names that one place only
    assert "We found data about you in 1 place:" in summary
    note = next(line for line in summary.splitlines() if "ACME Corp decides" in line)
    assert "SMS messages" in note
    assert "Consumer profiles" not in note
    assert "Purchase history" not in note
    # AND where nothing at all was found in a Brand's stores, the Brand is not named
    assert brand_notes(DATA_MAP, parts, found=set()) == []


def test_a_signature_proves_the_secret_and_the_body() -> None:
    body = b'{"event": "x"}'
    headers = signed_headers("s3cret", body, now=1_000_000)
    assert is_authentic("s3cret", headers, body, now=1_000_010)
    assert not is_authentic("other", headers, body, now=1_000_010)
    assert not is_authentic("s3cret", headers, b'{"event": "y"}', now=1_000_010)


def test_an_old_signature_is_refused_against_replays() -> None:
    body = b"{}"
    headers = signed_headers("s3cret", body, now=1_000_000)
    assert not is_authentic("s3cret", headers, body, now=1_000_000 + 301)


def test_each_brand_gets_its_own_secret_from_the_master() -> None:
    assert derived_secret("master", "brand:acme") != derived_secret("master", "brand:globex")
    assert derived_secret("master", "brand:acme") == derived_secret("master", "brand:acme")
