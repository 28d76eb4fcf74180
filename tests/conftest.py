"""Fixtures shared by every test: the local stack stood up from template.yaml."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import Api

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "template.yaml"


@pytest.fixture(scope="session")
def local_services() -> Iterator[object]:
    """One local stack per test worker: template.yaml in moto, its HTTP API on 127.0.0.1."""
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    from rightsflow.local import services
    from rightsflow.local.stack import StackOptions

    with services.running(StackOptions(template_path=TEMPLATE), port=0) as running:
        yield running


@pytest.fixture(scope="session")
def api(local_services: object) -> Api:
    from rightsflow.local.services import LocalServices

    assert isinstance(local_services, LocalServices)
    return Api(local_services)
