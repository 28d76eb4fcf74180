"""Where a letter says its writer lives, or which law it invokes: the jurisdiction e-mail intake
gives the requests a letter makes, so that "I live in California" runs on the CCPA's clock
(and an opt-out needs no code, Cal. Code Regs. tit. 11 § 7060(b)) instead of the GDPR's.

Three kinds of statement, the most explicit first:

1. **residence**: "I live in California", "California resident", "resident of Ontario", "ich
   wohne in Österreich", "j'habite en Belgique", "vivo en España", "mieszkam w Polsce"…: a
   residence phrase in one of the eleven mail languages followed by a place: a US state or
   Canadian province (by name, or by its postal abbreviation: "I live in CA"), a UK nation, or
   any country by its name in those languages (Babel's territory names);
2. **law named**: "CCPA"/"CPRA" or Civil Code § 1798.1xx (California), "UK GDPR" or the Data
   Protection Act 2018, "LGPD", "PIPEDA", "Loi 25", the Swiss FADP, "POPIA", "KVKK", "APPI",
   each US state privacy act by its name; the GDPR under any of its names is the EU;
3. **postal address**: a US state abbreviation before a ZIP code ("San Jose, CA 95113"), a
   Canadian province before a postal code ("ON M5V 2T6"), a UK postcode ("LS2 7AB").

A kind that names places that disagree says nothing; a later kind only makes an earlier one
more precise (a resident of the United States who cites the CCPA is in California; a letter
from Germany citing the GDPR is German). Nothing stated: None, and intake uses the default
(`EU`). A place outside the table (Florida, Mexico) is still the place stated: it gets the
unknown place's clock, the strictest, as `POST /requests` gives it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rightsflow.domain.mail_recognition import fold
from rightsflow.domain.regimes import PLACES

# The languages of the phrase tables (`mail_phrases`): country names are read in these.
LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt", "pl", "sv", "da", "cs")


@dataclass(frozen=True)
class StatedPlace:
    """The jurisdiction a letter states, and how (`basis`: residence, law named, postal
    address). `evidence` names the rule that found it, never the letter's words."""

    code: str
    basis: str
    evidence: str


# ------------------------------------------------------------------ places by name
_US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island",
    "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah",
    "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip
_CA_PROVINCES = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
    "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
    "SK": "Saskatchewan", "YT": "Yukon",
}  # fmt: skip
# Names people use that no table above spells so.
_OTHER_NAMES = {
    "US": ("usa", "u s a", "u s", "us", "united states of america", "america"),
    "GB": ("uk", "u k", "great britain", "britain"),
    "EU": ("european union", "eu", "eea", "european economic area"),
    "US-CA": ("kalifornien", "californie", "kalifornia", "kalifornie"),
    "CA-QC": ("quebec", "province de quebec"),
    "CA-NL": ("newfoundland",),
    # The locative case of Polish and Czech ("mieszkam w Polsce", "bydlím v Česku").
    "PL": ("polsce",),
    "DE": ("niemczech", "nemecku"),
    "CZ": ("cesku", "ceske republice", "czechach"),
    "SK": ("slovensku", "slowacji"),
}
# Grouping codes of Babel's territory list that are not places a person lives in.
_NOT_PLACES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"}

# A residence phrase in each mail language (folded: lower case, no accents), after which a place
# is named in the same clause ("I live in the state of California").
_RESIDENCE = re.compile(
    r"(?<![a-z])(?:"
    r"i\s+(?:currently\s+)?(?:live|reside)\s+in|i\s+am\s+(?:living|residing)\s+in|living\s+in"
    r"|residing\s+in|resident\s+(?:of|in)|residence\s+(?:is\s+)?in|domiciled\s+in"
    r"|(?:ich\s+)?wohne\s+in|wohnhaft\s+in|(?:ich\s+)?lebe\s+in|wohnsitz\s+in"
    r"|j\s*['\u2019]?\s*habite|je\s+reside|je\s+vis|residant|domicilie"
    r"|vivo\s+en|resido\s+en|residente\s+en|domiciliad[oa]\s+en"
    r"|vivo\s+in|risiedo\s+in|residente\s+in|abito\s+in"
    r"|(?:ik\s+)?woon\s+in|woonachtig\s+in"
    r"|moro\s+(?:em|no|na|nos|nas)|resido\s+(?:em|no|na)|residente\s+(?:em|no|na)"
    r"|mieszkam\s+w|zamieszka(?:ly|la)\s+w"
    r"|jag\s+bor\s+i|jeg\s+bor\s+i|bosatt\s+i|bosat\s+i"
    r"|bydlim\s+v|ziji\s+v"
    r")(?![a-z])"
)
_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text)))


