"""E-mails to the person, rendered from the text and HTML templates in rightsflow/templates."""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template

from rightsflow.domain.clock import from_iso


def human_date(iso: str) -> str:
    """A UTC time as people read it in an e-mail."""
    return from_iso(iso).strftime("%d %B %Y, %H:%M UTC")


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
    "extension": {"en": "We need more time for your privacy request $request_id"},
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
