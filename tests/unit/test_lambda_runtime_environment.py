"""Two local stacks in one process (normal and compressed time): a function never runs on the
other stack's settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from rightsflow.local import lambda_runtime
from rightsflow.local.lambda_runtime import LocalRuntime
from rightsflow.local.template import FunctionSource


@pytest.fixture
def two_stacks() -> Iterator[tuple[LocalRuntime, LocalRuntime]]:
    normal = LocalRuntime(extra_environment={"AWS_DEFAULT_REGION": "eu-west-1"})
    compressed = LocalRuntime(
        extra_environment={"AWS_DEFAULT_REGION": "eu-west-1", "DAY_SECONDS": "0.25"}
    )
    source = FunctionSource("IntakeApiFunction", Path("functions"), "intake_api.app.handler")
    normal.register("normal-IntakeApiFunction", source)
    compressed.register("compressed-IntakeApiFunction", source)
    yield normal, compressed
    for name in ("normal-IntakeApiFunction", "compressed-IntakeApiFunction"):
        lambda_runtime._RUNTIME_OF_FUNCTION.pop(name, None)


def test_a_function_of_one_stack_never_keeps_the_clock_of_the_other(
    two_stacks: tuple[LocalRuntime, LocalRuntime], monkeypatch: pytest.MonkeyPatch
) -> None:
    normal, compressed = two_stacks
    monkeypatch.setenv("DAY_SECONDS", "0.25")  # left behind by the compressed stack's last call
    foreign = lambda_runtime._set_by_other_stacks(normal)
    assert foreign == {"DAY_SECONDS"}
    with lambda_runtime._environment(dict(normal.extra_environment), foreign):
        assert "DAY_SECONDS" not in os.environ
        assert os.environ["AWS_DEFAULT_REGION"] == "eu-west-1"  # shared ones stay
    assert lambda_runtime._set_by_other_stacks(compressed) == set()
