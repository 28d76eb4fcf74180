"""Where SES puts the messages it receives (S3), and the log of what became of each one."""

from __future__ import annotations

from botocore.exceptions import ClientError

from rightsflow.domain.clock import to_iso, utc_now
from rightsflow.integration import aws


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
    """One entry per e-mail (keyed by its de-duplication key): its outcome, never its content."""

    def __init__(self, table: str) -> None:
        self.table = table

    def record_first(self, mail_key: str, outcome: str, **facts: str) -> bool:
        """Record the outcome unless this e-mail was seen before; False when it was."""
        item = {
            "mail_key": {"S": mail_key},
            "outcome": {"S": outcome},
            "at": {"S": to_iso(utc_now())},
        }
        item.update({name: {"S": value} for name, value in facts.items() if value})
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