@cache
def _place_names() -> dict[tuple[str, ...], str]:
    """Every place name (as folded words) and the jurisdiction code it names; where two places
    share a name (Georgia), the US state's is kept, as letters naming it come from there."""
    from babel import Locale  # noqa: PLC0415 - loaded when a letter is read, not at cold start

    names: dict[tuple[str, ...], str] = {}

    def add(name: str, code: str) -> None:
        words = _words(re.sub(r"\(.*?\)", "", name))
        if words:
            names[words] = code

    for language in LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_PLACES:
                add(name, code)
    for code, place in PLACES.items():
        if code not in {"EU", "EL"}:
            add(place.name, code)
    for code, names_of in _OTHER_NAMES.items():
        for name in names_of:
            add(name, code)
    for abbreviation, name in _CA_PROVINCES.items():
        add(name, f"CA-{abbreviation}")
    for abbreviation, name in _US_STATES.items():
        add(name, f"US-{abbreviation}")
    return names


def _longest_place(words: tuple[str, ...], start: int) -> tuple[str, int] | None:
    """The longest place name beginning at `words[start]`: (code, its length in words)."""
    names = _place_names()
    for length in range(min(5, len(words) - start), 0, -1):
        code = names.get(words[start : start + length])
        if code is not None:
            return code, length
    return None


_CLAUSE_END = re.compile(r"[.;!?\n]")
# How many words after a residence phrase a place may come: "I live in Manchester, in the UK",
# "ich wohne in Wien, Österreich".
_CLAUSE_WORDS = 8


def _residences(folded: str) -> set[str]:
    found: set[str] = set()
    for match in _RESIDENCE.finditer(folded):
        clause = _CLAUSE_END.split(folded[match.end() : match.end() + 160], maxsplit=1)[0]
        after = tuple(_WORD.findall(clause))
        for start in range(min(_CLAUSE_WORDS, len(after))):
            named = _longest_place(after, start)
            if named is not None:
                found.add(named[0])
                break
    # "a California resident", "New Jersey residents"
    words = _WORD.findall(folded)
    for index, word in enumerate(words):
        if word in {"resident", "residents"}:
            for length in range(min(4, index), 0, -1):
                code = _place_names().get(tuple(words[index - length : index]))
                if code is not None:
                    found.add(code)
                    break
    return found


_ABBREVIATED_RESIDENCE = re.compile(
    r"(?i:\b(?:i\s+(?:live|reside)\s+in|living\s+in|residing\s+in|resident\s+of)\s+)"
    r"([A-Z]{2})\b|\b([A-Z]{2})(?i:\s+residents?)\b"
)


def _abbreviated_residences(text: str) -> set[str]:
    found = set()
    for match in _ABBREVIATED_RESIDENCE.finditer(text):
        abbreviation = match.group(1) or match.group(2)
        if abbreviation in _US_STATES:
            found.add(f"US-{abbreviation}")
    return found


# ------------------------------------------------------------------ laws named
# (pattern over folded text, jurisdiction, the law's name as evidence); the more specific first:
# what one matches is blanked before the next is tried ("UK GDPR" is not also "GDPR").
_LAWS: tuple[tuple[str, str, str], ...] = (
    (r"uk\s+gdpr|data\s+protection\s+act\s+2018", "GB", "UK GDPR"),
    (
        r"ccpa|cpra|california\s+consumer\s+privacy\s+act|california\s+privacy\s+rights\s+act"
        r"|(?:cal(?:ifornia)?\.?\s+)?civ(?:il)?\.?\s+code\s*(?:section|sec\.?|§)?\s*1798"
        r"|1798\s*\.\s*1[0-9]{2}",
        "US-CA",
        "CCPA",
    ),
    (r"vcdpa|virginia\s+consumer\s+data\s+protection\s+act", "US-VA", "Virginia's VCDPA"),
    (r"colorado\s+privacy\s+act", "US-CO", "the Colorado Privacy Act"),
    (r"ctdpa|connecticut\s+data\s+privacy\s+act", "US-CT", "Connecticut's CTDPA"),
    (r"utah\s+consumer\s+privacy\s+act", "US-UT", "Utah's UCPA"),
    (r"tdpsa|texas\s+data\s+privacy\s+and\s+security\s+act", "US-TX", "Texas's TDPSA"),
    (r"oregon\s+consumer\s+privacy\s+act", "US-OR", "Oregon's OCPA"),
    (r"montana\s+consumer\s+data\s+privacy\s+act", "US-MT", "Montana's MCDPA"),
    (r"iowa\s+consumer\s+data\s+protection\s+act", "US-IA", "Iowa's ICDPA"),
    (r"delaware\s+personal\s+data\s+privacy\s+act", "US-DE", "Delaware's DPDPA"),
    (r"new\s+hampshire\s+privacy\s+act", "US-NH", "New Hampshire's privacy act"),
    (r"njdpa|new\s+jersey\s+data\s+privacy\s+act", "US-NJ", "New Jersey's NJDPA"),
    (r"tennessee\s+information\s+protection\s+act", "US-TN", "Tennessee's TIPA"),
    (r"minnesota\s+consumer\s+data\s+privacy\s+act", "US-MN", "Minnesota's MCDPA"),
    (r"modpa|maryland\s+online\s+data\s+privacy\s+act", "US-MD", "Maryland's MODPA"),
    (r"indiana\s+consumer\s+data\s+protection\s+act", "US-IN", "Indiana's ICDPA"),
    (r"kcdpa|kentucky\s+consumer\s+data\s+protection\s+act", "US-KY", "Kentucky's KCDPA"),
    (r"nebraska\s+data\s+privacy\s+act", "US-NE", "Nebraska's NDPA"),
    (r"rhode\s+island\s+data\s+transparency", "US-RI", "Rhode Island's RIDTPPA"),
    (r"lgpd|lei\s+geral\s+de\s+protecao\s+de\s+dados|13\s*\.\s*709", "BR", "LGPD"),
    (r"pipeda", "CA", "PIPEDA"),
    (r"loi\s+25|law\s+25|p\s*-\s*39\s*\.\s*1", "CA-QC", "Quebec's Law 25"),
    (r"rev\s*fadp|n?fadp|rev\s*dsg|ndsg|nlpd|revdsg", "CH", "the Swiss FADP"),
    (r"popia", "ZA", "POPIA"),
    (r"kvkk", "TR", "KVKK"),
    (r"appi", "JP", "APPI"),
    (
        r"korean?\s+(?:pipa|personal\s+information\s+protection\s+act)|pipa\s+of\s+korea",
        "KR",
        "Korea's PIPA",
    ),
    (r"dpdp\s+act|digital\s+personal\s+data\s+protection\s+act", "IN", "India's DPDP Act"),
    (r"privacy\s+act\s+1988|australian\s+privacy\s+principles", "AU", "Australia's Privacy Act"),
    (
        r"gdpr|dsgvo|ds\s+gvo|rgpd|avg|rodo|2016\s*/\s*679|dataskyddsforordningen"
        r"|databeskyttelsesforordningen|obecneho\s+narizeni",
        "EU",
        "the GDPR",
    ),
)
_LAW_PATTERNS = tuple(
    (re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])"), code, name)
    for pattern, code, name in _LAWS
)


