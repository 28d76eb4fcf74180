"""E-mail intake: a message SES received for the privacy address becomes exactly the request the
HTTP API would make, once, however often it is delivered; or a reasoned refusal."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from rightsflow.domain.inbound_mail import MalformedMail, parse, refusal, understand
from rightsflow.domain.lifecycle import RequestType
from rightsflow.domain.notices import has_language, render
from rightsflow.domain.requests import Channel, Submission
from rightsflow.domain.rights import right_for
from rightsflow.integration.inbound_mail_store import InboundBucket, MailLog
from rightsflow.integration.mailer import Mailer
from rightsflow.observability import logger, metrics
from rightsflow.service.intake import Intake, IntakeCommand

_RIGHTS_LISTED = [t for t in RequestType if t not in {RequestType.LIFT_RESTRICTION}]


@dataclass(frozen=True)
class MailOutcome:
    outcome: str  # request_created, duplicate, refused_<why>, unrecognised, too_large, malformed
    request_id: str | None = None


def _kib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


@dataclass
class EmailIntake:
    intake: Intake
    inbound: InboundBucket
    log: MailLog
    mailer: Mailer
    gdpr_page_url: str
    max_bytes: int

    def receive(self, ses: dict[str, Any]) -> MailOutcome:
        mail, receipt = ses["mail"], ses["receipt"]
        ses_id = str(mail["messageId"])
        why_refused = refusal(receipt)
        if why_refused is not None:
            # Perhaps forged: no request and no reply (a reply could go to a victim).
            return self._done(f"ses:{ses_id}", f"refused_{why_refused}", ses_id)
        size = self.inbound.size(ses_id)
        envelope_sender = str(mail.get("source", "")).lower()
        if size > self.max_bytes:
            self._reply(
                envelope_sender,
                "email_too_large",
                "en",
                size=_kib(size),
                limit=_kib(self.max_bytes),
            )
            return self._done(f"ses:{ses_id}", "too_large", ses_id)
        try:
            parsed = parse(self.inbound.read(ses_id))
        except MalformedMail as error:
            logger.warning(
                "malformed e-mail dropped", extra={"ses_message_id": ses_id, "reason": str(error)}
            )
            return self._done(f"ses:{ses_id}", "malformed", ses_id)
        understood = understand(parsed)
        language = understood.language if has_language(understood.language) else "en"
        mail_key = (
            "msgid:" + hashlib.sha256(f"{parsed.sender}|{parsed.message_id}".encode()).hexdigest()
            if parsed.message_id
            else f"ses:{ses_id}"
        )
        if understood.right is None:
            if self.log.record_first(mail_key, "unrecognised", ses_message_id=ses_id):
                self._reply(parsed.sender, "email_unrecognised", language)
            return self._counted("unrecognised")
        details: dict[str, Any] = {"source": "email"}
        if parsed.attachments:
            details["attachments_ignored"] = len(parsed.attachments)
        if parsed.undecodable_parts:
            details["unreadable_parts"] = parsed.undecodable_parts
        if understood.right in {RequestType.COMPLAINT, RequestType.RECTIFICATION}:
            details["message"] = (parsed.body or parsed.subject)[:4000] or "(no text)"
        receipt_ = self.intake.submit(
            IntakeCommand(
                submission=Submission(type=understood.right, email=parsed.sender, details=details),
                channel=Channel.EMAIL,
                idempotency_key=mail_key,
                language=language,
            )
        )
        first = self.log.record_first(
            mail_key, "request_created", ses_message_id=ses_id, request_id=receipt_.request_id
        )
        outcome = "request_created" if first else "duplicate"
        logger.info(
            "e-mail handled",
            extra={"ses_message_id": ses_id, "outcome": outcome, "request_id": receipt_.request_id},
        )
        return self._counted(outcome, receipt_.request_id)

    def _done(self, mail_key: str, outcome: str, ses_id: str) -> MailOutcome:
        self.log.record_first(mail_key, outcome, ses_message_id=ses_id)
        logger.info(
            "e-mail not turned into a request", extra={"ses_message_id": ses_id, "outcome": outcome}
        )
        return self._counted(outcome)

    @staticmethod
    def _counted(outcome: str, request_id: str | None = None) -> MailOutcome:
        metrics.add_metric(name=f"InboundMail_{outcome}", unit="Count", value=1)
        return MailOutcome(outcome, request_id)

    def _reply(self, to: str, template: str, language: str, **values: str) -> None:
        if "@" not in to:
            return
        rights = "\n".join(
            f"- {right_for(t, language).label} ({right_for(t, language).article})"
            for t in _RIGHTS_LISTED
        )
        notice = render(
            template, {"rights": rights, "gdpr_page_url": self.gdpr_page_url, **values}, language
        )
        self.mailer.send(to, notice)
