"""E-mails to the privacy address, read however they are encoded or labelled: the sender, the
person's own words (quoted history dropped), text and PDF attachments read like the body, and
the headers that say a message was sent by a machine (RFC 3834)."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses
from html.parser import HTMLParser

# Where quoted history starts in replies, in the languages we read.
_QUOTE_STARTS = re.compile(
    r"^(On .+ wrote:|Am .+ schrieb .+:|Le .+ a écrit ?:|El .+ escribió:|Il .+ ha scritto:|"
    r"Op .+ schreef .+:|Em .+ escreveu:|W dniu .+ pisze:|Den .+ skrev .+:|.+ skrev:|"
    r"-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|"
    r"Messaggio originale|Oorspronkelijk bericht|Mensagem original|Oryginalna wiadomość|"
    r"Ursprungligt meddelande|Oprindelig meddelelse)\s*-{2,}|"
    r"From: .+|Von: .+|De : .+|Da: .+|Van: .+|Od: .+|Från: .+|Fra: .+)\s*$",
    re.IGNORECASE,
)
MAX_ATTACHMENT_TEXT = 200_000  # characters read from one attachment
MAX_PDF_PAGES = 20


class MalformedMail(ValueError):
    """The message cannot be read as an e-mail (no sender anywhere, not MIME at all)."""


@dataclass
class InboundMail:
    """A message as the product reads it. `sender` is lower case, as written in the message."""

    sender: str
    subject: str
    body: str  # the person's own words: text, or text from HTML, without quoted history
    message_id: str | None
    attachments: list[str] = field(default_factory=list)  # every attachment's name
    attachments_read: list[str] = field(default_factory=list)  # those read like the body
    attachment_text: str = ""
    undecodable_parts: int = 0
    automated: str | None = None  # why the message was sent by a machine (RFC 3834), if it was
    sender_from_envelope: bool = False

    @property
    def text(self) -> str:
        """Everything the person wrote: the body, then the attachments read."""
        return f"{self.body}\n\n{self.attachment_text}".strip()


class _TextFromHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        if tag in {"br", "p", "div", "li", "tr", "blockquote"}:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextFromHtml()
    parser.feed(html)
    return "".join(parser.parts)


def decode_bytes(payload: bytes, label: str | None) -> str:
    """Bytes that are valid UTF-8 are UTF-8 whatever the label says (mail clients often label
    UTF-8 as ISO-8859-1 or US-ASCII); otherwise the label, else Windows-1252, which reads any
    byte (Latin-1 would turn its curly quotes into control characters)."""
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for charset in (label, "cp1252"):
        if not charset:
            continue
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")


def _decoded(part: Message) -> str | None:
    """A text part's content whatever its charset says; None if it holds no bytes at all."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return None
    return decode_bytes(payload, part.get_content_charset())


def _raw_headers(message: Message, name: str) -> list[str]:
    """A header's values as received (raw 8-bit bytes kept, read UTF-8 first)."""
    return [_unescaped(str(v)) for k, v in message.raw_items() if k.lower() == name.lower()]


def _header_text(message: Message, name: str) -> str:
    """A header's words, each encoded word decoded by the UTF-8-first rule above."""
    values = _raw_headers(message, name)
    if not values:
        return ""
    raw = values[0]
    pieces = []
    for chunk, charset in decode_header(_unescaped(str(raw))):
        if isinstance(chunk, bytes):
            pieces.append(decode_bytes(chunk, charset))
        else:
            pieces.append(chunk)
    return "".join(pieces).strip()


