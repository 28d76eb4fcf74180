"""Canonical identifiers: one form per kind, whatever way a person or a store writes it."""

from __future__ import annotations

import pytest

from rightsflow.domain.canonical import (
    AccountNumberForm,
    Identifier,
    UndeliverableAddress,
    UnreadableIdentifier,
    account_number,
    canonical,
    canonical_or_none,
    could_be,
    email_address,
    email_match_form,
    email_spellings,
    held_identifiers,
    identifier_hash,
    phone_e164,
    region_of,
    sending_address,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("grace.hopper@example.com", "Grace.Hopper@Example.COM"),
        ("  Grace.Hopper@example.com ", "grace.hopper@EXAMPLE.com"),
        ("ada@bücher.example", "ada@xn--bcher-kva.example"),
        ("ADA@BÜCHER.EXAMPLE", "ada@bücher.example."),
        # NFC: "é" typed as one code point or as "e" + combining acute
        ("ren\u00e9@example.fr", "rene\u0301@example.fr"),
    ],
)
def test_an_email_typed_one_way_matches_it_stored_another(typed: str, stored: str) -> None:
    assert email_match_form(typed) == email_match_form(stored)


def test_the_match_form_is_lower_case_with_an_ascii_domain() -> None:
    assert email_match_form("Grace.Hopper@Example.COM") == "grace.hopper@example.com"
    assert email_match_form("ada@bücher.example") == "ada@xn--bcher-kva.example"


def test_different_people_stay_different() -> None:
    assert email_match_form("ada@example.com") != email_match_form("ada@example.co")
    assert email_match_form("ada.l@example.com") != email_match_form("adal@example.com")


def test_we_send_to_the_ascii_domain_and_keep_the_local_part_as_written() -> None:
    assert sending_address("Ada.Lovelace@Bücher.example") == "Ada.Lovelace@xn--bcher-kva.example"
    assert email_address(" a@example.com ").sending == "a@example.com"


def test_an_address_ses_cannot_deliver_is_refused_naming_email() -> None:
    with pytest.raises(UndeliverableAddress) as refused:
        sending_address("jörg.beispiel@example.de")
    assert refused.value.identifier is Identifier.EMAIL
    assert "jörg" not in str(refused.value)  # the value is never repeated
    assert email_address("jörg.beispiel@example.de").sending is None
    # it is still an address we can match (a store may hold it), its ASCII letters lower-cased
    assert email_match_form("JÖRG.Beispiel@example.de") == "jÖrg.beispiel@example.de"


@pytest.mark.parametrize(
    ("someone", "other"),
    [
        ("Straße@example.de", "strasse@example.de"),  # casefold: ß -> ss
        ("\ufb00@example.de", "ff@example.de"),  # casefold: the ligature ﬀ -> ff
        ("\u017fam@example.de", "sam@example.de"),  # casefold: long s -> s
        ("ΣΑΣ@example.gr", "σας@example.gr"),  # casefold: final sigma
        ("İstanbul@example.tr", "i̇stanbul@example.tr"),  # lower(): dotted capital I
        ("ǅ@example.hr", "ǆ@example.hr"),  # lower(): title-case digraph
    ],
)
def test_different_mailboxes_never_become_one_person(someone: str, other: str) -> None:
    # GIVEN two addresses that only Unicode case folding would equate
    # THEN they stay two people: only A-Z before the @ are matched case-insensitively
    assert email_match_form(someone) != email_match_form(other)
    assert identifier_hash(email_match_form(someone)) != identifier_hash(email_match_form(other))


def test_ascii_letters_before_the_at_are_matched_case_insensitively_and_nothing_else() -> None:
    assert email_match_form("STRASSE.T@Example.DE") == "strasse.t@example.de"
    assert email_match_form("Straße.T@Example.DE") == "straße.t@example.de"
    # the domain follows IDNA (UTS 46), as the mail system does
    assert email_match_form("a@STRAẞE.example") == email_match_form("a@straße.example")


def test_the_log_pseudonym_never_equates_different_mailboxes() -> None:
    from rightsflow.domain.identifiers import pseudonym

    assert pseudonym("Straße@example.de") != pseudonym("strasse@example.de")
    assert pseudonym("Ada@Example.com") == pseudonym("ada@example.com")


@pytest.mark.parametrize("raw", ["no-at-sign", "@example.com", "ada@", "ada@exa mple..com"])
def test_what_is_not_an_address_is_unreadable(raw: str) -> None:
    with pytest.raises(UnreadableIdentifier):
        email_match_form(raw)


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+44 20 7946 0000", None, "+442079460000"),
        ("+44 (0)20 7946-0000", None, "+442079460000"),
        ("0044 20 7946 0000", None, "+442079460000"),
        ("0044 20 7946 0000", "DE", "+442079460000"),
        ("020 7946 0000", "GB", "+442079460000"),
        ("030 1234567", "DE", "+49301234567"),
        ("(617) 555-0001", "US", "+16175550001"),
        ("+442079460000", "US", "+442079460000"),  # an international number ignores the region
        ("+44 20 7000 1000 ext. 12", None, "+442070001000;ext=12"),
        ("+44 20 7000 1000 x12", None, "+442070001000;ext=12"),
        ("+44 20 7000 1000 #12", None, "+442070001000;ext=12"),
        ("020 7000 1000;ext=12", "GB", "+442070001000;ext=12"),
        ("(617) 555-0001 extension 7", "US", "+16175550001;ext=7"),
    ],
)
def test_phone_numbers_are_e164(raw: str, region: str | None, expected: str) -> None:
    assert phone_e164(raw, region) == expected
    assert phone_e164(expected) == expected  # idempotent
    # AND the quick test a store's reader makes before parsing never rules the number out
    assert could_be(Identifier.PHONE, raw, expected)