def _laws(folded: str) -> dict[str, str]:
    """The laws named, by jurisdiction. The GDPR counts only where no other law is named: it
    is cited in every kind of template ("under the CCPA and, where it applies, the GDPR")."""
    found: dict[str, str] = {}
    for pattern, code, name in _LAW_PATTERNS:
        if pattern.search(folded):
            found.setdefault(code, name)
            folded = pattern.sub(" ", folded)
    if len(found) > 1:
        found.pop("EU", None)
    return found


# ------------------------------------------------------------------ postal addresses
# "San Jose, CA 95113": the comma keeps "Customer ID 12345" (Idaho?) out.
_US_ZIP = re.compile(r",\s*([A-Z]{2})\s+\d{5}(?:-\d{4})?\b")
_CA_POSTAL = re.compile(r"\b(" + "|".join(_CA_PROVINCES) + r")\s+[A-Z]\d[A-Z]\s?\d[A-Z]\d\b")
_UK_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s\d[ABD-HJLNP-UW-Z]{2}\b")


def _addresses(text: str) -> set[str]:
    found = {f"US-{s}" for s in _US_ZIP.findall(text) if s in _US_STATES}
    found |= {f"CA-{p}" for p in _CA_POSTAL.findall(text)}
    if _UK_POSTCODE.search(text):
        found.add("GB")
    return found


# ------------------------------------------------------------------ deciding
def _refines(specific: str, general: str) -> bool:
    """Whether `specific` is a part of `general` (US-CA of US, DE of the EU, GB-SCT of GB)."""
    if specific == general:
        return True
    if specific.startswith(general + "-"):
        return True
    if general == "EU":
        place = PLACES.get(specific)
        return place is not None and place.regime.code == "GDPR"
    return False


def _one_place(codes: set[str]) -> str | None:
    """The one place `codes` name (the most precise where one is part of another), or None
    when they disagree."""
    precise = {c for c in codes if not any(o != c and _refines(o, c) for o in codes)}
    return precise.pop() if len(precise) == 1 else None


def stated_jurisdiction(subject: str, body: str) -> StatedPlace | None:
    """The jurisdiction the letter states (see the module docstring), or None."""
    text = f"{subject}\n{body}"
    folded = fold(text)
    laws = _laws(folded)
    tiers = (
        ("residence", _residences(folded) | _abbreviated_residences(text)),
        ("law named", set(laws)),
        ("postal address", _addresses(text)),
    )
    chosen: StatedPlace | None = None
    for basis, codes in tiers:
        place = _one_place(codes) if codes else None
        if place is None:
            continue
        evidence = f"{basis}: {laws[place]}" if basis == "law named" else basis
        if chosen is None:
            chosen = StatedPlace(place, basis, evidence)
        elif place != chosen.code and _refines(place, chosen.code):
            chosen = StatedPlace(place, basis, f"{chosen.evidence}, then {evidence}")
    return chosen
