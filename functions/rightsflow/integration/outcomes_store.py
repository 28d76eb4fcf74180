"""Per-store outcomes of a request's fulfilment: one item per store, so parallel connectors never
contend, and a re-driven request knows which stores are already done."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rightsflow.integration import aws

if TYPE_CHECKING:
    from rightsflow.domain.fulfilment import StoreOutcome


def _outcome_model() -> type[StoreOutcome]:
    # The domain's models (pydantic) load with the first outcome read, not at a cold start.
    from rightsflow.domain.fulfilment import StoreOutcome  # noqa: PLC0415

    return StoreOutcome


class OutcomesStore:
    def __init__(self, table: str) -> None:
        self.table = table

    def get(self, request_id: str, store: str) -> StoreOutcome | None:
        try:
            answer = aws.dynamodb().get_item(
                TableName=self.table,
                Key={"request_id": {"S": request_id}, "store": {"S": store}},
                ConsistentRead=True,
            )
        except Exception as error:
            raise aws.as_transient(error, "reading a store outcome") from error
        if "Item" not in answer:
            return None
        return _outcome_model().model_validate_json(answer["Item"]["outcome"]["S"])

    def put(self, request_id: str, outcome: StoreOutcome) -> None:
        try:
            aws.dynamodb().put_item(
                TableName=self.table,
                Item={
                    "request_id": {"S": request_id},
                    "store": {"S": outcome.store},
                    "outcome": {"S": outcome.model_dump_json()},
                },
            )
        except Exception as error:
            raise aws.as_transient(error, "writing a store outcome") from error

    def all(self, request_id: str) -> list[StoreOutcome]:
        try:
            answer = aws.dynamodb().query(
                TableName=self.table,
                KeyConditionExpression="request_id = :id",
                ExpressionAttributeValues={":id": {"S": request_id}},
                ConsistentRead=True,
            )
        except Exception as error:
            raise aws.as_transient(error, "reading store outcomes") from error
        model = _outcome_model()
        return [model.model_validate(json.loads(i["outcome"]["S"])) for i in answer["Items"]]
