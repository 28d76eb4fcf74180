"""The local ops feed: every message published to the stack's SNS topics, as moto recorded it."""

from __future__ import annotations

import json
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends


def _parsed(message: str) -> Any:
    try:
        return json.loads(message)
    except ValueError:
        return message


def ops_notifications(region: str, account_id: str = DEFAULT_ACCOUNT_ID) -> list[dict[str, Any]]:
    """Oldest first, per topic in creation order: {"topic", "subject", "message"}."""
    backend = sns_backends[account_id][region]
    return [
        {"topic": topic.arn, "subject": subject, "message": _parsed(message)}
        for topic in list(backend.topics.values())
        for _, message, subject, _, _ in list(topic.sent_notifications)
    ]
