"""Replies in the writer's language: which language a person gets, every e-mail in every language
we write (read back by the same language detector intake uses), dates in the regime's zone and
the language's locale, and plural forms."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from pydantic import ValidationError

from rightsflow.domain.closing import closing_notice
from rightsflow.domain.language import (
    LANGUAGES,
    from_accept_language,
    reply_language,
    supported,
    words,
)
from rightsflow.domain.lifecycle import RequestType, Status
from rightsflow.domain.mail_recognition import detect_language
from rightsflow.domain.notices import (
    CodeRequest,
    LetterRequest,
    Notice,
    acknowledgment_notice,
    email_acknowledgment_notice,
    email_too_large_notice,
    email_triage_notice,
    email_unrecognised_notice,
    extension_notice,
    lift_restriction_notice,
    verification_notice,
)
from rightsflow.domain.requests import RightsRequest, Submission
from rightsflow.domain.rights import right_for, rights_offered

GDPR = "GDPR (Regulation (EU) 2016/679) Art. 12(3)"
PAGE = "https://privacy.example/"


# ---------------------------------------------------------------- which language
@pytest.mark.parametrize(
    ("tag", "language"),
    [("de", "de"), ("de-AT", "de"), ("pt_BR", "pt"), ("PL", "pl"), ("sv-SE", "sv")],
)
def test_a_language_tag_is_read_as_its_language(tag: str, language: str) -> None:
    assert supported(tag) == language


@pytest.mark.parametrize("tag", ["ja", "cs", "und", "", "en-", "de AT", "x" * 40])
def test_a_language_we_do_not_write_is_not_supported_and_is_answered_in_english(tag: str) -> None:
    assert supported(tag) is None
    assert reply_language(tag) == "en"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "fr"),
        ("ja, ko;q=0.9, nl;q=0.2", "nl"),  # the first we write
        ("en;q=0.3, da;q=0.9", "da"),  # weights, not order
        ("de;q=0, it", "it"),  # q=0: not this one
        ("ja", None),
        (None, None),
        ("de;q=abc", None),
    ],
)
def test_the_browser_language_is_the_most_preferred_one_we_write(
    header: str | None, language: str | None
) -> None:
    assert from_accept_language(header) == language


def test_a_request_names_its_language_or_gets_a_clear_error() -> None:
    base = {"type": "access", "email": "ada@example.com"}
    assert Submission.model_validate({**base, "language": "de-AT"}).language == "de"
    assert Submission.model_validate(base).language is None
    with pytest.raises(ValidationError) as refused:
        Submission.model_validate({**base, "language": "ja"})
    error = refused.value.errors()[0]
    assert error["loc"] == ("language",)
    assert "we write in en, de, fr" in error["msg"]


# ---------------------------------------------------------------- dates and plurals
def test_a_moment_is_written_in_the_regimes_zone_and_the_languages_locale() -> None:
    # GIVEN the last moment of 29 December 2026 in Berlin, as stored (UTC)
    due = "2026-12-29T22:59:59.999Z"
    assert words("de").moment(due, "Europe/Berlin") == "29. Dezember 2026, 23:59 MEZ"
    assert words("en").moment(due, "America/New_York") == "December 29, 2026, 5:59\u202fPM EST"
    assert words("fr").moment(due, "Europe/Paris").startswith("29 décembre 2026")
    # without a zone: UTC, said so
    assert "22:59" in words("sv").moment(due, None)


@pytest.mark.parametrize(
    ("count", "polish"),
    [
        (1, "usunięto 1 rekord"),
        (3, "usunięto 3 rekordy"),
        (5, "usunięto 5 rekordów"),
        (22, "usunięto 22 rekordy"),
        (112, "usunięto 112 rekordów"),
    ],
)
def test_counts_take_each_languages_plural_forms(count: int, polish: str) -> None:
    say = words("pl")
    assert say.ngettext("%(count)d record deleted", "%(count)d records deleted", count) == polish


# ---------------------------------------------------------------- every e-mail, every language
def _record(language: str, **changes: object) -> RightsRequest:
    fields: dict[str, object] = {
        "request_id": "req-20261201-abc",
        "type": RequestType.ERASURE,
        "status": Status.COMPLETED,
        "channel": "email",
        "email": "ada@example.com",
        "jurisdiction": "DE",
        "regime": "GDPR",
        "regime_law": GDPR,
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


def _acknowledgment(language: str) -> Notice:
    right = right_for(RequestType.ERASURE, language)
    return acknowledgment_notice(
        language,
        request_id="req-1",
        right=(right.label, right.article, right.promise),
        received_at="2026-12-01T10:00:00Z",
        due_at="2027-01-01T22:59:59Z",
        law=GDPR,
        time_zone="Europe/Berlin",
        status_url=f"{PAGE}?request_id=req-1",
        status_hint="web",
        identity="code",
        gpc=False,
    )


def _letter_acknowledgment(language: str) -> Notice:
    listed = [
        LetterRequest(right.label, right.article, f"req-{n}", f"{PAGE}?request_id=req-{n}&token=t")
        for n, right in enumerate(
            right_for(t, language) for t in (RequestType.ACCESS, RequestType.ERASURE)
        )
    ]
    return email_acknowledgment_notice(
        language,
        requests=listed,
        received_at="2026-12-01T10:00:00Z",
        due_at="2027-01-01T22:59:59Z",
        law=GDPR,
        time_zone="Europe/Berlin",
        needs_code=True,
    )


def _verification(language: str) -> Notice:
    access = right_for(RequestType.ACCESS, language)
    return verification_notice(
        language,
        request_id="req-1",
        requests=[CodeRequest(access.label, access.article, "req-1")],
        code="123456",
        expires_at="2026-12-08T10:00:00Z",
        time_zone="Europe/Berlin",
        verify_url=f"{PAGE}?request_id=req-1&step=verify",
        attempts=5,
    )


def _group_verification(language: str) -> Notice:
    """The one code e-mail of a letter asking three rights."""
    rights = [
        right_for(t, language)
        for t in (RequestType.ACCESS, RequestType.PORTABILITY, RequestType.ERASURE)
    ]
    return verification_notice(
        language,
        request_id="req-1",
        requests=[CodeRequest(r.label, r.article, f"req-{n}") for n, r in enumerate(rights, 1)],
        code="123456",
        expires_at="2026-12-08T10:00:00Z",
        time_zone="Europe/Berlin",
        verify_url=f"{PAGE}?request_id=req-1&step=verify",
        attempts=5,
    )


def test_a_letters_code_email_names_every_right_it_verifies() -> None:
    # WHEN the code e-mail of a German letter asking three rights is written
    notice = _group_verification("de")
    # THEN it names each right in German, with its request, and gives the one code once
    for request_type, request_id in (
        (RequestType.ACCESS, "req-1"),
        (RequestType.PORTABILITY, "req-2"),
        (RequestType.ERASURE, "req-3"),
    ):
        right = right_for(request_type, "de")
        assert f"{right.label} ({right.article}), Anfrage {request_id}" in notice.text
    assert notice.text.count("123456") == 1
    assert "req-1, req-2, req-3" in notice.subject


def _closing(language: str) -> Notice:
    summary = words(language).gettext(
        "We searched every place we keep personal data and found none about you."
    )
    return closing_notice(_record(language, result_summary=summary), PAGE)


def _unverified(language: str) -> Notice:
    record = _record(
        language,
        status=Status.UNVERIFIED,
        unverified_reason="the verification code expired before it was entered",
    )
    return closing_notice(record, PAGE)


EMAILS: dict[str, Callable[[str], Notice]] = {
    "acknowledgment": _acknowledgment,
    "letter acknowledgment": _letter_acknowledgment,
    "verification": _verification,
    "letter verification": _group_verification,
    "closing": _closing,
    "closing unverified": _unverified,
    "unrecognised": lambda language: email_unrecognised_notice(
        language, rights=rights_offered(language), gdpr_page_url=PAGE
    ),
    "too large": lambda language: email_too_large_notice(
        language, size=12 * 1024 * 1024, limit=10 * 1024 * 1024, gdpr_page_url=PAGE
    ),
    "triage": lambda language: email_triage_notice(
        language, gdpr_page_url=PAGE, address_refused=True
    ),
    "extension": lambda language: extension_notice(
        language,
        request_id="req-1",
        previous_due="2027-01-01T22:59:59Z",
        new_due="2027-03-01T22:59:59Z",
        reason="An archive must be restored.",
        law=GDPR,
        time_zone="Europe/Berlin",
    ),
    "lift restriction": lambda language: lift_restriction_notice(language, request_id="req-1"),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("email", sorted(EMAILS))
def test_every_email_is_written_in_the_persons_language(email: str, language: str) -> None:
    # WHEN the e-mail is written for a person of this language
    notice = EMAILS[email](language)
    # THEN the language detector intake reads letters with reads it as that language
    body = re.sub(r"https?://\S+|req-[\w-]+", " ", notice.text)
    assert detect_language(f"{notice.subject}\n{body}")[0] == language, notice.text
    # AND nothing is left unfilled, in the text or the HTML (which says its language)
    assert "%(" not in notice.subject + notice.text + notice.html
    assert f'<html lang="{language}">' in notice.html
    assert notice.text.startswith(words(language).gettext("Hello,"))


def test_links_in_the_html_are_links_and_values_are_escaped() -> None:
    notice = extension_notice(
        "de",
        request_id="req-1",
        previous_due="2027-01-01T22:59:59Z",
        new_due="2027-03-01T22:59:59Z",
        reason="<script>alert(1)</script>",
        law=GDPR,
        time_zone="Europe/Berlin",
    )
    assert "<script>" not in notice.html
    assert "&lt;script&gt;" in notice.html
    assert "<script>alert(1)</script>" in notice.text
    letter = _letter_acknowledgment("fr")
    assert f'<a href="{PAGE}?request_id=req-0&amp;token=t">' in letter.html


def test_the_law_is_named_as_its_official_text_in_the_persons_language() -> None:
    text = _acknowledgment("de").text
    assert "DSGVO (Verordnung (EU) 2016/679) Art. 12 Abs. 3" in text
    assert "Art. 17 DSGVO" in text
    assert "article 17 du RGPD" in _acknowledgment("fr").text
    assert "art. 17 RODO" in _acknowledgment("pl").text
    assert "artikel 17 AVG" in _acknowledgment("nl").text


def test_what_a_sql_stores_tables_kept_and_refused_is_told_in_the_persons_language() -> None:
    from rightsflow.domain.data_map import load_data_map
    from rightsflow.domain.fulfilment import OutcomeStatus, StoreOutcome, refused_reason
    from rightsflow.domain.summary import fulfilment_summary

    # GIVEN the platform database: invoices kept under tax law, a field no table lets change
    data_map = load_data_map()
    store = data_map.stores["platform_users"]
    keep_reason = store.rules_for("invoices").erasure.reason
    assert keep_reason is not None
    erased = StoreOutcome(
        store="platform_users",
        status=OutcomeStatus.DONE,
        found=3,
        changed=2,
        changes={"delete": 2},
        kept=1,
        kept_reasons=[keep_reason],
        at="x",
    )
    refused = StoreOutcome(
        store="platform_users",
        status=OutcomeStatus.DONE,
        found=1,
        refused={"username": refused_reason(store, "username", ["", "sessions"])},
        at="x",
    )
    # WHEN the closing summaries are written for a German reader
    kept_text = fulfilment_summary(data_map, RequestType.ERASURE, [erased], language="de")
    refused_text = fulfilment_summary(data_map, RequestType.RECTIFICATION, [refused], language="de")
    # THEN the reasons are German, with the table named as stored
    assert "aufgrund gesetzlicher Aufbewahrungspflicht aufbewahrt: Das Steuerrecht" in kept_text
    assert "username kann in Konten von Beschäftigten der Brands" in refused_text
    assert "(sessions) nicht geändert werden: Es hält fest" in refused_text
    assert "cannot be changed" not in refused_text


@pytest.mark.parametrize(
    ("subject", "language"),
    [
        ("Bitte löschen Sie meine Daten", "de"),
        ("=?utf-8?q?Wniosek_o_usuni=C4=99cie_danych?=", "pl"),  # an encoded word, decoded
        ("Re: letter", "en"),  # too short to be sure: English
        ("", "en"),
    ],
)
def test_a_message_too_large_to_read_is_answered_in_its_subjects_language(
    subject: str, language: str
) -> None:
    from rightsflow.service.email_intake import subject_language

    assert subject_language({"commonHeaders": {"subject": subject}}) == language
