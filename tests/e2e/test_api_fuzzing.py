"""The three APIs fuzzed from their own OpenAPI document: no server error, no status the
document does not list, every body in the documented shape (figures in fuzz-figures.txt)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PARAMETERS, ROOT, TEMPLATE
from tests.support import Api

pytestmark = pytest.mark.e2e

FIGURES_FILE = ROOT / ".pytest_cache" / "fuzz-figures.txt"
# Bounded so the suite stays quick on two shared cores: examples per operation and generation
# mode (valid, then invalid input), and seconds overall. FUZZ_EXAMPLES raises it for a deep run.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
SECONDS = float(os.environ.get("FUZZ_SECONDS", "180"))


@pytest.fixture(scope="session")
def fuzzed_api() -> Iterator[Api]:
    """A stack of its own, without demo data: what the fuzzer creates harms no other test.
    Session-scoped like the others, so the stacks of one process end in the reverse order of
    their start (each installs its Lambda runtime over the one before)."""
    from rightsflow.local import services
    from rightsflow.local.stack import StackOptions

    options = StackOptions(template_path=TEMPLATE, parameters=dict(PARAMETERS))
    with services.running(options, port=0, smtp_port=None, seed_demo_data=False) as running:
        yield Api(running)


def test_fuzzing_every_api_finds_no_server_error_and_no_undocumented_status(
    fuzzed_api: Api,
) -> None:
    from tests.api_fuzzing import fuzz, summary

    services = fuzzed_api.services
    figures = fuzz(
        fuzzed_api.url,
        {
            "Brands": {"Authorization": f"Bearer {services.brand_keys['acme']}"},
            "Ops": {"Authorization": f"Bearer {services.ops_token}"},
        },
        max_examples=EXAMPLES,
        seconds=SECONDS,
        path_parameters={"Brands": {"brand": "acme"}},
    )
    lines = summary(figures)
    failures = [failure for found in figures.values() for failure in found.failures]
    FIGURES_FILE.parent.mkdir(exist_ok=True)
    FIGURES_FILE.write_text("\n".join(lines + failures) + "\n", encoding="utf-8")
    print("\n".join(lines))
    assert set(figures) == {"People", "Brands", "Ops"}
    for tag, found in figures.items():
        assert found.requests > 0, tag
        # Every operation of the document was reached (the time bound starved none)
        starved = [operation for operation, sent in found.by_operation.items() if sent == 0]
        assert starved == [], (tag, starved)
        assert len(found.by_operation) == found.operations, tag
        assert found.server_errors == 0, (tag, found.failures)
        assert found.undocumented_statuses == 0, (tag, found.failures)
        assert found.failures == [], (tag, found.failures[:10])


def test_the_figures_file_is_kept_out_of_the_repository() -> None:
    assert ".pytest_cache" in Path(FIGURES_FILE).parts
