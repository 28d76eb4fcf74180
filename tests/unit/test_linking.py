"""Whose records a request may use: the rules that tie identifiers and records to the person who
proved control of an e-mail address (rightsflow.domain.linking)."""

from __future__ import annotations

from rightsflow.domain.canonical import Identifier
from rightsflow.domain.data_map import load_data_map
from rightsflow.domain.fulfilment import Found
from rightsflow.domain.identity import Identity
from rightsflow.domain.linking import (
    contests,
    found_value,
    links_from,
    names_someone_else,
    split_found,
)

STORES = load_data_map().stores
CAROL = Identity(email="carol@example.com", phones=frozenset({"+442070001000;ext=12"}))


def _record(**data: object) -> Found:
    return Found(key={"profile_id": str(data.get("email"))}, data=dict(data))


def test_a_record_found_by_phone_that_names_another_email_is_set_aside() -> None:
    # GIVEN acme profiles found through Carol's phone: hers, one with no e-mail, and Dave's
    profiles = STORES["acme_profiles"]
    mine = _record(email="Carol@Example.COM", phone="+44 20 7000 1000 ext. 12")
    unnamed = _record(email="", phone="+44 20 7000 1000 ext. 12")
    daves = _record(email="dave@example.com", phone="+44 20 7000 1000 ext. 12")
    # THEN only Dave's is not hers (a record with no e-mail of its own contradicts nothing)
    theirs, others = split_found(profiles, [mine, unnamed, daves], CAROL)
    assert theirs == [mine, unnamed]
    assert others == [daves]
    assert names_someone_else(profiles, daves.data, CAROL)
    assert contests(profiles, daves.data, CAROL)


def test_a_store_without_e_mails_never_sets_a_record_aside() -> None:
    line = {"phone": "+442070001000", "content": "hi"}
    assert not names_someone_else(STORES["acme_sms_log"], line, CAROL)
    assert not contests(STORES["acme_sms_log"], line, CAROL)


def test_only_authoritative_stores_link_and_a_form_contests_nothing() -> None:
    assert links_from(STORES["acme_profiles"]) == {
        Identifier.PHONE: "phone",
        Identifier.ACCOUNT_NUMBER: "account_number",
    }
    assert links_from(STORES["site_leads"]) == {}
    lead = {"email": "mallory@example.net", "phone": "+44 20 7000 1000 ext. 12"}
    assert not contests(STORES["site_leads"], lead, CAROL)


def test_a_national_number_is_read_in_its_stores_region_or_not_at_all() -> None:
    # acme declares GB for its profiles' phones; globex declares nothing
    assert found_value(STORES["acme_profiles"], Identifier.PHONE, "020 7946 0000") == (
        "+442079460000"
    )
    assert found_value(STORES["globex_profiles"], Identifier.PHONE, "020 7946 0000") is None
    assert found_value(STORES["globex_profiles"], Identifier.PHONE, "+44 20 7946 0000") == (
        "+442079460000"
    )
