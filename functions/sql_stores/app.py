"""The SQL stores function: the one function in the databases' VPC. Finds a person's rows in a
SQL store and carries out a request's changes there in one transaction, for the functions that
invoke it (PlanFulfilment, the on-file check, FulfilStore). Its answers hold personal data:
they are never logged or traced."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from rightsflow.observability import instrumented
from rightsflow.settings import SqlStoresSettings

if TYPE_CHECKING:
    from rightsflow.integration.stores.sql_store import DirectSql

settings = SqlStoresSettings.from_environment()


@cache
def _stores() -> DirectSql:
    """Built by the first event, not at import: it reads the data map, and SQLAlchemy, the
    drivers and boto3 (for the connection secrets) load with it."""
    from rightsflow.domain.data_map import load_data_map
    from rightsflow.integration.stores.sql_store import DirectSql

    return DirectSql(load_data_map(), settings.data_stores, settings.sql_host)


@instrumented("store", capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from rightsflow.domain.fulfilment import Action
    from rightsflow.domain.identity import Identity
    from rightsflow.integration.stores.remote_sql import answer_page

    connector = _stores().connector(event["store"])
    operation = event["op"]
    if operation == "find":
        found = connector.find(Identity.model_validate(event["identity"]))
        return answer_page([record.model_dump(mode="json") for record in found], event)
    if operation == "apply":
        actions = [Action.model_validate(action) for action in event["actions"]]
        connector.apply_all(actions)
        return {"applied": len(actions)}
    if operation == "check":
        graph = connector.graph()
        return {"store": event["store"], "tables": list(graph.links)}
    raise ValueError(f"unknown SQL stores operation {operation!r}")
