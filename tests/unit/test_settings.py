"""A function's settings: read from its environment at cold start, refused there naming each
variable that is missing or unreadable."""

from __future__ import annotations

import pytest

from rightsflow.settings import (
    ClockSettings,
    DataStoreSettings,
    EmailIntakeSettings,
    IntakeSettings,
    ObjectIndexSettings,
    OpsApiSettings,
    SettingsError,
    StoreSettings,
)

STORE = {"REQUESTS_TABLE": "requests", "AUDIT_TABLE": "audit"}
INTAKE = {
    **STORE,
    "STATE_MACHINE_ARN": "arn:aws:states:eu-west-1:123456789012:stateMachine:rights",
    "IDEMPOTENCY_TABLE": "idempotency",
    "SENDER_ADDRESS": "privacy@example.com",
    "GDPR_PAGE_URL": "https://example.com/privacy",
}


def test_a_complete_environment_gives_every_setting_and_the_defaults() -> None:
    # GIVEN the intake API's variables, and others of the process it does not use
    variables = {**INTAKE, "PATH": "/usr/bin", "MAX_BODY_BYTES": "1024"}
    # WHEN its settings are read
    settings = IntakeSettings.from_variables(variables)
    # THEN each variable is read as its type, and unset ones take their defaults
    assert settings.requests_table == "requests"
    assert settings.max_body_bytes == 1024
    assert settings.verification_resend_seconds == 60
    assert settings.registry_table is None
    assert settings.day_seconds is None


def test_every_missing_or_unreadable_variable_is_named_and_no_value_is_repeated() -> None:
    # GIVEN an environment without the audit table, with a body limit that is not a number
    variables = {**INTAKE, "MAX_BODY_BYTES": "lots"}
    del variables["AUDIT_TABLE"]
    # WHEN the intake API's settings are read
    with pytest.raises(SettingsError) as refused:
        IntakeSettings.from_variables(variables)
    # THEN one error names both variables and what is wrong, not the values
    message = str(refused.value)
    assert "AUDIT_TABLE is not set" in message
    assert "MAX_BODY_BYTES is not a whole number" in message
    assert "lots" not in message


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("REQUESTS_TABLE", "", "REQUESTS_TABLE is empty"),
        ("DAY_SECONDS", "0", "DAY_SECONDS must be greater than 0"),
        ("DAY_SECONDS", "nan", "DAY_SECONDS must be greater than 0"),
        ("VERIFICATION_RESEND_SECONDS", "0", "VERIFICATION_RESEND_SECONDS must be at least 1"),
        ("REGISTRY_TABLE", "", "REGISTRY_TABLE is empty"),
        ("SENDER_ADDRESS", "a@", r"SENDER_ADDRESS needs 3\+ characters"),
    ],
)
def test_values_out_of_bounds_are_refused(name: str, value: str, problem: str) -> None:
    with pytest.raises(SettingsError, match=problem):
        IntakeSettings.from_variables({**INTAKE, name: value})


def test_an_empty_day_length_is_unset() -> None:
    """The local stack gives every function DAY_SECONDS, empty where the stack keeps real days."""
    assert StoreSettings.from_variables({**STORE, "DAY_SECONDS": ""}).day_seconds is None
    assert StoreSettings.from_variables({**STORE, "DAY_SECONDS": "0.5"}).day_seconds == 0.5


def test_lists_and_maps_are_read_from_their_text() -> None:
    clock = ClockSettings.from_variables(
        {**STORE, "OPS_TOPIC_ARN": "arn:topic", "REMINDER_DAYS_BEFORE": "14, 3,"}
    )
    assert clock.reminder_days_before == (14, 3)
    stores = DataStoreSettings.from_variables({**STORE, "DATA_STORES": '{"CrmTable": "crm-1"}'})
    assert stores.data_stores == {"CrmTable": "crm-1"}
    assert DataStoreSettings.from_variables(STORE).data_stores == {}
    with pytest.raises(SettingsError, match="DATA_STORES is not a JSON object of names"):
        DataStoreSettings.from_variables({**STORE, "DATA_STORES": '["CrmTable"]'})
    with pytest.raises(SettingsError, match="REMINDER_DAYS_BEFORE is not a comma-separated"):
        ClockSettings.from_variables(
            {**STORE, "OPS_TOPIC_ARN": "arn:topic", "REMINDER_DAYS_BEFORE": "7,two"}
        )


def test_settings_are_frozen() -> None:
    settings = StoreSettings.from_variables(STORE)
    with pytest.raises(AttributeError):
        settings.requests_table = "other"  # type: ignore[misc]


def test_e_mail_intake_knows_its_own_addresses() -> None:
    settings = EmailIntakeSettings.from_variables(
        {
            **INTAKE,
            "MAIL_TRIAGE_TABLE": "triage",
            "INBOUND_MAIL_BUCKET": "inbound",
            "MAIL_LOG_TABLE": "mail-log",
            "PRIVACY_INBOX_ADDRESS": " Privacy@Example.com ",
        }
    )
    assert settings.our_addresses == frozenset({"privacy@example.com"})
    assert settings.inbound_mail_prefix == "inbound/"


def test_the_object_indexer_reads_the_stores_names_from_a_parameter_where_one_is_named() -> None:
    # GIVEN the object indexer's variables as the template sets them (the buckets notify it, so
    # its own environment may not name them), and as a test stack without backfills sets them
    wired = ObjectIndexSettings.from_variables(
        {
            **STORE,
            "DATA_STORES": "{}",
            "DATA_STORES_PARAMETER": "/rightsflow/data-stores",
            "RESULTS_BUCKET": "fulfilment",
        }
    )
    bare = ObjectIndexSettings.from_variables(STORE)
    # THEN the parameter and the results bucket are read, and are unset where not given
    assert wired.data_stores_parameter == "/rightsflow/data-stores"
    assert wired.results_bucket == "fulfilment"
    assert bare.data_stores_parameter is None
    assert bare.results_bucket is None
    with pytest.raises(SettingsError, match="DATA_STORES_PARAMETER is empty"):
        ObjectIndexSettings.from_variables({**STORE, "DATA_STORES_PARAMETER": ""})


def test_the_ops_api_needs_the_backfill_state_machine() -> None:
    variables = {**INTAKE, "MAIL_TRIAGE_TABLE": "triage"}
    with pytest.raises(SettingsError, match="INDEX_BACKFILL_STATE_MACHINE_ARN is not set"):
        OpsApiSettings.from_variables(variables)
    arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:backfill"
    settings = OpsApiSettings.from_variables({**variables, "INDEX_BACKFILL_STATE_MACHINE_ARN": arn})
    assert settings.index_backfill_state_machine_arn == arn
    assert settings.data_stores == {}
