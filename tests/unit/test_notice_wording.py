"""What the e-mails say must be what happened, under the request's own law and origin: a
request a Brand instructed or the company started promises no proof and no unusable link; the
closing e-mail names the authority of the request's law; articles come from that law; a reply to
an unclear letter lists the rights of the sender's law; every line is in the person's language."""

from __future__ import annotations

import re
from functools import cache

import pytest
from babel.messages.pofile import read_po

from rightsflow.domain.closing import closing_notice
from rightsflow.domain.data_map import load_data_map
from rightsflow.domain.language import DOMAIN, LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE, words
from rightsflow.domain.lifecycle import RequestType, Status
from rightsflow.domain.notices import Notice, acknowledgment_notice, email_unrecognised_notice
from rightsflow.domain.regimes import CCPA, GDPR, REGIMES_BY_CODE, UK_GDPR, VIRGINIA
from rightsflow.domain.requests import RightsRequest
from rightsflow.domain.rights import right_for, rights_offered
from rightsflow.domain.routing import BrandPart, BrandPartStatus, brand_notes
from rightsflow.domain.scope import Scope, ScopeKind
from rightsflow.service.steps import _origin

PAGE = "https://privacy.example.com/gdpr"
TRANSLATED = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]
ORIGINS = {"web": None, "brand_api": "globex", "ops": None}
SCOPES = {
    "every_store": Scope(kind=ScopeKind.EVERY_STORE),
    "our_stores": Scope(kind=ScopeKind.OUR_STORES),
    "brand:globex": Scope(kind=ScopeKind.BRAND_STORES, brand="globex"),
}


def _record(language: str = "en", **changes: object) -> RightsRequest:
    fields: dict[str, object] = {
        "request_id": "req-20261201-abc",
        "type": RequestType.ERASURE,
        "status": Status.COMPLETED,
        "channel": "web",
        "email": "grace@example.com",
        "jurisdiction": "DE",
        "regime": "GDPR",
        "regime_law": GDPR.law,
        "time_zone": "Europe/Berlin",
        "language": language,
        "received_at": "2026-12-01T10:00:00.000Z",
        "due_at": "2027-01-01T22:59:59.999Z",
        "original_due_at": "2027-01-01T22:59:59.999Z",
        "acknowledge_basis": "policy",
        "updated_at": "2026-12-02T10:00:00.000Z",
        "status_token_hash": "x",
        "subject_hash": "y",
        "result_summary": "",
        **changes,
    }
    return RightsRequest.model_validate(fields)


def _acknowledgment(record: RightsRequest) -> Notice:
    right = right_for(record.type, record.language, record.regime)
    return acknowledgment_notice(
        record.language,
        request_id=record.request_id,
        right=(right.label, right.article, right.promise),
        received_at=record.received_at,
        due_at=record.due_at,
        law=record.regime_law,
        time_zone=record.time_zone,
        status_url=f"{PAGE}?request_id={record.request_id}",
        status_hint=None,
        identity="code",
        gpc=False,
        origin=_origin(record),
    )


@cache
def _english_only(language: str) -> tuple[str, ...]:
    """Pieces of our English sources (between placeholders, long enough to be words, not a
    name) that the `language` catalog writes differently: seen in that language's e-mail, they
    are a line left untranslated."""
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as file:
        catalog = read_po(file)
    pieces: set[str] = set()
    for message in catalog:
        if not message.id or isinstance(message.id, tuple | list):
            continue
        if str(message.string) == str(message.id):  # a proper name, kept as written
            continue
        pieces.update(p for p in re.split(r"%\(\w+\)[sd]", str(message.id)) if len(p) > 30)
    return tuple(sorted(pieces))


def _english_sentences_in(text: str, language: str) -> list[str]:
    """English source text left in an e-mail in `language` (none for English itself)."""
    if language == SOURCE_LANGUAGE:
        return []
    return [piece for piece in _english_only(language) if piece in text]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("channel", ["brand_api", "ops"])
def test_a_request_the_person_did_not_make_promises_no_proof_and_no_unusable_link(
    language: str, channel: str
) -> None:
    # GIVEN a Brand's instruction or an ops-started request (with a recorded reason)
    record = _record(
        language,
        channel=channel,
        brand=ORIGINS[channel],
        details={"ops_reason": "a child's data was found"} if channel == "ops" else {},
    )
    # WHEN the person is acknowledged
    notice = _acknowledgment(record)
    say = words(language)
    # THEN no promise of proof, and no status link, since the token went to the Brand or ops
    proof = say.gettext(
        "If you did not make this request, you can ignore this e-mail: nothing will be "
        "disclosed or changed without proof that the request comes from you."
    )
    assert proof not in notice.text
    assert PAGE not in notice.text
    assert (
        say.gettext("We received your privacy request %(request_id)s", request_id="x")[:10]
        not in notice.subject
        or language == "pl"
    )
    # AND it says who made it: the Brand by name as controller, or the company with its reason
    if channel == "brand_api":
        assert "Globex Corporation" in notice.text
    else:
        assert "a child's data was found" in notice.text
    assert _english_sentences_in(notice.text, language) == []