def _unescaped(value: str) -> str:
    """Raw 8-bit header bytes (the parser keeps them as surrogates) read as UTF-8 first."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value
    return decode_bytes(value.encode("ascii", "surrogateescape"), None)


def _strip_quoted_history(text: str) -> str:
    kept: list[str] = []
    for line in text.splitlines():
        if _QUOTE_STARTS.match(line.strip()):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def pdf_text(data: bytes) -> str | None:
    """The text of a PDF's first pages (pypdf); None when it cannot be read (scanned, broken,
    encrypted)."""
    # Only letters with a PDF attached need pypdf: loaded then, not with every cold start.
    from pypdf import PdfReader  # noqa: PLC0415

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # it warns on every damaged file
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return None
        text = "\n".join(page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES])
    except Exception:  # pypdf raises many kinds on a damaged file; unreadable is the answer
        return None
    return text.strip() or None


def _sender(message: Message) -> str | None:
    """The From address from the parsed address list: `Roe, Jane <jane.roe@example.org>`
    (an unquoted comma) still names one address."""
    raw = _raw_headers(message, "From")
    addresses = [address for _, address in getaddresses(raw) if "@" in address]
    if not addresses:
        found = re.findall(r"<([^<>@\s]+@[^<>\s]+)>", " ".join(raw))
        addresses = found
    return addresses[0].strip().lower() if addresses else None


_AUTOMATED_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
_ROBOT_SENDERS = ("mailer-daemon", "postmaster")


def automated_reason(
    message: Message, sender: str | None, envelope_sender: str | None
) -> str | None:
    """Why a message was sent by a machine and must not be answered or turned into a request
    (RFC 3834 § 2, § 5; RFC 3464 and RFC 8098 reports); None for a person's mail."""
    auto_submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return f"Auto-Submitted: {auto_submitted.split(';')[0]}"
    precedence = str(message.get("Precedence", "")).strip().lower()
    if precedence in _AUTOMATED_PRECEDENCE:
        return f"Precedence: {precedence}"
    for header in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply"):
        if message.get(header) is not None:
            return f"{header} header"
    if message.get_content_type() == "multipart/report":
        report = message.get_param("report-type") or "report"
        return f"{report} report"
    return_path = message.get("Return-Path")
    if return_path is not None and str(return_path).strip() in {"<>", ""}:
        return "empty return path"
    if envelope_sender is not None and envelope_sender.strip() in {"", "<>"}:
        return "empty envelope sender"
    for address in (sender, envelope_sender):
        local = (address or "").split("@")[0].lower()
        if local in _ROBOT_SENDERS:
            return f"sent by {local}"
    return None


def parse(raw: bytes, envelope_sender: str | None = None) -> InboundMail:  # noqa: PLR0912 - one pass over the MIME parts
    """Read a raw message: multipart or not, quoted-printable or base64, any charset or a wrong
    one. The sender comes from `From`, else from the envelope (SES's `mail.source`)."""
    try:
        message = message_from_bytes(raw, policy=policy.compat32)
    except Exception as error:  # the parser is lenient; anything left is not an e-mail
        raise MalformedMail(f"not a MIME message: {type(error).__name__}") from error
    if not message.keys():
        raise MalformedMail("no headers")
    sender = _sender(message)
    from_envelope = False
    if sender is None and envelope_sender and "@" in envelope_sender:
        sender, from_envelope = envelope_sender.strip().strip("<>").lower(), True
    if sender is None:
        raise MalformedMail("no sender address")
    plain: list[str] = []
    html: list[str] = []
    attachments: list[str] = []
    read: list[str] = []
    attached_text: list[str] = []
    undecodable = 0
    for part in message.walk():
        if part.is_multipart():
            continue
        if part.get_content_type() in {"message/delivery-status", "message/rfc822"}:
            continue
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        is_attachment = disposition == "attachment" or (
            filename is not None and part.get_content_maintype() != "text"
        )
        if is_attachment:
            name = filename or part.get_content_type()
            attachments.append(name)
            text = _attachment_text(part)
            if text:
                read.append(name)
                attached_text.append(text[:MAX_ATTACHMENT_TEXT])
            continue
        if part.get_content_maintype() != "text":
            continue
        decoded = _decoded(part)
        if decoded is None:
            undecodable += 1
        elif part.get_content_subtype() == "html":
            html.append(decoded)
        else:
            plain.append(decoded)
    body = "\n".join(plain) if plain else html_to_text("\n".join(html))
    message_id = message.get("Message-ID")
    return InboundMail(
        sender=sender,
        subject=_header_text(message, "Subject"),
        body=_strip_quoted_history(body),
        message_id=str(message_id).strip() if message_id else None,
        attachments=attachments,
        attachments_read=read,
        attachment_text="\n\n".join(attached_text),
        undecodable_parts=undecodable,
        automated=automated_reason(message, sender, envelope_sender),
        sender_from_envelope=from_envelope,
    )


def _attachment_text(part: Message) -> str | None:
    """Plain-text and PDF attachments are read like the body; others are only noted."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return None
    content_type = part.get_content_type()
    name = (part.get_filename() or "").lower()
    if content_type == "application/pdf" or name.endswith(".pdf"):
        return pdf_text(payload)
    if content_type == "text/plain" or name.endswith(".txt"):
        return decode_bytes(payload, part.get_content_charset()).strip() or None
    if content_type == "text/html" or name.endswith((".htm", ".html")):
        return html_to_text(decode_bytes(payload, part.get_content_charset())).strip() or None
    return None


def refusal(receipt: dict[str, object]) -> str | None:
    """Why SES's verdicts mean this message must not become a request (None: it may)."""

    def status(name: str) -> str:
        verdict = receipt.get(name)
        return str(verdict.get("status", "")).upper() if isinstance(verdict, dict) else ""

    if status("virusVerdict") == "FAIL":
        return "virus"
    if status("spamVerdict") == "FAIL":
        return "spam"
    if status("spfVerdict") == "FAIL" and status("dkimVerdict") == "FAIL":
        return "forged_sender"
    return None
