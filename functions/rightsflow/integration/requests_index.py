"""Listing requests for ops through the requests table's indexes: by status (due date order) or
the open ones by due date. Filters narrow a page; the reads stay index-bound."""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

from rightsflow.domain.errors import InvalidRequest
from rightsflow.integration import aws
from rightsflow.integration.requests_store import OPEN_MARKER, _record_from_item, open_subject

if TYPE_CHECKING:
    from rightsflow.domain.requests import RightsRequest


def _cursor_out(key: dict[str, Any] | None) -> str | None:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode() if key else None


def _cursor_in(cursor: str) -> dict[str, Any]:
    try:
        key: dict[str, Any] = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(key, dict):
            raise TypeError("not an object")
    except (ValueError, TypeError) as error:
        raise InvalidRequest("cursor", "not a cursor this API returned") from error
    return key


class RequestsIndex:
    def __init__(self, table: str) -> None:
        self.table = table

    def page(
        self,
        *,
        status: str | None,
        due_before: str | None,
        due_after: str | None,
        filters: dict[str, str],
        limit: int,
        cursor: str | None,
    ) -> tuple[list[RightsRequest], str | None]:
        """One page of requests: of one status, or (no status) the open ones; by due date."""
        names: dict[str, str] = {}
        values: dict[str, Any] = {}
        if status:
            index, key = "ByStatus", "#status = :partition"
            names["#status"] = "status"
            values[":partition"] = {"S": status}
        else:
            index, key = "OpenByDueDate", "open_marker = :partition"
            values[":partition"] = {"S": OPEN_MARKER}
        if due_before or due_after:
            names["#due"] = "due_at"
        if due_before and due_after:
            key += " AND #due BETWEEN :after AND :before"
            values[":after"], values[":before"] = {"S": due_after}, {"S": due_before}
        elif due_before:
            key += " AND #due < :before"
            values[":before"] = {"S": due_before}
        elif due_after:
            key += " AND #due >= :after"
            values[":after"] = {"S": due_after}
        arguments: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": index,
            "KeyConditionExpression": key,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "Limit": limit,
        }
        if filters:
            conditions = []
            for number, (field, value) in enumerate(sorted(filters.items())):
                names[f"#f{number}"] = field
                values[f":f{number}"] = {"S": value}
                conditions.append(f"#f{number} = :f{number}")
            arguments["FilterExpression"] = " AND ".join(conditions)
        if cursor:
            arguments["ExclusiveStartKey"] = _cursor_in(cursor)
        try:
            answer = aws.dynamodb().query(**arguments)
        except Exception as error:
            if "ExclusiveStartKey" in arguments and "ValidationException" in str(error):
                raise InvalidRequest("cursor", "not a cursor for this listing") from error
            raise aws.as_transient(error, "listing requests") from error
        records = [_record_from_item(item) for item in answer.get("Items", [])]
        return records, _cursor_out(answer.get("LastEvaluatedKey"))

    def open_requests_of(self, subject_hash: str, request_type: str) -> list[RightsRequest]:
        """The open requests of this type for this person (by identifier hash), oldest first:
        the sparse OpenBySubject index holds only open requests."""
        try:
            answer = aws.dynamodb().query(
                TableName=self.table,
                IndexName="OpenBySubject",
                KeyConditionExpression="open_subject = :subject",
                ExpressionAttributeValues={
                    ":subject": {"S": open_subject(subject_hash, request_type)}
                },
            )
        except Exception as error:
            raise aws.as_transient(error, "looking for an open request") from error
        records = [_record_from_item(item) for item in answer.get("Items", [])]
        return sorted((r for r in records if not r.status.is_terminal), key=lambda r: r.received_at)
