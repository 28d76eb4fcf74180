"""Every stack gives its functions the local-only settings explicitly, so a function starting
cold never reads another stack's leftovers from the process's one os.environ."""

from __future__ import annotations

from rightsflow.local.stack import LOCAL_ONLY_VARIABLES, StackOptions, _function_environment
from rightsflow.settings import StoreSettings, VerificationSettings


def test_a_stack_without_compressed_time_still_sets_its_local_only_variables() -> None:
    environment = _function_environment(StackOptions())
    assert {name: environment[name] for name in LOCAL_ONLY_VARIABLES} == {
        "DAY_SECONDS": "",
        "MIN_CODE_SECONDS": "",
        "MIN_PACKAGE_SECONDS": "",
    }
    compressed = _function_environment(StackOptions(function_environment={"DAY_SECONDS": "0.2"}))
    assert compressed["DAY_SECONDS"] == "0.2"


def test_an_empty_local_only_variable_means_the_real_clock() -> None:
    base = {"REQUESTS_TABLE": "r", "AUDIT_TABLE": "a"}
    assert StoreSettings.model_validate({**base, "DAY_SECONDS": ""}).day_seconds is None
    assert StoreSettings.model_validate({**base, "DAY_SECONDS": "0.2"}).day_seconds == 0.2
    verification = VerificationSettings.model_validate(
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