@pytest.mark.parametrize(
    "raw", ["+44 20 7946 0001", "+1 617 555 0000", "0000", "", "+44 20 7946 00 00 1"]
)
def test_a_quick_look_rules_out_other_numbers_without_parsing(raw: str) -> None:
    # GIVEN numbers whose digits do not end a run as +442079460000's do, or do by chance
    ruled_out = not could_be(Identifier.PHONE, raw, "+442079460000")
    # THEN whatever the quick look says, it never rules out the same number
    assert ruled_out or canonical_or_none(Identifier.PHONE, raw) != "+442079460000"
    assert could_be(Identifier.PHONE, "1-800-FLOWERS", "+18003569377")  # letters: parsed
    fullwidth = "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in "+44 20 7946 0000")
    assert could_be(Identifier.PHONE, fullwidth, "+442079460000")  # other scripts: parsed
    assert not could_be(Identifier.PHONE, "+44 20 7946 0001", "+442079460000")


def test_a_phone_extension_is_part_of_the_number() -> None:
    # GIVEN two colleagues on one switchboard, and the switchboard itself
    carol = phone_e164("+44 20 7000 1000 ext. 12")
    dave = phone_e164("+44 20 7000 1000 ext. 34")
    switchboard = phone_e164("+44 20 7000 1000")
    # THEN no two of them are the same number
    assert len({carol, dave, switchboard}) == 3
    # AND each is found however it is written
    assert carol == phone_e164("0044 (0)20 7000 1000 x 12") == phone_e164(carol)
    assert switchboard == "+442070001000"


def test_a_national_number_with_no_region_is_refused_not_guessed() -> None:
    with pytest.raises(UnreadableIdentifier) as refused:
        phone_e164("020 7946 0000", None)
    assert refused.value.identifier is Identifier.PHONE
    assert "country" in refused.value.problem


@pytest.mark.parametrize("raw", ["call me", "+44 1", "12"])
def test_what_is_not_a_phone_number_is_unreadable(raw: str) -> None:
    with pytest.raises(UnreadableIdentifier):
        phone_e164(raw, "GB")


@pytest.mark.parametrize(
    ("jurisdiction", "region"),
    [("GB", "GB"), ("DE", "DE"), ("US-CA", "US"), ("EU", None), ("", None), (None, None)],
)
def test_the_region_of_a_jurisdiction(jurisdiction: str | None, region: str | None) -> None:
    assert region_of(jurisdiction) == region


def test_account_numbers_follow_the_form_the_data_map_declares() -> None:
    assert account_number(" acme-1815 ") == "ACME-1815"
    assert account_number("acme 1815") == "ACME1815"
    keep_case = AccountNumberForm(case="as_written", ignore=" -")
    assert account_number("Acme-18 15", keep_case) == "Acme1815"
    with pytest.raises(UnreadableIdentifier):
        account_number("   ")


def test_canonical_dispatches_by_kind_and_is_idempotent() -> None:
    for identifier, raw in [
        (Identifier.EMAIL, "Grace.Hopper@Example.COM"),
        (Identifier.PHONE, "0044 20 7946 0000"),
        (Identifier.PHONE, "0044 20 7000 1000 ext. 12"),
        (Identifier.EMAIL, "Straße.T@Bücher.Example"),
        (Identifier.ACCOUNT_NUMBER, "acme-1815"),
    ]:
        once = canonical(identifier, raw)
        assert canonical(identifier, once) == once


def test_a_value_read_from_a_store_that_names_nobody_is_none() -> None:
    assert canonical_or_none(Identifier.PHONE, "", region="GB") is None
    assert canonical_or_none(Identifier.PHONE, None) is None
    assert canonical_or_none(Identifier.PHONE, True) is None
    assert canonical_or_none(Identifier.PHONE, "n/a", region="GB") is None
    assert canonical_or_none(Identifier.PHONE, "020 7946 0000", region="GB") == "+442079460000"
    assert canonical_or_none(Identifier.ACCOUNT_NUMBER, 1815) == "1815"


def test_hashes_are_of_the_canonical_form_so_either_spelling_finds_the_same_entry() -> None:
    typed = identifier_hash(email_match_form("grace.hopper@example.com"))
    stored = identifier_hash(email_match_form("Grace.Hopper@Example.COM"))
    assert typed == stored
    assert len(typed) == 64


def test_a_store_that_folds_case_itself_is_asked_for_both_spellings_of_a_unicode_domain() -> None:
    # GIVEN the canonical form of an address at a Unicode domain, and of a plain one
    # WHEN a database that folds case on its side is to be asked for it
    # THEN both spellings of the domain are asked for, and a plain domain has one spelling
    assert email_spellings(email_match_form("Ada@Bücher.example")) == {
        "ada@xn--bcher-kva.example",
        "ada@bücher.example",
    }
    assert email_spellings("grace.hopper@example.com") == {"grace.hopper@example.com"}


def test_a_person_is_in_a_value_only_if_it_or_one_of_its_listed_parts_equals_theirs() -> None:
    ada = "ada@example.com"
    assert held_identifiers(Identifier.EMAIL, "Ada@Example.com") == [ada]
    # someone whose address holds hers is not her
    assert held_identifiers(Identifier.EMAIL, "nada@example.com") == ["nada@example.com"]
    # a field listing several addresses holds each
    listed = held_identifiers(Identifier.EMAIL, "bob@example.com; Ada@example.com, c@d.org")
    assert listed == ["bob@example.com", ada, "c@d.org"]
    assert held_identifiers(Identifier.PHONE, "+44 20 7946 0000, +33 1 23 45 67 89") == [
        "+442079460000",
        "+33123456789",
    ]
    assert held_identifiers(Identifier.EMAIL, "not an address") == []
