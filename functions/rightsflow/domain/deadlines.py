"""The legal clock: which regime a jurisdiction falls under and when its answer is due.

Times are stored in UTC; each regime's dates are computed in its own time zone, and a due date
means the end of that local calendar day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

JURISDICTION_PATTERN = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")


@dataclass(frozen=True)
class Regime:
    """One law's clock. Exactly one of `answer_months` or `answer_days` is set."""

    code: str
    law: str
    time_zone: str
    answer_months: int | None = None
    answer_days: int | None = None
    acknowledge_business_days: int | None = None


GDPR = Regime("GDPR", "GDPR Art. 12(3)", "Europe/Brussels", answer_months=1)
UK_GDPR = Regime("UK_GDPR", "UK GDPR Art. 12(3)", "Europe/London", answer_months=1)
SWISS_FADP = Regime("CH_FADP", "Swiss FADP Art. 25", "Europe/Zurich", answer_months=1)
CCPA = Regime(
    "CCPA",
    "CCPA/CPRA, Cal. Code Regs. tit. 11 § 7021",
    "America/Los_Angeles",
    answer_days=45,
    acknowledge_business_days=10,
)
LGPD = Regime("LGPD", "LGPD Art. 19 II", "America/Sao_Paulo", answer_days=15)

# EU member states and the EEA countries (Iceland, Liechtenstein, Norway) apply the GDPR.
_GDPR_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "EL",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",
    ]
)

JURISDICTION_REGIMES: dict[str, Regime] = {
    "EU": GDPR,
    **dict.fromkeys(_GDPR_COUNTRIES, GDPR),
    "GB": UK_GDPR,
    "CH": SWISS_FADP,
    "US-CA": CCPA,
    "BR": LGPD,
}

# An unknown jurisdiction gets the shortest answer time of any regime we know, so it is never late.
STRICTEST = LGPD


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


def regime_for(jurisdiction: str) -> RegimeChoice:
    regime = JURISDICTION_REGIMES.get(jurisdiction)
    if regime is None:
        return RegimeChoice(STRICTEST, fallback=True)
    return RegimeChoice(regime, fallback=False)


def add_months(day: date, months: int) -> date:
    """Calendar-month arithmetic: 31 January + 1 month is the last day of February."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def end_of_local_day(day: date, zone: ZoneInfo) -> datetime:
    """The last second of `day` in `zone`, as a UTC time."""
    local = datetime.combine(day, time(23, 59, 59), tzinfo=zone)
    return local.astimezone(UTC)


def answer_due(regime: Regime, received_at: datetime) -> datetime:
    """When the answer is due: end of the due day in the regime's zone, in UTC."""
    zone = ZoneInfo(regime.time_zone)
    received_day = received_at.astimezone(zone).date()
    if regime.answer_months is not None:
        due_day = add_months(received_day, regime.answer_months)
    elif regime.answer_days is not None:
        due_day = received_day + timedelta(days=regime.answer_days)
    else:  # pragma: no cover - the table above always sets one
        raise ValueError(f"regime {regime.code} has no answer period")
    return end_of_local_day(due_day, zone)
