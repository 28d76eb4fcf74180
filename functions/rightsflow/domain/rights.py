"""Each right in plain words, as the privacy policy promises it, with the article that grants it."""

from dataclasses import dataclass

from rightsflow.domain.lifecycle import RequestType


@dataclass(frozen=True)
class Right:
    label: str
    article: str
    promise: str


RIGHTS: dict[RequestType, Right] = {
    RequestType.ACCESS: Right(
        "access to your personal data",
        "GDPR Art. 15",
        "We confirm whether we process your personal data and give you a copy of it.",
    ),
    RequestType.RECTIFICATION: Right(
        "rectification of your personal data",
        "GDPR Art. 16",
        "We correct or complete personal data of yours that is inaccurate or incomplete.",
    ),
    RequestType.ERASURE: Right(
        "erasure of your personal data",
        "GDPR Art. 17",
        "We delete your personal data unless the law requires us to keep it.",
    ),
    RequestType.RESTRICTION: Right(
        "restriction of processing",
        "GDPR Art. 18",
        "We block the processing of your personal data while, for example, its accuracy is checked.",
    ),
    RequestType.LIFT_RESTRICTION: Right(
        "lifting the restriction of processing",
        "GDPR Art. 18(3)",
        "We tell you before we lift a restriction, then let processing resume.",
    ),
    RequestType.PORTABILITY: Right(
        "data portability",
        "GDPR Art. 20",
        "We give you the data you provided in a structured, machine-readable format.",
    ),
    RequestType.OBJECTION: Right(
        "objection to processing",
        "GDPR Art. 21",
        "We stop processing your data for direct marketing, and review other processing you object to.",
    ),
    RequestType.AUTOMATED_DECISION: Right(
        "freedom from automated decisions",
        "GDPR Art. 22",
        "We stop using your data for decisions based solely on automated processing, including profiling.",
    ),
    RequestType.WITHDRAW_CONSENT: Right(
        "withdrawal of consent",
        "GDPR Art. 7(3)",
        "We stop the processing you had consented to, such as marketing e-mails.",
    ),
    RequestType.COMPLAINT: Right(
        "a complaint about how your personal data was handled",
        "EU-US Data Privacy Framework, Recourse principle",
        "We look into what happened and answer you in writing.",
    ),
    RequestType.OPT_OUT_SALE_SHARING: Right(
        "opting out of the sale and sharing of your personal information",
        "Cal. Civ. Code § 1798.120 and the state privacy laws",
        "We stop selling and sharing personal information linked to the identifiers you gave us.",
    ),
    RequestType.LIMIT_SENSITIVE_PI: Right(
        "limiting the use of your sensitive personal information",
        "Cal. Civ. Code § 1798.121",
        "We use sensitive personal information linked to the identifiers you gave us only as "
        "needed to provide our services.",
    ),
    RequestType.OPT_OUT_TARGETED_ADVERTISING: Right(
        "opting out of targeted advertising",
        "the state privacy laws (e.g. Va. Code § 59.1-577(A)(5))",
        "We stop using personal information linked to the identifiers you gave us for targeted "
        "advertising.",
    ),
    RequestType.OPT_OUT_PROFILING: Right(
        "opting out of profiling",
        "the state privacy laws (e.g. C.R.S. § 6-1-1306(1)(a))",
        "We stop profiling you in furtherance of decisions with legal or similarly significant "
        "effects.",
    ),
    RequestType.APPEAL: Right(
        "an appeal against our decision on your request",
        "the state privacy laws (e.g. Va. Code § 59.1-577(C))",
        "We look at the decision again and answer you in writing, with our reasons.",
    ),
}