def test_the_brand_acknowledgment_says_it_instructed_us_as_controller_and_we_act_as_processor() -> (
    None
):
    notice = _acknowledgment(_record(channel="brand_api", brand="globex"))
    assert "Globex Corporation, as the controller" in notice.text
    assert "We act as its processor" in notice.text
    assert "did not have to ask" not in notice.text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("channel", list(ORIGINS))
@pytest.mark.parametrize("scope", list(SCOPES))
@pytest.mark.parametrize("status", [Status.COMPLETED, Status.DECLINED])
def test_the_closing_email_speaks_of_the_request_as_who_made_it(
    language: str, channel: str, scope: str, status: Status
) -> None:
    # GIVEN a request of each origin and scope, completed or declined
    record = _record(
        language,
        channel=channel,
        brand=ORIGINS[channel],
        scope=SCOPES[scope],
        status=status,
        decline_reason="the contract is not yet settled." if status is Status.DECLINED else None,
    )
    # WHEN it is closed
    notice = closing_notice(record, PAGE)
    first = notice.text.split("\n\n")[1]
    your = words(language).gettext(
        "Your request %(request_id)s for %(right)s is completed.",
        request_id=record.request_id,
        right=right_for(record.type, language).label,
    )
    # THEN only the person's own request is called theirs
    if channel == "web":
        assert first.startswith(your.split(record.request_id)[0]) or status is Status.DECLINED
    else:
        assert first.split(record.request_id)[0] != your.split(record.request_id)[0]
        if channel == "brand_api":
            assert "Globex Corporation" in first
    # AND a reason someone wrote is never followed by a second full stop
    assert ".." not in notice.text
    assert _english_sentences_in(notice.text, language) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("regime", "authority"),
    [
        (UK_GDPR, "Information Commissioner's Office"),
        (CCPA, "California Privacy Protection Agency"),
        (VIRGINIA, "Attorney General of Virginia"),
    ],
)
def test_a_non_gdpr_closing_email_names_its_own_laws_authority(
    language: str, regime: object, authority: str
) -> None:
    assert regime in REGIMES_BY_CODE.values()
    code = next(c for c, r in REGIMES_BY_CODE.items() if r is regime)
    # WHEN a request under that law is closed
    notice = closing_notice(_record(language, regime=code), PAGE)
    # THEN it names that law's authority, never the GDPR's "country where you live" route
    assert authority in notice.text
    gdpr_line = words(language).gettext(
        "If you are not satisfied with how we handled your request or your personal "
        "data, you have the right to lodge a complaint with a data protection "
        "authority, in particular in the country where you live or work, or where "
        "you think the law was broken."
    )
    assert gdpr_line not in notice.text
    assert _english_sentences_in(notice.text, language) == []


def test_a_gdpr_closing_email_keeps_the_gdpr_complaint_route() -> None:
    assert "in the country where you live" in closing_notice(_record(), PAGE).text


def test_each_request_cites_the_article_of_its_own_law() -> None:
    assert right_for(RequestType.ERASURE, "en", "UK_GDPR").article == "UK GDPR Art. 17"
    assert right_for(RequestType.ERASURE, "en", "GDPR").article == "GDPR Art. 17"
    assert right_for(RequestType.ERASURE, "de", "GDPR").article == "Art. 17 DSGVO"
    assert right_for(RequestType.ERASURE, "en", VIRGINIA.code).article == (
        "Va. Code § 59.1-577(A)(3)"
    )
    # a law whose table lists no article for a right is cited by its name, never by the GDPR's
    assert "GDPR" not in right_for(RequestType.ERASURE, "en", "PIPEDA").article


def test_recipients_are_told_under_the_requests_own_law() -> None:
    assert GDPR.recipients_basis() == "GDPR Art. 19"
    assert UK_GDPR.recipients_basis() == "UK GDPR Art. 19"
    assert "GDPR" not in VIRGINIA.recipients_basis()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_reply_to_an_unclear_letter_lists_the_rights_of_the_senders_law(language: str) -> None:
    # GIVEN a sender whose place we do not know (the default, EU: the GDPR)
    notice = email_unrecognised_notice(
        language, rights=rights_offered(language), gdpr_page_url=PAGE
    )
    say = words(language)
    # THEN no US-only right is offered
    for us_only in (
        "opting out of the sale and sharing of your personal information",
        "opting out of targeted advertising",
        "an appeal against our decision on your request",
        "limiting the use of your sensitive personal information",
    ):
        assert say.translate(us_only) not in notice.text
    assert say.translate("erasure of your personal data") in notice.text
    # AND a Virginian is offered Virginia's rights, cited from Virginia's law
    virginia = dict(rights_offered(language, VIRGINIA.code))
    assert virginia[say.translate("opting out of targeted advertising")] == (
        "Va. Code § 59.1-577(A)(5)"
    )
    assert say.translate("objection to processing") not in virginia


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_brands_decline_reason_ends_with_one_full_stop(language: str) -> None:
    data_map = load_data_map()
    part = BrandPart.model_validate(
        {
            "brand": "globex",
            "instruction": "forward",
            "stores": [s for s, st in data_map.stores.items() if st.brand == "globex"][:1],
            "status": BrandPartStatus.DECLINED,
            "reason": "The contract is not yet settled.",
        }
    )
    notes = brand_notes(data_map, {"globex": part}, language)
    assert any("settled." in note for note in notes)
    assert not any(".." in note for note in notes)
