"""The table of regimes: for every place our users bring, the law whose clock runs, read from the
primary texts and cited cell by cell, for a privacy lawyer to check.

Each rule says where it comes from. Where the law is unsettled, the table takes the reading that
ends earlier and says so ("unsettled; earlier reading"): answering early is never unlawful.
`rightsflow.domain.deadlines` does the arithmetic; `rightsflow regimes` prints this table as the
README shows it.

A law with official texts in the languages we write (the GDPR, the UK GDPR, the Swiss FADP,
PIPEDA, Quebec's Act, the LGPD, the Data Privacy Framework) has its name marked `N_`: e-mails
write it in the person's language from the catalogs. Other laws keep their own name.
"""

from __future__ import annotations

from dataclasses import dataclass

from rightsflow.domain.language import N_
from rightsflow.domain.lifecycle import RequestType

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
WEEKEND = frozenset({SATURDAY, SUNDAY})


@dataclass(frozen=True)
class Period:
    """A span as the law counts it: calendar months, calendar days or business days, always
    counted from the day after the event (the day of receipt itself is never counted)."""

    months: int = 0
    days: int = 0
    business_days: int = 0

    def __str__(self) -> str:
        if self.months:
            return f"{self.months} month{'s' if self.months != 1 else ''}"
        if self.business_days:
            return f"{self.business_days} business day{'s' if self.business_days != 1 else ''}"
        return f"{self.days} day{'s' if self.days != 1 else ''}"


@dataclass(frozen=True)
class Holidays:
    """Whose public holidays count at a place, from the `holidays` package. With several
    calendars, a day counts only where every one of them keeps it."""

    calendars: tuple[tuple[str, str | None], ...]  # (country, subdivision)
    description: str


@dataclass(frozen=True)
class Roll:
    """A last day falling on one of `weekdays` (or on a public holiday of the place, where
    `holidays`) moves to the next day that is neither."""

    weekdays: frozenset[int]
    holidays: bool
    basis: str

    def __str__(self) -> str:
        names = [
            name
            for day, name in ((SATURDAY, "Saturday"), (SUNDAY, "Sunday"))
            if day in self.weekdays
        ]
        if self.holidays:
            names.append("public holiday")
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


@dataclass(frozen=True)
class Extension:
    """How far the answer may be pushed: `after_first` added to the first (unrolled) last day,
    and/or `from_receipt` counted from receipt; with both, the earlier. The person must be told
    before the first period ends (the law's last moment of it)."""

    basis: str
    after_first: Period | None = None
    from_receipt: Period | None = None
    once: bool = True

    def __str__(self) -> str:
        parts = []
        if self.after_first is not None:
            parts.append(f"+{self.after_first}")
        if self.from_receipt is not None:
            parts.append(f"{self.from_receipt} from receipt")
        return " or ".join(parts) + (" (the earlier)" if len(parts) > 1 else "")


@dataclass(frozen=True)
class Acknowledgment:
    period: Period
    by_law: bool  # False: our policy, where the law sets no time of its own
    basis: str


@dataclass(frozen=True)
class Answer:
    """The answer period for some request types (`types` None: every type not listed before)."""

    period: Period
    basis: str
    extension: Extension | None
    no_extension: str = ""  # why none, where none is allowed
    acknowledge: Acknowledgment | None = None
    types: frozenset[RequestType] | None = None


@dataclass(frozen=True)
class Appeal:
    """The right to appeal a decision declining a request in whole or in part."""

    answer: Period
    basis: str
    window: Period  # after the decision, how long an appeal is accepted
    window_basis: str
    attorney_general: str | None  # how to complain to the Attorney General after a denial
    extension: Extension | None = None


@dataclass(frozen=True)
class Regime:
    """One law's clock. `answers` are tried in order; the last one has types None."""

    code: str
    law: str
    counting: str  # how the law counts a period (the day of receipt excluded), with citation
    answers: tuple[Answer, ...]
    roll: Roll | None
    no_roll: str  # why a last day does not move, where it does not
    no_verification: str  # which requests need no verification code here, and why
    appeal: Appeal | None = None
    no_appeal: str = "no right to appeal to the controller"
    business_days: str = "Monday to Friday, except the place's public holidays listed below"
    # Who a person may complain to about how we handled their request or data, and how (a
    # proper name and address, with the provision that gives the route), as the closing e-mail
    # names it. Empty: the GDPR's own sentence (Art. 77: any supervisory authority, in
    # particular where the person lives or works or where the law was broken).
    complaint: str = ""
    # Where this law grants each right the product handles, by request type. A type missing
    # here is cited by the law's name (`law`); the rights a reply to an unclear letter offers
    # are these types (see `rights_of`).
    articles: tuple[tuple[RequestType, str], ...] = ()
    # Where this law asks us to tell those who received the data of a correction, erasure or
    # restriction. Empty: the law sets no such duty; we tell them anyway, as the data map's
    # recipients contract with us, and cite the law the request was made under.
    recipients_article: str = ""

    def recipients_basis(self) -> str:
        """What a notice to recipients cites (`recipients_article`, else the law itself)."""
        return self.recipients_article or self.law

    def article_for(self, request_type: RequestType) -> str:
        """The citation for `request_type` under this law: its article, else the law itself."""
        return dict(self.articles).get(request_type, self.law)

    def answer_for(self, request_type: RequestType) -> Answer:
        for answer in self.answers:
            if answer.types is None or request_type in answer.types:
                return answer
        raise LookupError(f"{self.code} has no default answer period")  # a table defect


@dataclass(frozen=True)
class Place:
    """A jurisdiction code people give us, the regime that applies there and its time zones:
    every zone of every part of the place where the regime applies (a country's are those the
    time zone database gives its ISO code, `country_zones`, and its territories' where the law
    reaches them). With several zones, dates are counted in the one whose legal day ends first
    for the receipt at hand (the earliest due instant), so a deadline never ends later than the
    law allows anywhere in the place; times are told to people in `reading_zone`."""

    code: str
    name: str
    regime: Regime
    zones: tuple[str, ...]
    holidays: Holidays | None = None
    holidays_note: str = ""
    # Where the zones come from, when not simply the country's own zones in the time zone
    # database: the places within it where the law applies and clocks differ.
    zones_note: str = ""
    # Where the first of `zones` is not the one people of the place read times in (the EU's
    # sorted zones begin with French Guiana's): the zone they do (the capital's, mostly).
    shown_zone: str | None = None

    @property
    def reading_zone(self) -> str:
        """The zone an instant is told in to people of this place: the same instant as the
        counting zone's, in a clock they recognise (the EU's deadline counted in Réunion's
        day is told in Central European Time, not "Réunion Time")."""
        return self.shown_zone or self.zones[0]


# ---------------------------------------------------------------------------- shared rules
POLICY_ACK = Acknowledgment(
    Period(business_days=1),
    by_law=False,
    basis="our policy: within one business day (the law only asks for an answer without undue "
    "delay)",
)
_POLICY_EXTENSION = Period(days=60)
_APPEAL_WINDOW = Period(days=90)
_APPEAL_WINDOW_BASIS = (
    "the law asks for a reasonable period after the decision; our policy accepts appeals for "
    "90 days"
)
_OPT_OUTS_NO_CODE = (
    "opt-outs, withdrawal of consent and objections to direct marketing need no code (they "
    "are applied for the identifiers given)"
)
_GDPR_NO_CODE = (
    "withdrawal of consent (GDPR Art. 7(3)) and objection to direct marketing (Art. 21(2)-(3)), "
    "to which opt-outs amount: no code, as verification must be proportionate (Art. 12(2), "
    "12(6); EDPB Guidelines 01/2022 paras 58-79); disclosure and changes keep theirs"
)
_US_STATE_NOT_MOVED = (
    "not moved: the state's general computation-of-time rules may move a last day on a weekend "
    "or holiday, but whether they reach this period is unsettled (earlier reading)"
)

