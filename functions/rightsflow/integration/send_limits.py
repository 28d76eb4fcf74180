"""How many verification codes each address was sent today (DynamoDB, one counter per address
and UTC day that expires by TTL): the brake on making the product e-mail someone endlessly."""

from __future__ import annotations

from datetime import datetime, timedelta

from botocore.exceptions import ClientError

from rightsflow.domain.errors import CodeLimitReached
from rightsflow.integration import aws

_KEPT = timedelta(days=2)


class SendLimits:
    def __init__(self, table: str, codes_per_day: int) -> None:
        self.table = table
        self.codes_per_day = codes_per_day

    def take_code(self, subject_hash: str, now: datetime) -> None:
        """Count one more code for the address (`subject_hash`, never the address itself) on
        `now`'s UTC day, or raise CodeLimitReached with the seconds until the next day."""
        day = now.date()
        try:
            aws.dynamodb().update_item(
                TableName=self.table,
                Key={"id": {"S": f"codes#{subject_hash}#{day.isoformat()}"}},
                UpdateExpression="ADD codes :one SET expiration = :expiration",
                ConditionExpression="attribute_not_exists(codes) OR codes < :most",
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":most": {"N": str(self.codes_per_day)},
                    ":expiration": {"N": str(int((now + _KEPT).timestamp()))},
                },
            )
        except ClientError as error:
            if aws.error_code(error) == "ConditionalCheckFailedException":
                tomorrow = datetime.combine(
                    day + timedelta(days=1), datetime.min.time(), now.tzinfo
                )
                raise CodeLimitReached(
                    f"this address was sent {self.codes_per_day} verification codes today, the "
                    "most we send in a day; a new one can be sent tomorrow (UTC)",
                    max(1, int((tomorrow - now).total_seconds())),
                ) from error
            raise aws.as_transient(error, "counting codes sent") from error
        except Exception as error:
            raise aws.as_transient(error, "counting codes sent") from error
