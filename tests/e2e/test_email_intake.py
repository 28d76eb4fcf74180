"""E-mail intake end to end: each corpus e-mail through SES's path (raw message into the bucket,
the function called with a genuine SES receipt event), and a real SMTP session."""

from __future__ import annotations

import json
import re
import smtplib
import uuid
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import pytest
import yaml

from rightsflow.domain.language import words
from rightsflow.domain.lifecycle import RequestType
from rightsflow.domain.rights import right_for
from tests.support import CODE_LINE, TERMINAL, Api, unique_email, wait_for

pytestmark = pytest.mark.e2e

CORPUS = Path(__file__).resolve().parents[1] / "data" / "emails"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "expected.yaml").read_text())


def _privacy_address(api: Api) -> str:
    return api.services.stack.parameters["PrivacyInboxAddress"]


def _deliver(api: Api, raw: bytes, verdicts: dict[str, str] | None = None) -> dict[str, Any]:
    sender = parseaddr(str(message_from_bytes(raw, policy=policy.compat32).get("From", "")))[1]
    full = {
        name: {"status": "PASS"}
        for name in ("spamVerdict", "virusVerdict", "spfVerdict", "dkimVerdict", "dmarcVerdict")
    }
    full.update({name: {"status": status} for name, status in (verdicts or {}).items()})
    _, answers = api.services.mail.deliver(
        raw,
        mail_from=sender,  # no From: SES still has an envelope sender; here none either
        recipients=[_privacy_address(api)],
        verdicts=full,
    )
    outcome: dict[str, Any] = answers[0]["outcomes"][0]
    return {**outcome, "sender": sender.lower()}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_corpus_email_has_its_expected_outcome(api: Api, name: str) -> None:
    expected = EXPECTED[name]
    result = _deliver(api, (CORPUS / name).read_bytes(), expected.get("verdicts"))
    assert result["outcome"] in {expected["outcome"], "duplicate"}
    sender = result["sender"]
    if expected["outcome"] == "request_created":
        record = api.record(result["request_id"])
        assert record["type"] == expected["type"]
        assert record["channel"] == "email"
        assert record["email"] == sender
        assert record["language"] == expected["language"]  # recorded for replies to follow
        if expected.get("attachments"):
            assert json.loads(record["details"])["attachments"] == expected["attachments"]
    elif expected["outcome"] in {"unrecognised", "too_large"}:
        reply = wait_for(lambda: api.outbox(to=sender))
        if expected["outcome"] == "unrecognised":
            # answered in the writer's language
            greeting = words(expected["language"]).gettext("Hello,")
            assert reply[0]["text"].startswith(greeting)
            assert api.services.stack.parameters["GdprPageUrl"] in reply[0]["text"]
        else:
            assert "too large" in reply[0]["text"]
    else:  # refused or malformed: nothing is created and nobody is answered
        assert result.get("request_id") is None
        if sender:
            assert api.outbox(to=sender) == []


def test_a_german_email_is_answered_in_german(api: Api) -> None:
    message = EmailMessage()
    sender = unique_email("deutsch")
    message["From"] = sender
    message["To"] = _privacy_address(api)
    message["Subject"] = "Löschung meiner Daten"
    message["Message-ID"] = f"<{uuid.uuid4()}@example.de>"
    message.set_content("Bitte löschen Sie alle meine Daten. Danke!")
    result = _deliver(api, message.as_bytes())
    assert result["outcome"] == "request_created"
    acknowledgment = wait_for(
        lambda: [m for m in api.outbox(to=sender) if "erhalten" in m["subject"]]
    )
    assert "Löschung Ihrer personenbezogenen Daten (Art. 17 DSGVO)" in acknowledgment[0]["text"]
    code = wait_for(lambda: [m for m in api.outbox(to=sender) if CODE_LINE.search(m["text"])])
    assert "Bestätigungscode" in code[0]["subject"]