# ---------------------------------------------------------------------------- the regimes
GDPR = Regime(
    "GDPR",
    N_("GDPR (Regulation (EU) 2016/679) Art. 12(3)"),
    counting="calendar month: ends on the same date of the next month, or that month's last "
    "day where it has none (Reg. (EEC, Euratom) No 1182/71 Art. 3(1), 3(2)(c); EDPB Guidelines "
    "01/2022 paras 157-160)",
    answers=(
        Answer(
            Period(months=1),
            "GDPR Art. 12(3): without undue delay and in any event within one month of receipt",
            Extension(
                "GDPR Art. 12(3): by two further months where necessary, the person told within "
                "one month of receipt with the reasons; counted as the earlier of three months "
                "from receipt and two months after the unrolled first month (unsettled; earlier "
                "reading)",
                after_first=Period(months=2),
                from_receipt=Period(months=3),
                once=False,  # any extension within the limit, as long as told in the first month
            ),
            acknowledge=POLICY_ACK,
        ),
    ),
    roll=Roll(
        WEEKEND,
        holidays=False,
        basis="Reg. 1182/71 Art. 3(4); EDPB Guidelines 01/2022 para 161. Public holidays: "
        "Art. 2 counts those of the Member State where action is to be taken, unsettled for a "
        "controller established outside the EU: weekends only (earlier reading)",
    ),
    no_roll="",
    no_verification=_GDPR_NO_CODE,
    articles=(
        (RequestType.ACCESS, N_("GDPR Art. 15")),
        (RequestType.RECTIFICATION, N_("GDPR Art. 16")),
        (RequestType.ERASURE, N_("GDPR Art. 17")),
        (RequestType.RESTRICTION, N_("GDPR Art. 18")),
        (RequestType.LIFT_RESTRICTION, N_("GDPR Art. 18(3)")),
        (RequestType.PORTABILITY, N_("GDPR Art. 20")),
        (RequestType.OBJECTION, N_("GDPR Art. 21")),
        (RequestType.AUTOMATED_DECISION, N_("GDPR Art. 22")),
        (RequestType.WITHDRAW_CONSENT, N_("GDPR Art. 7(3)")),
        (RequestType.COMPLAINT, N_("EU-US Data Privacy Framework, Recourse principle")),
    ),
    recipients_article="GDPR Art. 19",
)

UK_GDPR = Regime(
    "UK_GDPR",
    N_("UK GDPR Art. 12(3) (Data Protection Act 2018)"),
    counting="calendar month from the day of receipt to the corresponding date of the next "
    "month, or its last day where it has none (ICO, Right of access guidance: 'How long do we "
    "have to comply?')",
    answers=(
        Answer(
            Period(months=1),
            "UK GDPR Art. 12(3): without undue delay and in any event within one month of receipt",
            Extension(
                "UK GDPR Art. 12(3); ICO, 'Can we extend the time for a response?': by a further "
                "two months, i.e. three months from receipt, the person told within the first "
                "month with the reasons",
                from_receipt=Period(months=3),
                once=False,
            ),
            acknowledge=POLICY_ACK,
        ),
    ),
    roll=Roll(
        WEEKEND,
        holidays=True,
        basis="ICO, Right of access guidance: a corresponding date on a weekend or bank holiday "
        "moves to the next working day",
    ),
    no_roll="",
    no_verification=_GDPR_NO_CODE.replace("GDPR Art. 7(3)", "UK GDPR Art. 7(3)").replace(
        "EDPB Guidelines 01/2022 paras 58-79", "ICO, 'How do we confirm identity?'"
    ),
    complaint="Information Commissioner's Office (ICO), https://ico.org.uk/make-a-complaint/ "
    "(UK GDPR Art. 77)",
    # The UK GDPR has no official translation: its name and articles are written as in English.
    articles=(
        (RequestType.ACCESS, "UK GDPR Art. 15"),
        (RequestType.RECTIFICATION, "UK GDPR Art. 16"),
        (RequestType.ERASURE, "UK GDPR Art. 17"),
        (RequestType.RESTRICTION, "UK GDPR Art. 18"),
        (RequestType.LIFT_RESTRICTION, "UK GDPR Art. 18(3)"),
        (RequestType.PORTABILITY, "UK GDPR Art. 20"),
        (RequestType.OBJECTION, "UK GDPR Art. 21"),
        (RequestType.AUTOMATED_DECISION, "UK GDPR Art. 22"),
        (RequestType.WITHDRAW_CONSENT, "UK GDPR Art. 7(3)"),
        (RequestType.COMPLAINT, "UK Extension to the EU-U.S. Data Privacy Framework, Recourse"),
    ),
    recipients_article="UK GDPR Art. 19",
)

SWISS_FADP = Regime(
    "CH_FADP",
    N_(
        "Swiss Federal Act on Data Protection (revFADP) Art. 25(7); Data Protection Ordinance Art. 18"
    ),
    counting="30 calendar days, the day of receipt not counted (CO Art. 77(1)(1), applied to "
    "the DPO's period)",
    answers=(
        Answer(
            Period(days=30),
            "DPO Art. 18(1): within 30 days of receipt (revFADP Art. 25(7)); applied to every "
            "right, as the FADP sets no other period",
            Extension(
                "DPO Art. 18(2): if the information cannot be given within 30 days, the person "
                "is told so within the 30 days with the new period; the law sets no maximum: "
                "our policy allows at most 60 more days, once",
                after_first=_POLICY_EXTENSION,
            ),
            acknowledge=POLICY_ACK,
        ),
    ),
    roll=Roll(
        WEEKEND,
        holidays=False,
        basis="Federal Act of 21 June 1963 on the Calculation of Time Limits Falling on "
        "Saturdays (SR 173.110.3) Art. 1; CO Art. 78(1) for Sundays. Holidays count at the place "
        "of performance (CO Art. 78(1)), unsettled for a controller outside Switzerland: "
        "weekends only (earlier reading)",
    ),
    no_roll="",
    no_verification="revFADP Art. 25 and DPO Art. 16 ask for identity only as far as needed; "
    + _OPT_OUTS_NO_CODE,
    complaint=N_(
        "Federal Data Protection and Information Commissioner (FDPIC), "
        "https://www.edoeb.admin.ch (revFADP Art. 49)"
    ),
)

