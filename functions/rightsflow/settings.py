"""Each function's configuration: environment variables read once at cold start into a checked,
frozen object.

Plain dataclasses, not pydantic models: reading its settings is the one thing every function does
at import, and importing pydantic alone costs about a third of a cold start's floor (boto3 and
Powertools); the domain's models load with the first event instead (README, "Cold start").
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from rightsflow.domain.timescale import TimeScale

if TYPE_CHECKING:
    from rightsflow.integration.stores.remote_sql import RemoteSql


class SettingsError(ValueError):
    """The environment does not configure the function; the message names every variable that
    is missing or unreadable, and why (never its value)."""


Parser = Callable[[str], Any]


def _variable(name: str, parse: Parser, default: Any = dataclasses.MISSING) -> Any:
    """A setting read from the environment variable `name`; without a default it is required."""
    return dataclasses.field(default=default, metadata={"variable": name, "parse": parse})


def _text(min_length: int = 0) -> Parser:
    def parse(value: str) -> str:
        if len(value) < min_length:
            raise ValueError("is empty" if min_length == 1 else f"needs {min_length}+ characters")
        return value

    return parse


def _integer(*, minimum: int) -> Parser:
    def parse(value: str) -> int:
        try:
            number = int(value.strip())
        except ValueError:
            raise ValueError("is not a whole number") from None
        if number < minimum:
            raise ValueError(f"must be at least {minimum}")
        return number

    return parse


def _positive_number(value: str) -> float:
    try:
        number = float(value.strip())
    except ValueError:
        raise ValueError("is not a number") from None
    if not number > 0:  # also refuses nan
        raise ValueError("must be greater than 0")
    return number


def _seconds(value: str) -> float:
    """A duration in seconds, zero or more."""
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a number of seconds") from None
    if not number >= 0 or number == float("inf"):  # also refuses nan
        raise ValueError(f"{value!r}: must be zero or more seconds")
    return number


def _positive_number_or_unset(value: str) -> float | None:
    """Empty is unset: the local stack gives every function the variable, empty where unused."""
    return None if value == "" else _positive_number(value)


def _positive_number_or(default: float) -> Parser:
    """Empty is the default: the local stack gives every function the variable, empty where
    the stack keeps the default."""

    def parse(value: str) -> float:
        return default if value == "" else _positive_number(value)

    return parse


def _whole_numbers(value: str) -> tuple[int, ...]:
    """Comma-separated whole numbers: "7,2" -> (7, 2)."""
    try:
        return tuple(int(part) for part in value.split(",") if part.strip())
    except ValueError:
        raise ValueError("is not a comma-separated list of whole numbers") from None


def _names(value: str) -> dict[str, str]:
    """A JSON object of names: template logical id -> physical name."""
    try:
        parsed = json.loads(value)
    except ValueError:
        raise ValueError("is not JSON") from None
    if not isinstance(parsed, dict) or not all(
        isinstance(key, str) and isinstance(item, str) for key, item in parsed.items()
    ):
        raise ValueError("is not a JSON object of names")
    return parsed


@dataclass(frozen=True, kw_only=True)
class _FromEnvironment:
    @classmethod
    def from_environment(cls) -> Self:
        """Fails at cold start (SettingsError), naming the missing variable, rather than on the
        first request."""
        return cls.from_variables(os.environ)

    @classmethod
    def from_variables(cls, variables: Mapping[str, str]) -> Self:
        """The settings from `variables` (environment variable name -> value); variables that
        are not settings of this function are ignored. SettingsError names every problem."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        for field in dataclasses.fields(cls):
            name: str = field.metadata["variable"]
            if name not in variables:
                has_default = not (
                    field.default is dataclasses.MISSING
                    and field.default_factory is dataclasses.MISSING
                )
                if not has_default:
                    problems.append(f"{name} is not set")
                continue
            try:
                values[field.name] = field.metadata["parse"](variables[name])
            except ValueError as error:
                problems.append(f"{name} {error}")
        if problems:
            raise SettingsError(f"{cls.__name__}: {'; '.join(problems)}")
        return cls(**values)


