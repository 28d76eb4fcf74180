"""The legal clock: which regime a request falls under, and when it must be acknowledged and answered.

Times are stored in UTC; each regime's dates are computed in its own time zone, and a due date
means the end of that local calendar day. Business days skip weekends and the public holidays
of the regime's place (from the `holidays` package).

Add a jurisdiction by adding a line to JURISDICTION_REGIMES; add a law by adding a Regime.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rightsflow.domain.lifecycle import RequestType

if TYPE_CHECKING:
    from holidays import HolidayBase

JURISDICTION_PATTERN = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")


@dataclass(frozen=True)
class Period:
    """A span of time as the law counts it: calendar months, calendar days or business days."""

    months: int = 0
    days: int = 0
    business_days: int = 0

    def __str__(self) -> str:
        if self.months:
            return f"{self.months} month{'s' if self.months > 1 else ''}"
        if self.business_days:
            return f"{self.business_days} business days"
        return f"{self.days} days"


@dataclass(frozen=True)
class Regime:
    """One law's clock for answering a rights request."""

    code: str
    law: str
    time_zone: str
    answer: Period
    acknowledge: Period
    acknowledge_basis: str  # the law's rule, or our policy where the law only says "promptly"
    extension: Period | None = None  # how much longer the answer may take, at most
    extension_rule: str = "no extension is allowed"
    extension_only_once: bool = False
    holiday_country: str | None = None
    holiday_subdivision: str | None = None


_PROMPTLY = Period(business_days=1)
_POLICY = "our policy: promptly, within one business day (the law sets no shorter limit)"

GDPR = Regime(
    "GDPR",
    "GDPR Art. 12(3)",
    "Europe/Brussels",
    answer=Period(months=1),
    acknowledge=_PROMPTLY,
    acknowledge_basis=_POLICY,
    extension=Period(months=2),
    extension_rule="GDPR Art. 12(3): by two further months, the person told within the first month",
)
UK_GDPR = Regime(
    "UK_GDPR",
    "UK GDPR Art. 12(3)",
    "Europe/London",
    answer=Period(months=1),
    acknowledge=_PROMPTLY,
    acknowledge_basis=_POLICY,
    extension=Period(months=2),
    extension_rule="UK GDPR Art. 12(3): by two further months, the person told within the first month",
    holiday_country="GB",
    holiday_subdivision="ENG",
)
SWISS_FADP = Regime(
    "CH_FADP",
    "Swiss FADP Art. 25 (applied as one month)",
    "Europe/Zurich",
    answer=Period(months=1),
    acknowledge=_PROMPTLY,
    acknowledge_basis=_POLICY,
    extension=Period(months=2),
    extension_rule="by two further months with reasons, the person told within the first month",
    holiday_country="CH",
)
CCPA = Regime(
    "CCPA",
    "CCPA/CPRA, Cal. Code Regs. tit. 11 § 7021",
    "America/Los_Angeles",
    answer=Period(days=45),
    acknowledge=Period(business_days=10),
    acknowledge_basis="Cal. Code Regs. tit. 11 § 7021(a): within 10 business days",
    extension=Period(days=45),
    extension_rule="§ 7021(b): once, by up to 45 more days, with notice within the first 45 days",
    extension_only_once=True,
    holiday_country="US",
    holiday_subdivision="CA",
)
LGPD = Regime(
    "LGPD",
    "LGPD Art. 19 II",
    "America/Sao_Paulo",
    answer=Period(days=15),
    acknowledge=_PROMPTLY,
    acknowledge_basis=_POLICY,
    holiday_country="BR",
)
# Complaints about how personal data was handled (the policy's Privacy Shield section): answered
# within 45 days under the EU-US Data Privacy Framework's recourse principle, wherever they come from.
DPF_COMPLAINT = Regime(
    "DPF_COMPLAINT",
    "EU-US Data Privacy Framework, Recourse principle (45 days)",
    "America/New_York",
    answer=Period(days=45),
    acknowledge=_PROMPTLY,
    acknowledge_basis=_POLICY,
    holiday_country="US",
)

# EU member states and the EEA countries (Iceland, Liechtenstein, Norway) apply the GDPR.
_GDPR_COUNTRIES = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
        "IS", "LI", "NO",
    }
)  # fmt: skip