# The law sets no acknowledgment for opt-outs: they are applied at once and the person told.
_CCPA_OPT_OUT_ACK = None
CCPA = Regime(
    "CCPA",
    "CCPA/CPRA (Cal. Civ. Code § 1798.100 et seq.; Cal. Code Regs. tit. 11 § 7000 et seq.)",
    counting="calendar days, the day of receipt not counted (Cal. Civ. Code § 10); business "
    "days as below",
    answers=(
        Answer(
            Period(business_days=15),
            "Cal. Code Regs. tit. 11 § 7026(f): an opt-out of sale/sharing as soon as feasibly "
            "possible and no later than 15 business days from receipt (GPC included, § 7025); "
            "the state-law opt-outs of targeted advertising and profiling are given the same "
            "time (earlier reading)",
            None,
            no_extension="§ 7026(f) allows no extension",
            acknowledge=_CCPA_OPT_OUT_ACK,
            types=frozenset(
                {
                    RequestType.OPT_OUT_SALE_SHARING,
                    RequestType.OPT_OUT_TARGETED_ADVERTISING,
                    RequestType.OPT_OUT_PROFILING,
                }
            ),
        ),
        Answer(
            Period(business_days=15),
            "Cal. Code Regs. tit. 11 § 7027(g): a request to limit the use of sensitive personal "
            "information no later than 15 business days from receipt",
            None,
            no_extension="§ 7027(g) allows no extension",
            acknowledge=_CCPA_OPT_OUT_ACK,
            types=frozenset({RequestType.LIMIT_SENSITIVE_PI}),
        ),
        Answer(
            Period(days=45),
            "Cal. Civ. Code § 1798.130(a)(2); Cal. Code Regs. tit. 11 § 7021(b): within 45 "
            "calendar days of receipt, whatever the time verification takes",
            Extension(
                "§ 1798.130(a)(2)(A); § 7021(b): once, by up to 45 more days (90 days from "
                "receipt at most), with notice and the reason within the first 45 days",
                after_first=Period(days=45),
                from_receipt=Period(days=90),
            ),
            acknowledge=Acknowledgment(
                Period(business_days=10),
                by_law=True,
                basis="Cal. Code Regs. tit. 11 § 7021(a): confirm receipt within 10 business days",
            ),
        ),
    ),
    roll=None,
    no_roll="not moved: Cal. Civ. Code §§ 10-11 may move a last day on a holiday, but whether "
    "they reach the regulations' calendar-day periods is unsettled (earlier reading)",
    no_verification="§ 7060(b): opt-outs of sale/sharing and limits need no verifiable request; "
    "§ 7025: a Global Privacy Control signal is a valid opt-out; requests to know, delete and "
    "correct are verified (§§ 7060-7062)",
    business_days="undefined in the CCPA and its regulations: Monday to Friday, skipping only "
    "the holidays both the California and the federal calendars keep (earlier reading)",
    articles=(
        (RequestType.ACCESS, "Cal. Civ. Code §§ 1798.110, 1798.115"),
        (RequestType.RECTIFICATION, "Cal. Civ. Code § 1798.106"),
        (RequestType.ERASURE, "Cal. Civ. Code § 1798.105"),
        (RequestType.PORTABILITY, "Cal. Civ. Code § 1798.130(a)(3)(B)(iii)"),
        (RequestType.OPT_OUT_SALE_SHARING, "Cal. Civ. Code § 1798.120"),
        (RequestType.LIMIT_SENSITIVE_PI, "Cal. Civ. Code § 1798.121"),
    ),
    # Deletion: notify service providers, contractors and third parties (§ 1798.105(c)(1));
    # correction likewise (Cal. Code Regs. tit. 11 § 7023(c)).
    recipients_article="Cal. Civ. Code § 1798.105(c)(1); Cal. Code Regs. tit. 11 § 7023(c)",
    complaint="California Privacy Protection Agency, https://cppa.ca.gov/webapplications/complaint "
    "(Cal. Civ. Code § 1798.199.45), or the California Attorney General, "
    "https://oag.ca.gov/contact/consumer-complaint-against-business-or-company",
)

PIPEDA = Regime(
    "PIPEDA",
    N_("Personal Information Protection and Electronic Documents Act (S.C. 2000, c. 5) s. 8"),
    counting="days after receipt, the day of receipt not counted (Interpretation Act, R.S.C. "
    "1985, c. I-21, s. 27)",
    answers=(
        Answer(
            Period(days=30),
            "PIPEDA s. 8(3): with due diligence and no later than 30 days after receipt",
            Extension(
                "PIPEDA s. 8(4)(a): for a maximum of 30 days, with notice of the new time limit, "
                "the reasons and the right to complain within 30 days of the request",
                after_first=Period(days=30),
            ),
            acknowledge=POLICY_ACK,
        ),
    ),
    roll=Roll(
        frozenset({SUNDAY}),
        holidays=True,
        basis="Interpretation Act ss. 26, 35: a time limit ending on a holiday (Sundays and the "
        "listed holidays; not Saturdays) runs to the next day that is not a holiday",
    ),
    no_roll="",
    no_verification="PIPEDA Sch. 1 cl. 4.9.2 asks for identity only to give access; withdrawal "
    "of consent (cl. 4.3.8) and opt-outs need no code",
    complaint=N_(
        "Office of the Privacy Commissioner of Canada, https://www.priv.gc.ca (PIPEDA s. 11)"
    ),
)

QUEBEC = Regime(
    "QC_PRIVATE_SECTOR",
    N_(
        "Quebec Act respecting the protection of personal information in the private sector "
        "(CQLR c. P-39.1) s. 32"
    ),
    counting="days after receipt, the day of receipt not counted (Quebec Interpretation Act, "
    "CQLR c. I-16)",
    answers=(
        Answer(
            Period(days=30),
            "CQLR c. P-39.1 s. 32: promptly and no later than 30 days after receipt",
            None,
            no_extension="the Act allows no extension (s. 32: no answer in time is a refusal)",
            acknowledge=POLICY_ACK,
        ),
    ),
    roll=Roll(
        frozenset({SUNDAY}),
        holidays=True,
        basis="Quebec Interpretation Act ss. 52, 61: a date on a holiday (Sundays and the listed "
        "holidays) moves to the next day that is not one",
    ),
    no_roll="",
    no_verification="CQLR c. P-39.1 s. 30 asks for identity to give access or correct; "
    + _OPT_OUTS_NO_CODE,
    complaint="Commission d'accès à l'information du Québec, https://www.cai.gouv.qc.ca "
    "(CQLR c. P-39.1 s. 42)",
)

LGPD = Regime(
    "LGPD",
    N_("Brazil's General Data Protection Law (Lei 13.709/2018, LGPD) Arts. 18-19"),
    counting="days, the day of the request excluded and the last day included (Civil Code "
    "Art. 132)",
    answers=(
        Answer(
            Period(days=15),
            "LGPD Art. 19 II: a complete answer within 15 days of the request; applied to every "
            "right (Art. 18 §5 leaves the others to a regulation the ANPD has not issued)",
            None,
            no_extension="the LGPD allows no extension",
            acknowledge=POLICY_ACK,
        ),
    ),
    roll=Roll(
        frozenset({SUNDAY}),
        holidays=True,
        basis="Civil Code Art. 132 §1: a period ending on a holiday runs to the next business "
        "day; Sundays are not business days; Saturdays are unsettled: not moved (earlier "
        "reading)",
    ),
    no_roll="",
    no_verification="LGPD Art. 18 §§ 3-4 require only an express request; " + _OPT_OUTS_NO_CODE,
    complaint="Autoridade Nacional de Proteção de Dados (ANPD), https://www.gov.br/anpd "
    "(LGPD Art. 18 § 1)",
)

PIPA = Regime(
    "KR_PIPA",
    "Korea's Personal Information Protection Act Arts. 35-37 and its Enforcement Decree",
    counting="days, the first day not counted (Civil Act Art. 157)",
    answers=(
        Answer(
            Period(days=10),
            "PIPA Art. 35(3) and Enforcement Decree Art. 41(4) (access), Art. 36(2) and Decree "
            "Art. 43(3) (correction, erasure), Art. 37 and Decree Art. 44 (suspension): within "
            "10 days of receipt",
            None,
            no_extension="PIPA Art. 35(3): access may only be postponed for a justifiable reason "
            "told within the 10 days, then given without delay: no dated extension (earlier "
            "reading)",
            acknowledge=POLICY_ACK,
        ),
    ),
    roll=Roll(
        WEEKEND,
        holidays=True,
        basis="Civil Act Art. 161: a period whose last day is a Saturday or a public holiday "
        "(Sundays included) ends on the next day",
    ),
    no_roll="",
    no_verification="Enforcement Decree Art. 46 lets the controller confirm identity; "
    + _OPT_OUTS_NO_CODE,
    complaint="Personal Information Protection Commission (PIPC), Personal Information Infringement "
    "Report Center, https://privacy.kisa.or.kr (PIPA Art. 62)",
)

