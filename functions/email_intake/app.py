"""E-mail intake: invoked by the SES receipt rule for the privacy address (the raw message is
already in S3 by then)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.integration.inbound_mail_store import InboundBucket, MailLog
from rightsflow.integration.mailer import Mailer
from rightsflow.observability import instrumented
from rightsflow.service.email_intake import EmailIntake
from rightsflow.service.intake import Intake
from rightsflow.settings import EmailIntakeSettings

settings = EmailIntakeSettings.from_environment()
intake = Intake(settings)
email_intake = EmailIntake(
    intake=intake,
    inbound=InboundBucket(settings.inbound_mail_bucket, settings.inbound_mail_prefix),
    log=MailLog(settings.mail_log_table),
    mailer=Mailer(settings.sender_address),
    gdpr_page_url=settings.gdpr_page_url,
    max_bytes=settings.max_mail_bytes,
)


@instrumented("Records[0].ses.mail.messageId")
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    intake.idempotency_config.register_lambda_context(context)
    outcomes = [email_intake.receive(record["ses"]) for record in event.get("Records", [])]
    return {"outcomes": [{"outcome": o.outcome, "request_id": o.request_id} for o in outcomes]}
