"""E-mails to the person, rendered from the text and HTML templates in rightsflow/templates."""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_timezone_name

from rightsflow.domain.clock import from_iso


def local_time(iso: str, time_zone: str | None, language: str = "en") -> str:
    """A moment as the person reads it in an e-mail, in the person's language and in
    `time_zone`, which is the zone people of the request's place read times in
    (`RightsRequest.reading_zone`), not necessarily the one the law's days were counted in: an
    `EU` deadline counted in the zone whose day ends first (Réunion's, of an evening) is the
    same instant told in Central European Time, e.g. "29. Dezember 2026, 20:59 MEZ" or
    "December 29, 2026, 20:59 Central European Standard Time". Without a zone: UTC."""
    moment = from_iso(iso).astimezone(ZoneInfo(time_zone or "UTC"))
    zone = get_timezone_name(moment, "short", locale=language)
    if zone[:1] in "+-" or zone.startswith("GMT"):  # no abbreviation in this language
        zone = get_timezone_name(moment, "long", locale=language)
    day = format_date(moment, "long", locale=language)
    return f"{day}, {format_time(moment, 'HH:mm', locale=language)} {zone}"


@dataclass(frozen=True)
class Notice:
    subject: str
    text: str
    html: str


# Subjects by template and language; a language without its own falls back to English.
SUBJECTS: dict[str, dict[str, str]] = {
    "acknowledgment": {
        "en": "We received your privacy request $request_id",
        "de": "Wir haben Ihre Datenschutzanfrage $request_id erhalten",
    },
    "verification": {
        "en": "Your verification code for privacy request $request_id",
        "de": "Ihr Bestätigungscode für die Datenschutzanfrage $request_id",
    },
    "completion": {
        "en": "Your privacy request $request_id is closed",
        "de": "Ihre Datenschutzanfrage $request_id ist abgeschlossen",
    },
    "extension": {
        "en": "We need more time for your privacy request $request_id",
        "de": "Wir benötigen mehr Zeit für Ihre Datenschutzanfrage $request_id",
    },
    "lift_restriction": {"en": "We are lifting the restriction on your data ($request_id)"},
    "email_unrecognised": {
        "en": "Your e-mail to our privacy team",
        "de": "Ihre E-Mail an unser Datenschutzteam",
    },
    "email_acknowledgment": {
        "en": "We received your privacy request $request_ids",
        "de": "Wir haben Ihre Datenschutzanfrage $request_ids erhalten",
    },
    "email_triage": {
        "en": "Your e-mail to our privacy team",
        "de": "Ihre E-Mail an unser Datenschutzteam",
    },
    "email_too_large": {
        "en": "Your e-mail to our privacy team was too large",
        "de": "Ihre E-Mail an unser Datenschutzteam war zu groß",
    },
}


def _source(name: str) -> str | None:
    file = resources.files("rightsflow").joinpath("templates", name)
    return file.read_text(encoding="utf-8") if file.is_file() else None


@cache
def _template(name: str, language: str) -> Template:
    """templates/<language>/<name>, else templates/<name> (English)."""
    source = _source(f"{language}/{name}") if language != "en" else None
    return Template(source if source is not None else _source(name) or "")


def render(
    name: str,
    values: dict[str, str],
    language: str = "en",
    html_values: dict[str, str] | None = None,
) -> Notice:
    """Fill `<name>.txt` and `<name>.html` in the person's language where we have it; values
    are escaped for HTML, never for text. `html_values` are HTML fragments the caller built
    (and escaped) itself, used as they are in the HTML part only."""
    escaped = {key: html.escape(value) for key, value in values.items()}
    escaped.update(html_values or {})
    subjects = SUBJECTS[name]
    return Notice(
        subject=Template(subjects.get(language, subjects["en"])).substitute(values),
        text=_template(f"{name}.txt", language).substitute(values),
        html=_template(f"{name}.html", language).substitute(escaped),
    )


# What the acknowledgment says to someone who did not make the request, by what it needs.
IDENTITY_NOTES: dict[str, dict[str, str]] = {
    "code": {
        "en": "If you did not make this request, you can ignore this e-mail: nothing will be "
        "disclosed or changed without proof that the request comes from you.",
        "de": "Falls Sie diese Anfrage nicht gestellt haben, können Sie diese E-Mail ignorieren: "
        "ohne Nachweis, dass die Anfrage von Ihnen stammt, wird nichts herausgegeben oder "
        "geändert.",
    },
    "no_code": {
        "en": "If you did not make this request, please tell us by replying to this e-mail. We "
        "stop this processing for the identifiers given without asking for proof, as stopping "
        "it harms no one; nothing is disclosed or otherwise changed.",
        "de": "Falls Sie diese Anfrage nicht gestellt haben, antworten Sie bitte auf diese "
        "E-Mail. Wir beenden diese Verarbeitung für die angegebenen Kennungen ohne Nachweis, da "
        "dies niemandem schadet; sonst wird nichts herausgegeben oder geändert.",
    },
    "written": {
        "en": "If you did not make this request, you can ignore this e-mail.",
        "de": "Falls Sie diese Anfrage nicht gestellt haben, können Sie diese E-Mail ignorieren.",
    },
}
GPC_NOTE = {
    "en": "Your browser also sent a Global Privacy Control signal: we recorded it as a request to "
    "opt out of the sale and sharing of your personal information, for the identifiers you gave "
    "us.\n",
    "de": "Ihr Browser hat außerdem ein Global-Privacy-Control-Signal gesendet: Wir haben es als "
    "Widerspruch gegen Verkauf und Weitergabe Ihrer Daten für die angegebenen Kennungen "
    "erfasst.\n",
}


def in_language(texts: dict[str, str], language: str) -> str:
    return texts.get(language, texts["en"])