@dataclass(frozen=True, kw_only=True)
class StoreSettings(_FromEnvironment):
    requests_table: str = _variable("REQUESTS_TABLE", _text(1))
    audit_table: str = _variable("AUDIT_TABLE", _text(1))
    # Only the local stack sets it: how many wall-clock seconds one legal day lasts ("": a day).
    day_seconds: float | None = _variable("DAY_SECONDS", _positive_number_or_unset, None)

    @property
    def time_scale(self) -> TimeScale:
        return TimeScale(self.day_seconds)


@dataclass(frozen=True, kw_only=True)
class IntakeSettings(StoreSettings):
    state_machine_arn: str = _variable("STATE_MACHINE_ARN", _text(1))
    idempotency_table: str = _variable("IDEMPOTENCY_TABLE", _text(1))
    max_body_bytes: int = _variable("MAX_BODY_BYTES", _integer(minimum=0), 64 * 1024)
    sender_address: str = _variable("SENDER_ADDRESS", _text(3))
    gdpr_page_url: str = _variable("GDPR_PAGE_URL", _text(1))
    verification_resend_seconds: int = _variable(
        "VERIFICATION_RESEND_SECONDS", _integer(minimum=1), 60
    )
    # Where set, opt-outs and GPC signals are written to the privacy register at intake.
    registry_table: str | None = _variable("REGISTRY_TABLE", _text(1), None)


@dataclass(frozen=True, kw_only=True)
class PeopleApiSettings(IntakeSettings):
    """The people's API: it also hands out package downloads and re-sends codes."""

    fulfilment_bucket: str = _variable("FULFILMENT_BUCKET", _text(1))
    # Only the local stack sets it: where download links point, so any HTTP client can follow.
    download_endpoint: str | None = _variable("DOWNLOAD_ENDPOINT", _text(), None)
    send_limits_table: str = _variable("SEND_LIMITS_TABLE", _text(1))
    max_codes_per_address_per_day: int = _variable(
        "MAX_CODES_PER_ADDRESS_PER_DAY", _integer(minimum=1), 10
    )


@dataclass(frozen=True, kw_only=True)
class OpsSettings(StoreSettings):
    ops_topic_arn: str = _variable("OPS_TOPIC_ARN", _text(1))


@dataclass(frozen=True, kw_only=True)
class ClockSettings(OpsSettings):
    reminder_days_before: tuple[int, ...] = _variable(
        "REMINDER_DAYS_BEFORE", _whole_numbers, (7, 2)
    )


@dataclass(frozen=True, kw_only=True)
class DataStoreSettings(StoreSettings):
    # JSON object: template logical id of each data store -> its physical name.
    data_stores: dict[str, str] = dataclasses.field(
        default_factory=dict, metadata={"variable": "DATA_STORES", "parse": _names}
    )
    # The SQL stores function (in the databases' VPC); empty where no SQL store is deployed.
    sql_stores_function: str = _variable("SQL_STORES_FUNCTION", _text(), "")

    def sql_reach(self) -> RemoteSql | None:
        """SQL stores, reached by invoking the SQL stores function (None: not deployed)."""
        if not self.sql_stores_function:
            return None
        # The stores' package loads the domain (pydantic): with the first use, not at import.
        from rightsflow.integration.stores.remote_sql import RemoteSql  # noqa: PLC0415

        return RemoteSql(self.sql_stores_function)


@dataclass(frozen=True, kw_only=True)
class SqlStoresSettings(DataStoreSettings):
    # An RDS Proxy endpoint to use instead of the host in the connection secret.
    sql_host: str = _variable("SQL_HOST", _text(), "")


@dataclass(frozen=True, kw_only=True)
class ObjectIndexSettings(DataStoreSettings):
    # Where the backfill's map runs write their results (ResultWriter), under index-backfills/.
    results_bucket: str | None = _variable("RESULTS_BUCKET", _text(1), None)
    # The SSM parameter holding DATA_STORES, for a function the buckets notify (it may not
    # refer to them in its own environment: that would be a dependency cycle).
    data_stores_parameter: str | None = _variable("DATA_STORES_PARAMETER", _text(1), None)


@dataclass(frozen=True, kw_only=True)
class NoticeSettings(StoreSettings):
    sender_address: str = _variable("SENDER_ADDRESS", _text(3))
    gdpr_page_url: str = _variable("GDPR_PAGE_URL", _text(1))


