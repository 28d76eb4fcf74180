"""A failure the workflow cannot retry away parks the request for ops; nothing is lost."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import TEMPLATE
from tests.support import Api, unique_email

pytestmark = pytest.mark.e2e


@pytest.fixture
def api_without_sender_identity() -> Iterator[Api]:
    """A stack of its own sending from an address SES does not know, so every e-mail is refused."""
    from rightsflow.local import services
    from rightsflow.local.stack import StackOptions

    options = StackOptions(
        template_path=TEMPLATE, parameters={"SenderAddress": "unverified@rightsflow.example"}
    )
    with services.running(options, port=0) as running:
        sender = running.stack.parameters["SenderAddress"]
        running.stack.client("sesv2").delete_email_identity(EmailIdentity=sender)
        yield Api(running)


def test_a_refused_acknowledgment_parks_the_request_in_needs_attention(
    api_without_sender_identity: Api,
) -> None:
    api = api_without_sender_identity
    # WHEN a request arrives but SES refuses to send its acknowledgment
    receipt = api.submit(email=unique_email())
    # THEN the request is kept and shown as needing attention, not lost or marked done
    view = api.wait_until_terminal(receipt)
    assert view["status"] == "needs_attention"
    assert [entry["status"] for entry in view["history"]] == ["received", "needs_attention"]
    stack = api.services.stack
    record = stack.client("dynamodb").get_item(
        TableName=stack.resource("RequestsTable"),
        Key={"request_id": {"S": receipt["request_id"]}},
    )["Item"]
    assert "NotificationFailed" in record["attention_reason"]["S"]
    # AND the execution keeps running, waiting for ops, so the legal clock keeps ticking
    sfn = stack.client("stepfunctions")
    described = sfn.describe_execution(executionArn=record["execution_arn"]["S"])
    assert described["status"] == "RUNNING"
    assert record["waiting_for"]["S"] == "ops_decision"
