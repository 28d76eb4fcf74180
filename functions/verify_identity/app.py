"""PrepareVerification, VerifyIdentity, CheckSecondIdentifier and MarkUnverified states."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.integration.mailer import Mailer
from rightsflow.integration.registry import PrivacyRegistry
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.send_limits import SendLimits
from rightsflow.observability import STEP_CORRELATION, instrumented
from rightsflow.settings import VerificationSettings

if TYPE_CHECKING:
    from rightsflow.integration.directory import Directory
    from rightsflow.service.verification import VerificationPolicy

settings = VerificationSettings.from_environment()
store = RequestsStore(settings.requests_table, settings.audit_table)
mailer = Mailer(settings.sender_address)
limits = SendLimits(settings.send_limits_table, settings.max_codes_per_address_per_day)


@cache
def _policy() -> VerificationPolicy:
    from rightsflow.service.verification import VerificationPolicy

    return VerificationPolicy(
        settings.verification_expiry_days, settings.time_scale, settings.min_code_seconds
    )


@cache
def _directory() -> Directory:
    """Built on first use, not at import: it reads the data map. Held records' identifiers count
    as on file: seeing them needs the second identifier too."""
    from rightsflow.domain.data_map import load_data_map
    from rightsflow.integration.directory import Directory

    return Directory(
        load_data_map(),
        settings.data_stores,
        registry=PrivacyRegistry(settings.registry_table),
        sql=settings.sql_reach(),
    )


@instrumented(STEP_CORRELATION)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from rightsflow.service import verification

    policy = _policy()
    request_id = event["request_id"]
    step = event["step"]
    if step == "prepare":
        return verification.prepare(store, request_id, policy)
    if step == "send_code":
        verification.send_code(
            store,
            mailer,
            settings.gdpr_page_url,
            request_id,
            task_token=event["task_token"],
            policy=policy,
            limits=limits,
        )
        return {"request_id": request_id}
    if step == "check_second_identifier":
        return verification.check_second_identifier(store, _directory(), request_id)
    if step == "mark_unverified":
        error = event.get("error") or {}
        return verification.mark_unverified(store, request_id, str(error.get("Error", "")))
    raise ValueError(f"unknown verification step {step!r}")