SINGAPORE = Regime(
    "SG_PDPA",
    "Singapore Personal Data Protection Act 2012 ss. 21-22; Personal Data Protection "
    "Regulations 2021",
    counting="days, the day of receipt not counted (Interpretation Act 1965 s. 50)",
    answers=(
        Answer(
            Period(days=30),
            "PDPA s. 21(1); PDP Regulations 2021 reg. 5: as soon as reasonably possible; where "
            "that is not within 30 days of receipt, the person told within the 30 days when the "
            "answer will come",
            Extension(
                "PDP Regulations 2021 reg. 5: the time stated to the person within the 30 days; "
                "the law sets no maximum: our policy allows at most 60 more days, once",
                after_first=_POLICY_EXTENSION,
            ),
            acknowledge=POLICY_ACK,
        ),
    ),
    roll=Roll(
        frozenset({SUNDAY}),
        holidays=True,
        basis="Interpretation Act 1965 s. 50: a period ending on a Sunday or public holiday "
        "runs to the next day that is neither",
    ),
    no_roll="",
    no_verification="PDP Regulations 2021 reg. 3 asks for identity for access and correction; "
    + _OPT_OUTS_NO_CODE,
    complaint="Personal Data Protection Commission (PDPC), https://www.pdpc.gov.sg",
)

TURKEY = Regime(
    "TR_KVKK",
    "Turkey's Law on the Protection of Personal Data No. 6698 (KVKK) Art. 13",
    counting="days, the day of receipt not counted",
    answers=(
        Answer(
            Period(days=30),
            "KVKK Art. 13(2): as soon as possible and at the latest within 30 days",
            None,
            no_extension="the KVKK allows no extension",
            acknowledge=POLICY_ACK,
        ),
    ),
    roll=None,
    no_roll="not moved: whether Turkish Code of Obligations Art. 93 reaches the KVKK period is "
    "unsettled (earlier reading)",
    no_verification="Communiqué on Application to the Data Controller Art. 5 asks the "
    "applicant to identify themselves; " + _OPT_OUTS_NO_CODE,
    complaint="Kişisel Verileri Koruma Kurulu (Personal Data Protection Board), "
    "https://www.kvkk.gov.tr (KVKK Art. 14)",
)

SOUTH_AFRICA = Regime(
    "ZA_POPIA",
    "South Africa's Protection of Personal Information Act 4 of 2013 s. 23, with PAIA ss. 56-57",
    counting="days, the first day excluded and the last included (Interpretation Act 33 of "
    "1957 s. 4); read as calendar days (unsettled; earlier reading)",
    answers=(
        Answer(
            Period(days=30),
            "POPIA s. 23(2)-(3) with PAIA s. 56(1): as soon as reasonably possible and within 30 "
            "days of receipt",
            Extension(
                "PAIA s. 57(1)-(2): once, for not more than 30 more days, the person told within "
                "the first 30 days with the reasons",
                after_first=Period(days=30),
            ),
            acknowledge=POLICY_ACK,
        ),
    ),
    roll=Roll(
        frozenset({SUNDAY}),
        holidays=True,
        basis="Interpretation Act 33 of 1957 s. 4: a last day on a Sunday or public holiday is "
        "excluded",
    ),
    no_roll="",
    no_verification="POPIA s. 23(1) asks for adequate proof of identity for access; "
    + _OPT_OUTS_NO_CODE,
    complaint="Information Regulator, https://inforegulator.org.za (POPIA s. 74)",
)

JAPAN = Regime(
    "JP_APPI",
    "Japan's Act on the Protection of Personal Information (APPI) Arts. 33-35",
    counting="days, the first day not counted",
    answers=(
        Answer(
            Period(days=14),
            "APPI Art. 33(2), 34(2), 35(5): without delay; no fixed period: our policy answers "
            "within 14 days",
            None,
            no_extension="'without delay' leaves no room for a dated extension",
            acknowledge=POLICY_ACK,
        ),
    ),
    roll=None,
    no_roll="not moved: a period of our policy, not of the law",
    no_verification="APPI Art. 37(2) lets the business ask for what identifies the data; "
    + _OPT_OUTS_NO_CODE,
    complaint="Personal Information Protection Commission (PPC), https://www.ppc.go.jp",
)

AUSTRALIA = Regime(
    "AU_PRIVACY_ACT",
    "Australia's Privacy Act 1988 Sch. 1, APPs 12-13",
    counting="calendar days after the request",
    answers=(
        Answer(
            Period(days=30),
            "APP 12.4(a)(ii), 13.5(a)(ii): within a reasonable period; OAIC APP Guidelines "
            "chs. 12-13: as a rule no more than 30 calendar days",
            None,
            no_extension="the APPs set no extension: a later answer must itself be reasonable",
            acknowledge=POLICY_ACK,
        ),
    ),
    roll=None,
    no_roll="not moved: a period of guidance, not of statute (Acts Interpretation Act 1901 "
    "s. 36 does not reach it)",
    no_verification="APP 12 guidance asks for identity before giving access; " + _OPT_OUTS_NO_CODE,
    complaint="Office of the Australian Information Commissioner (OAIC), https://www.oaic.gov.au "
    "(Privacy Act 1988 s. 36)",
)

INDIA = Regime(
    "IN_DPDP",
    "India's Digital Personal Data Protection Act 2023 ss. 11-13; DPDP Rules 2025",
    counting="calendar days after receipt",
    answers=(
        Answer(
            Period(days=90),
            "DPDP Rules 2025 r. 14(3): within a period not exceeding 90 days; applied to every "
            "request (the Rules set no other period)",
            None,
            no_extension="the Rules allow no extension",
            acknowledge=POLICY_ACK,
        ),
    ),
    roll=None,
    no_roll="not moved: General Clauses Act 1897 s. 10 reaches only acts in a court or office",
    no_verification="DPDP Rules 2025 r. 14(1) lets the fiduciary ask for identifiers; "
    + _OPT_OUTS_NO_CODE,
    complaint="Data Protection Board of India, once our grievance redressal is exhausted "
    "(DPDP Act 2023 s. 13(3))",
)

# Complaints about how personal data was handled (the policy's Privacy Shield section): answered
# within 45 days under the EU-U.S. Data Privacy Framework, wherever they come from.
DPF_COMPLAINT = Regime(
    "DPF_COMPLAINT",
    N_("EU-U.S. Data Privacy Framework Principles, Recourse (Supplemental Principle 11(d))"),
    counting="calendar days after receipt",
    answers=(
        Answer(
            Period(days=45),
            "DPF Supplemental Principle 11(d)(i): respond to complaints within 45 days",
            None,
            no_extension="the Principles allow no extension",
            acknowledge=POLICY_ACK,
        ),
    ),
    roll=None,
    no_roll="not moved: the Principles count calendar days",
    no_verification="a complaint discloses and changes nothing: no code",
    # No complaint route of its own in the closing e-mail: the person keeps the GDPR's (a data
    # protection authority, which the DPF Principles also let them go to); JAMS, the
    # independent recourse the privacy policy names, is given in ops' written answer.
)


