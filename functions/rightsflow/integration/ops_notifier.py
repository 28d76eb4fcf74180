"""Telling the ops team: messages on the SNS ops topic (e-mail, chat or paging subscribe to it)."""

from __future__ import annotations

import json
from typing import Any

from rightsflow.domain.clock import to_iso, utc_now
from rightsflow.integration import aws


class OpsNotifier:
    def __init__(self, topic_arn: str) -> None:
        self.topic_arn = topic_arn

    def publish(self, event: str, subject: str, facts: dict[str, Any]) -> None:
        """`facts` carry ids, dates and statuses only: subscribers are outside the data boundary."""
        try:
            aws.sns().publish(
                TopicArn=self.topic_arn,
                Subject=subject[:100],
                Message=json.dumps(
                    {"event": event, "sent_at": to_iso(utc_now()), **facts}, sort_keys=True
                ),
                MessageAttributes={"event": {"DataType": "String", "StringValue": event}},
            )
        except Exception as error:
            raise aws.as_transient(error, "publishing to the ops topic") from error
