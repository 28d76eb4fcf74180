"""What tests use to act as a user: an HTTP client for the local API and patient waiting."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import requests

if TYPE_CHECKING:
    from rightsflow.local.services import LocalServices

T = TypeVar("T")


def _code_line() -> re.Pattern[str]:
    """The line of a verification e-mail that gives the code, in any language we write."""
    from rightsflow.domain.language import LANGUAGES, words

    marker = "000000"
    before = {
        words(language).gettext("Your verification code: %(code)s", code=marker).split(marker)[0]
        for language in LANGUAGES
    }
    return re.compile("(?:" + "|".join(sorted(map(re.escape, before))) + r")(\d{6})")


CODE_LINE = _code_line()
TERMINAL = {"completed", "declined", "unverified"}


def unique_email(label: str = "person") -> str:
    return f"{label}.{uuid.uuid4().hex[:10]}@example.com"


def wait_for(check: Callable[[], T | None], timeout: float = 60.0, every: float = 0.1) -> T:
    """Poll `check` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting after {timeout}s")
        time.sleep(every)


class Api:
    """The local HTTP API, used as the GDPR page or curl would use it."""

    def __init__(self, services: LocalServices) -> None:
        self.services = services
        self.url = services.api_url
        self.session = requests.Session()

    def post(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        return self.session.post(f"{self.url}{path}", json=body, timeout=30, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(f"{self.url}{path}", timeout=30, **kwargs)

    def submit(self, **fields: Any) -> dict[str, Any]:
        """POST a request; the receipt comes back with the `email` it was made for added."""
        body = {"type": "access", "email": unique_email(), **fields}
        answer = self.post("/requests", body)
        assert answer.status_code == 202, answer.text
        receipt: dict[str, Any] = answer.json()
        return {**receipt, "email": body["email"]}

    def latest_code(self, receipt: dict[str, Any], previous: str | None = None) -> str:
        """The code in the newest verification e-mail for this request (waits for one other
        than `previous`)."""

        def find() -> str | None:
            for message in reversed(self.outbox(to=receipt["email"])):
                found = CODE_LINE.search(message["text"])
                if found and receipt["request_id"] in message["text"]:
                    return found.group(1) if found.group(1) != previous else None
            return None

        return wait_for(find)

    def verify(self, receipt: dict[str, Any]) -> dict[str, Any]:
        """Do what the person does: read the code from the e-mail and enter it."""
        code = self.latest_code(receipt)
        answer = self.post(f"/requests/{receipt['request_id']}/verify", {"code": code})
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    def submit_verified(self, **fields: Any) -> dict[str, Any]:
        """Submit, then enter the e-mailed code where the request type needs one (stopping
        processing, such as an opt-out, needs none)."""
        from rightsflow.domain.lifecycle import RequestType
        from rightsflow.domain.verification import Assurance, assurance_for

        receipt = self.submit(**fields)
        kind = RequestType(fields.get("type", "access"))
        if assurance_for(kind, fields.get("details") or {}) is not Assurance.NONE:
            self.verify(receipt)
        return receipt

    def status(self, receipt: dict[str, Any]) -> dict[str, Any]:
        answer = self.get(
            f"/requests/{receipt['request_id']}",
            headers={"X-Request-Token": receipt["status_token"]},
        )
        assert answer.status_code == 200, answer.text
        view: dict[str, Any] = answer.json()
        return view

    def wait_until_terminal(self, receipt: dict[str, Any], timeout: float = 90) -> dict[str, Any]:
        def terminal() -> dict[str, Any] | None:
            view = self.status(receipt)
            return view if view["status"] in TERMINAL | {"needs_attention"} else None

        return wait_for(terminal, timeout)

    def ops_notifications(self, request_id: str) -> list[dict[str, Any]]:
        answer = self.get("/_local/ops-notifications")
        assert answer.status_code == 200
        return [
            item["message"]
            for item in answer.json()
            if isinstance(item["message"], dict) and item["message"].get("request_id") == request_id
        ]

    def record(self, request_id: str) -> dict[str, Any]:
        """The stored record, as ops would read it from the requests table."""
        stack = self.services.stack
        item = stack.client("dynamodb").get_item(
            TableName=stack.resource("RequestsTable"), Key={"request_id": {"S": request_id}}
        )["Item"]
        from boto3.dynamodb.types import TypeDeserializer

        deserializer = TypeDeserializer()
        return {key: deserializer.deserialize(value) for key, value in item.items()}

    def audit_actions(self, request_id: str) -> list[str]:
        stack = self.services.stack
        items = stack.client("dynamodb").query(
            TableName=stack.resource("AuditTable"),
            KeyConditionExpression="request_id = :id",
            ExpressionAttributeValues={":id": {"S": request_id}},
        )["Items"]
        return [item["action"]["S"] for item in items]

    def execution(self, request_id: str) -> dict[str, Any]:
        stack = self.services.stack
        arn = stack.state_machine_arn.replace(":stateMachine:", ":execution:") + f":{request_id}"
        described: dict[str, Any] = stack.client("stepfunctions").describe_execution(
            executionArn=arn
        )
        return described

    def outbox(self, to: str | None = None) -> list[dict[str, Any]]:
        answer = self.get("/_local/outbox")
        assert answer.status_code == 200
        messages: list[dict[str, Any]] = answer.json()
        return [message for message in messages if to is None or to in message["to"]]
