"""The e-mails the product writes, as a mail reader sees them."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from rightsflow.domain.notices import Notice
from rightsflow.integration.mailer import Mailer


@pytest.mark.parametrize(
    "subject",
    [
        # a recipient's notice (to dpo@globex, the vendors): longer than one 78-column line
        "Privacy notice (GDPR Art. 19): request req-4a3b2c1d0e9f4a7b8c5d6e3f2a1b0c9d",
        "Privacy request req-4a3b2c1d0e9f4a7b8c5d6e3f2a1b0c9d was carried out",
        "Ihr Bestätigungscode für die Datenschutzanfrage req-4a3b2c1d0e9f4a7b8c5d6e3f2a1b0c9d",
        "Short",
    ],
)
def test_a_subject_reads_exactly_as_written_however_long(subject: str) -> None:
    # GIVEN a notice with this subject
    notice = Notice(subject=subject, text="Hello,\n" + "x" * 300, html="<p>Hello</p>")
    # WHEN it is written out for SES and read back as a mail reader would
    raw = Mailer("privacy@rightsflow.example").mime("dpo@globex.example", notice)
    read = message_from_bytes(raw, policy=policy.default)
    # THEN the subject is the one written: no leading space, nothing folded into it
    assert str(read["Subject"]) == subject
    assert read.get_body(preferencelist=("plain",)).get_content().startswith("Hello,")  # type: ignore[union-attr]
    assert read["Auto-Submitted"] == "auto-generated"