def _us_state(
    code: str,
    law: str,
    answer_basis: str,
    appeal_days: int,
    appeal_basis: str,
    *,
    attorney_general: str,
    answer_days: int = 45,
    appeal_extension: Extension | None = None,
    extra: tuple[Answer, ...] = (),
    opt_out_basis: str = "",
    articles: tuple[tuple[RequestType, str], ...] = (),
) -> Regime:
    """The comprehensive state privacy laws share one shape: 45 days (+45 once, with notice
    within the first 45) and an appeal with its own deadline."""
    return Regime(
        code,
        law,
        counting="calendar days after receipt",
        answers=(
            *extra,
            Answer(
                Period(days=answer_days),
                answer_basis,
                Extension(
                    f"{answer_basis.split(':', maxsplit=1)[0]}: once, by 45 more days where reasonably "
                    f"necessary, the person told within the first {answer_days} days with the "
                    "reason",
                    after_first=Period(days=45),
                ),
                acknowledge=POLICY_ACK,
            ),
        ),
        roll=None,
        no_roll=_US_STATE_NOT_MOVED,
        no_verification=(opt_out_basis or "opt-out requests need no authentication")
        + "; withdrawal of consent likewise; access, correction, deletion and portability are "
        "authenticated",
        appeal=Appeal(
            Period(days=appeal_days),
            appeal_basis,
            _APPEAL_WINDOW,
            _APPEAL_WINDOW_BASIS,
            attorney_general,
            appeal_extension,
        ),
        # The Attorney General enforces these laws and takes consumers' complaints.
        complaint=attorney_general.removeprefix("the "),
        articles=articles,
    )


VIRGINIA = _us_state(
    "US_VA_VCDPA",
    "Virginia Consumer Data Protection Act (Va. Code § 59.1-575 et seq.)",
    "Va. Code § 59.1-577(B): within 45 days of receipt",
    60,
    "Va. Code § 59.1-577(C): a written answer within 60 days of receipt of the appeal; if "
    "denied, a way to complain to the Attorney General",
    attorney_general="the Office of the Attorney General of Virginia, Consumer Protection Section: "
    "https://www.oag.state.va.us",
    opt_out_basis="Va. Code § 59.1-577(B): authentication is required only for the rights of "
    "§ 59.1-577(A)(1)-(4), not for opt-outs",
    articles=(
        (RequestType.ACCESS, "Va. Code § 59.1-577(A)(1)"),
        (RequestType.RECTIFICATION, "Va. Code § 59.1-577(A)(2)"),
        (RequestType.ERASURE, "Va. Code § 59.1-577(A)(3)"),
        (RequestType.PORTABILITY, "Va. Code § 59.1-577(A)(4)"),
        (RequestType.OPT_OUT_TARGETED_ADVERTISING, "Va. Code § 59.1-577(A)(5)"),
        (RequestType.OPT_OUT_SALE_SHARING, "Va. Code § 59.1-577(A)(5)"),
        (RequestType.OPT_OUT_PROFILING, "Va. Code § 59.1-577(A)(5)"),
        (RequestType.APPEAL, "Va. Code § 59.1-577(C)"),
    ),
)
COLORADO = _us_state(
    "US_CO_CPA",
    "Colorado Privacy Act (C.R.S. § 6-1-1301 et seq.)",
    "C.R.S. § 6-1-1306(2): within 45 days of receipt",
    45,
    "C.R.S. § 6-1-1306(3): a written answer within 45 days of receipt of the appeal (+60 days "
    "where reasonably necessary, told within the 45 days); the person told they may contact "
    "the Attorney General",
    attorney_general="the Colorado Attorney General: https://coag.gov/file-complaint",
    appeal_extension=Extension(
        "C.R.S. § 6-1-1306(3)(b): by 60 more days, told within 45 days of the appeal",
        after_first=Period(days=60),
    ),
    opt_out_basis="C.R.S. § 6-1-1306(1)(a): opt-outs, including by a universal opt-out "
    "mechanism (§ 6-1-1313), need no authentication",
)
CONNECTICUT = _us_state(
    "US_CT_CTDPA",
    "Connecticut Data Privacy Act (Conn. Gen. Stat. § 42-515 et seq.)",
    "Conn. Gen. Stat. § 42-518(c): within 45 days of receipt",
    60,
    "Conn. Gen. Stat. § 42-518(d): a written answer within 60 days of receipt of the appeal; "
    "if denied, a way to complain to the Attorney General",
    attorney_general="the Connecticut Attorney General: https://portal.ct.gov/ag",
    opt_out_basis="Conn. Gen. Stat. § 42-518: opt-out requests need no authentication",
)
UTAH = Regime(
    "US_UT_UCPA",
    "Utah Consumer Privacy Act (Utah Code § 13-61-101 et seq.)",
    counting="calendar days after the day of receipt (Utah Code § 13-61-203(2))",
    answers=(
        Answer(
            Period(days=45),
            "Utah Code § 13-61-203(2)(a): within 45 days after the day of receipt",
            Extension(
                "Utah Code § 13-61-203(2)(b)-(c): once, by 45 more days, the person told before "
                "the first 45 days end with the length and reasons",
                after_first=Period(days=45),
            ),
            acknowledge=POLICY_ACK,
        ),
    ),
    roll=None,
    no_roll=_US_STATE_NOT_MOVED,
    no_verification="opt-outs of sale and targeted advertising (§ 13-61-201(4)) need no code: "
    "our policy, as they only stop processing",
    no_appeal="the UCPA gives no right to appeal",
    complaint="Utah Division of Consumer Protection, https://dcp.utah.gov (Utah Code § 13-61-401)",
)
TEXAS = _us_state(
    "US_TX_TDPSA",
    "Texas Data Privacy and Security Act (Tex. Bus. & Com. Code ch. 541)",
    "Tex. Bus. & Com. Code § 541.052(b): within 45 days of receipt",
    60,
    "Tex. Bus. & Com. Code § 541.053: a written answer within 60 days of receipt of the "
    "appeal; if denied, a way to complain to the Attorney General",
    attorney_general="the Texas Attorney General: https://www.texasattorneygeneral.gov/consumer-protection",
    opt_out_basis="Tex. Bus. & Com. Code § 541.055: opt-outs need no authentication",
)
OREGON = _us_state(
    "US_OR_OCPA",
    "Oregon Consumer Privacy Act (ORS 646A.570 et seq.)",
    "ORS 646A.576(5)(a): within 45 days of receipt",
    45,
    "ORS 646A.576(6)(d): approve or deny the appeal within 45 days of receipt, in writing with "
    "reasons; if denied, how to complain to the Attorney General",
    attorney_general="the Oregon Department of Justice: https://www.doj.state.or.us/consumer-protection",
    opt_out_basis="ORS 646A.576(5)(e): opt-outs without authentication",
)
MONTANA = _us_state(
    "US_MT_MCDPA",
    "Montana Consumer Data Privacy Act (Mont. Code Ann. § 30-14-2801 et seq.)",
    "MCDPA (Mont. Code Ann. § 30-14-2801 et seq.): within 45 days of receipt",
    60,
    "MCDPA: a written answer within 60 days of receipt of the appeal; if denied, a way to "
    "complain to the Attorney General",
    attorney_general="the Montana Department of Justice, Office of Consumer Protection: https://dojmt.gov",
)
IOWA = _us_state(
    "US_IA_ICDPA",
    "Iowa Consumer Data Protection Act (Iowa Code ch. 715D)",
    "Iowa Code § 715D.4: within 90 days of receipt",
    60,
    "Iowa Code § 715D.4: a written answer within 60 days of receipt of the appeal; if denied, a "
    "way to complain to the Attorney General",
    attorney_general="the Iowa Attorney General, Consumer Protection Division: https://www.iowaattorneygeneral.gov",
    answer_days=90,
)
DELAWARE = _us_state(
    "US_DE_DPDPA",
    "Delaware Personal Data Privacy Act (6 Del. C. ch. 12D)",
    "6 Del. C. § 12D-104: within 45 days of receipt",
    60,
    "6 Del. C. § 12D-104: a written answer within 60 days of receipt of the appeal; if denied, "
    "a way to complain to the Attorney General",
    attorney_general="the Delaware Department of Justice: https://attorneygeneral.delaware.gov",
)
NEW_HAMPSHIRE = _us_state(
    "US_NH_NHPA",
    "New Hampshire privacy law (RSA ch. 507-H)",
    "RSA 507-H:4: within 45 days of receipt",
    60,
    "RSA 507-H:4: a written answer within 60 days of receipt of the appeal; if denied, a way to "
    "complain to the Attorney General",
    attorney_general="the New Hampshire Department of Justice, Consumer Protection Bureau: https://www.doj.nh.gov",
)
NEW_JERSEY = _us_state(
    "US_NJ_NJDPA",
    "New Jersey Data Privacy Act (N.J.S.A. 56:8-166.4 et seq.)",
    "N.J.S.A. 56:8-166.7(a): within 45 days of receipt",
    45,
    "N.J.S.A. 56:8-166.7(c) (how to appeal), 56:8-166.4 et seq.: the appeal answered within 45 "
    "days of receipt (45 or 60 days unsettled; earlier reading); if denied, a way to complain "
    "to the Attorney General",
    attorney_general="the New Jersey Division of Consumer Affairs: https://www.njconsumeraffairs.gov",
)
TENNESSEE = _us_state(
    "US_TN_TIPA",
    "Tennessee Information Protection Act (Tenn. Code Ann. § 47-18-3301 et seq.)",
    "TIPA (Tenn. Code Ann. § 47-18-3301 et seq.): within 45 days of receipt",
    60,
    "TIPA: a written answer within 60 days of receipt of the appeal; if denied, a way to "
    "complain to the Attorney General",
    attorney_general="the Tennessee Attorney General, Consumer Protection Division: "
    "https://www.tn.gov/attorneygeneral",
)
MINNESOTA = _us_state(
    "US_MN_MCDPA",
    "Minnesota Consumer Data Privacy Act (Minn. Stat. § 325M.10 et seq.)",
    "Minn. Stat. § 325M.14: within 45 days of receipt",
    45,
    "Minn. Stat. § 325M.14: a written answer within 45 days of receipt of the appeal (+60 days "
    "where reasonably necessary, told within the 45 days); if denied, how to complain to the "
    "Attorney General",
    attorney_general="the Minnesota Attorney General: https://www.ag.state.mn.us",
    appeal_extension=Extension(
        "Minn. Stat. § 325M.14: by 60 more days, told within 45 days of the appeal",
        after_first=Period(days=60),
    ),
)
MARYLAND = _us_state(
    "US_MD_MODPA",
    "Maryland Online Data Privacy Act (Md. Code, Com. Law § 14-4701 et seq.)",
    "MODPA (Md. Code, Com. Law § 14-4701 et seq.): within 45 days of receipt",
    60,
    "MODPA: a written answer within 60 days of receipt of the appeal; if denied, a way to "
    "complain to the Attorney General",
    attorney_general="the Maryland Attorney General, Consumer Protection Division: "
    "https://www.marylandattorneygeneral.gov",
)
INDIANA = _us_state(
    "US_IN_ICDPA",
    "Indiana Consumer Data Protection Act (Ind. Code art. 24-15)",
    "Ind. Code ch. 24-15-3: within 45 days of receipt",
    60,
    "Ind. Code ch. 24-15-3: a written answer within 60 days of receipt of the appeal; if denied, "
    "a way to complain to the Attorney General",
    attorney_general="the Indiana Attorney General: https://www.in.gov/attorneygeneral",
)
KENTUCKY = _us_state(
    "US_KY_KCDPA",
    "Kentucky Consumer Data Protection Act (KRS 367.3611 et seq.)",
    "KCDPA (KRS 367.3611 et seq.): within 45 days of receipt",
    60,
    "KCDPA: a written answer within 60 days of receipt of the appeal; if denied, a way to "
    "complain to the Attorney General",
    attorney_general="the Kentucky Attorney General, Office of Consumer Protection: https://www.ag.ky.gov",
)
NEBRASKA = _us_state(
    "US_NE_NDPA",
    "Nebraska Data Privacy Act (Neb. Rev. Stat. § 87-1101 et seq.)",
    "NDPA (Neb. Rev. Stat. § 87-1101 et seq.): within 45 days of receipt",
    60,
    "NDPA: a written answer within 60 days of receipt of the appeal; if denied, a way to "
    "complain to the Attorney General",
    attorney_general="the Nebraska Attorney General, Consumer Protection Division: https://ago.nebraska.gov",
)
RHODE_ISLAND = _us_state(
    "US_RI_RIDTPPA",
    "Rhode Island Data Transparency and Privacy Protection Act (R.I. Gen. Laws ch. 6-48.1)",
    "R.I. Gen. Laws § 6-48.1-6(b)(1): within 45 days of receipt",
    60,
    "R.I. Gen. Laws § 6-48.1-6(b)(2) (instructions to appeal with every refusal): the appeal "
    "answered in writing within 60 days of receipt",
    attorney_general="the Rhode Island Attorney General, Consumer Protection Unit: https://riag.ri.gov",
    extra=(
        Answer(
            Period(days=15),
            "R.I. Gen. Laws § 6-48.1-4(e): consent revoked, processing suspended within 15 days",
            None,
            no_extension="§ 6-48.1-4(e) allows no extension",
            acknowledge=POLICY_ACK,
            types=frozenset({RequestType.WITHDRAW_CONSENT}),
        ),
    ),
)

