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
}
