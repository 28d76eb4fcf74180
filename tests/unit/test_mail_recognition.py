"""Recognising the rights a letter asks for: phrasings the old word lists missed, law citations,
boilerplate that must not count, and hints that go to ops instead of a guess."""

from __future__ import annotations

import pytest

from rightsflow.domain.mail_recognition import detect_language, recognise


@pytest.mark.parametrize(
    ("subject", "body", "rights"),
    [
        ("Auskunftsersuchen", "Sehr geehrte Damen und Herren, bitte antworten Sie.", ["access"]),
        ("", "I am withdrawing my consent to your newsletter.", ["withdraw_consent"]),
        ("", "Je voudrais demander l'accès à mes données.", ["access"]),
        ("", "Les escribo solicitando acceso a mis datos personales.", ["access"]),
        ("", "Richiedo accesso ai miei dati personali.", ["access"]),
        (
            "",
            "Please disclose to me the categories and specific pieces of personal information.",
            ["access"],
        ),
        ("", "Do not sell my personal information.", ["opt_out_sale_sharing"]),
        (
            "",
            "Ich verlange die Übertragung meiner Daten in einem maschinenlesbaren Format.",
            ["portability"],
        ),
        ("", "Na podstawie art. 17 RODO żądam usunięcia moich danych.", ["erasure"]),
        ("", "Jeg anmoder om sletning af mine personoplysninger.", ["erasure"]),
        ("", "Hierbij trek ik mijn toestemming in.", ["withdraw_consent"]),
        (
            "",
            "Bitte löschen Sie meine Daten. Ich widerrufe meine Einwilligung.",
            ["withdraw_consent", "erasure"],
        ),
    ],
)
def test_phrasings_people_use_are_recognised(subject: str, body: str, rights: list[str]) -> None:
    assert list(recognise(subject, body).rights) == rights


def test_a_law_citation_alone_names_the_right() -> None:
    assert recognise("", "Request under Article 20 GDPR, thank you.").rights == ("portability",)
    assert recognise("", "Demande au titre de l'article 21 du RGPD.").rights == ("objection",)
    assert recognise("", "Under Civil Code 1798.105, thank you.").rights == ("erasure",)


def test_a_complaint_threatened_to_a_regulator_is_not_a_complaint() -> None:
    recognition = recognise(
        "Access request",
        "Please give me a copy of my personal data. If you do not answer within a month I will "
        "lodge a complaint with the Information Commissioner's Office.",
    )
    assert recognition.rights == ("access",)
    assert "complaint" not in recognition.unsure


def test_profiling_in_the_article_15_list_is_not_a_request_about_automated_decisions() -> None:
    recognition = recognise(
        "Subject access request",
        "Please send me a copy of my personal data and tell me:\n"
        "- the purposes of the processing and the recipients;\n"
        "- the existence of automated decision-making, including profiling, and the logic involved;\n"
        "- the existence of the right to request rectification or erasure or restriction.",
    )
    assert recognition.rights == ("access",)
    assert recognition.unsure == ()


def test_a_hint_is_unsure_not_a_request() -> None:
    recognition = recognise("Question", "Does your app make an automated decision about loans?")
    assert recognition.rights == ()
    assert recognition.unsure == ("automated_decision",)


def test_a_word_of_one_language_is_not_read_in_another() -> None:
    # "wissen" is German for "to know"; in Dutch "wissen" means "to erase".
    recognition = recognise("Frage", "Ich möchte wissen, welche Daten Sie über mich haben.")
    assert "erasure" not in recognition.rights + recognition.unsure


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Na podstawie art. 15 RODO zwracam się z prośbą o udzielenie informacji.", "pl"),
        ("Ao abrigo do artigo 15.º do RGPD, venho solicitar o acesso aos meus dados.", "pt"),
        ("Jag begär härmed ett registerutdrag enligt artikel 15.", "sv"),
        ("Jeg anmoder hermed om indsigt i mine personoplysninger.", "da"),
        ("Graag ontvang ik een overzicht van mijn persoonsgegevens.", "nl"),
        ("I WANT ACCESS TO MY DATA PLEASE", "en"),
    ],
)
def test_the_language_comes_from_a_detector(text: str, language: str) -> None:
    assert detect_language(text)[0] == language