US_STATE_LAWS = (
    VIRGINIA,
    COLORADO,
    CONNECTICUT,
    UTAH,
    TEXAS,
    OREGON,
    MONTANA,
    IOWA,
    DELAWARE,
    NEW_HAMPSHIRE,
    NEW_JERSEY,
    TENNESSEE,
    MINNESOTA,
    MARYLAND,
    INDIANA,
    KENTUCKY,
    NEBRASKA,
    RHODE_ISLAND,
)

REGIMES: tuple[Regime, ...] = (
    GDPR,
    UK_GDPR,
    SWISS_FADP,
    CCPA,
    *US_STATE_LAWS,
    PIPEDA,
    QUEBEC,
    LGPD,
    PIPA,
    SINGAPORE,
    TURKEY,
    SOUTH_AFRICA,
    JAPAN,
    AUSTRALIA,
    INDIA,
    DPF_COMPLAINT,
)
REGIMES_BY_CODE = {regime.code: regime for regime in REGIMES}

# Rights a law's table does not list: those the US state laws grant (the rights of Va. Code
# § 59.1-577(A), shared by the other state laws, and the appeal), and those every other law
# grants in some form (access, correction, deletion, withdrawal of consent).
_US_STATE_RIGHTS = (
    RequestType.ACCESS,
    RequestType.RECTIFICATION,
    RequestType.ERASURE,
    RequestType.PORTABILITY,
    RequestType.OPT_OUT_SALE_SHARING,
    RequestType.OPT_OUT_TARGETED_ADVERTISING,
    RequestType.OPT_OUT_PROFILING,
    RequestType.APPEAL,
)
_COMMON_RIGHTS = (
    RequestType.ACCESS,
    RequestType.RECTIFICATION,
    RequestType.ERASURE,
    RequestType.WITHDRAW_CONSENT,
)


