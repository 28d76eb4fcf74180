"""The local-only settings (compressed legal time and its wall-clock floors) reach a function only
from its own stack: an invocation of a stack that does not set them reads them as unset, whatever
the process environment holds."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

from rightsflow.local.lambda_runtime import PER_STACK_OPTIONAL, LocalRuntime
from rightsflow.local.template import FunctionSource
from rightsflow.settings import FulfilmentSettings, StoreSettings, VerificationSettings

_HANDLER = """
import os

def handler(event, context):
    return {name: os.environ.get(name) for name in event["names"]}
"""


def _invoke(runtime: LocalRuntime, tmp_path: Path, name: str) -> dict[str, Any]:
    (tmp_path / "probe.py").write_text(_HANDLER)
    runtime.register(
        name, FunctionSource(logical_id=name, code_dir=tmp_path, handler="probe.handler")
    )
    function: Any = SimpleNamespace(
        function_name=name,
        function_arn=f"arn:aws:lambda:eu-west-1:123456789012:function:{name}",
        environment_vars={},
        memory_size=128,
        timeout=3,
        region="eu-west-1",
    )
    payload, errored = runtime.invoke(function, json.dumps({"names": list(PER_STACK_OPTIONAL)}))
    assert not errored, payload
    seen: dict[str, Any] = json.loads(payload)
    return seen


def test_a_stack_without_local_only_settings_never_reads_them_from_the_process(
    tmp_path: Path,
) -> None:
    # GIVEN a process whose environment holds compressed time (a shell's export, say)
    leftovers = dict.fromkeys(PER_STACK_OPTIONAL, "0.2")
    with mock.patch.dict(os.environ, leftovers):
        # WHEN a function of a stack that keeps real time runs
        plain = _invoke(LocalRuntime(), tmp_path, "rightsflow-test-plain")
        # AND one of a stack that compresses time
        compressed = _invoke(
            LocalRuntime(extra_environment={"DAY_SECONDS": "0.5"}),
            tmp_path,
            "rightsflow-test-compressed",
        )
    # THEN the first reads every local-only setting as unset, the second only its own value
    assert plain == dict.fromkeys(PER_STACK_OPTIONAL, "")
    assert compressed == {**dict.fromkeys(PER_STACK_OPTIONAL, ""), "DAY_SECONDS": "0.5"}


def test_an_empty_local_only_variable_means_the_real_clock_and_the_default_floors() -> None:
    base = {"REQUESTS_TABLE": "r", "AUDIT_TABLE": "a"}
    assert StoreSettings.from_variables({**base, "DAY_SECONDS": ""}).day_seconds is None
    assert StoreSettings.from_variables({**base, "DAY_SECONDS": "0.2"}).day_seconds == 0.2
    verification = VerificationSettings.from_variables(
        {
            **base,
            "SENDER_ADDRESS": "privacy@example.com",
            "GDPR_PAGE_URL": "http://x/",
            "REGISTRY_TABLE": "g",
            "SEND_LIMITS_TABLE": "s",
            "MIN_CODE_SECONDS": "",
        }
    )
    assert verification.min_code_seconds == 600
    fulfilment = FulfilmentSettings.from_variables(
        {
            **base,
            "SENDER_ADDRESS": "privacy@example.com",
            "GDPR_PAGE_URL": "http://x/",
            "REGISTRY_TABLE": "g",
            "OUTCOMES_TABLE": "o",
            "FULFILMENT_BUCKET": "f",
            "VENDOR_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:1:secret:v",
            "MIN_PACKAGE_SECONDS": "",
        }
    )
    assert fulfilment.min_package_seconds == 600