def test_a_real_smtp_session_makes_a_request_and_the_code_comes_back(api: Api) -> None:
    port = api.services.smtp_port
    assert port
    sender = unique_email("smtp")
    message = EmailMessage()
    message["From"] = f"Smtp Person <{sender}>"
    message["To"] = _privacy_address(api)
    message["Subject"] = "Please delete my data"
    message["Message-ID"] = f"<{uuid.uuid4()}@mail.example>"
    message.set_content("Hello, please delete my data. Best, S.")
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.send_message(message)
        # the same message delivered again (a retry, a second MX): still one request
        smtp.send_message(message)
    code_mail = wait_for(lambda: [m for m in api.outbox(to=sender) if CODE_LINE.search(m["text"])])
    assert len(code_mail) == 1
    acknowledgments = [m for m in api.outbox(to=sender) if "We received" in m["subject"]]
    assert len(acknowledgments) == 1
    request_id = acknowledgments[0]["subject"].rsplit(" ", 1)[-1]
    record = api.record(request_id)
    assert record["type"] == "erasure"
    assert record["channel"] == "email"


def test_smtp_refuses_addresses_that_are_not_the_privacy_address(api: Api) -> None:
    port = api.services.smtp_port
    assert port
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.ehlo()
        code, _ = smtp.docmd("MAIL FROM:<someone@example.com>")
        assert code == 250
        code, _ = smtp.docmd("RCPT TO:<sales@rightsflow.example>")
        assert code == 550


# ---------------------------------------------------------------- issue 18: real letters
LETTERS = CORPUS / "letters"
STATUS_LINK = re.compile(r"(http\S+\?request_id=(req-[\w-]+)&token=([\w-]+))")


def _smtp_send(api: Api, raw: bytes, envelope_from: str) -> None:
    """A real SMTP session with the local listener (it hands the message to SES's path and
    returns once the intake function has run)."""
    port = api.services.smtp_port
    assert port
    # SMTP lines end in CRLF (smtplib converts str messages only, never bytes)
    wire = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
        smtp.sendmail(envelope_from, [_privacy_address(api)], wire)


def _mail_log(api: Api) -> list[dict[str, Any]]:
    stack = api.services.stack
    items = stack.client("dynamodb").scan(TableName=stack.resource("MailLogTable"))["Items"]
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    return [{k: deserializer.deserialize(v) for k, v in item.items()} for item in items]


def _logged(api: Api, outcome: str, reason: str) -> dict[str, Any]:
    """The mail log entry with this outcome and a reason containing `reason`."""

    def find() -> dict[str, Any] | None:
        for entry in _mail_log(api):
            if entry["outcome"] == outcome and any(reason in r for r in entry.get("reasons", [])):
                return entry
        return None

    return wait_for(find, timeout=30)


def _raw(sender_header: str, subject: str, body: str, **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender_header
    message["To"] = "privacy@rightsflow.example"
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4()}@mail.example>"
    for name, value in headers.items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


def test_a_letter_asking_three_rights_makes_three_requests_and_one_acknowledgment(
    api: Api,
) -> None:
    sender = unique_email("three")
    raw = _raw(
        sender,
        "Erasure request",
        "I am withdrawing my consent, I object to the processing of my data for direct "
        "marketing, and I request the erasure of all my personal data (Art. 17 GDPR).",
    )
    result = _deliver(api, raw)
    assert result["outcome"] == "request_created"
    ids = result["request_ids"]
    records = [api.record(i) for i in ids]
    assert [r["type"] for r in records] == ["withdraw_consent", "objection", "erasure"]
    assert {r["group_id"] for r in records} == {result["group_id"]}
    assert all(sorted(r["group_request_ids"]) == sorted(ids) for r in records)
    acknowledgments = wait_for(
        lambda: [m for m in api.outbox(to=sender) if "We received" in m["subject"]]
    )
    assert len(acknowledgments) == 1
    links = STATUS_LINK.findall(acknowledgments[0]["text"])
    assert [request_id for _, request_id, _ in links] == ids
    for _, request_id, token in links:
        view = api.get(f"/requests/{request_id}", headers={"X-Request-Token": token}).json()
        assert view["group_id"] == result["group_id"]
    # the workflows sent no acknowledgment of their own: it was recorded before they started
    assert all(api.record(i)["acknowledged_at"] for i in ids)
    assert len([m for m in api.outbox(to=sender) if "We received" in m["subject"]]) == 1


