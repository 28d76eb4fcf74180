"""Where SES puts the messages it receives (S3), the log of what became of each one, and the
letters kept for ops triage."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from rightsflow.domain.clock import to_iso, utc_now
from rightsflow.domain.errors import NotWaitingForOps, RequestNotFound
from rightsflow.integration import aws

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _item(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: _serializer.serialize(value)
        for key, value in values.items()
        if value not in (None, "", [])
    }


def _values(item: dict[str, Any]) -> dict[str, Any]:
    return {key: _deserializer.deserialize(value) for key, value in item.items()}


class InboundBucket:
    def __init__(self, bucket: str, prefix: str) -> None:
        self.bucket = bucket
        self.prefix = prefix

    def key(self, message_id: str) -> str:
        return f"{self.prefix}{message_id}"

    def size(self, message_id: str) -> int:
        try:
            answer = aws.s3().head_object(Bucket=self.bucket, Key=self.key(message_id))
        except Exception as error:
            raise aws.as_transient(error, "looking at a received e-mail") from error
        return int(answer["ContentLength"])

    def read(self, message_id: str) -> bytes:
        try:
            answer = aws.s3().get_object(Bucket=self.bucket, Key=self.key(message_id))
        except Exception as error:
            raise aws.as_transient(error, "reading a received e-mail") from error
        body: bytes = answer["Body"].read()
        return body


class MailLog:
    """One entry per e-mail (keyed by its de-duplication key): its outcome, the language found,
    the reasons and the requests made; never the letter's content."""

    def __init__(self, table: str) -> None:
        self.table = table

    def get(self, mail_key: str) -> dict[str, Any] | None:
        try:
            answer = aws.dynamodb().get_item(
                TableName=self.table, Key={"mail_key": {"S": mail_key}}, ConsistentRead=True
            )
        except Exception as error:
            raise aws.as_transient(error, "reading the mail log") from error
        item = answer.get("Item")
        return _values(item) if item else None

    def record_first(self, mail_key: str, outcome: str, **facts: Any) -> bool:
        """Record the outcome unless this e-mail was seen before; False when it was. Facts are
        strings or lists of strings."""
        item = _item({"mail_key": mail_key, "outcome": outcome, "at": to_iso(utc_now()), **facts})
        try:
            aws.dynamodb().put_item(
                TableName=self.table,
                Item=item,
                ConditionExpression="attribute_not_exists(mail_key)",
            )
        except ClientError as error:
            if aws.error_code(error) == "ConditionalCheckFailedException":
                return False
            raise aws.as_transient(error, "writing the mail log") from error
        return True


OPEN = "open"


class TriageStore:
    """Letters intake would not guess about, kept with their text for ops (KMS-encrypted table;
    the raw message also stays in the inbound bucket for its 90 days)."""

    def __init__(self, table: str) -> None:
        self.table = table

    def put_first(self, item: dict[str, Any]) -> bool:
        """Keep a letter for triage unless it is kept already (a redelivered message)."""
        try:
            aws.dynamodb().put_item(
                TableName=self.table,
                Item=_item({**item, "state": OPEN}),
                ConditionExpression="attribute_not_exists(triage_id)",
            )
        except ClientError as error:
            if aws.error_code(error) == "ConditionalCheckFailedException":
                return False
            raise aws.as_transient(error, "keeping a letter for triage") from error
        return True

    def get(self, triage_id: str) -> dict[str, Any]:
        try:
            answer = aws.dynamodb().get_item(
                TableName=self.table, Key={"triage_id": {"S": triage_id}}, ConsistentRead=True
            )
        except Exception as error:
            raise aws.as_transient(error, "reading a letter kept for triage") from error
        if "Item" not in answer:
            raise RequestNotFound(triage_id)
        return _values(answer["Item"])

    def open_items(self, limit: int) -> list[dict[str, Any]]:
        """The open letters, oldest first (the ByState index, never a Scan)."""
        try:
            answer = aws.dynamodb().query(
                TableName=self.table,
                IndexName="ByState",
                KeyConditionExpression="#state = :open",
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={":open": {"S": OPEN}},
                Limit=limit,
            )
        except Exception as error:
            raise aws.as_transient(error, "listing letters kept for triage") from error
        return [_values(item) for item in answer.get("Items", [])]

    def resolve(self, triage_id: str, resolution: dict[str, Any]) -> dict[str, Any]:
        """Close an open letter with what ops did; a letter already closed is refused."""
        values: dict[str, Any] = {":open": {"S": OPEN}, ":resolved": {"S": "resolved"}}
        names = {"#state": "state"}
        sets = ["#state = :resolved"]
        for number, (name, value) in enumerate(sorted(resolution.items())):
            if value is None:
                continue
            names[f"#r{number}"] = name
            values[f":r{number}"] = _serializer.serialize(value)
            sets.append(f"#r{number} = :r{number}")
        try:
            answer = aws.dynamodb().update_item(
                TableName=self.table,
                Key={"triage_id": {"S": triage_id}},
                UpdateExpression="SET " + ", ".join(sets),
                ConditionExpression="#state = :open",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if aws.error_code(error) == "ConditionalCheckFailedException":
                raise NotWaitingForOps(f"{triage_id} is not open for triage") from error
            raise aws.as_transient(error, "closing a letter kept for triage") from error
        return _values(answer["Attributes"])
