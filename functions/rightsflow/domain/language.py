"""The languages we write to people in: what we say comes from the gettext catalogs (one per
language, compiled into `rightsflow/locale/<language>/LC_MESSAGES/rightsflow.mo` from the `.po`
files beside them), and dates and times are written for the language's locale, in the time zone
where the law counts the days.

Code asks `words(language)` for a sentence by its English source text, with named values
(`%(name)s`), never by gluing fragments together; a count goes through `ngettext`, which knows
each language's plural rules (Polish has three forms). Strings defined away from where they are
written (a table of rights, a stored reason) are marked with `N_` so that extraction finds them,
and translated with `Words.translate` when written. `python -m rightsflow.catalogs` extracts,
updates and compiles the catalogs (README, "Languages").
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from rightsflow.domain.clock import from_iso

# The languages intake recognises letters in and we answer in (ISO 639-1), English first: the
# source language of every message. A person writing in another language is answered in English.
LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es", "it", "nl", "pt", "pl", "sv", "da")
SOURCE_LANGUAGE = "en"
DOMAIN = "rightsflow"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_TAG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*\s*$")


def N_(message: str) -> str:  # noqa: N802 - the name gettext's tools look for
    """Mark a message for extraction where it is defined; `Words.translate` writes it."""
    return message


def supported(tag: str | None) -> str | None:
    """The language we write for a language tag (`de`, `de-AT`, `pt_BR`, `PL`), or None when
    we have no catalog for it (or it is not a tag)."""
    found = _TAG.match(tag or "")
    if found is None:
        return None
    language = found.group(1).lower()
    return language if language in LANGUAGES else None


def reply_language(tag: str | None) -> str:
    """The language to write to someone whose language is `tag` (`und` or unknown: English)."""
    return supported(tag) or SOURCE_LANGUAGE


def from_accept_language(header: str | None) -> str | None:
    """The most preferred language we write, of an HTTP `Accept-Language` header
    (RFC 9110 12.5.4: tags with optional `q` weights; `q=0` means "not this one")."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate((header or "").split(",")):
        tag, _, parameters = item.partition(";")
        weight = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        language = supported(tag)
        if language is not None and weight > 0:
            ranked.append((-weight, position, language))
    return min(ranked)[2] if ranked else None


class Words:
    """What we write in one language: catalog lookups, filled with named values, and dates."""

    def __init__(self, language: str, translations: gettext.NullTranslations) -> None:
        self.language = language
        self._translations = translations

    def gettext(self, message: str, /, **values: object) -> str:
        """`message` (the English source, with `%(name)s` placeholders) in this language."""
        text = self._translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        """The form for `count` in this language; `%(count)d` is filled in too."""
        return self._translations.ngettext(singular, plural, count) % {"count": count, **values}

    def pgettext(self, context: str, message: str, /, **values: object) -> str:
        """`message` where the same English words need another translation (`context`)."""
        text = self._translations.pgettext(context, message)
        return text % values if values else text

    def translate(self, message: str) -> str:
        """A message marked with `N_` where it was defined. Text that is not in the catalogs
        (what ops or a Brand wrote) is kept as written."""
        return self._translations.gettext(message) if message else message

    @staticmethod
    def clause(text: str) -> str:
        """Words someone wrote (a Brand's or ops' reason), to stand inside one of our sentences,
        which ends them itself: their own closing full stops are dropped ("settled." is written
        "settled", never "settled..")."""
        return text.strip().rstrip(".").rstrip()

    def join(self, items: Iterable[str]) -> str:
        """Items as this language lists them ("a, b and c", "a, b und c")."""
        from babel.lists import format_list  # noqa: PLC0415 - Babel's tables load on first use

        return format_list(list(items), locale=self.language)

    def moment(self, instant: str | datetime, time_zone: str | None) -> str:
        """An instant as the person reads it: the date and time in `time_zone` (None: UTC),
        written for the locale, with the zone's name, e.g. "29. Dezember 2026, 23:59 MEZ" or
        "December 29, 2026, 11:59 PM EST". Callers pass the zone the person's place reads times
        in (`RightsRequest.reading_zone`), not necessarily the one the law's days were counted
        in: an `EU` deadline counted in the zone whose day ends first (Réunion's, of an evening)
        is the same instant told in Central European Time."""
        from babel.dates import (  # noqa: PLC0415 - Babel's tables load on first use
            format_date,
            format_time,
            get_datetime_format,
            get_timezone_name,
        )

        moment = from_iso(instant) if isinstance(instant, str) else instant
        moment = moment.astimezone(ZoneInfo(time_zone or "UTC"))
        zone = get_timezone_name(moment, "short", locale=self.language)
        if zone[:1] in "+-" or zone.startswith("GMT"):  # no abbreviation in this language
            zone = get_timezone_name(moment, "long", locale=self.language)
        day = format_date(moment, "long", locale=self.language)
        time = format_time(moment, "short", locale=self.language)
        # The locale's own way of putting a date and a time together ("{1}, {0}", "{1} {0}").
        pattern = str(get_datetime_format("medium", locale=self.language)).replace("'", "")
        return pattern.replace("{0}", f"{time} {zone}").replace("{1}", day)

    def day(self, day: date | datetime) -> str:
        """A calendar day as the person reads it ("3. Januar 2027", "January 3, 2027")."""
        from babel.dates import format_date  # noqa: PLC0415 - Babel's tables load on first use

        return format_date(day, "long", locale=self.language)

    def megabytes(self, size: int) -> str:
        """A size in bytes as megabytes (or kilobytes below one), in this locale's numbers."""
        from babel.units import format_unit  # noqa: PLC0415 - Babel's tables load on first use

        if size >= 1024 * 1024:
            return format_unit(
                round(size / (1024 * 1024), 1), "digital-megabyte", "short", locale=self.language
            )
        return format_unit(size // 1024, "digital-kilobyte", "short", locale=self.language)


@cache
def words(language: str) -> Words:
    """What we write in `language` (any tag; a language without a catalog: English)."""
    language = reply_language(language)
    if language == SOURCE_LANGUAGE:
        return Words(language, gettext.NullTranslations())
    return Words(language, gettext.translation(DOMAIN, LOCALE_DIR, languages=[language]))


def local_time(iso: str, time_zone: str | None, language: str = SOURCE_LANGUAGE) -> str:
    """An instant as the person reads it in an e-mail (see `Words.moment`)."""
    return words(language).moment(iso, time_zone)
