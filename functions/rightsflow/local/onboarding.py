"""What ops do once after deploying, done by the local stack after it deploys: the onboarding
backfill of our identifier index over the stores that keep identifiers as written.

In AWS ops invoke IdentifierIndexFunction with `{"backfill": "all"}`; locally the same service
code runs in this process, against the stack's own tables. (Not through the function: a
function invoked here leaves its stack's environment in this process, and a second stack
started beside the first, in compressed time say, must not lend its clock to the first's
functions.)"""

from __future__ import annotations

from rightsflow.domain.data_map import DataMap
from rightsflow.integration.identifier_index import IdentifierIndex
from rightsflow.local.stack import LocalStack
from rightsflow.service.identifier_indexing import IdentifierIndexing


def backfill_identifier_index(stack: LocalStack, data_map: DataMap) -> int:
    """Run the backfill to completion (an empty table is indexed at once); returns the items
    indexed."""
    if data_map.identifier_index is None or not data_map.indexed_stores():
        return 0
    indexing = IdentifierIndexing(
        data_map,
        stack.physical_ids,
        IdentifierIndex(stack.resource(data_map.identifier_index)),
    )
    result = indexing.backfill(list(data_map.indexed_stores()), None, lambda: 10**9)
    if not result["complete"]:  # pragma: no cover - no time limit here
        raise RuntimeError("the identifier index backfill did not finish")
    return int(result["indexed"])
