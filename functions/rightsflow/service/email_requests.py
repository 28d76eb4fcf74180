"""Making the requests an e-mailed letter asks for: one per right, linked as a group, one
acknowledgment with a status link per request, then their workflows. Used by e-mail intake and
by ops acting on a letter kept for triage (this module needs none of the mail-reading
libraries, so the ops API does not ship them)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from rightsflow.domain.clock import from_iso, to_iso, utc_now
from rightsflow.domain.lifecycle import RequestType
from rightsflow.domain.notices import LetterRequest, email_acknowledgment_notice
from rightsflow.domain.requests import Channel, Receipt, RightsRequest, Submission
from rightsflow.domain.rights import right_for
from rightsflow.domain.verification import Assurance, assurance_for
from rightsflow.integration.mailer import Mailer
from rightsflow.service.changes import record_change
from rightsflow.service.intake import Intake, IntakeCommand


def key_hash(mail_key: str) -> str:
    """A stable, non-reversible form of a message's de-duplication key."""
    return hashlib.sha256(mail_key.encode()).hexdigest()


def status_url(gdpr_page_url: str, request_id: str, token: str, language: str = "en") -> str:
    """The link that shows a request's status by itself (the page moves the token out of the
    address bar once read), opening the page in the person's language."""
    query = {"request_id": request_id, "token": token, "lang": language}
    return f"{gdpr_page_url}?{urlencode(query)}"


@dataclass
class EmailRequests:
    """Making the requests a letter asks for: one per right, one group, one acknowledgment.
    Used by e-mail intake and by ops acting on a letter kept for triage."""

    intake: Intake
    mailer: Mailer
    gdpr_page_url: str

    def make(
        self,
        *,
        key: str,
        email: str,
        rights: list[RequestType],
        language: str,
        details: dict[str, Any],
        jurisdiction: str,
    ) -> tuple[str, list[Receipt]]:
        """Create the requests (without starting their workflows), on the clock of
        `jurisdiction` (where the letter says its writer lives, or the law it invokes),
        acknowledge them in one e-mail, then start them. Every step is safe to repeat: the
        same `key` finds the same requests (and their status tokens) and a group already
        acknowledged is not again."""
        group_id = "grp-" + key_hash(key)[:20]
        receipts = [
            self.intake.submit(
                IntakeCommand(
                    submission=Submission(
                        type=right, email=email, details=details, jurisdiction=jurisdiction
                    ),
                    channel=Channel.EMAIL,
                    idempotency_key=f"{key}:{right.value}",
                    language=language,
                    group_id=group_id,
                    start_workflow=False,
                )
            )
            for right in rights
        ]
        store = self.intake.store
        records = [store.get(r.request_id) for r in receipts]
        ids = [r.request_id for r in receipts]
        if any(record.acknowledged_at is None for record in records):
            self._acknowledge(email, language, receipts, records[0])
            acknowledged_at = utc_now()
            for record in records:
                # An opt-out has no acknowledgment deadline: the letter is answered anyway.
                on_time = record.acknowledge_by is None or acknowledged_at <= from_iso(
                    record.acknowledge_by
                )
                record_change(
                    store,
                    record.request_id,
                    action="acknowledgment_sent",
                    component="EmailIntake",
                    updates={
                        "acknowledged_at": to_iso(acknowledged_at),
                        "acknowledged_on_time": on_time,
                        "group_request_ids": ids,
                    },
                    detail={"acknowledge_by": record.acknowledge_by, "on_time": on_time},
                )
        for request_id in ids:
            self.intake.start(request_id)
        return group_id, receipts

    def _acknowledge(
        self, email: str, language: str, receipts: list[Receipt], first_record: RightsRequest
    ) -> None:
        """One acknowledgment for the letter, in the writer's language; the moments the law
        counts told in a zone the place's people recognise (`RightsRequest.reading_zone`)."""
        listed = []
        needs_code = False
        for receipt in receipts:
            record = self.intake.store.get(receipt.request_id)
            right = right_for(record.type, language, record.regime)
            needs_code = needs_code or assurance_for(record.type, record.details) is not (
                Assurance.NONE
            )
            # E-mail intake never joins an open request (only the web channel does), so each
            # receipt carries its own token.
            assert receipt.status_token is not None
            listed.append(
                LetterRequest(
                    label=right.label,
                    article=right.article,
                    request_id=receipt.request_id,
                    status_url=status_url(
                        self.gdpr_page_url, receipt.request_id, receipt.status_token, language
                    ),
                )
            )
        notice = email_acknowledgment_notice(
            language,
            requests=listed,
            received_at=receipts[0].received_at,
            due_at=max(r.due_at for r in receipts),
            law=first_record.regime_law,
            time_zone=first_record.reading_zone,
            needs_code=needs_code,
        )
        self.mailer.send(email, notice)
