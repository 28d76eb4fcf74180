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


@cache
def _template(name: str) -> Template:
    source = resources.files("rightsflow").joinpath("templates", name).read_text(encoding="utf-8")
    return Template(source)


def render(name: str, subject: str, values: dict[str, str]) -> Notice:
    """Fill `<name>.txt` and `<name>.html`; values are escaped for HTML, never for text."""
    escaped = {key: html.escape(value) for key, value in values.items()}
    return Notice(
        subject=Template(subject).substitute(values),
        text=_template(f"{name}.txt").substitute(values),
        html=_template(f"{name}.html").substitute(escaped),
    )