@dataclass(frozen=True, kw_only=True)
class VerificationSettings(DataStoreSettings, NoticeSettings):
    verification_expiry_days: float = _variable("VERIFICATION_EXPIRY_DAYS", _positive_number, 7.0)
    registry_table: str = _variable("REGISTRY_TABLE", _text(1))
    send_limits_table: str = _variable("SEND_LIMITS_TABLE", _text(1))
    max_codes_per_address_per_day: int = _variable(
        "MAX_CODES_PER_ADDRESS_PER_DAY", _integer(minimum=1), 10
    )
    # However fast a compressed legal day runs (DAY_SECONDS), a code stays valid at least this
    # long on the wall clock: long enough to read the e-mail and type it.
    min_code_seconds: float = _variable("MIN_CODE_SECONDS", _positive_number_or(600.0), 600.0)


@dataclass(frozen=True, kw_only=True)
class FulfilmentSettings(DataStoreSettings, NoticeSettings):
    outcomes_table: str = _variable("OUTCOMES_TABLE", _text(1))
    registry_table: str = _variable("REGISTRY_TABLE", _text(1))
    fulfilment_bucket: str = _variable("FULFILMENT_BUCKET", _text(1))
    vendor_secret_arn: str = _variable("VENDOR_SECRET_ARN", _text(1))
    # Only the local stack sets it: where download links point, so any HTTP client can follow.
    download_endpoint: str | None = _variable("DOWNLOAD_ENDPOINT", _text(), None)
    # However fast a compressed legal day runs, a package stays downloadable at least this long
    # on the wall clock (local stack only).
    min_package_seconds: float = _variable("MIN_PACKAGE_SECONDS", _positive_number_or(600.0), 600.0)
    # An S3 store's index is read no earlier than this after the request was received: the time
    # S3 may take to deliver its bucket's events (the template's IndexSettleSeconds).
    index_settle_seconds: float = _variable("INDEX_SETTLE_SECONDS", _seconds, 60.0)


@dataclass(frozen=True, kw_only=True)
class BrandSettings(DataStoreSettings, NoticeSettings, OpsSettings):
    brand_secret_arn: str = _variable("BRAND_SECRET_ARN", _text(1))
    inbox_table: str = _variable("BRAND_INBOX_TABLE", _text(1))
    outcomes_table: str = _variable("OUTCOMES_TABLE", _text(1))


@dataclass(frozen=True, kw_only=True)
class RecipientSettings(BrandSettings):
    vendor_secret_arn: str = _variable("VENDOR_SECRET_ARN", _text(1))


@dataclass(frozen=True, kw_only=True)
class BrandApiSettings(IntakeSettings, DataStoreSettings):
    brand_secret_arn: str = _variable("BRAND_SECRET_ARN", _text(1))
    inbox_table: str = _variable("BRAND_INBOX_TABLE", _text(1))
    ops_topic_arn: str = _variable("OPS_TOPIC_ARN", _text(1))


@dataclass(frozen=True, kw_only=True)
class AuthorizerSettings(_FromEnvironment):
    brand_keys_table: str = _variable("BRAND_KEYS_TABLE", _text(1))


@dataclass(frozen=True, kw_only=True)
class TriageSettings(IntakeSettings):
    mail_triage_table: str = _variable("MAIL_TRIAGE_TABLE", _text(1))


@dataclass(frozen=True, kw_only=True)
class EmailIntakeSettings(TriageSettings):
    inbound_mail_bucket: str = _variable("INBOUND_MAIL_BUCKET", _text(1))
    inbound_mail_prefix: str = _variable("INBOUND_MAIL_PREFIX", _text(), "inbound/")
    mail_log_table: str = _variable("MAIL_LOG_TABLE", _text(1))
    max_mail_bytes: int = _variable("MAX_MAIL_BYTES", _integer(minimum=1), 10 * 1024 * 1024)
    # The address people write to: mail from it (or from SENDER_ADDRESS) is never answered.
    privacy_inbox_address: str = _variable("PRIVACY_INBOX_ADDRESS", _text(), "")

    @property
    def our_addresses(self) -> frozenset[str]:
        return frozenset(
            a.strip().lower() for a in (self.sender_address, self.privacy_inbox_address) if a
        )


@dataclass(frozen=True, kw_only=True)
class OpsApiSettings(TriageSettings, DataStoreSettings):
    # Backfills of the stores' indexes (`rightsflow ops index STORE`).
    index_backfill_state_machine_arn: str = _variable("INDEX_BACKFILL_STATE_MACHINE_ARN", _text(1))
