"""The local outbox: every e-mail the stack sent through SES, as moto recorded it."""

from __future__ import annotations

import weakref
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from html import escape
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import RawMessage, ses_backends

from rightsflow.domain.clock import to_iso


def _parts(message: EmailMessage) -> tuple[str, str]:
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    text = text_part.get_content() if text_part is not None else ""
    html = html_part.get_content() if html_part is not None else ""
    return str(text), str(html)


def _raw_entry(sent: RawMessage) -> dict[str, Any]:
    raw = sent.raw_data.encode() if isinstance(sent.raw_data, str) else sent.raw_data
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    text, html = _parts(message)
    date = message.get("Date")
    return {
        "message_id": sent.id,
        "from": str(message.get("From", sent.source)),
        "to": list(dict.fromkeys(sent.destinations)),  # moto lists header and envelope both
        "subject": str(message.get("Subject", "")),
        "text": text,
        "html": html,
        "sent_at": to_iso(parsedate_to_datetime(str(date))) if date else None,
        "auto_submitted": str(message.get("Auto-Submitted", "")) or None,
    }


def _simple_entry(sent: Any) -> dict[str, Any]:
    destinations = getattr(sent, "destinations", {}) or {}
    recipients = (
        [address for group in destinations.values() for address in group]
        if isinstance(destinations, dict)
        else list(destinations)
    )
    body = str(getattr(sent, "body", ""))
    return {
        "message_id": sent.id,
        "from": getattr(sent, "source", ""),
        "to": recipients,
        "subject": str(getattr(sent, "subject", "")),
        "text": body,
        "html": body if body.lstrip().startswith("<") else "",
        "sent_at": None,
    }


# Reading a MIME message back costs milliseconds, and the outbox is read again and again (each
# test polling for its code, a person reloading the page) while it only grows: every message is
# read once. Keyed by moto's record of it, so the entries go when the stack's backend goes.
_entries: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def _entry(sent: Any) -> dict[str, Any]:
    entry = _entries.get(sent)
    if entry is None:
        entry = _raw_entry(sent) if isinstance(sent, RawMessage) else _simple_entry(sent)
        _entries[sent] = entry
    return {**entry, "to": list(entry["to"])}


def sent_messages(region: str, account_id: str = DEFAULT_ACCOUNT_ID) -> list[dict[str, Any]]:
    """Every message sent, oldest first: {"to", "subject", "text", "html", "sent_at", ...}."""
    backend = ses_backends[account_id][region]
    return [_entry(sent) for sent in list(backend.sent_messages)]


def outbox_html(messages: list[dict[str, Any]]) -> str:
    """The outbox as a page people can read: newest first."""
    rows = []
    for message in reversed(messages):
        rows.append(
            "<article><h2>{subject}</h2><p class=meta>to {to} · {sent}</p><pre>{text}</pre></article>".format(
                subject=escape(message["subject"]),
                to=escape(", ".join(message["to"])),
                sent=escape(message["sent_at"] or ""),
                text=escape(message["text"]),
            )
        )
    body = "\n".join(rows) or "<p>No e-mail sent yet.</p>"
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Local outbox</title>"
        "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}"
        "article{border-bottom:1px solid #ddd;padding:.5rem 0}.meta{color:#666}"
        "pre{white-space:pre-wrap;background:#f6f7f8;padding:.75rem}</style></head><body>"
        f"<h1>Local outbox ({len(messages)} e-mails)</h1>{body}</body></html>"
    )
