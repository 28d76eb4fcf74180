"""Each Brand's inbox: the requests it submitted or that concern its consumers' data. A Brand
reads only its own inbox."""

from __future__ import annotations

import base64
import json
from typing import Any

from rightsflow.domain.errors import InvalidRequest
from rightsflow.integration import aws


class BrandInbox:
    def __init__(self, table: str) -> None:
        self.table = table

    def add(self, brand: str, request_id: str, received_at: str) -> None:
        try:
            aws.dynamodb().put_item(
                TableName=self.table,
                Item={
                    "brand": {"S": brand},
                    "request_id": {"S": request_id},
                    "received_at": {"S": received_at},
                },
            )
        except Exception as error:
            raise aws.as_transient(error, "filing a request in a Brand's inbox") from error

    def contains(self, brand: str, request_id: str) -> bool:
        try:
            answer = aws.dynamodb().get_item(
                TableName=self.table,
                Key={"brand": {"S": brand}, "request_id": {"S": request_id}},
            )
        except Exception as error:
            raise aws.as_transient(error, "reading a Brand's inbox") from error
        return "Item" in answer

    def page(self, brand: str, limit: int, cursor: str | None) -> tuple[list[str], str | None]:
        """Request ids, `limit` at a time; the cursor is opaque to the Brand."""
        arguments: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "brand = :b",
            "ExpressionAttributeValues": {":b": {"S": brand}},
            "Limit": limit,
        }
        if cursor:
            arguments["ExclusiveStartKey"] = _start_key(cursor, brand)
        try:
            answer = aws.dynamodb().query(**arguments)
        except Exception as error:
            raise aws.as_transient(error, "listing a Brand's inbox") from error
        ids = [item["request_id"]["S"] for item in answer.get("Items", [])]
        last = answer.get("LastEvaluatedKey")
        next_cursor = base64.urlsafe_b64encode(json.dumps(last).encode()).decode() if last else None
        return ids, next_cursor


def _start_key(cursor: str, brand: str) -> dict[str, Any]:
    try:
        key: dict[str, Any] = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if key["brand"]["S"] != brand:
            raise ValueError("another brand's cursor")
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidRequest("cursor", "not a cursor this API returned") from error
    return key
