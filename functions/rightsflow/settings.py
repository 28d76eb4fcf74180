"""Each function's configuration: environment variables read once at cold start into a checked model."""

from __future__ import annotations

import json
import os
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator

from rightsflow.domain.timescale import TimeScale
from rightsflow.integration.stores.remote_sql import RemoteSql


class _FromEnvironment(BaseModel):
    # defer_build: a function builds the validator of its own settings only, not of every class.
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True, defer_build=True)

    @classmethod
    def from_environment(cls) -> Self:
        """Fails at cold start, naming the missing variable, rather than on the first request."""
        return cls.model_validate(dict(os.environ))


class StoreSettings(_FromEnvironment):
    requests_table: str = Field(alias="REQUESTS_TABLE", min_length=1)
    audit_table: str = Field(alias="AUDIT_TABLE", min_length=1)
    # Only the local stack sets it: how many wall-clock seconds one legal day lasts ("": a day).
    day_seconds: float | None = Field(alias="DAY_SECONDS", default=None, gt=0)

    @field_validator("day_seconds", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def time_scale(self) -> TimeScale:
        return TimeScale(self.day_seconds)


class IntakeSettings(StoreSettings):
    state_machine_arn: str = Field(alias="STATE_MACHINE_ARN", min_length=1)
    idempotency_table: str = Field(alias="IDEMPOTENCY_TABLE", min_length=1)
    max_body_bytes: int = Field(alias="MAX_BODY_BYTES", default=64 * 1024)
    sender_address: str = Field(alias="SENDER_ADDRESS", min_length=3)
    gdpr_page_url: str = Field(alias="GDPR_PAGE_URL", min_length=1)
    verification_resend_seconds: int = Field(alias="VERIFICATION_RESEND_SECONDS", default=60, ge=1)
    # Where set, opt-outs and GPC signals are written to the privacy register at intake.
    registry_table: str | None = Field(alias="REGISTRY_TABLE", default=None, min_length=1)


class PeopleApiSettings(IntakeSettings):
    """The people's API: it also hands out package downloads and re-sends codes."""

    fulfilment_bucket: str = Field(alias="FULFILMENT_BUCKET", min_length=1)
    # Only the local stack sets it: where download links point, so any HTTP client can follow.
    download_endpoint: str | None = Field(alias="DOWNLOAD_ENDPOINT", default=None)
    send_limits_table: str = Field(alias="SEND_LIMITS_TABLE", min_length=1)
    max_codes_per_address_per_day: int = Field(
        alias="MAX_CODES_PER_ADDRESS_PER_DAY", default=10, ge=1
    )


class OpsSettings(StoreSettings):
    ops_topic_arn: str = Field(alias="OPS_TOPIC_ARN", min_length=1)


class ClockSettings(OpsSettings):
    reminder_days_before: tuple[int, ...] = Field(alias="REMINDER_DAYS_BEFORE", default=(7, 2))

    @field_validator("reminder_days_before", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(int(part) for part in value.split(",") if part.strip())
        return value


class DataStoreSettings(StoreSettings):
    # JSON object: template logical id of each data store -> its physical name.
    data_stores: dict[str, str] = Field(alias="DATA_STORES", default_factory=dict)
    # The SQL stores function (in the databases' VPC); empty where no SQL store is deployed.
    sql_stores_function: str = Field(alias="SQL_STORES_FUNCTION", default="")

    @field_validator("data_stores", mode="before")
    @classmethod
    def _json_object(cls, value: object) -> object:
        return json.loads(value) if isinstance(value, str) else value

    def sql_reach(self) -> RemoteSql | None:
        """SQL stores, reached by invoking the SQL stores function (None: not deployed)."""
        return RemoteSql(self.sql_stores_function) if self.sql_stores_function else None


class SqlStoresSettings(DataStoreSettings):
    # An RDS Proxy endpoint to use instead of the host in the connection secret.
    sql_host: str = Field(alias="SQL_HOST", default="")


class NoticeSettings(StoreSettings):
    sender_address: str = Field(alias="SENDER_ADDRESS", min_length=3)
    gdpr_page_url: str = Field(alias="GDPR_PAGE_URL", min_length=1)


class VerificationSettings(DataStoreSettings, NoticeSettings):
    verification_expiry_days: float = Field(alias="VERIFICATION_EXPIRY_DAYS", default=7, gt=0)
    registry_table: str = Field(alias="REGISTRY_TABLE", min_length=1)
    send_limits_table: str = Field(alias="SEND_LIMITS_TABLE", min_length=1)
    max_codes_per_address_per_day: int = Field(
        alias="MAX_CODES_PER_ADDRESS_PER_DAY", default=10, ge=1
    )
    # However fast a compressed legal day runs (DAY_SECONDS), a code stays valid at least this
    # long on the wall clock: long enough to read the e-mail and type it.
    min_code_seconds: float = Field(alias="MIN_CODE_SECONDS", default=600, gt=0)

    @field_validator("min_code_seconds", mode="before")
    @classmethod
    def _empty_is_default(cls, value: object) -> object:
        return 600 if value == "" else value


class FulfilmentSettings(DataStoreSettings, NoticeSettings):
    outcomes_table: str = Field(alias="OUTCOMES_TABLE", min_length=1)
    registry_table: str = Field(alias="REGISTRY_TABLE", min_length=1)
    fulfilment_bucket: str = Field(alias="FULFILMENT_BUCKET", min_length=1)
    vendor_secret_arn: str = Field(alias="VENDOR_SECRET_ARN", min_length=1)
    # Only the local stack sets it: where download links point, so any HTTP client can follow.
    download_endpoint: str | None = Field(alias="DOWNLOAD_ENDPOINT", default=None)
    # However fast a compressed legal day runs, a package stays downloadable at least this long
    # on the wall clock (local stack only).
    min_package_seconds: float = Field(alias="MIN_PACKAGE_SECONDS", default=600, gt=0)

    @field_validator("min_package_seconds", mode="before")
    @classmethod
    def _empty_is_default(cls, value: object) -> object:
        return 600 if value == "" else value


class BrandSettings(DataStoreSettings, NoticeSettings, OpsSettings):
    brand_secret_arn: str = Field(alias="BRAND_SECRET_ARN", min_length=1)
    inbox_table: str = Field(alias="BRAND_INBOX_TABLE", min_length=1)
    outcomes_table: str = Field(alias="OUTCOMES_TABLE", min_length=1)


class RecipientSettings(BrandSettings):
    vendor_secret_arn: str = Field(alias="VENDOR_SECRET_ARN", min_length=1)


class BrandApiSettings(IntakeSettings, DataStoreSettings):
    brand_secret_arn: str = Field(alias="BRAND_SECRET_ARN", min_length=1)
    inbox_table: str = Field(alias="BRAND_INBOX_TABLE", min_length=1)
    ops_topic_arn: str = Field(alias="OPS_TOPIC_ARN", min_length=1)


class AuthorizerSettings(_FromEnvironment):
    brand_keys_table: str = Field(alias="BRAND_KEYS_TABLE", min_length=1)


class TriageSettings(IntakeSettings):
    mail_triage_table: str = Field(alias="MAIL_TRIAGE_TABLE", min_length=1)


class EmailIntakeSettings(TriageSettings):
    inbound_mail_bucket: str = Field(alias="INBOUND_MAIL_BUCKET", min_length=1)
    inbound_mail_prefix: str = Field(alias="INBOUND_MAIL_PREFIX", default="inbound/")
    mail_log_table: str = Field(alias="MAIL_LOG_TABLE", min_length=1)
    max_mail_bytes: int = Field(alias="MAX_MAIL_BYTES", default=10 * 1024 * 1024, gt=0)
    # The address people write to: mail from it (or from SENDER_ADDRESS) is never answered.
    privacy_inbox_address: str = Field(alias="PRIVACY_INBOX_ADDRESS", default="")

    @property
    def our_addresses(self) -> frozenset[str]:
        return frozenset(
            a.strip().lower() for a in (self.sender_address, self.privacy_inbox_address) if a
        )
