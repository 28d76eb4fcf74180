"""The gettext catalogs' build, run on a developer's machine (never shipped to Lambda).

    python -m rightsflow.catalogs extract   # messages in the code, page and data map -> .pot
    python -m rightsflow.catalogs update    # .pot -> each language's .po (new, changed, gone)
    python -m rightsflow.catalogs compile   # .po -> .mo (the e-mails) and page/locale/*.json
    python -m rightsflow.catalogs all       # the three, in order

`extract` and `update` are pybabel's own commands, configured by `babel.cfg` at the repository's
root (what is read, with which extractor); `compile` is pybabel's, then the page's JSON, made from
the same catalogs. Translators edit `functions/rightsflow/locale/<language>/LC_MESSAGES/
rightsflow.po`; `tests/unit/test_catalogs.py` fails on a message missing, untranslated, fuzzy,
with other placeholders than its source, or compiled from an older `.po`.

The extractors below read the GDPR page (`data-i18n` elements) and the data map (what the
person is told about each store), which pybabel cannot read by itself.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

from rightsflow.domain.language import DOMAIN, LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent.parent
MAPPING = ROOT / "babel.cfg"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
PAGE_CATALOGS = PACKAGE / "page" / "locale"
# Messages the page shows: those of its own files, and the names of the laws (the deadline
# preview names the law of the chosen place).
PAGE_SOURCES = ("functions/rightsflow/page/", "functions/rightsflow/domain/regimes.py")
KEYWORDS = ["gettext", "ngettext:1,2", "pgettext:1c,2", "N_"]

Extracted = Iterator[tuple[int, str | None, str | tuple[str, ...], list[str]]]


# ------------------------------------------------------------------------------ extractors
class _PageText(HTMLParser):
    """The page's messages, with their lines: the value of a `data-i18n` attribute (a sentence
    whose placeholders the element's `data-slot` children fill), else the text of the element
    marked `data-i18n` (which then holds text only); and the value of a `data-i18n-label`
    attribute (the `label` the page writes in the reader's language)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._open: list[tuple[str, int, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if self._open:
            raise ValueError(f"line {line}: <{tag}> inside a data-i18n element (text only)")
        marked = [value for name, value in attrs if name == "data-i18n"]
        # An attribute people read (a list's group label): its source text, whatever the
        # element holds.
        self.found += [
            (line, " ".join(value.split()))
            for name, value in attrs
            if name == "data-i18n-label"
            if value
        ]
        if marked and marked[0]:
            self.found.append((line, " ".join(marked[0].split())))
        elif marked:
            self._open.append((tag, line, []))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            _, line, parts = self._open.pop()
            self.found.append((line, " ".join("".join(parts).split())))

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][2].append(data)


