"""Outgoing e-mail through Amazon SES v2, as raw MIME so every message carries text and HTML."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING

from rightsflow.domain.canonical import UnreadableIdentifier, sending_address
from rightsflow.domain.errors import NotificationFailed
from rightsflow.integration import aws

if TYPE_CHECKING:
    from rightsflow.domain.notices import Notice


# How messages are written out: headers folded only past RFC 5322's line limit (the bodies'
# encodings are chosen, as before, for 78-character lines when they are set).
_HEADERS_UNFOLDED = policy.default.clone(max_line_length=998)


class Mailer:
    def __init__(self, sender: str) -> None:
        # Our own address, in the form SES sends from (an IDNA domain as its A-label).
        self.sender = sending_address(sender)

    def send(self, to: str, notice: Notice) -> str:
        """Hand the notice to SES; returns SES's message id. The address is sent to in its
        canonical sending form (IDNA domain); one SES cannot deliver to raises
        NotificationFailed at once, naming no address (intake refuses those with a 422)."""
        try:
            to = sending_address(to)
        except UnreadableIdentifier as error:
            raise NotificationFailed(f"cannot send to this address: {error.problem}") from error
        try:
            answer = aws.sesv2().send_email(
                FromEmailAddress=self.sender,
                Destination={"ToAddresses": [to]},
                Content={"Raw": {"Data": self.mime(to, notice)}},
            )
        except Exception as error:
            transient = aws.as_transient(error, "sending e-mail")
            if transient is not error:
                raise transient from error
            raise NotificationFailed(f"SES refused the message: {type(error).__name__}") from error
        return str(answer.get("MessageId", ""))

    def mime(self, to: str, notice: Notice) -> bytes:
        """The message as sent: text and HTML alternatives, headers unfolded up to RFC 5322's
        998 characters (Python folds a long subject as "Subject:" and the whole value on the
        next line, which mail readers then show starting with a space)."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = notice.subject
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        # RFC 3834: a machine sent this, so auto-responders must not answer it (no mail loop);
        # Exchange and Outlook read their own header for the same.
        message["Auto-Submitted"] = "auto-generated"
        message["X-Auto-Response-Suppress"] = "All"
        message.set_content(notice.text)
        message.add_alternative(notice.html, subtype="html")
        return message.as_bytes(policy=_HEADERS_UNFOLDED)