def rights_of(regime: Regime) -> tuple[tuple[RequestType, str], ...]:
    """The rights a person has under `regime`, each with its citation (`Regime.article_for`),
    as a reply to an unclear letter offers them. Lifting a restriction is not a right of its
    own (it follows one) and is never listed."""
    if regime.articles:
        types = tuple(t for t, _ in regime.articles)
    elif regime in US_STATE_LAWS:
        types = _US_STATE_RIGHTS if regime.appeal else _US_STATE_RIGHTS[:-1]
    else:
        types = _COMMON_RIGHTS
    return tuple((t, regime.article_for(t)) for t in types if t is not RequestType.LIFT_RESTRICTION)


# ---------------------------------------------------------------------------- the places
_FRENCH_OUTERMOST_REGIONS = (
    "America/Guadeloupe",
    "America/Martinique",
    "America/Cayenne",
    "Indian/Reunion",
    "Indian/Mayotte",
    "America/Marigot",
)
_GDPR_PLACES: dict[str, tuple[str, tuple[str, ...]]] = {
    "AT": ("Austria", ("Europe/Vienna",)),
    "BE": ("Belgium", ("Europe/Brussels",)),
    "BG": ("Bulgaria", ("Europe/Sofia",)),
    "HR": ("Croatia", ("Europe/Zagreb",)),
    # Not Asia/Famagusta: the acquis is suspended in the north (Protocol No 10, 2003 Act of
    # Accession), so the GDPR does not run there.
    "CY": ("Cyprus", ("Asia/Nicosia",)),
    "CZ": ("Czechia", ("Europe/Prague",)),
    "DK": ("Denmark", ("Europe/Copenhagen",)),
    "EE": ("Estonia", ("Europe/Tallinn",)),
    "FI": ("Finland", ("Europe/Helsinki",)),
    "AX": ("Åland (Finland)", ("Europe/Mariehamn",)),
    # France with its outermost regions (TFEU Art. 349, 355(1): EU law, so the GDPR, runs
    # there), whose people may give FR as well as their own codes.
    "FR": ("France", ("Europe/Paris", *_FRENCH_OUTERMOST_REGIONS)),
    "GP": ("Guadeloupe (France)", ("America/Guadeloupe",)),
    "MQ": ("Martinique (France)", ("America/Martinique",)),
    "GF": ("French Guiana (France)", ("America/Cayenne",)),
    "RE": ("Réunion (France)", ("Indian/Reunion",)),
    "YT": ("Mayotte (France)", ("Indian/Mayotte",)),
    "MF": ("Saint Martin (France)", ("America/Marigot",)),
    "DE": ("Germany", ("Europe/Berlin", "Europe/Busingen")),
    "GR": ("Greece", ("Europe/Athens",)),
    "EL": ("Greece (EU code)", ("Europe/Athens",)),
    "HU": ("Hungary", ("Europe/Budapest",)),
    "IE": ("Ireland", ("Europe/Dublin",)),
    "IT": ("Italy", ("Europe/Rome",)),
    "LV": ("Latvia", ("Europe/Riga",)),
    "LT": ("Lithuania", ("Europe/Vilnius",)),
    "LU": ("Luxembourg", ("Europe/Luxembourg",)),
    "MT": ("Malta", ("Europe/Malta",)),
    "NL": ("Netherlands", ("Europe/Amsterdam",)),
    "PL": ("Poland", ("Europe/Warsaw",)),
    "PT": ("Portugal", ("Europe/Lisbon", "Atlantic/Madeira", "Atlantic/Azores")),
    "RO": ("Romania", ("Europe/Bucharest",)),
    "SK": ("Slovakia", ("Europe/Bratislava",)),
    "SI": ("Slovenia", ("Europe/Ljubljana",)),
    "ES": ("Spain", ("Europe/Madrid", "Africa/Ceuta", "Atlantic/Canary")),
    "SE": ("Sweden", ("Europe/Stockholm",)),
    "IS": ("Iceland (EEA)", ("Atlantic/Reykjavik",)),
    "LI": ("Liechtenstein (EEA)", ("Europe/Vaduz",)),
    "NO": ("Norway (EEA)", ("Europe/Oslo",)),
}
_EU_ZONES = tuple(sorted({zone for _, zones in _GDPR_PLACES.values() for zone in zones}))

_GB_NATIONS = (("GB", "ENG"), ("GB", "SCT"), ("GB", "NIR"))


def _us_holidays(state: str, name: str) -> Holidays:
    return Holidays(
        (("US", None), ("US", state)),
        f"the holidays both the federal and the {name} calendars keep",
    )


_US_PLACES: tuple[tuple[str, str, Regime, tuple[str, ...]], ...] = (
    ("US-CA", "California", CCPA, ("America/Los_Angeles",)),
    ("US-VA", "Virginia", VIRGINIA, ("America/New_York",)),
    ("US-CO", "Colorado", COLORADO, ("America/Denver",)),
    ("US-CT", "Connecticut", CONNECTICUT, ("America/New_York",)),
    ("US-UT", "Utah", UTAH, ("America/Denver",)),
    ("US-TX", "Texas", TEXAS, ("America/Chicago", "America/Denver")),
    ("US-OR", "Oregon", OREGON, ("America/Los_Angeles", "America/Boise")),
    ("US-MT", "Montana", MONTANA, ("America/Denver",)),
    ("US-IA", "Iowa", IOWA, ("America/Chicago",)),
    ("US-DE", "Delaware", DELAWARE, ("America/New_York",)),
    ("US-NH", "New Hampshire", NEW_HAMPSHIRE, ("America/New_York",)),
    ("US-NJ", "New Jersey", NEW_JERSEY, ("America/New_York",)),
    ("US-TN", "Tennessee", TENNESSEE, ("America/Chicago", "America/New_York")),
    ("US-MN", "Minnesota", MINNESOTA, ("America/Chicago",)),
    ("US-MD", "Maryland", MARYLAND, ("America/New_York",)),
    ("US-IN", "Indiana", INDIANA, ("America/Indiana/Indianapolis", "America/Chicago")),
    ("US-KY", "Kentucky", KENTUCKY, ("America/New_York", "America/Chicago")),
    ("US-NE", "Nebraska", NEBRASKA, ("America/Chicago", "America/Denver")),
    ("US-RI", "Rhode Island", RHODE_ISLAND, ("America/New_York",)),
)

