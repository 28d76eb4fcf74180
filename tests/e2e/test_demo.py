"""`rightsflow demo` as a newcomer runs it: every step as the law requires, exit code 0."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PRISTINE_ENVIRONMENT

pytestmark = pytest.mark.e2e


def test_the_demo_tours_the_product_and_exits_0(tmp_path: Path) -> None:
    log = tmp_path / "demo.log"
    result = subprocess.run(
        [sys.executable, "-m", "rightsflow.cli", "demo", "--log-file", str(log)],
        capture_output=True,
        text=True,
        # Two stacks, their demo data (now a SQL database too) and five requests: about a
        # minute on an idle machine; a shared, busy one takes several times that.
        timeout=300,
        check=False,
        env=PRISTINE_ENVIRONMENT,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.count("as required") == 5
    assert "NOT as required" not in result.stdout
    # the tour shows its steps, not every log line, metric or library warning
    for noise in ('"level"', '"_aws"', "unpublished metrics", "HTTP/1.1"):
        assert noise not in result.stdout + result.stderr
    # AND the functions' log lines and EMF metrics are published where the console says
    assert str(log) in result.stdout
    written = log.read_text(encoding="utf-8")
    assert '"RequestsReceived"' in written
    assert '"level":"INFO"' in written