def test_one_code_verifies_every_request_of_the_letter(api: Api) -> None:
    sender = unique_email("group")
    raw = _raw(
        sender,
        "Access and erasure",
        "Please send me a copy of my personal data, then delete my data.",
    )
    result = _deliver(api, raw)
    ids = result["request_ids"]
    assert [api.record(i)["type"] for i in ids] == ["access", "erasure"]
    code_mail = wait_for(lambda: [m for m in api.outbox(to=sender) if CODE_LINE.search(m["text"])])
    code = CODE_LINE.search(code_mail[0]["text"])
    assert code is not None
    request_id = next(i for i in ids if i in code_mail[0]["text"])
    answer = api.post(f"/requests/{request_id}/verify", {"code": code.group(1)})
    assert answer.status_code == 200, answer.text
    for other in ids:

        def verified(request_id: str = other) -> Any:
            return api.record(request_id).get("verified_by")

        wait_for(verified, timeout=60)


def test_automated_mail_creates_nothing_and_answers_nobody_over_smtp(api: Api) -> None:
    person = unique_email("ooo")
    # An out-of-office reply, as Exchange sends it
    _smtp_send(
        api,
        _raw(
            person,
            "Automatic reply: access request",
            "I have limited access to e-mail until Monday. For access requests call me.",
            **{"Auto-Submitted": "auto-replied"},
        ),
        person,
    )
    _logged(api, "ignored", "Auto-Submitted: auto-replied")
    # A bounce carrying our own acknowledgment, from MAILER-DAEMON with an empty return path
    ours = wait_for(lambda: [m for m in api.outbox() if "We received" in m["subject"]])[0]
    bounce = MIMEMultipart("report", report_type="delivery-status")
    bounce["From"] = "Mail Delivery System <MAILER-DAEMON@mx.example.net>"
    bounce["To"] = "privacy@rightsflow.example"
    bounce["Subject"] = "Undelivered Mail Returned to Sender"
    bounce["Message-ID"] = f"<{uuid.uuid4()}@mx.example.net>"
    bounce.attach(MIMEText("Delivery to the recipient failed permanently.", "plain"))
    bounce.attach(MIMEText(ours["text"], "plain", "utf-8"))  # our acknowledgment, quoted back
    _smtp_send(api, bounce.as_bytes(), "")
    _logged(api, "ignored", "delivery-status report")
    # Our own acknowledgment sent back to the privacy address (a forwarding loop)
    loop = _raw(
        "privacy@rightsflow.example",
        ours["subject"],
        ours["text"],
        **{"Auto-Submitted": "auto-generated"},
    )
    _smtp_send(api, loop, "privacy@rightsflow.example")
    _logged(api, "ignored", "Auto-Submitted: auto-generated")
    # nothing was answered: not the robot, not ourselves, not the person away from the office
    assert api.outbox(to="mailer-daemon@mx.example.net") == []
    assert api.outbox(to="privacy@rightsflow.example") == []
    assert api.outbox(to=person) == []
    # every mail the product sends says it was sent by a machine (RFC 3834)
    assert {m["auto_submitted"] for m in api.outbox()} == {"auto-generated"}


