"""E-mail intake: invoked by the SES receipt rule for the privacy address (the raw message is
already in S3 by then)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.integration.inbound_mail_store import InboundBucket, MailLog, TriageStore
from rightsflow.integration.mailer import Mailer
from rightsflow.observability import instrumented
from rightsflow.settings import EmailIntakeSettings

if TYPE_CHECKING:
    from rightsflow.service.email_intake import EmailIntake
    from rightsflow.service.intake import Intake

settings = EmailIntakeSettings.from_environment()
mailer = Mailer(settings.sender_address)


@cache
def _intake() -> tuple[Intake, EmailIntake]:
    """Built by the first message, not at import: reading letters loads the domain (pydantic,
    the phrase tables, the language model)."""
    from rightsflow.service.email_intake import EmailIntake
    from rightsflow.service.email_requests import EmailRequests
    from rightsflow.service.intake import Intake

    intake = Intake(settings)
    return intake, EmailIntake(
        requests=EmailRequests(intake=intake, mailer=mailer, gdpr_page_url=settings.gdpr_page_url),
        inbound=InboundBucket(settings.inbound_mail_bucket, settings.inbound_mail_prefix),
        log=MailLog(settings.mail_log_table),
        triage=TriageStore(settings.mail_triage_table),
        mailer=mailer,
        gdpr_page_url=settings.gdpr_page_url,
        max_bytes=settings.max_mail_bytes,
        our_addresses=settings.our_addresses,
    )


@instrumented("Records[0].ses.mail.messageId")
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    intake, email_intake = _intake()
    intake.idempotency_config.register_lambda_context(context)
    results = [email_intake.receive(record["ses"]) for record in event.get("Records", [])]
    return {
        "outcomes": [
            {
                "outcome": r.outcome,
                "request_id": r.request_id,
                "request_ids": list(r.request_ids),
                "group_id": r.group_id,
                "triage_id": r.triage_id,
            }
            for r in results
        ]
    }
