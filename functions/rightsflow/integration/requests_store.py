"""The requests table and the audit table in DynamoDB, written together in one transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from rightsflow.domain.errors import ConcurrentUpdate, RequestNotFound
from rightsflow.integration import aws

if TYPE_CHECKING:
    from rightsflow.domain.audit import AuditEvent
    from rightsflow.domain.requests import RightsRequest

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

# Sparse index attribute: only open requests carry it, so the OpenByDueDate index lists exactly
# the requests whose legal clock is still running.
OPEN_MARKER = "open"


def _to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _serializer.serialize(value) for key, value in values.items() if value is not None}


def _from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _deserializer.deserialize(value) for key, value in item.items()}


def open_subject(subject_hash: str, request_type: str) -> str:
    """Key of the sparse OpenBySubject index: one person's open requests of one type."""
    return f"{subject_hash}#{request_type}"


def _record_item(record: RightsRequest) -> dict[str, Any]:
    values = record.model_dump(mode="json")
    values["details"] = json.dumps(values["details"], sort_keys=True)
    if not record.status.is_terminal:
        values["open_marker"] = OPEN_MARKER
        values["open_subject"] = open_subject(record.subject_hash, record.type)
    return _to_item(values)


def _record_from_item(item: Mapping[str, Any]) -> RightsRequest:
    # The domain's models (pydantic) load with the first record read, not at a cold start.
    from rightsflow.domain.requests import RightsRequest  # noqa: PLC0415

    values = _from_item(item)
    values["details"] = json.loads(values.get("details") or "{}")
    values["version"] = int(values.get("version", 1))
    return RightsRequest.model_validate(values)


def _audit_item(event: AuditEvent) -> dict[str, Any]:
    values = event.model_dump(mode="json")
    values["detail"] = json.dumps(values["detail"], sort_keys=True)
    return _to_item(values)


def _audit_from_item(item: Mapping[str, Any]) -> AuditEvent:
    from rightsflow.domain.audit import AuditEvent  # noqa: PLC0415 - as _record_from_item

    values = _from_item(item)
    values["detail"] = json.loads(values.get("detail") or "{}")
    return AuditEvent.model_validate(values)


class RequestsStore:
    """Reads and writes request records; every change is written with its audit event, atomically."""

    def __init__(self, requests_table: str, audit_table: str) -> None:
        self.requests_table = requests_table
        self.audit_table = audit_table

    def create(self, record: RightsRequest, event: AuditEvent) -> None:
        self._transact(
            [
                {
                    "Put": {
                        "TableName": self.requests_table,
                        "Item": _record_item(record),
                        "ConditionExpression": "attribute_not_exists(request_id)",
                    }
                },
                {"Put": {"TableName": self.audit_table, "Item": _audit_item(event)}},
            ],
            record.request_id,
        )

    def get(self, request_id: str) -> RightsRequest:
        try:
            answer = aws.dynamodb().get_item(
                TableName=self.requests_table,
                Key={"request_id": {"S": request_id}},
                ConsistentRead=True,
            )
        except Exception as error:
            raise aws.as_transient(error, "reading a request") from error
        if "Item" not in answer:
            raise RequestNotFound(request_id)
        return _record_from_item(answer["Item"])

    def save(self, before: RightsRequest, after: RightsRequest, event: AuditEvent) -> RightsRequest:
        """Replace `before` with `after` unless someone else changed it in between."""
        saved = after.model_copy(update={"version": before.version + 1})
        self._transact(
            [
                {
                    "Put": {
                        "TableName": self.requests_table,
                        "Item": _record_item(saved),
                        "ConditionExpression": "version = :seen",
                        "ExpressionAttributeValues": {":seen": {"N": str(before.version)}},
                    }
                },
                {"Put": {"TableName": self.audit_table, "Item": _audit_item(event)}},
            ],
            before.request_id,
        )
        return saved

    def record_event(self, event: AuditEvent) -> None:
        try:
            aws.dynamodb().put_item(TableName=self.audit_table, Item=_audit_item(event))
        except Exception as error:
            raise aws.as_transient(error, "writing an audit event") from error

    def audit_trail(self, request_id: str) -> list[AuditEvent]:
        events: list[AuditEvent] = []
        paginator = aws.dynamodb().get_paginator("query")
        try:
            for page in paginator.paginate(
                TableName=self.audit_table,
                KeyConditionExpression="request_id = :id",
                ExpressionAttributeValues={":id": {"S": request_id}},
                ConsistentRead=True,
            ):
                events.extend(_audit_from_item(item) for item in page.get("Items", []))
        except Exception as error:
            raise aws.as_transient(error, "reading the audit trail") from error
        return events

    def _transact(self, items: list[dict[str, Any]], request_id: str) -> None:
        try:
            aws.dynamodb().transact_write_items(TransactItems=items)  # type: ignore[arg-type]
        except ClientError as error:
            if aws.error_code(error) == "TransactionCanceledException":
                reasons = error.response.get("CancellationReasons", [])
                if any(reason.get("Code") == "ConditionalCheckFailed" for reason in reasons):
                    raise ConcurrentUpdate(request_id) from error
            raise aws.as_transient(error, "writing a request") from error
