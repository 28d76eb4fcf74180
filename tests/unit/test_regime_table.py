"""The README's table of regimes is the domain table, regenerated: the two never disagree."""

from __future__ import annotations

from pathlib import Path

from rightsflow.domain.regime_table import END, START, replace_in, table_markdown
from rightsflow.domain.regimes import PLACES, REGIMES

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_shows_the_table_the_domain_holds() -> None:
    # GIVEN the README as committed
    text = README.read_text(encoding="utf-8")
    # THEN its block between the markers is exactly what `rightsflow regimes` generates now
    block = text[text.index(START) : text.index(END) + len(END)]
    assert block == table_markdown(), "run: rightsflow regimes --write README.md"
    assert replace_in(text) == text


def test_the_table_names_every_regime_and_place_with_its_citations() -> None:
    table = table_markdown()
    for regime in REGIMES:
        assert f"**{regime.code}**" in table
        assert regime.answers[-1].basis.split(":")[0] in table
    for code in PLACES:
        assert f"`{code}`" in table
