"""Writes the letters corpus (tests/data/emails/letters/*.eml and its expected.yaml) from the
letter texts in letters_*.py, plus the mail systems' own messages: automated replies, bounces,
reports, mislabelled charsets, odd senders, attachments.

Run it after editing a letter: `python tests/data/emails/build_corpus.py`. The expectations are
what each letter asks for, written with the letter, never tuned to what the product does."""

from __future__ import annotations

import sys
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from tests.data.emails.letters_en_de import LETTERS as EN_DE  # noqa: E402
from tests.data.emails.letters_holdout import LETTERS as HOLDOUT  # noqa: E402
from tests.data.emails.letters_north import LETTERS as NORTH  # noqa: E402
from tests.data.emails.letters_places import LETTERS as PLACES  # noqa: E402
from tests.data.emails.letters_romance import LETTERS as ROMANCE  # noqa: E402

OUT = HERE / "letters"
PRIVACY = "privacy@rightsflow.example"
DATE = "Mon, 02 Mar 2026 09:30:00 +0100"
ENCODINGS = ("plain", "base64", "qp", "latin1_label_utf8_bytes")


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with `text` in Helvetica (WinAnsi), as a letter generator would print."""
    lines = []
    for line in text.splitlines() or [""]:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        lines.append(f"({escaped}) Tj T*")
    content = ("BT /F1 10 Tf 50 800 Td 13 TL\n" + "\n".join(lines) + "\nET").encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _headers(message: Any, sender: str, subject: str, number: int) -> None:
    message["From"] = sender
    message["To"] = PRIVACY
    message["Subject"] = subject
    message["Date"] = DATE
    message["Message-ID"] = f"<corpus-{number}@mail.example>"


def letter_message(letter: dict[str, Any], number: int) -> bytes:
    encoding = ENCODINGS[number % len(ENCODINGS)]
    body: str = letter["body"]
    if encoding == "latin1_label_utf8_bytes":
        # A mail client that labels UTF-8 as ISO-8859-1: the bytes are UTF-8.
        raw = (
            f"From: {letter['sender']}\nTo: {PRIVACY}\nSubject: {letter['subject']}\n"
            f"Date: {DATE}\nMessage-ID: <corpus-{number}@mail.example>\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\n\n"
        )
        return raw.encode("utf-8") + body.encode("utf-8") + b"\n"
    message = EmailMessage()
    _headers(message, letter["sender"], letter["subject"], number)
    cte = {"plain": None, "base64": "base64", "qp": "quoted-printable"}[encoding]
    if cte:
        message.set_content(body, cte=cte)
    else:
        message.set_content(body)
    return message.as_bytes()


def special_messages() -> list[tuple[str, bytes, dict[str, Any]]]:
    """Mail systems' own messages and odd senders, each with what intake must do."""
    made: list[tuple[str, bytes, dict[str, Any]]] = []

    def add(name: str, raw: bytes, **expected: Any) -> None:
        made.append((name, raw, expected))

    ooo = EmailMessage()
    _headers(
        ooo,
        "Grace Miller <grace.miller@example.com>",
        "Automatic reply: Your privacy request",
        9001,
    )
    ooo["Auto-Submitted"] = "auto-replied"
    ooo["X-Auto-Response-Suppress"] = "All"
    ooo.set_content(
        "I am out of the office with limited access to e-mail until Monday. For urgent access "
        "requests please contact my colleague. Please delete this message if received in error."
    )
    add(
        "auto_out_of_office.eml",
        ooo.as_bytes(),
        outcome="ignored",
        rights=[],
        language="en",
        source="RFC 3834 section 5 (Auto-Submitted: auto-replied)",
    )

    xauto = EmailMessage()
    _headers(xauto, "Hans Ober <hans.ober@example.de>", "Abwesenheitsnotiz", 9002)
    xauto["X-Autoreply"] = "yes"
    xauto.set_content(
        "Ich bin bis 10. März nicht im Büro. Bitte löschen Sie diese Nachricht nicht."
    )
    add(
        "auto_x_autoreply_de.eml",
        xauto.as_bytes(),
        outcome="ignored",
        rights=[],
        language="de",
        source="X-Autoreply header (sendmail vacation, many webmail services)",
    )

    bounce = MIMEMultipart("report", report_type="delivery-status")
    _headers(
        bounce,
        "Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>",
        "Undelivered Mail Returned to Sender",
        9003,
    )
    bounce["Return-Path"] = "<>"
    bounce.attach(
        MIMEText(
            "This is the mail system. Your message could not be delivered: the erasure of your data request was refused by the recipient.",
            "plain",
        )
    )
    bounce.attach(
        MIMEApplication(
            b"Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; gone@example.net\nAction: failed\nStatus: 5.1.1\n",
            "delivery-status",
        )
    )
    bounce.attach(
        MIMEText(
            "From: privacy@rightsflow.example\nSubject: We received your privacy request req-123\n\n"
            "We have received your request for erasure of your personal data (GDPR Art. 17).",
            "rfc822-headers",
        )
    )
    add(
        "auto_bounce_with_our_acknowledgment.eml",
        bounce.as_bytes(),
        outcome="ignored",
        rights=[],
        language="en",
        source="RFC 3464 delivery status notification",
        envelope="",
    )

    mdn = MIMEMultipart("report", report_type="disposition-notification")
    _headers(
        mdn, "Paul Kern <paul.kern@example.com>", "Read: We received your privacy request", 9004
    )
    mdn.attach(
        MIMEText(
            "Your message was displayed. Please delete my data was the subject of the original.",
            "plain",
        )
    )
    mdn.attach(
        MIMEApplication(
            b"Final-Recipient: rfc822; paul.kern@example.com\nDisposition: manual-action/MDN-sent-manually; displayed\n",
            "disposition-notification",
        )
    )
    add(
        "auto_read_receipt.eml",
        mdn.as_bytes(),
        outcome="ignored",
        rights=[],
        language="en",
        source="RFC 8098 message disposition notification",
    )

    bulk = EmailMessage()
    _headers(bulk, "Deals <news@shop.example>", "Weekly deals", 9005)
    bulk["Precedence"] = "bulk"
    bulk.set_content(
        "Our best deals this week. To unsubscribe click here. Delete your account any time."
    )
    add(
        "auto_precedence_bulk.eml",
        bulk.as_bytes(),
        outcome="ignored",
        rights=[],
        language="en",
        source="RFC 3834 section 2 (Precedence: bulk)",
    )

    ours = EmailMessage()
    _headers(ours, f"Privacy team <{PRIVACY}>", "We received your privacy request req-1", 9006)
    ours.set_content("We have received your request for erasure of your personal data.")
    add(
        "auto_from_our_own_address.eml",
        ours.as_bytes(),
        outcome="ignored",
        rights=[],
        language="en",
        source="mail loop: our own acknowledgment sent back to us",
    )

    raw = (
        b"From: Ute Brenner <ute.brenner@example.de>\nTo: privacy@rightsflow.example\n"
        b"Subject: =?ISO-8859-1?Q?L=C3=B6schung?=\nMessage-ID: <corpus-9007@mail.example>\n"
        b"MIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-8859-1\n"
        b"Content-Transfer-Encoding: 8bit\n\n"
    ) + "Bitte löschen Sie alle meine Daten.\n".encode()
    add(
        "charset_utf8_labelled_latin1.eml",
        raw,
        outcome="request",
        rights=["erasure"],
        language="de",
        source="UTF-8 bytes labelled ISO-8859-1 (issue 18)",
    )

    raw = (
        b"From: Noor Haddad <noor.haddad@example.fr>\nTo: privacy@rightsflow.example\n"
        b"Subject: Suppression\nMessage-ID: <corpus-9008@mail.example>\nMIME-Version: 1.0\n"
        b"Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 8bit\n\n"
    ) + "Je vous demande de supprimer mes données personnelles. Merci.\n".encode()
    add(
        "charset_utf8_labelled_ascii.eml",
        raw,
        outcome="request",
        rights=["erasure"],
        language="fr",
        source="UTF-8 bytes labelled US-ASCII (issue 18)",
    )

    comma = EmailMessage()
    comma.set_content("Please delete my data.")
    raw = comma.as_bytes().replace(
        b"\n\n",
        b"\nFrom: Roe, Jane <jane.roe@example.org>\nTo: privacy@rightsflow.example\n"
        b"Subject: Delete my data\nMessage-ID: <corpus-9009@mail.example>\n\n",
        1,
    )
    add(
        "sender_unquoted_comma.eml",
        raw,
        outcome="request",
        rights=["erasure"],
        language="en",
        sender="jane.roe@example.org",
        source="From: with an unquoted comma (issue 18)",
    )

    taro = EmailMessage()
    taro.set_content("Please delete my data.")
    raw = taro.as_bytes().replace(
        b"\n\n",
        b"\nFrom: Taro Yamada <taro..yamada.@docomo.ne.jp>\nTo: privacy@rightsflow.example\n"
        b"Subject: Delete my data\nMessage-ID: <corpus-9010@mail.example>\n\n",
        1,
    )
    add(
        "sender_address_refused.eml",
        raw,
        outcome="triage",
        rights=["erasure"],
        language="en",
        sender="taro..yamada.@docomo.ne.jp",
        source="an address the validator refuses, seen on Japanese carriers (issue 18)",
    )

    raw = (
        b"To: privacy@rightsflow.example\nSubject: Delete my data\n"
        b"Message-ID: <corpus-9011@mail.example>\n\nPlease delete my data.\n"
    )
    add(
        "sender_from_envelope_only.eml",
        raw,
        outcome="request",
        rights=["erasure"],
        language="en",
        envelope="lee.chan@example.com",
        sender="lee.chan@example.com",
        source="no From header: the envelope sender (SES mail.source)",
    )

    pdf = MIMEMultipart()
    _headers(pdf, "Greta Sandoval <greta.sandoval@example.com>", "Privacy request", 9012)
    pdf.attach(MIMEText("Hello, please see the attached letter.\n\nGreta", "plain"))
    letter = (
        "Greta Sandoval\n12 Elm Street, Springfield\n\nDear Sir or Madam,\n\n"
        "I request that you erase all personal data you hold about me under Article 17 GDPR.\n"
        "Please confirm the erasure in writing.\n\nYours faithfully,\nGreta Sandoval"
    )
    attachment = MIMEApplication(minimal_pdf(letter), "pdf")
    attachment.add_header("Content-Disposition", "attachment", filename="erasure-letter.pdf")
    pdf.attach(attachment)
    add(
        "attachment_pdf_letter.eml",
        pdf.as_bytes(),
        outcome="request",
        rights=["erasure"],
        language="en",
        source="a letter sent as a PDF attachment (issue 18)",
    )

    txt = MIMEMultipart()
    _headers(txt, "Henrik Vos <henrik.vos@example.nl>", "Verzoek", 9013)
    txt.attach(MIMEText("Zie bijlage.", "plain"))
    attached = MIMEText(
        "Geachte heer/mevrouw,\n\nOp grond van artikel 15 AVG doe ik een inzageverzoek: "
        "graag ontvang ik een kopie van mijn persoonsgegevens.\n\nHenrik Vos",
        "plain",
        "utf-8",
    )
    attached.add_header("Content-Disposition", "attachment", filename="inzageverzoek.txt")
    txt.attach(attached)
    add(
        "attachment_text_letter.eml",
        txt.as_bytes(),
        outcome="request",
        rights=["access"],
        language="nl",
        source="a letter sent as a text attachment (issue 18)",
    )

    none = EmailMessage()
    _headers(none, "Iris Young <iris.young@example.com>", "Opening hours", 9014)
    none.set_content("Hello, what are your opening hours on Saturday? Thanks, Iris")
    add(
        "no_right_question.eml",
        none.as_bytes(),
        outcome="unrecognised",
        rights=[],
        language="en",
        source="a question that names no right",
    )

    hint = EmailMessage()
    _headers(hint, "Ken Adams <ken.adams@example.com>", "Question about your app", 9015)
    hint.set_content(
        "Hello, does your app make any automated decision about my loan? I just want to "
        "understand how it works before I decide anything. Ken"
    )
    add(
        "hint_only_question.eml",
        hint.as_bytes(),
        outcome="triage",
        rights=[],
        language="en",
        source="a question touching a right without asking for it: ops decide",
    )
    return made


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.eml"):
        old.unlink()
    expected: dict[str, dict[str, Any]] = {}
    letters: list[dict[str, Any]] = [*EN_DE, *ROMANCE, *NORTH, *HOLDOUT, *PLACES]
    for number, letter in enumerate(letters, start=1):
        name = f"{letter['language']}_{number:03d}_{letter['id']}.eml"
        (OUT / name).write_bytes(letter_message(letter, number))
        outcome = letter.get("outcome", "request")
        expected[name] = {
            "outcome": outcome,
            "rights": list(letter["rights"]),
            "language": letter["language"],
            "source": letter["source"],
            # Where the letter says its writer lives, or the law it invokes (EU: it states none).
            **({"jurisdiction": letter.get("jurisdiction", "EU")} if outcome == "request" else {}),
            **({"holdout": True} if letter.get("holdout") else {}),
        }
    for name, raw, facts in special_messages():
        (OUT / name).write_bytes(raw)
        expected[name] = facts
    header = (
        "# What intake must do with each message (outcome, the rights in request order, the\n"
        "# writer's language, the jurisdiction its requests run on) and where each letter comes\n"
        "# from. Written by build_corpus.py.\n"
    )
    (OUT / "expected.yaml").write_text(
        header + yaml.safe_dump(expected, sort_keys=True, allow_unicode=True, width=200)
    )
    print(f"{len(letters)} letters and {len(expected) - len(letters)} other messages")


if __name__ == "__main__":
    main()
