"""Ops triage of letters intake would not guess about: read them, make the requests they ask
for (as e-mail intake would have, acknowledged to the person), or dismiss them, telling the
person where that is right. A letter is never left without a way forward."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from rightsflow.domain.clock import to_iso, utc_now
from rightsflow.domain.errors import InvalidRequest, NotificationFailed
from rightsflow.domain.language import reply_language
from rightsflow.domain.lifecycle import RequestType
from rightsflow.domain.notices import email_unrecognised_notice
from rightsflow.domain.requests import DEFAULT_JURISDICTION, address_problem
from rightsflow.domain.rights import regime_of, rights_offered
from rightsflow.integration.inbound_mail_store import TriageStore
from rightsflow.integration.mailer import Mailer
from rightsflow.observability import logger
from rightsflow.service.email_requests import EmailRequests


class TriageSummary(BaseModel):
    triage_id: str
    at: str
    state: str
    language: str | None = None
    suggested_rights: list[str] = Field(default_factory=list)
    sender_problem: str | None = None
    # Where the letter says its writer lives (or the law it names); None: it states none.
    jurisdiction: str | None = None


class TriageItem(TriageSummary):
    """A letter kept for ops, with its text."""

    sender: str | None = None
    subject: str = ""
    text: str = ""
    attachments: list[str] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)
    ses_message_id: str | None = None
    resolution: str | None = None
    resolved_by: str | None = None
    resolved_at: str | None = None
    resolution_reason: str | None = None
    request_ids: list[str] = Field(default_factory=list)
    group_id: str | None = None


def _item(values: dict[str, Any]) -> TriageItem:
    return TriageItem.model_validate(values)


@dataclass
class MailTriage:
    store: TriageStore
    requests: EmailRequests
    mailer: Mailer
    gdpr_page_url: str

    def open_items(self, limit: int) -> list[TriageSummary]:
        return [TriageSummary.model_validate(v) for v in self.store.open_items(limit)]

    def show(self, triage_id: str) -> TriageItem:
        return _item(self.store.get(triage_id))

    def make_requests(
        self,
        triage_id: str,
        *,
        rights: list[RequestType],
        email: str | None,
        reason: str,
        actor: str,
        jurisdiction: str | None = None,
    ) -> TriageItem:
        """Make the requests the letter asks for, from the sender's address or one ops
        established (`email`), acknowledged to the person like any e-mailed request, on the
        clock of `jurisdiction` (by default the one the letter states, else the default)."""
        if not rights:
            raise InvalidRequest("rights", "name at least one right the letter asks for")
        if not reason.strip():
            raise InvalidRequest("reason", "say why these are the rights the letter asks for")
        letter = self.show(triage_id)
        if letter.state != "open":
            raise InvalidRequest("triage_id", "this letter was already dealt with")
        address = (email or letter.sender or "").strip()
        problem = address_problem(address) if address else "no address"
        if problem is not None:
            raise InvalidRequest("email", f"cannot make a request for this address: {problem}")
        ordered = sorted(set(rights), key=list(RequestType).index)
        details: dict[str, Any] = {"source": "email", "triaged_by": actor, "triage_id": triage_id}
        if {RequestType.COMPLAINT, RequestType.RECTIFICATION} & set(ordered):
            details["message"] = (letter.text or letter.subject)[:4000] or "(no text)"
        group_id, receipts = self.requests.make(
            key=f"triage:{triage_id}",
            email=address,
            rights=ordered,
            language=reply_language(letter.language),
            details=details,
            jurisdiction=jurisdiction or letter.jurisdiction or DEFAULT_JURISDICTION,
        )
        resolved = self.store.resolve(
            triage_id,
            {
                "resolution": "requests_made",
                "resolved_by": actor,
                "resolved_at": to_iso(utc_now()),
                "resolution_reason": reason.strip(),
                "request_ids": [r.request_id for r in receipts],
                "group_id": group_id,
            },
        )
        return _item(resolved)

    def dismiss(self, triage_id: str, *, reason: str, tell_sender: bool, actor: str) -> TriageItem:
        """Close a letter that asks for nothing we do; `tell_sender` answers it with the rights
        and the privacy page (never for a sender we cannot write to)."""
        if not reason.strip():
            raise InvalidRequest("reason", "say why the letter asks for no request")
        letter = self.show(triage_id)
        if letter.state != "open":
            raise InvalidRequest("triage_id", "this letter was already dealt with")
        told = False
        if tell_sender and letter.sender and letter.sender_problem is None:
            language = reply_language(letter.language)
            try:
                self.mailer.send(
                    letter.sender,
                    email_unrecognised_notice(
                        language,
                        rights=rights_offered(language, regime_of(letter.jurisdiction)),
                        gdpr_page_url=self.gdpr_page_url,
                    ),
                )
                told = True
            except NotificationFailed:
                logger.warning("triage dismissal not sent", extra={"triage_id": triage_id})
        resolved = self.store.resolve(
            triage_id,
            {
                "resolution": "dismissed_sender_told" if told else "dismissed",
                "resolved_by": actor,
                "resolved_at": to_iso(utc_now()),
                "resolution_reason": reason.strip(),
            },
        )
        return _item(resolved)