# The same, in German, for people who write to us in German.
RIGHTS_DE: dict[RequestType, Right] = {
    RequestType.ACCESS: Right(
        "Auskunft über Ihre personenbezogenen Daten",
        "Art. 15 DSGVO",
        "Wir bestätigen, ob wir Ihre Daten verarbeiten, und geben Ihnen eine Kopie.",
    ),
    RequestType.RECTIFICATION: Right(
        "Berichtigung Ihrer Daten",
        "Art. 16 DSGVO",
        "Wir berichtigen oder vervollständigen unrichtige Daten über Sie.",
    ),
    RequestType.ERASURE: Right(
        "Löschung Ihrer Daten",
        "Art. 17 DSGVO",
        "Wir löschen Ihre Daten, soweit uns kein Gesetz zur Aufbewahrung verpflichtet.",
    ),
    RequestType.RESTRICTION: Right(
        "Einschränkung der Verarbeitung",
        "Art. 18 DSGVO",
        "Wir sperren die Verarbeitung Ihrer Daten, etwa während ihre Richtigkeit geprüft wird.",
    ),
    RequestType.LIFT_RESTRICTION: Right(
        "Aufhebung der Einschränkung",
        "Art. 18 Abs. 3 DSGVO",
        "Wir informieren Sie, bevor wir eine Einschränkung aufheben.",
    ),
    RequestType.PORTABILITY: Right(
        "Datenübertragbarkeit",
        "Art. 20 DSGVO",
        "Wir geben Ihnen Ihre Daten in einem strukturierten, maschinenlesbaren Format.",
    ),
    RequestType.OBJECTION: Right(
        "Widerspruch gegen die Verarbeitung",
        "Art. 21 DSGVO",
        "Wir beenden Direktwerbung und prüfen jede andere Verarbeitung, der Sie widersprechen.",
    ),
    RequestType.AUTOMATED_DECISION: Right(
        "Freiheit von automatisierten Entscheidungen",
        "Art. 22 DSGVO",
        "Wir verwenden Ihre Daten nicht mehr für ausschließlich automatisierte Entscheidungen.",
    ),
    RequestType.WITHDRAW_CONSENT: Right(
        "Widerruf Ihrer Einwilligung",
        "Art. 7 Abs. 3 DSGVO",
        "Wir beenden die Verarbeitung, in die Sie eingewilligt hatten, etwa Werbe-E-Mails.",
    ),
    RequestType.COMPLAINT: Right(
        "eine Beschwerde über den Umgang mit Ihren Daten",
        "EU-US Data Privacy Framework",
        "Wir prüfen den Vorgang und antworten Ihnen schriftlich.",
    ),
    RequestType.OPT_OUT_SALE_SHARING: Right(
        "Widerspruch gegen Verkauf und Weitergabe Ihrer Daten",
        "Art. 21 Abs. 2 DSGVO; Cal. Civ. Code § 1798.120",
        "Wir verkaufen und teilen keine Daten mehr, die mit den angegebenen Kennungen verknüpft sind.",
    ),
    RequestType.LIMIT_SENSITIVE_PI: Right(
        "Beschränkung der Nutzung sensibler Daten",
        "Cal. Civ. Code § 1798.121",
        "Wir nutzen sensible Daten zu den angegebenen Kennungen nur, soweit unser Dienst es erfordert.",
    ),
    RequestType.OPT_OUT_TARGETED_ADVERTISING: Right(
        "Widerspruch gegen zielgerichtete Werbung",
        "Art. 21 Abs. 2 DSGVO",
        "Wir nutzen Daten zu den angegebenen Kennungen nicht mehr für zielgerichtete Werbung.",
    ),
    RequestType.OPT_OUT_PROFILING: Right(
        "Widerspruch gegen Profiling",
        "Art. 21, 22 DSGVO",
        "Wir erstellen keine Profile mehr für Entscheidungen mit rechtlicher oder ähnlich "
        "erheblicher Wirkung.",
    ),
    RequestType.APPEAL: Right(
        "einen Einspruch gegen unsere Entscheidung",
        "US-Datenschutzgesetze der Bundesstaaten",
        "Wir prüfen die Entscheidung erneut und antworten Ihnen schriftlich mit Begründung.",
    ),
}


def right_for(request_type: RequestType, language: str) -> Right:
    return (RIGHTS_DE if language == "de" else RIGHTS)[request_type]
