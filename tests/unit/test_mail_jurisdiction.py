"""Where a letter says its writer lives, or the law it invokes: the clock its requests run on."""

from __future__ import annotations

import pytest

from rightsflow.domain.mail_classification import MailOutcome, classify
from rightsflow.domain.mail_jurisdiction import stated_jurisdiction


@pytest.mark.parametrize(
    ("subject", "body", "code", "basis"),
    [
        # residence, by name, in the mail languages
        ("", "Do not sell or share my personal information. I live in California.", "US-CA", "residence"),
        ("", "I am a California resident. Please delete my data.", "US-CA", "residence"),
        ("", "As a resident of the state of Oregon, I ask you to delete my data.", "US-OR", "residence"),
        ("", "I live in New Jersey and want a copy of my data.", "US-NJ", "residence"),
        ("", "I live in CA. Do not sell my data.", "US-CA", "residence"),
        ("", "I live in Ontario, Canada.", "CA-ON", "residence"),
        ("", "I live in Florida. Delete my account.", "US-FL", "residence"),
        ("", "Ich wohne in Österreich. Bitte löschen Sie meine Daten.", "AT", "residence"),
        ("", "J'habite en Belgique et je demande l'accès à mes données.", "BE", "residence"),
        ("", "Vivo en España y solicito la supresión de mis datos.", "ES", "residence"),
        ("", "Mieszkam w Polsce i żądam usunięcia danych.", "PL", "residence"),
        ("", "Ik woon in Nederland. Graag inzage in mijn gegevens.", "NL", "residence"),
        ("", "Jag bor i Sverige och begär radering.", "SE", "residence"),
        # the law named
        ("CCPA request", "Please delete my personal information.", "US-CA", "law named"),
        ("", "I'd like to make a request under CCPA/CPRA to opt out.", "US-CA", "law named"),
        ("", "Under Civil Code 1798.105, delete my data.", "US-CA", "law named"),
        ("Erasure - Article 17 UK GDPR", "Erase my data under the UK GDPR.", "GB", "law named"),
        ("", "Solicito acesso nos termos do artigo 18 da LGPD.", "BR", "law named"),
        ("", "Under PIPEDA I request access to my personal information.", "CA", "law named"),
        ("", "Under Virginia's VCDPA, please delete my data.", "US-VA", "law named"),
        ("", "Auskunft nach Art. 15 DSGVO, bitte.", "EU", "law named"),
        # a postal address
        ("", "Jane Roe\n1 Main St, San Jose, CA 95113\nPlease delete my data.", "US-CA", "postal address"),
        ("", "Harriet Vale, 14 Mill Lane, Leeds LS2 7AB. Please send my data.", "GB", "postal address"),
    ],
)  # fmt: skip
def test_a_stated_place_or_law_gives_the_jurisdiction(
    subject: str, body: str, code: str, basis: str
) -> None:
    stated = stated_jurisdiction(subject, body)
    assert stated is not None
    assert (stated.code, stated.basis) == (code, basis)


@pytest.mark.parametrize(
    "body",
    [
        "Please delete my data.",
        "Customer ID 12345. Please delete my data.",  # ID is not Idaho
        "I live in a small town and want my data deleted.",
        "Please send me a copy of my data; the average (avg) reply takes a week.",
        "I live in Germany, and I am a resident of France.",  # disagree: neither is taken
    ],
)
def test_nothing_stated_or_disagreeing_statements_give_no_place(body: str) -> None:
    stated = stated_jurisdiction("", body)
    assert stated is None or stated.code == "EU"


def test_a_later_statement_only_makes_an_earlier_one_more_precise() -> None:
    # residence in the US, the CCPA named: California
    stated = stated_jurisdiction("", "I live in the United States. Under the CCPA, delete my data.")
    assert stated is not None
    assert stated.code == "US-CA"
    # residence in Germany, the GDPR named: Germany
    stated = stated_jurisdiction("", "Ich wohne in Deutschland. Löschung nach Art. 17 DSGVO.")
    assert stated is not None
    assert stated.code == "DE"
    # a Californian citing the GDPR: where they live decides
    stated = stated_jurisdiction("", "I am a California resident. Erase my data (Art. 17 GDPR).")
    assert stated is not None
    assert stated.code == "US-CA"


def test_the_evidence_names_the_rule_never_the_letter_s_words() -> None:
    stated = stated_jurisdiction("", "I live in Oregon at 12 Elm Street, Portland.")
    assert stated is not None
    assert "Elm" not in stated.evidence
    assert "Portland" not in stated.evidence


def _letter(body: str, subject: str = "Privacy request") -> bytes:
    return (
        f"From: Sam Lee <sam.lee@example.com>\nTo: privacy@rightsflow.example\n"
        f"Subject: {subject}\nContent-Type: text/plain; charset=utf-8\n\n{body}\n"
    ).encode()


def test_intake_gives_a_letter_s_requests_the_place_it_states_else_the_default() -> None:
    # GIVEN a Californian's opt-out, and the same letter stating no place
    californian = classify(
        _letter("Do not sell or share my personal information. I live in California.")
    )
    unstated = classify(_letter("Do not sell or share my personal information."))
    # THEN the first runs on California's clock (CCPA), the second on the default (EU)
    assert californian.outcome is MailOutcome.REQUEST
    assert californian.rights == ("opt_out_sale_sharing",)
    assert californian.jurisdiction == "US-CA"
    assert "jurisdiction US-CA (residence)" in californian.reasons
    assert unstated.jurisdiction == "EU"
    assert "jurisdiction EU (none stated: the default)" in unstated.reasons
