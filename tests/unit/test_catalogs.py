"""The gettext catalogs: every language has every message the code, the GDPR page and the data
map write, translated (never fuzzy), with the placeholders of its source; what ships (the .mo
files and the page's JSON) is compiled from the .po files as they are."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from rightsflow import catalogs
from rightsflow.domain.language import DOMAIN, LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE

TRANSLATED = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
Key = tuple[str, str | None]


def _key(message: Message) -> Key:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return str(msgid), message.context


def _po(language: str) -> Catalog:
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as file:
        return read_po(file)


def _in_the_sources() -> dict[Key, Any]:
    """What pybabel extract finds today, with the repository's own mapping and keywords."""
    with catalogs.MAPPING.open(encoding="utf-8") as file:
        method_map, options_map = parse_mapping_cfg(file)  # type: ignore[no-untyped-call]
    keywords: dict[str, Any] = {}
    for spec in catalogs.KEYWORDS:
        name, _, arguments = spec.partition(":")
        parts: list[Any] = []
        for part in filter(None, arguments.split(",")):
            parts.append((int(part[:-1]), "c") if part.endswith("c") else int(part))
        keywords[name] = tuple(parts) or None
    found: dict[Key, Any] = {}
    for _file, _line, message, _comments, context in extract_from_dir(
        str(catalogs.ROOT), method_map, options_map, keywords=keywords
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found[(str(msgid), context)] = message
    return found


def _messages(catalog: Catalog) -> Iterator[Message]:
    return (message for message in catalog if message.id)


def _text(message: Message) -> str | tuple[str, ...]:
    string = message.string
    return tuple(string) if isinstance(string, tuple | list) else str(string)


def test_every_catalog_has_exactly_the_messages_the_code_page_and_data_map_write() -> None:
    # GIVEN the messages extraction finds in the sources as they are now
    wanted = _in_the_sources()
    assert len(wanted) > 300
    for language in TRANSLATED:
        # THEN each language's catalog holds each of them, and nothing no one writes any more
        have = {_key(message) for message in _messages(_po(language))}
        assert sorted(set(wanted) - have) == [], f"{language}: run python -m rightsflow.catalogs"
        assert sorted(have - set(wanted)) == [], f"{language}: messages no one writes any more"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_the_placeholders_of_its_source(language: str) -> None:
    catalog = _po(language)
    problems: list[str] = []
    for message in _messages(catalog):
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if isinstance(message.id, tuple | list):
            source = set(PLACEHOLDER.findall(message.id[0])) | set(
                PLACEHOLDER.findall(message.id[1])
            )
            forms = list(message.string or ())
            if len(forms) != catalog.num_plurals or not all(forms):
                problems.append(f"plural forms missing: {message.id[0]!r}")
            for form in forms:
                # A form may leave the count out ("once"), never add or lose another value.
                if not source - {"%(count)d"} <= set(PLACEHOLDER.findall(form)) <= source:
                    problems.append(f"placeholders differ: {message.id[0]!r} -> {form!r}")
        elif not message.string:
            problems.append(f"untranslated: {message.id!r}")
        elif set(PLACEHOLDER.findall(str(message.string))) != set(
            PLACEHOLDER.findall(str(message.id))
        ):
            problems.append(f"placeholders differ: {message.id!r} -> {message.string!r}")
    # Babel's own checks too (python-format, plural forms)
    problems += [f"{message.id!r}: {errors}" for message, errors in catalog.check()]
    assert problems == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalog_is_the_po_file_as_it_is(language: str) -> None:
    # GIVEN the .po file translators edit and the .mo file that ships
    source = {_key(message): _text(message) for message in _messages(_po(language))}
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as file:
        compiled = {
            _key(message): _text(message) for message in _messages(read_mo(io.BytesIO(file.read())))
        }
    # THEN they say the same (else: python -m rightsflow.catalogs compile)
    assert compiled == source


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_loads_the_same_catalogs_compiled_to_json(language: str) -> None:
    shipped = catalogs.PAGE_CATALOGS / f"{language}.json"
    assert shipped.read_text(encoding="utf-8") == catalogs.page_catalog(language)
    document = json.loads(shipped.read_text(encoding="utf-8"))
    # The page's own words are there, and the names of the laws its deadline preview shows
    assert "Make a request" in document["messages"]
    assert "GDPR (Regulation (EU) 2016/679) Art. 12(3)" in document["messages"]
    assert len(document["plural"]) == (2 if language in {"en", "de", "nl", "sv", "da"} else 3)


def test_the_page_offers_exactly_the_languages_we_write() -> None:
    script = (catalogs.PAGE_CATALOGS.parent / "app.js").read_text(encoding="utf-8")
    offered = re.search(r"var LANGUAGES = \{(.*?)\};", script, re.S)
    assert offered is not None
    assert re.findall(r"\b([a-z]{2}): \"", offered.group(1)) == list(LANGUAGES)


def test_what_people_read_on_the_page_is_marked_for_translation() -> None:
    # GIVEN the page as served: every element with words of its own is marked data-i18n (its
    # text is looked up as it is), or filled by the script
    html = (catalogs.PAGE_CATALOGS.parent / "index.html").read_text(encoding="utf-8")
    unmarked = [
        text.strip()
        for text in re.findall(r">([^<>]*[A-Za-z][^<>]*)<", html)
        if text.strip() and "rightsflow" not in text
    ]
    # (the next tag's "<" only looked at, so an element right after a marked one is read too)
    marked = re.findall(r"<(?:[^<>]*\sdata-i18n(?:=\"[^\"]*\")?[^<>]*)>([^<>]*)(?=<)", html)
    # THEN no words are left that no catalog holds
    assert sorted(set(unmarked) - {m.strip() for m in marked}) == []


def test_extraction_reads_the_data_map_the_page_and_the_code() -> None:
    places = {path.split("/")[-1] for path in _locations()}
    assert {"datamap.yaml", "index.html", "app.js", "notices.py", "rights.py"} <= places


def _locations() -> set[str]:
    return {path for message in _messages(_po("de")) for path, _ in message.locations}


def test_the_catalogs_live_where_the_package_ships_them() -> None:
    assert Path(LOCALE_DIR).is_dir()
    for language in TRANSLATED:
        assert (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()
