"""Fuzz the people's, Brands' and ops' APIs of a fresh local stack from the OpenAPI document it
serves (schemathesis: valid and invalid inputs for every operation) and print what was sent and
what came back. The test suite runs the same fuzzer, smaller (tests/e2e/test_api_fuzzing.py).

    .venv/bin/python benchmarks/fuzz_apis.py [examples per operation and mode, default 50]

Ends with the line: fuzzed: N requests, server errors: 0, undocumented statuses: 0
"""

from __future__ import annotations

import logging
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.api_fuzzing import fuzz, summary
from tests.conftest import PARAMETERS

from rightsflow.local import services
from rightsflow.local.stack import StackOptions


def main() -> int:
    warnings.filterwarnings("ignore")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request: too many
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    started = time.monotonic()
    options = StackOptions(
        parameters=dict(PARAMETERS),
        function_environment={"POWERTOOLS_LOG_LEVEL": "ERROR"},
    )
    with services.running(options, port=0, smtp_port=None, seed_demo_data=False) as running:
        figures = fuzz(
            running.api_url,
            {
                "Brands": {"Authorization": f"Bearer {running.brand_keys['acme']}"},
                "Ops": {"Authorization": f"Bearer {running.ops_token}"},
            },
            max_examples=examples,
            seconds=3600,
            path_parameters={"Brands": {"brand": "acme"}},
        )
    lines = summary(figures)
    for found in figures.values():
        for failure in found.failures:
            print(f"  failed check: {failure}")
    print(
        f"{examples} examples per operation and generation mode, {time.monotonic() - started:.0f} s"
    )
    print("\n".join(lines))
    return 0 if all(not f.failures for f in figures.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
