"""What SES does with mail for the stack's addresses, done locally from the template's own
AWS::SES::ReceiptRule resources: the raw message into the rule's bucket, then the rule's
Lambda function called with a genuine SES receipt event. An SMTP listener on 127.0.0.1 feeds
it, so any mail client can write to the product."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.utils import getaddresses
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from rightsflow.local.stack import LocalStack

LOCAL_VERDICTS = {
    # SES checks these; a local listener cannot check SPF or DKIM, so it says "GRAY".
    "spamVerdict": {"status": "PASS"},
    "virusVerdict": {"status": "PASS"},
    "spfVerdict": {"status": "GRAY"},
    "dkimVerdict": {"status": "GRAY"},
    "dmarcVerdict": {"status": "GRAY"},
}


@dataclass(frozen=True)
class ReceiptRule:
    recipients: tuple[str, ...]
    actions: tuple[dict[str, Any], ...]


class SesReceipt:
    def __init__(self, stack: LocalStack) -> None:
        self.stack = stack
        self.rules = [
            ReceiptRule(
                tuple(
                    str(stack.resolve(r)).lower() for r in rule["Properties"]["Rule"]["Recipients"]
                ),
                tuple(rule["Properties"]["Rule"]["Actions"]),
            )
            for rule in stack.template.resources_of_type("AWS::SES::ReceiptRule").values()
        ]

    def accepts(self, address: str) -> bool:
        return any(address.lower() in rule.recipients for rule in self.rules)

    def deliver(
        self,
        raw: bytes,
        mail_from: str,
        recipients: list[str],
        verdicts: dict[str, Any] | None = None,
    ) -> tuple[str, list[Any]]:
        """Receive one message as SES would; returns its SES message id and what the rule's
        functions answered."""
        message_id = uuid.uuid4().hex + "-local"
        answers: list[Any] = []
        for rule in self.rules:
            matched = [r for r in recipients if r.lower() in rule.recipients]
            if not matched:
                continue
            for action in rule.actions:
                if "S3Action" in action:
                    settings = action["S3Action"]
                    self.stack.client("s3").put_object(
                        Bucket=self.stack.resolve(settings["BucketName"]),
                        Key=f"{settings.get('ObjectKeyPrefix', '')}{message_id}",
                        Body=raw,
                    )
                elif "LambdaAction" in action:
                    answers.append(
                        self._invoke(
                            action["LambdaAction"],
                            raw=raw,
                            message_id=message_id,
                            mail_from=mail_from,
                            recipients=matched,
                            verdicts=verdicts,
                        )
                    )
        return message_id, answers

    def _invoke(
        self,
        settings: dict[str, Any],
        *,
        raw: bytes,
        message_id: str,
        mail_from: str,
        recipients: list[str],
        verdicts: dict[str, Any] | None,
    ) -> Any:
        function = settings["FunctionArn"]["Fn::GetAtt"][0]
        headers = message_from_bytes(raw, policy=policy.compat32)
        now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        event = {
            "Records": [
                {
                    "eventSource": "aws:ses",
                    "eventVersion": "1.0",
                    "ses": {
                        "mail": {
                            "timestamp": now,
                            "source": mail_from,
                            "messageId": message_id,
                            "destination": recipients,
                            "headersTruncated": False,
                            "headers": [{"name": k, "value": str(v)} for k, v in headers.items()],
                            "commonHeaders": {
                                "returnPath": mail_from,
                                "from": [str(headers.get("From", ""))],
                                "to": [a for _, a in getaddresses(headers.get_all("To", []))],
                                "messageId": str(headers.get("Message-ID", "")),
                                "subject": str(headers.get("Subject", "")),
                            },
                        },
                        "receipt": {
                            "timestamp": now,
                            "processingTimeMillis": 1,
                            "recipients": recipients,
                            **(verdicts or LOCAL_VERDICTS),
                            "action": {
                                "type": "Lambda",
                                "functionArn": self.stack.resource(function),
                                "invocationType": settings.get("InvocationType", "Event"),
                            },
                        },
                    },
                }
            ]
        }
        answer = self.stack.client("lambda").invoke(
            FunctionName=self.stack.resource(function),
            InvocationType="RequestResponse",
            Payload=json.dumps(event).encode(),
        )
        return json.loads(answer["Payload"].read() or b"null")


class _Handler:
    def __init__(self, receipt: SesReceipt) -> None:
        self.receipt = receipt

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if not self.receipt.accepts(address):
            return "550 5.1.1 No such recipient here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or envelope.content or b""
        data = raw if isinstance(raw, bytes) else raw.encode()
        self.receipt.deliver(data, str(envelope.mail_from or ""), list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def serve_smtp(receipt: SesReceipt, port: int) -> Controller:
    """An SMTP listener on 127.0.0.1 that hands every message to SES's path."""
    controller = Controller(_Handler(receipt), hostname="127.0.0.1", port=port)
    controller.start()
    return controller
