"""E-mail intake: a message SES received for the privacy address becomes one request per right it
asks for, linked as a group and acknowledged once with a status link per request; or a letter
kept for ops triage; or nothing (automated mail, forged mail), with its reason in the mail log.
However often SES delivers a message, it is handled once."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from email.header import decode_header, make_header
from typing import Any

from rightsflow.domain.clock import to_iso, utc_now
from rightsflow.domain.errors import NotificationFailed
from rightsflow.domain.inbound_mail import refusal
from rightsflow.domain.language import reply_language
from rightsflow.domain.lifecycle import RequestType
from rightsflow.domain.mail_classification import MailDecision, MailOutcome, classify
from rightsflow.domain.mail_phrases import KNOWN_RIGHTS
from rightsflow.domain.mail_recognition import detect_language
from rightsflow.domain.notices import (
    Notice,
    email_too_large_notice,
    email_triage_notice,
    email_unrecognised_notice,
)
from rightsflow.domain.rights import regime_of, rights_offered
from rightsflow.integration.inbound_mail_store import InboundBucket, MailLog, TriageStore
from rightsflow.integration.mailer import Mailer
from rightsflow.observability import logger, metrics
from rightsflow.service.email_requests import EmailRequests, key_hash

MAX_TRIAGE_TEXT = 20_000  # characters of a letter kept for ops


@dataclass(frozen=True)
class MailResult:
    """What became of one message (`outcome` is what the mail log records)."""

    # request_created, duplicate, needs_triage, ignored, refused_<why>, unrecognised,
    # too_large, malformed
    outcome: str
    request_id: str | None = None  # the first request made
    request_ids: tuple[str, ...] = ()
    group_id: str | None = None
    triage_id: str | None = None


SURE_OF_SUBJECT_LANGUAGE = 0.8  # fastText's confidence above which a bare subject line is read


def subject_language(mail: dict[str, Any]) -> str:
    """The language to answer a message we will not read in: its subject's (as SES's common
    headers give it), when the detector is sure of it; English otherwise."""
    subject = str((mail.get("commonHeaders") or {}).get("subject") or "")
    with suppress(ValueError, LookupError):  # an undecodable encoded word: read as it came
        subject = str(make_header(decode_header(subject)))
    language, confidence = detect_language(subject)
    return reply_language(language) if confidence >= SURE_OF_SUBJECT_LANGUAGE else "en"


@dataclass
class EmailIntake:
    requests: EmailRequests
    inbound: InboundBucket
    log: MailLog
    triage: TriageStore
    mailer: Mailer
    gdpr_page_url: str
    max_bytes: int
    our_addresses: frozenset[str]

    def receive(self, ses: dict[str, Any]) -> MailResult:
        """Handle one SES receipt event record (`Records[i].ses`)."""
        mail, receipt = ses["mail"], ses["receipt"]
        ses_id = str(mail["messageId"])
        envelope = str(mail.get("source", "") or "")
        why_refused = refusal(receipt)
        if why_refused is not None:
            # Perhaps forged: no request and no reply (a reply could go to a victim).
            return self._done(f"ses:{ses_id}", f"refused_{why_refused}", ses_id)
        size = self.inbound.size(ses_id)
        if size > self.max_bytes:
            if self._may_answer(envelope):
                self._send(
                    envelope,
                    email_too_large_notice(
                        subject_language(mail),
                        size=size,
                        limit=self.max_bytes,
                        gdpr_page_url=self.gdpr_page_url,
                    ),
                )
            return self._done(f"ses:{ses_id}", "too_large", ses_id)
        decision = classify(
            self.inbound.read(ses_id),
            envelope_sender=envelope,
            our_addresses=self.our_addresses,
        )
        mail_key = self._mail_key(decision, ses_id)
        earlier = self.log.get(mail_key)
        if earlier is not None and earlier.get("outcome") != "in_progress":
            return self._counted("duplicate", ses_id)
        facts = {
            "ses_message_id": ses_id,
            "language": decision.language,
            "reasons": [r[:300] for r in decision.reasons][:20],
        }
        if decision.outcome is MailOutcome.MALFORMED:
            logger.warning(
                "malformed e-mail dropped",
                extra={"ses_message_id": ses_id, "reason": decision.reasons},
            )
            return self._done(mail_key, "malformed", ses_id, **facts)
        if decision.outcome is MailOutcome.IGNORED:
            return self._done(mail_key, "ignored", ses_id, **facts)
        if decision.outcome is MailOutcome.UNRECOGNISED:
            if self.log.record_first(mail_key, "unrecognised", **facts):
                self._send(
                    decision.sender or "",
                    email_unrecognised_notice(
                        self._reply_language(decision),
                        # The rights of the law the letter states, else the GDPR's.
                        rights=rights_offered(
                            self._reply_language(decision), regime_of(decision.jurisdiction)
                        ),
                        gdpr_page_url=self.gdpr_page_url,
                    ),
                )
            return self._counted("unrecognised", ses_id)
        if decision.outcome is MailOutcome.TRIAGE:
            return self._to_triage(mail_key, decision, facts)
        return self._make_requests(mail_key, decision, facts)

    # ------------------------------------------------------------------ outcomes
    def _make_requests(
        self, mail_key: str, decision: MailDecision, facts: dict[str, Any]
    ) -> MailResult:
        assert decision.mail is not None
        assert decision.sender is not None
        details: dict[str, Any] = {"source": "email"}
        mail = decision.mail
        if mail.attachments:
            details["attachments"] = len(mail.attachments)
            details["attachments_read"] = len(mail.attachments_read)
        if mail.undecodable_parts:
            details["unreadable_parts"] = mail.undecodable_parts
        rights = [RequestType(r) for r in decision.rights]
        if {RequestType.COMPLAINT, RequestType.RECTIFICATION} & set(rights):
            details["message"] = (mail.text or mail.subject)[:4000] or "(no text)"
        group_id, receipts = self.requests.make(
            key=mail_key,
            email=decision.sender,
            rights=rights,
            language=self._reply_language(decision),
            details=details,
            jurisdiction=decision.jurisdiction,
        )
        ids = [r.request_id for r in receipts]
        first = self.log.record_first(
            mail_key,
            "request_created",
            request_ids=ids,
            group_id=group_id,
            rights=list(decision.rights),
            **facts,
        )
        outcome = "request_created" if first else "duplicate"
        logger.info(
            "e-mail handled",
            extra={
                "ses_message_id": facts["ses_message_id"],
                "outcome": outcome,
                "request_ids": ids,
            },
        )
        return MailResult(self._count(outcome), ids[0], tuple(ids), group_id=group_id)

    def _to_triage(
        self, mail_key: str, decision: MailDecision, facts: dict[str, Any]
    ) -> MailResult:
        assert decision.mail is not None
        triage_id = "tri-" + key_hash(mail_key)[:20]
        mail = decision.mail
        kept = self.triage.put_first(
            {
                "triage_id": triage_id,
                "at": to_iso(utc_now()),
                "mail_key": mail_key,
                "sender": decision.sender,
                "sender_problem": decision.sender_problem,
                "subject": mail.subject[:500],
                "text": mail.text[:MAX_TRIAGE_TEXT],
                "attachments": mail.attachments,
                "language": decision.language,
                # The clear rights and the hinted ones (the reasons say which is which).
                "suggested_rights": [
                    r for r in KNOWN_RIGHTS if r in {*decision.rights, *decision.unsure}
                ],
                "jurisdiction": decision.jurisdiction,
                "reasons": list(facts["reasons"]),
                "ses_message_id": facts["ses_message_id"],
            }
        )
        if kept and decision.sender:
            self._send(
                decision.sender,
                email_triage_notice(
                    self._reply_language(decision),
                    gdpr_page_url=self.gdpr_page_url,
                    address_refused=decision.sender_problem is not None,
                ),
            )
        self.log.record_first(mail_key, "needs_triage", triage_id=triage_id, **facts)
        metrics.add_metric(name="InboundMailTriage", unit="Count", value=1)
        return MailResult("needs_triage", triage_id=triage_id)

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _mail_key(decision: MailDecision, ses_id: str) -> str:
        mail = decision.mail
        if mail is not None and mail.message_id:
            return "msgid:" + key_hash(f"{mail.sender}|{mail.message_id}")
        return f"ses:{ses_id}"

    @staticmethod
    def _reply_language(decision: MailDecision) -> str:
        return reply_language(decision.language)

    def _may_answer(self, address: str) -> bool:
        local = address.split("@", maxsplit=1)[0].lower()
        return (
            "@" in address
            and address.lower() not in self.our_addresses
            and local not in {"mailer-daemon", "postmaster"}
        )

    def _done(self, mail_key: str, outcome: str, ses_id: str, **facts: Any) -> MailResult:
        self.log.record_first(mail_key, outcome, **{"ses_message_id": ses_id, **facts})
        logger.info(
            "e-mail not turned into a request", extra={"ses_message_id": ses_id, "outcome": outcome}
        )
        return MailResult(self._count(outcome))

    def _counted(self, outcome: str, ses_id: str) -> MailResult:
        logger.info("e-mail handled", extra={"ses_message_id": ses_id, "outcome": outcome})
        return MailResult(self._count(outcome))

    @staticmethod
    def _count(outcome: str) -> str:
        metrics.add_metric(name=f"InboundMail_{outcome}", unit="Count", value=1)
        return outcome

    def _send(self, to: str, notice: Notice) -> None:
        """Answer the sender where we can; an address SES refuses is noted, never a crash."""
        if not self._may_answer(to):
            return
        try:
            self.mailer.send(to, notice)
        except NotificationFailed:
            logger.warning("reply not sent: SES refused the address")