def extract_page_html(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Extracted:
    """pybabel extractor: the text of every `data-i18n` element, whitespace collapsed (the page
    looks it up the same way)."""
    parser = _PageText()
    parser.feed(fileobj.read().decode("utf-8"))
    for line, text in parser.found:
        if text:
            yield line, None, text, []


# What the data map tells people (closing e-mails, the access package's Art. 15 details): paths
# of keys, "*" for any store or recipient name, "[]" for each item of a list.
_DATA_MAP_WORDS = (
    ("recipients", "*", "description"),
    *(("stores", "*", key) for key in ("description", "legal_basis", "retention", "source")),
    ("stores", "*", "categories", "[]"),
    ("stores", "*", "purposes", "[]"),
    ("stores", "*", "erasure", "reason"),
    ("stores", "*", "erasure", "legal_hold", "law"),
    ("stores", "*", "erasure", "legal_hold", "until"),
    ("stores", "*", "backup", "kind"),
    # a SQL store's related tables: their own erasure rules
    ("stores", "*", "sql", "related", "*", "erasure", "reason"),
    ("stores", "*", "sql", "related", "*", "erasure", "legal_hold", "law"),
    ("stores", "*", "sql", "related", "*", "erasure", "legal_hold", "until"),
)


def _scalars(node: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    import yaml  # noqa: PLC0415 - only this extractor reads YAML

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(value, (*path, str(key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item, (*path, "[]"))
    elif isinstance(node, yaml.ScalarNode):
        yield path, node


def _wanted(path: tuple[str, ...]) -> bool:
    return any(
        len(path) == len(pattern)
        and all(want in {"*", part} for part, want in zip(path, pattern, strict=True))
        for pattern in _DATA_MAP_WORDS
    )


def extract_data_map(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Extracted:
    """pybabel extractor: the data map's words for people, each with its line."""
    import yaml  # noqa: PLC0415 - only this extractor reads YAML

    root = yaml.compose(fileobj.read().decode("utf-8"))
    for path, node in _scalars(root, ()):
        if _wanted(path) and str(node.value).strip():
            yield node.start_mark.line + 1, None, str(node.value), []


# ------------------------------------------------------------------------------ commands
def _pybabel(*arguments: str) -> None:
    """Run a pybabel command from the repository's root (locations in the catalogs are written
    relative to it)."""
    from babel.messages.frontend import CommandLineInterface  # noqa: PLC0415

    here = Path.cwd()
    os.chdir(ROOT)
    try:
        CommandLineInterface().run(["pybabel", *arguments])  # type: ignore[no-untyped-call]
    finally:
        os.chdir(here)


def extract() -> None:
    keywords = [option for keyword in KEYWORDS for option in ("-k", keyword)]
    _pybabel(
        "extract",
        "-F",
        str(MAPPING),
        *keywords,
        "--no-default-keywords",
        "--add-comments=i18n:",
        "--sort-by-file",
        "--project=Rightsflow",
        "--no-wrap",
        "-o",
        str(TEMPLATE.relative_to(ROOT)),
        ".",
    )


def update() -> None:
    for language in LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        catalog = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        command = "update" if catalog.exists() else "init"
        _pybabel(
            command,
            "-i",
            str(TEMPLATE),
            "-d",
            str(LOCALE_DIR),
            "-D",
            DOMAIN,
            "-l",
            language,
            "--no-wrap",
            *(["--ignore-obsolete"] if command == "update" else []),
        )


def compile_catalogs() -> None:
    _pybabel("compile", "-d", str(LOCALE_DIR), "-D", DOMAIN, "--statistics")
    PAGE_CATALOGS.mkdir(exist_ok=True)
    for language in LANGUAGES:
        path = PAGE_CATALOGS / f"{language}.json"
        path.write_text(page_catalog(language), encoding="utf-8")


def page_catalog(language: str) -> str:
    """The page's messages in `language`, as JSON: {"language", "plural" (CLDR categories, in
    the order of the catalog's plural forms), "messages" (source text -> text, or a list of
    plural forms keyed by the singular source)}. English: the sources themselves."""
    from babel import Locale  # noqa: PLC0415
    from babel.messages.pofile import read_po  # noqa: PLC0415

    plural = _plural_categories(Locale.parse(language))
    messages: dict[str, str | list[str]] = {}
    source = (
        TEMPLATE
        if language == SOURCE_LANGUAGE
        else LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    )
    with source.open("rb") as file:
        catalog = read_po(file)
    for message in catalog:
        page_words = any(path.startswith(PAGE_SOURCES) for path, _ in message.locations)
        if not message.id or message.context or not page_words:
            continue
        if isinstance(message.id, tuple | list):
            forms = (
                list(message.id)
                if language == SOURCE_LANGUAGE
                else [str(form) for form in message.string or ()]
            )
            messages[str(message.id[0])] = forms
        else:
            messages[str(message.id)] = (
                str(message.id) if language == SOURCE_LANGUAGE else str(message.string)
            )
    document = {"language": language, "plural": plural, "messages": dict(sorted(messages.items()))}
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def _plural_categories(locale: Any) -> list[str]:
    """CLDR plural categories in the order of gettext's plural forms (as Babel writes them)."""
    from babel.messages.plurals import get_plural  # noqa: PLC0415

    order = ("zero", "one", "two", "few", "many", "other")
    tags = [tag for tag in order if tag in locale.plural_form.tags or tag == "other"]
    count = get_plural(locale).num_plurals
    # Babel's gettext table may fold categories integers never reach (Polish "other").
    return tags[:count]


def main(argv: list[str] | None = None) -> int:
    command = (argv if argv is not None else sys.argv[1:] or ["all"])[0]
    steps = {
        "extract": [extract],
        "update": [update],
        "compile": [compile_catalogs],
        "all": [extract, update, compile_catalogs],
    }
    if command not in steps:
        print(f"usage: python -m rightsflow.catalogs {'|'.join(steps)}", file=sys.stderr)
        return 2
    for step in steps[command]:
        step()
    return 0


if __name__ == "__main__":
    sys.exit(main())