JURISDICTION_REGIMES: dict[str, Regime] = {
    "EU": GDPR,
    **dict.fromkeys(_GDPR_COUNTRIES, GDPR),
    "GB": UK_GDPR,
    "CH": SWISS_FADP,
    "US-CA": CCPA,
    "BR": LGPD,
}

REGIMES_BY_CODE = {
    regime.code: regime for regime in (GDPR, UK_GDPR, SWISS_FADP, CCPA, LGPD, DPF_COMPLAINT)
}


def _strictest() -> Regime:
    """The regime whose answer comes soonest, counted from the same day."""
    start = datetime(2026, 2, 1, 12, tzinfo=UTC)  # any day: the order does not change
    return min(
        (regime for regime in JURISDICTION_REGIMES.values()),
        key=lambda regime: answer_due(regime, start),
    )


@dataclass(frozen=True)
class RegimeChoice:
    regime: Regime
    fallback: bool  # True when the jurisdiction was unknown and the strictest rule was applied


def normalise_jurisdiction(raw: str) -> str:
    """Upper-case a jurisdiction code; ValueError when it is not shaped like one."""
    code = raw.strip().upper()
    if not JURISDICTION_PATTERN.fullmatch(code):
        raise ValueError("must be a country or region code such as DE, GB or US-CA")
    return code


def regime_for(jurisdiction: str, request_type: RequestType | None = None) -> RegimeChoice:
    """The clock a request runs on. Unknown places get the strictest clock we know."""
    if request_type is RequestType.COMPLAINT:
        return RegimeChoice(DPF_COMPLAINT, fallback=False)
    regime = JURISDICTION_REGIMES.get(jurisdiction)
    if regime is None:
        return RegimeChoice(_strictest(), fallback=True)
    return RegimeChoice(regime, fallback=False)


# ---------------------------------------------------------------------------- calendar arithmetic
def add_months(day: date, months: int) -> date:
    """Calendar-month arithmetic: 31 January + 1 month is the last day of February."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


@cache
def _holidays(country: str | None, subdivision: str | None) -> HolidayBase | None:
    if country is None:
        return None
    # Imported where business days are counted, not by every function that imports this module.
    import holidays  # noqa: PLC0415

    return holidays.country_holidays(country, subdiv=subdivision)


def is_business_day(day: date, regime: Regime) -> bool:
    if day.weekday() >= 5:
        return False
    public = _holidays(regime.holiday_country, regime.holiday_subdivision)
    return public is None or day not in public


def add_business_days(day: date, count: int, regime: Regime) -> date:
    """The business day `count` business days after `day` (day itself not counted)."""
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if is_business_day(current, regime):
            remaining -= 1
    return current


def add_period(day: date, period: Period, regime: Regime) -> date:
    day = add_months(day, period.months) + timedelta(days=period.days)
    return add_business_days(day, period.business_days, regime)


def end_of_local_day(day: date, zone: ZoneInfo) -> datetime:
    """The last second of `day` in `zone`, as a UTC time."""
    local = datetime.combine(day, time(23, 59, 59), tzinfo=zone)
    return local.astimezone(UTC)


def local_day(regime: Regime, moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(regime.time_zone)).date()


def _deadline(regime: Regime, received_at: datetime, period: Period) -> datetime:
    due_day = add_period(local_day(regime, received_at), period, regime)
    return end_of_local_day(due_day, ZoneInfo(regime.time_zone))


def answer_due(regime: Regime, received_at: datetime) -> datetime:
    """When the answer is due: end of the due day in the regime's zone, in UTC."""
    return _deadline(regime, received_at, regime.answer)


def acknowledge_by(regime: Regime, received_at: datetime) -> datetime:
    return _deadline(regime, received_at, regime.acknowledge)


def latest_extended_due(regime: Regime, received_at: datetime) -> datetime | None:
    """The furthest the answer may be pushed: the first period plus the extension."""
    if regime.extension is None:
        return None
    first = add_period(local_day(regime, received_at), regime.answer, regime)
    last = add_period(first, regime.extension, regime)
    return end_of_local_day(last, ZoneInfo(regime.time_zone))