def test_a_utf8_letter_labelled_latin1_is_understood_over_smtp(api: Api) -> None:
    sender = unique_email("charset")
    raw = (
        f"From: {sender}\r\nTo: privacy@rightsflow.example\r\n"
        "Subject: =?ISO-8859-1?Q?L=C3=B6schung?=\r\n"
        f"Message-ID: <{uuid.uuid4()}@mail.example>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + "Bitte löschen Sie alle meine Daten.\r\n".encode()
    _smtp_send(api, raw, sender)
    acknowledgment = wait_for(
        lambda: [m for m in api.outbox(to=sender) if "erhalten" in m["subject"]]
    )
    request_id = STATUS_LINK.findall(acknowledgment[0]["text"])[0][1]
    record = api.record(request_id)
    assert record["type"] == "erasure"
    assert record["language"] == "de"


def test_a_from_with_an_unquoted_comma_is_answered_over_smtp(api: Api) -> None:
    address = unique_email("jane.roe")
    raw = (
        f"From: Roe, Jane <{address}>\r\nTo: privacy@rightsflow.example\r\n"
        f"Subject: Delete my data\r\nMessage-ID: <{uuid.uuid4()}@mail.example>\r\n\r\n"
        "Please delete my data.\r\n"
    ).encode()
    _smtp_send(api, raw, address)
    acknowledgment = wait_for(
        lambda: [m for m in api.outbox(to=address) if "We received" in m["subject"]]
    )
    request_id = STATUS_LINK.findall(acknowledgment[0]["text"])[0][1]
    assert api.record(request_id)["email"] == address


def test_a_refused_address_is_logged_kept_for_ops_and_ops_make_the_request(api: Api) -> None:
    raw = (
        "From: Taro Yamada <taro..yamada.@docomo.ne.jp>\r\nTo: privacy@rightsflow.example\r\n"
        f"Subject: Delete my data\r\nMessage-ID: <{uuid.uuid4()}@docomo.ne.jp>\r\n\r\n"
        "Please delete my data.\r\n"
    ).encode()
    _smtp_send(api, raw, "taro..yamada.@docomo.ne.jp")
    entry = _logged(api, "needs_triage", "sender address refused")
    headers = {"Authorization": f"Bearer {api.services.ops_token}"}
    listed = api.get("/ops/triage", headers=headers).json()
    letter = next(item for item in listed if item["triage_id"] == entry["triage_id"])
    assert letter["suggested_rights"] == ["erasure"]
    shown = api.get(f"/ops/triage/{letter['triage_id']}", headers=headers).json()
    assert "Please delete my data." in shown["text"]
    # ops reach the person another way and make the request for the address they give
    other = unique_email("taro")
    bad = api.post(
        f"/ops/triage/{letter['triage_id']}/requests",
        {"rights": ["erasure"], "reason": "Asked by phone for a valid address"},
        headers=headers,
    )
    assert bad.status_code == 422
    assert bad.json()["field"] == "email"
    made = api.post(
        f"/ops/triage/{letter['triage_id']}/requests",
        {"rights": ["erasure"], "email": other, "reason": "Asked by phone for a valid address"},
        headers=headers,
    )
    assert made.status_code == 200, made.text
    request_id = made.json()["request_ids"][0]
    assert api.record(request_id)["email"] == other
    wait_for(lambda: [m for m in api.outbox(to=other) if "We received" in m["subject"]])
    again = api.post(
        f"/ops/triage/{letter['triage_id']}/dismiss", {"reason": "done"}, headers=headers
    )
    assert again.status_code == 422


def test_a_letter_intake_is_unsure_of_goes_to_triage_and_can_be_dismissed(api: Api) -> None:
    sender = unique_email("unsure")
    result = _deliver(
        api,
        _raw(sender, "Question", "Does your app make an automated decision about my loan?"),
    )
    assert result["outcome"] == "needs_triage"
    assert api.outbox(to=sender)[0]["subject"] == "Your e-mail to our privacy team"
    headers = {"Authorization": f"Bearer {api.services.ops_token}"}
    dismissed = api.post(
        f"/ops/triage/{result['triage_id']}/dismiss",
        {"reason": "A question, answered by phone", "tell_sender": True},
        headers=headers,
    )
    assert dismissed.status_code == 200, dismissed.text
    assert dismissed.json()["resolution"] == "dismissed_sender_told"
    assert len(api.outbox(to=sender)) == 2


def test_ops_work_through_triage_from_the_command_line(api: Api) -> None:
    from typer.testing import CliRunner

    from rightsflow.cli import app as cli

    def run(*arguments: str) -> str:
        result = CliRunner(env={"COLUMNS": "250"}).invoke(
            cli, ["ops", "--endpoint", api.url, "--token", api.services.ops_token, *arguments]
        )
        assert result.exit_code == 0, result.output
        return result.output

    sender = unique_email("cli")
    result = _deliver(
        api, _raw(sender, "Hm", "Tell me, what about the automated decision on my account?")
    )
    triage_id = result["triage_id"]
    # the list is the oldest open letters first: other tests' letters may fill it, so the
    # letter itself is read by id, open before ops act and resolved after
    run("triage", "list", "--limit", "200")
    headers = {"Authorization": f"Bearer {api.services.ops_token}"}
    assert api.get(f"/ops/triage/{triage_id}", headers=headers).json()["resolution"] is None
    shown = run("triage", "show", triage_id)
    assert "automated decision on my account" in shown
    assert "unsure: automated_decision" in shown
    made = run(
        "triage", "requests", triage_id, "--right", "automated_decision", "--reason", "Read it"
    )
    request_id = made.split("requests ")[1].strip()
    assert api.record(request_id)["type"] == "automated_decision"
    after = api.get(f"/ops/triage/{triage_id}", headers=headers).json()
    assert after["resolution"] is not None
    assert after["request_ids"] == [request_id]


GERMAN_THREE_RIGHTS = (
    "Sehr geehrte Damen und Herren,\n\n"
    "bitte erteilen Sie mir Auskunft über alle personenbezogenen Daten, die Sie über mich "
    "gespeichert haben (Art. 15 DSGVO).\n"
    "Außerdem bitte ich um Übertragung meiner Daten in einem strukturierten, gängigen und "
    "maschinenlesbaren Format (Art. 20 DSGVO).\n"
    "Anschließend löschen Sie bitte alle meine Daten (Art. 17 DSGVO).\n\n"
    "Mit freundlichen Grüßen\nMax Mustermann\n"
)


def test_a_german_letter_asking_three_rights_gets_one_code_email_for_all_three(
    api: Api,
) -> None:
    # GIVEN a German letter asking for access, portability and erasure, over SMTP
    sender = unique_email("dreirechte")
    _smtp_send(api, _raw(sender, "Auskunft, Übertragung und Löschung", GERMAN_THREE_RIGHTS), sender)
    acknowledgment = wait_for(
        lambda: [m for m in api.outbox(to=sender) if "erhalten" in m["subject"]]
    )[0]
    ids = [request_id for _, request_id, _ in STATUS_LINK.findall(acknowledgment["text"])]
    records = [api.record(i) for i in ids]
    assert [r["type"] for r in records] == ["access", "portability", "erasure"]
    assert {r["language"] for r in records} == {"de"}
    # WHEN the three workflows, running at once, have each reached their code step
    wait_for(
        lambda: all(api.record(i)["status"] == "pending_verification" for i in ids), timeout=60
    )
    # THEN the person got exactly one code e-mail, in German, naming the three rights
    code_mails = [m for m in api.outbox(to=sender) if CODE_LINE.search(m["text"])]
    assert len(code_mails) == 1, [m["subject"] for m in code_mails]
    text = code_mails[0]["text"]
    assert "Bestätigungscode" in code_mails[0]["subject"]
    for record in records:
        right = right_for(RequestType(record["type"]), "de", record["regime"])
        assert f"{right.label} ({right.article}), Anfrage {record['request_id']}" in text
    # AND every request waits for that same code
    assert len({api.record(i)["verification"]["code_hash"] for i in ids}) == 1
    code = CODE_LINE.search(text)
    assert code is not None
    link = re.search(r"\?request_id=(req-[\w-]+)&step=verify", text)
    assert link is not None
    assert link.group(1) in ids
    # WHEN the person enters the code where the e-mail says
    answer = api.post(f"/requests/{link.group(1)}/verify", {"code": code.group(1)})
    assert answer.status_code == 200, answer.text
    # THEN all three are verified and closed, each closing e-mail in German with no English line
    for request_id in ids:

        def closed(r: str = request_id) -> bool:
            return api.record(r)["status"] in TERMINAL

        wait_for(closed, timeout=120)
        assert api.record(request_id)["status"] == "completed"
    found_none = "We searched every place we keep personal data and found none about you."
    in_german = words("de").gettext(found_none)

    def all_closings() -> list[dict[str, Any]] | None:
        found = [m for m in api.outbox(to=sender) if in_german in m["text"]]
        return found if len(found) == len(ids) else None

    closings = wait_for(all_closings, timeout=60)
    assert {i for m in closings for i in ids if i in m["subject"]} == set(ids)
    assert all(found_none not in m["text"] for m in api.outbox(to=sender))


# ---------------------------------------------------------------- issue 13B: what a new user found
def test_a_letter_naming_california_runs_on_the_ccpa_clock_and_an_opt_out_needs_no_code(
    api: Api,
) -> None:
    # GIVEN a Californian who writes to opt out
    sender = unique_email("californian")
    result = _deliver(
        api,
        _raw(
            sender,
            "Do not sell",
            "Do not sell or share my personal information. I live in California.",
        ),
    )
    # THEN the request is an opt-out under the CCPA, not the GDPR
    assert result["outcome"] == "request_created"
    request_id = result["request_ids"][0]
    record = api.record(request_id)
    assert record["type"] == "opt_out_sale_sharing"
    assert (record["jurisdiction"], record["regime"]) == ("US-CA", "CCPA")
    # AND it is applied and closed without a code (Cal. Code Regs. tit. 11 § 7060(b))
    wait_for(lambda: api.record(request_id)["status"] == "completed", timeout=60)
    assert not any(CODE_LINE.search(m["text"]) for m in api.outbox(to=sender))
    acknowledgment = next(m for m in api.outbox(to=sender) if "We received" in m["subject"])
    assert "GDPR" not in acknowledgment["text"]
    # AND the mail log says why, without the letter's words
    entry = _logged(api, "request_created", "jurisdiction US-CA")
    assert "California" not in json.dumps(entry)


def test_a_letter_about_the_writers_own_data_naming_no_right_goes_to_a_person(
    api: Api,
) -> None:
    # GIVEN letters that name no right, one about the writer's data, one not
    hint_sender, question_sender = unique_email("hint"), unique_email("hours")
    hint = _deliver(
        api,
        _raw(
            hint_sender,
            "Your text messages",
            "Hello, you seem to have my phone number, I never gave it to you.",
        ),
    )
    question = _deliver(
        api, _raw(question_sender, "Opening hours", "What are your opening hours on Saturday?")
    )
    # THEN the first is kept for ops triage and its writer told a person will read it; the
    # second is answered with the rights and the page
    assert hint["outcome"] == "needs_triage"
    assert api.outbox(to=hint_sender)[0]["subject"] == "Your e-mail to our privacy team"
    headers = {"Authorization": f"Bearer {api.services.ops_token}"}
    shown = api.get(f"/ops/triage/{hint['triage_id']}", headers=headers).json()
    assert any("about the writer's own data" in reason for reason in shown["reasons"])
    assert question["outcome"] == "unrecognised"
    # AND the reply offers the rights of the default place's law, the GDPR, not US opt-outs
    reply = wait_for(lambda: api.outbox(to=question_sender))[0]["text"]
    assert "GDPR Art. 17" in reply
    assert "1798" not in reply


def test_a_question_from_a_californian_is_answered_with_the_ccpa_s_rights(api: Api) -> None:
    # GIVEN a letter that names no right nor the writer's data, from someone in California
    sender = unique_email("caquestion")
    result = _deliver(
        api,
        _raw(sender, "Opening hours", "I live in California. When is your shop open on Sunday?"),
    )
    # THEN it is answered with the rights the CCPA gives, cited from it, and no GDPR article
    assert result["outcome"] == "unrecognised"
    reply = wait_for(lambda: api.outbox(to=sender))[0]["text"]
    assert "Cal. Civ. Code § 1798.120" in reply
    assert "GDPR" not in reply


def test_ops_make_a_triaged_letter_s_requests_on_the_clock_of_the_place_it_states(
    api: Api,
) -> None:
    # GIVEN a Texan's letter kept for triage (it names no right plainly)
    sender = unique_email("texan")
    result = _deliver(
        api,
        _raw(sender, "Question", "I am a Texas resident. What do you do with my personal data?"),
    )
    assert result["outcome"] == "needs_triage"
    headers = {"Authorization": f"Bearer {api.services.ops_token}"}
    shown = api.get(f"/ops/triage/{result['triage_id']}", headers=headers).json()
    assert shown["jurisdiction"] == "US-TX"
    # WHEN ops make the access request it asks for
    made = api.post(
        f"/ops/triage/{result['triage_id']}/requests",
        {"rights": ["access"], "reason": "Asks what we hold"},
        headers=headers,
    )
    assert made.status_code == 200, made.text
    # THEN it runs on Texas's clock
    record = api.record(made.json()["request_ids"][0])
    assert (record["jurisdiction"], record["regime"]) == ("US-TX", "US_TX_TDPSA")
