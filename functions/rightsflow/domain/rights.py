"""Each right in plain words, as the privacy policy promises it, with the article that grants it.

The words are English source messages (`N_`); `right_for` gives them in the person's language
from the catalogs."""

from dataclasses import dataclass

from rightsflow.domain.language import N_, words
from rightsflow.domain.lifecycle import RequestType
from rightsflow.domain.regimes import GDPR, PLACES, REGIMES_BY_CODE, Regime, rights_of


@dataclass(frozen=True)
class Right:
    label: str  # fits "your request for …" and a list of rights
    article: str  # where the GDPR grants it (`right_for` cites the request's own law)
    promise: str  # what we do, in one sentence


RIGHTS: dict[RequestType, Right] = {
    RequestType.ACCESS: Right(
        N_("access to your personal data"),
        N_("GDPR Art. 15"),
        N_("We confirm whether we process your personal data and give you a copy of it."),
    ),
    RequestType.RECTIFICATION: Right(
        N_("rectification of your personal data"),
        N_("GDPR Art. 16"),
        N_("We correct or complete personal data of yours that is inaccurate or incomplete."),
    ),
    RequestType.ERASURE: Right(
        N_("erasure of your personal data"),
        N_("GDPR Art. 17"),
        N_("We delete your personal data unless the law requires us to keep it."),
    ),
    RequestType.RESTRICTION: Right(
        N_("restriction of processing"),
        N_("GDPR Art. 18"),
        N_(
            "We block the processing of your personal data while, for example, its accuracy is checked."
        ),
    ),
    RequestType.LIFT_RESTRICTION: Right(
        N_("lifting the restriction of processing"),
        N_("GDPR Art. 18(3)"),
        N_("We tell you before we lift a restriction, then let processing resume."),
    ),
    RequestType.PORTABILITY: Right(
        N_("data portability"),
        N_("GDPR Art. 20"),
        N_("We give you the data you provided in a structured, machine-readable format."),
    ),
    RequestType.OBJECTION: Right(
        N_("objection to processing"),
        N_("GDPR Art. 21"),
        N_(
            "We stop processing your data for direct marketing, and review other processing you object to."
        ),
    ),
    RequestType.AUTOMATED_DECISION: Right(
        N_("freedom from automated decisions"),
        N_("GDPR Art. 22"),
        N_(
            "We stop using your data for decisions based solely on automated processing, including profiling."
        ),
    ),
    RequestType.WITHDRAW_CONSENT: Right(
        N_("withdrawal of consent"),
        N_("GDPR Art. 7(3)"),
        N_("We stop the processing you had consented to, such as marketing e-mails."),
    ),
    RequestType.COMPLAINT: Right(
        N_("a complaint about how your personal data was handled"),
        N_("EU-US Data Privacy Framework, Recourse principle"),
        N_("We look into what happened and answer you in writing."),
    ),
    RequestType.OPT_OUT_SALE_SHARING: Right(
        N_("opting out of the sale and sharing of your personal information"),
        N_("Cal. Civ. Code § 1798.120 and the state privacy laws"),
        N_(
            "We stop selling and sharing personal information linked to the identifiers you gave us."
        ),
    ),
    RequestType.LIMIT_SENSITIVE_PI: Right(
        N_("limiting the use of your sensitive personal information"),
        N_("Cal. Civ. Code § 1798.121"),
        N_(
            "We use sensitive personal information linked to the identifiers you gave us only "
            "as needed to provide our services."
        ),
    ),
    RequestType.OPT_OUT_TARGETED_ADVERTISING: Right(
        N_("opting out of targeted advertising"),
        N_("the state privacy laws (e.g. Va. Code § 59.1-577(A)(5))"),
        N_(
            "We stop using personal information linked to the identifiers you gave us for "
            "targeted advertising."
        ),
    ),
    RequestType.OPT_OUT_PROFILING: Right(
        N_("opting out of profiling"),
        N_("the state privacy laws (e.g. C.R.S. § 6-1-1306(1)(a))"),
        N_(
            "We stop profiling you in furtherance of decisions with legal or similarly "
            "significant effects."
        ),
    ),
    RequestType.APPEAL: Right(
        N_("an appeal against our decision on your request"),
        N_("the state privacy laws (e.g. Va. Code § 59.1-577(C))"),
        N_("We look at the decision again and answer you in writing, with our reasons."),
    ),
}


def _regime(code: str | None) -> Regime:
    # A request's regime code; none (a letter's sender, whose place we do not know): the GDPR,
    # the law of the default place (EU).
    return REGIMES_BY_CODE.get(code or "", GDPR)


def right_for(request_type: RequestType, language: str, regime: str | None = None) -> Right:
    """The right behind a request type, in `language` (English where we have no catalog), cited
    from the law of `regime` (a regime code; None: the GDPR): UK GDPR Art. 17 for a GB erasure,
    Va. Code § 59.1-577(A)(3) for a Virginia one."""
    right, say = RIGHTS[request_type], words(language)
    article = _regime(regime).article_for(request_type)
    return Right(say.translate(right.label), say.translate(article), say.translate(right.promise))


def regime_of(jurisdiction: str | None) -> str | None:
    """The regime code of the place a letter states (`MailDecision.jurisdiction`); None for no
    place, or one the table does not know (its rights are then the GDPR's)."""
    place = PLACES.get(jurisdiction or "")
    return place.regime.code if place is not None else None


def rights_offered(language: str, regime: str | None = None) -> list[tuple[str, str]]:
    """The rights a reply to an unclear letter offers: those of the sender's law (`regime`, a
    regime code; None when we do not know it: the GDPR, the default place's), label and
    citation, in `language`."""
    say = words(language)
    return [
        (say.translate(RIGHTS[t].label), say.translate(article))
        for t, article in rights_of(_regime(regime))
    ]