_CANADA_ZONES = (  # every zone the time zone database gives CA, east to west
    "America/St_Johns",
    "America/Halifax",
    "America/Glace_Bay",
    "America/Moncton",
    "America/Goose_Bay",
    "America/Blanc-Sablon",
    "America/Toronto",
    "America/Iqaluit",
    "America/Atikokan",
    "America/Winnipeg",
    "America/Resolute",
    "America/Rankin_Inlet",
    "America/Regina",
    "America/Swift_Current",
    "America/Edmonton",
    "America/Cambridge_Bay",
    "America/Inuvik",
    "America/Vancouver",
    "America/Creston",
    "America/Dawson_Creek",
    "America/Fort_Nelson",
    "America/Whitehorse",
    "America/Dawson",
)
# Provinces where PIPEDA governs private-sector personal information (British Columbia and
# Alberta have their own laws, not in this table yet: they get the fallback clock).
_PIPEDA_PROVINCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ON", "Ontario", ("America/Toronto", "America/Atikokan", "America/Winnipeg")),
    ("NS", "Nova Scotia", ("America/Halifax", "America/Glace_Bay")),
    ("NB", "New Brunswick", ("America/Moncton",)),
    ("MB", "Manitoba", ("America/Winnipeg",)),
    # Lloydminster, on the Alberta border, keeps Alberta's time (Mountain, with DST).
    ("SK", "Saskatchewan", ("America/Regina", "America/Swift_Current", "America/Edmonton")),
    ("PE", "Prince Edward Island", ("America/Halifax",)),
    ("NL", "Newfoundland and Labrador", ("America/St_Johns", "America/Goose_Bay")),
    ("YT", "Yukon", ("America/Whitehorse", "America/Dawson")),
    ("NT", "Northwest Territories", ("America/Yellowknife", "America/Inuvik")),
    (
        "NU",
        "Nunavut",
        (
            "America/Iqaluit",
            "America/Atikokan",
            "America/Rankin_Inlet",
            "America/Resolute",
            "America/Winnipeg",
            "America/Cambridge_Bay",
            "America/Edmonton",
        ),
    ),
)
# Quebec's Legal Time Act (CQLR c. T-5.1) ss. 1-2: Eastern time west of 63° W, Atlantic
# Standard Time all year east of it (the Lower North Shore: Blanc-Sablon), and Atlantic time
# with daylight saving on the Îles-de-la-Madeleine and in Listuguj (as Halifax keeps it).
_QUEBEC_ZONES = ("America/Toronto", "America/Blanc-Sablon", "America/Halifax")
_QUEBEC_ZONES_NOTE = (
    "Legal Time Act (CQLR c. T-5.1) ss. 1-2: Eastern time west of 63° W; Atlantic Standard "
    "Time all year east of it (Blanc-Sablon); Atlantic time with daylight saving on the "
    "Îles-de-la-Madeleine and in Listuguj"
)
# The Privacy Act extends to every external Territory (s. 5A): Norfolk Island, Christmas
# Island and the Cocos (Keeling) Islands, which have ISO codes of their own (NF, CX, CC).
_AUSTRALIA_ZONES = (
    "Pacific/Norfolk",
    "Australia/Lord_Howe",
    "Antarctica/Macquarie",
    "Australia/Sydney",
    "Australia/Melbourne",
    "Australia/Hobart",
    "Australia/Broken_Hill",
    "Australia/Brisbane",
    "Australia/Lindeman",
    "Australia/Adelaide",
    "Australia/Darwin",
    "Australia/Eucla",
    "Australia/Perth",
    "Indian/Christmas",
    "Indian/Cocos",
)
_AUSTRALIA_ZONES_NOTE = (
    "the states and territories, and the external Territories the Act extends to (Privacy "
    "Act 1988 s. 5A): Norfolk Island, Christmas Island, the Cocos (Keeling) Islands"
)
_BRAZIL_ZONES = (  # every zone the time zone database gives BR, east to west
    "America/Noronha",
    "America/Belem",
    "America/Fortaleza",
    "America/Recife",
    "America/Araguaina",
    "America/Maceio",
    "America/Bahia",
    "America/Sao_Paulo",
    "America/Santarem",
    "America/Campo_Grande",
    "America/Cuiaba",
    "America/Porto_Velho",
    "America/Boa_Vista",
    "America/Manaus",
    "America/Eirunepe",
    "America/Rio_Branco",
)


def _places() -> dict[str, Place]:
    places = [
        Place(
            "EU",
            "European Union / EEA (no country given)",
            GDPR,
            _EU_ZONES,
            holidays_note="every EU/EEA time zone: counted in the one whose day ends first",
            shown_zone="Europe/Brussels",
        ),
        *(Place(code, name, GDPR, zones) for code, (name, zones) in _GDPR_PLACES.items()),
        Place(
            "GB",
            "United Kingdom",
            UK_GDPR,
            ("Europe/London",),
            Holidays(_GB_NATIONS, "the bank holidays every UK nation keeps (earlier reading)"),
        ),
        Place(
            "GB-ENG",
            "England",
            UK_GDPR,
            ("Europe/London",),
            Holidays((("GB", "ENG"),), "England and Wales bank holidays"),
        ),
        Place(
            "GB-WLS",
            "Wales",
            UK_GDPR,
            ("Europe/London",),
            Holidays((("GB", "WLS"),), "England and Wales bank holidays"),
        ),
        Place(
            "GB-SCT",
            "Scotland",
            UK_GDPR,
            ("Europe/London",),
            Holidays((("GB", "SCT"),), "Scottish bank holidays"),
        ),
        Place(
            "GB-NIR",
            "Northern Ireland",
            UK_GDPR,
            ("Europe/London",),
            Holidays((("GB", "NIR"),), "Northern Ireland bank holidays"),
        ),
        Place("CH", "Switzerland", SWISS_FADP, ("Europe/Zurich",)),
        *(
            Place(code, name, regime, zones, _us_holidays(code[3:], name))
            for code, name, regime, zones in _US_PLACES
        ),
        Place(
            "CA",
            "Canada",
            PIPEDA,
            _CANADA_ZONES,
            Holidays((("CA", None),), "Canada's nationwide statutory holidays"),
            shown_zone="America/Toronto",
        ),
        *(
            Place(
                f"CA-{province}",
                name,
                PIPEDA,
                zones,
                Holidays((("CA", province),), f"{name}'s statutory holidays"),
            )
            for province, name, zones in _PIPEDA_PROVINCES
        ),
        Place(
            "CA-QC",
            "Quebec",
            QUEBEC,
            _QUEBEC_ZONES,
            Holidays((("CA", "QC"),), "Quebec's statutory holidays"),
            zones_note=_QUEBEC_ZONES_NOTE,
        ),
        Place(
            "BR",
            "Brazil",
            LGPD,
            _BRAZIL_ZONES,
            Holidays(
                (("BR", None),),
                "national holidays (state and municipal ones unsettled: not counted)",
            ),
            shown_zone="America/Sao_Paulo",
        ),
        Place(
            "KR",
            "South Korea",
            PIPA,
            ("Asia/Seoul",),
            Holidays((("KR", None),), "South Korea's public holidays"),
        ),
        Place(
            "SG",
            "Singapore",
            SINGAPORE,
            ("Asia/Singapore",),
            Holidays((("SG", None),), "Singapore's public holidays"),
        ),
        Place("TR", "Turkey", TURKEY, ("Europe/Istanbul",)),
        Place(
            "ZA",
            "South Africa",
            SOUTH_AFRICA,
            ("Africa/Johannesburg",),
            Holidays((("ZA", None),), "South Africa's public holidays"),
        ),
        Place("JP", "Japan", JAPAN, ("Asia/Tokyo",)),
        Place(
            "AU",
            "Australia",
            AUSTRALIA,
            _AUSTRALIA_ZONES,
            zones_note=_AUSTRALIA_ZONES_NOTE,
            shown_zone="Australia/Sydney",
        ),
        *(
            Place(code, name, AUSTRALIA, (zone,), zones_note="an external Territory (s. 5A)")
            for code, name, zone in (
                ("NF", "Norfolk Island (Australia)", "Pacific/Norfolk"),
                ("CX", "Christmas Island (Australia)", "Indian/Christmas"),
                ("CC", "Cocos (Keeling) Islands (Australia)", "Indian/Cocos"),
            )
        ),
        Place("IN", "India", INDIA, ("Asia/Kolkata",)),
    ]
    return {place.code: place for place in places}


PLACES: dict[str, Place] = _places()

# Where a subdivision code of one of these countries is given (DE-BY, BR-SP), the country's law
# applies: their privacy laws are national. In the United States and Canada each state or
# province has its own (or none), so an unlisted one is unknown.
NATIONAL_LAW_COUNTRIES = frozenset(
    code for code in PLACES if "-" not in code and code not in {"US", "CA", "EU"}
)

# An unknown place: recorded on the request as a fallback, shown by the calculator.
FALLBACK_RULE = (
    "unknown place: the strictest clock of this table for the request type and its receipt, "
    "computed, with no weekend or holiday moving its last day"
)
