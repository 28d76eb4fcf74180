"""What ops do once after deploying, done by the local stack after it deploys: the onboarding
backfill of our identifier index over the stores that keep identifiers as written. The function
to ask is the one the template feeds those tables' streams to."""

from __future__ import annotations

import json
from typing import Any

from rightsflow.domain.data_map import DataMap
from rightsflow.local.stack import LocalStack


def stream_indexers(stack: LocalStack, data_map: DataMap) -> list[str]:
    """Logical ids of the functions the template maps the indexed tables' streams to."""
    tables = {store.resource for store in data_map.indexed_stores().values()}
    found: list[str] = []
    for mapping in stack.template.resources_of_type("AWS::Lambda::EventSourceMapping").values():
        properties = mapping["Properties"]
        source = properties.get("EventSourceArn", {})
        table = source.get("Fn::GetAtt", [None])[0] if isinstance(source, dict) else None
        function = properties.get("FunctionName", {})
        logical_id = function.get("Ref") if isinstance(function, dict) else None
        if table in tables and logical_id and logical_id not in found:
            found.append(logical_id)
    return found


def backfill_identifier_index(stack: LocalStack, data_map: DataMap) -> int:
    """Run the backfill to completion (an empty table is indexed at once); returns the items
    indexed. Fails loudly: a stack whose indexes are incomplete would park every request."""
    indexed = 0
    client = stack.client("lambda")
    for logical_id in stream_indexers(stack, data_map):
        event: dict[str, Any] | None = {"backfill": "all"}
        while event is not None:
            answer = client.invoke(
                FunctionName=stack.resource(logical_id), Payload=json.dumps(event).encode()
            )
            result = json.loads(answer["Payload"].read())
            if answer.get("FunctionError"):
                raise RuntimeError(f"{logical_id} could not backfill: {result}")
            indexed += int(result["indexed"])
            event = result["next"]
    return indexed
