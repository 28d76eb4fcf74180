"""The GDPR page offers every place the API accepts, from the same table, grouped."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from rightsflow.domain import deadlines
from rightsflow.domain.place_choices import ALIASES, DEFAULT, replace_in
from rightsflow.domain.regimes import PLACES
from rightsflow.domain.requests import Submission

PAGE = Path(__file__).resolve().parents[2] / "functions" / "rightsflow" / "page" / "index.html"


class _PlaceList(HTMLParser):
    """The groups and options of the page's `#jurisdiction` list."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.groups: list[tuple[str, list[str]]] = []
        self.selected: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "select":
            self.inside = attributes.get("id") == "jurisdiction"
        elif self.inside and tag == "optgroup":
            self.groups.append((attributes.get("label") or "", []))
        elif self.inside and tag == "option":
            code = attributes.get("value") or ""
            self.groups[-1][1].append(code)
            if "selected" in attributes:
                self.selected.append(code)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.inside = False


def _page_list() -> _PlaceList:
    parsed = _PlaceList()
    parsed.feed(PAGE.read_text(encoding="utf-8"))
    return parsed


def test_the_page_offers_every_place_the_api_accepts_and_no_other() -> None:
    # GIVEN the page as committed
    page = _page_list()
    offered = [code for _, codes in page.groups for code in codes]
    # THEN each place of the table is offered once (an alias through the place it names)
    assert len(offered) == len(set(offered))
    assert set(offered) == set(PLACES) - set(ALIASES)
    assert set(ALIASES.values()) <= set(offered)
    # AND each is a place the API takes with its own clock (not the unknown-place fallback)
    for code in offered:
        submission = Submission.model_validate(
            {"type": "access", "email": "a@example.com", "jurisdiction": code}
        )
        assert deadlines.place_for(submission.jurisdiction) is PLACES[code]
    # AND with nothing chosen, the request has the API's own default
    assert page.selected == [DEFAULT] == [Submission.model_fields["jurisdiction"].default]
    assert offered[0] == DEFAULT


def test_the_places_are_grouped_as_people_look_for_them() -> None:
    groups = dict(_page_list().groups)
    assert list(groups) == [
        "European Union and EEA (GDPR)",
        "United Kingdom (UK GDPR)",
        "United States",
        "Canada",
        "Other countries",
    ]
    assert {"PL", "AT", "DE", "RE"} <= set(groups["European Union and EEA (GDPR)"])
    us = groups["United States"]
    assert {"US-OR", "US-NJ", "US-MN", "US-CA"} <= set(us)
    assert us == sorted(us, key=lambda code: PLACES[code].name)
    assert groups["Canada"][0] == "CA"
    # (Australia's external Territories among them, under their own codes)
    assert {"CH", "BR", "KR", "JP", "AU", "NF", "CX", "CC", "IN", "SG", "TR", "ZA"} == set(
        groups["Other countries"]
    )


def test_the_page_holds_the_list_the_table_generates() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert replace_in(text) == text, (
        "run: rightsflow regimes --page functions/rightsflow/page/index.html"
    )
