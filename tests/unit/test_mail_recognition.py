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


def test_a_negated_right_is_not_asked_in_any_language() -> None:
    # GIVEN a reply that turns down a copy and asks for erasure (Swedish)
    recognition = recognise("SV: Ditt ärende", "Nej tack, jag vill inte ha något registerutdrag.")
    # THEN no access request is made, and ops can see why
    assert recognition.rights == ()
    assert "access" not in recognition.unsure
    assert any("negated" in reason and "access" in reason for reason in recognition.reasons)
    english = recognise(
        "Re: your reply", "I do not want a copy of my data. Please delete my account."
    )
    assert english.rights == ("erasure",)


def test_a_refusal_phrase_is_not_undone_by_its_own_negation() -> None:
    recognition = recognise("pub", "Je ne veux plus recevoir vos pubs par mail, merci.")
    assert recognition.rights == ("objection",)


def test_a_phrase_of_another_language_is_not_read_in_a_letter_sure_of_its_own() -> None:
    # Dutch "reclame" (advertising) is not Italian "reclamo" (a complaint).
    recognition = recognise("reclame", "Ik wil echt geen reclame meer van jullie krijgen.")
    assert recognition.rights == ("objection",)
    assert "complaint" not in recognition.unsure


def test_the_swedish_right_to_be_forgotten_is_erasure_not_rectification() -> None:
    recognition = recognise("Radering", "Jag vill utöva rätten att bli bortglömd.")
    assert recognition.rights == ("erasure",)


def test_data_described_in_an_erasure_sentence_is_its_object_not_an_access_request() -> None:
    recognition = recognise("Delete", "Please delete all the personal data you hold about me.")
    assert recognition.rights == ("erasure",)
    assert recognition.unsure == ()


@pytest.mark.parametrize(
    ("subject", "body", "right"),
    [
        (
            "my data",
            "Hey, what info do you actually have on me? Send me what you've got.",
            "access",
        ),
        ("i miei dati", "Ciao, vorrei sapere che dati avete su di me.", "access"),
        ("ads", "Please stop sending me ads, I never asked for them.", "objection"),
        ("reklam", "Hej! Sluta skicka reklam till mig, jag har aldrig bett om det.", "objection"),
        ("reklamer", "Hej, jeg vil ikke have flere reklamer fra jer.", "objection"),
        (
            "Loan",
            "It was decided by a computer. I want a person to look at it again.",
            "automated_decision",
        ),
    ],
)
def test_plain_wording_is_understood(subject: str, body: str, right: str) -> None:
    assert right in recognise(subject, body).rights


def test_a_right_only_hinted_beside_a_clear_one_holds_the_letter_for_ops() -> None:
    from rightsflow.domain.mail_classification import MailOutcome, classify

    # GIVEN a letter that clearly asks for erasure and only hints at a copy, in another sentence
    raw = (
        b"From: Ewa <ewa@example.pl>\r\nTo: privacy@rightsflow.example\r\nSubject: Moje dane\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        + "Dzień dobry, interesuje mnie kopia danych. Proszę o usunięcie mojego konta.".encode()
    )
    decision = classify(raw)
    # THEN nothing is made yet: ops see the clear right and the hinted one
    assert decision.outcome is MailOutcome.TRIAGE
    assert decision.rights == ("erasure",)
    assert decision.unsure == ("access",)
