"""SQL stores reached through the SQL stores function, the one function in the database's VPC:
every other function finds and changes a person's rows by invoking it (Lambda Invoke), so that
none of them needs the VPC, the connection secret or SQLAlchemy."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from rightsflow.domain import errors
from rightsflow.domain.fulfilment import Action, Found
from rightsflow.domain.identity import Identity
from rightsflow.integration import aws

# What the SQL stores function may raise on purpose: raised again here under the same name, so
# the state machine's Retry (StoreUnavailable) and Catch see what the database said.
_NAMED = {
    cls.__name__: cls
    for cls in (
        errors.StoreUnavailable,
        errors.StoreRefusedChange,
        errors.StoreSchemaRefused,
        errors.StoreNotConfigured,
    )
}


# A synchronous Lambda answer may be 6 MB; a page of records stays well under it.
PAGE_BYTES = 4 * 1024 * 1024


def answer_page(
    records: list[dict[str, Any]], event: dict[str, Any], limit: int = PAGE_BYTES
) -> dict[str, Any]:
    """The records from `event["from"]` on that fit in `limit` bytes of JSON (at least one),
    and where the next page starts (None: this is the last)."""
    start = int(event.get("from") or 0)
    page: list[dict[str, Any]] = []
    size = 0
    for record in records[start:]:
        size += len(json.dumps(record, default=str)) + 2
        if page and size > limit:
            return {"records": page, "next": start + len(page)}
        page.append(record)
    return {"records": page, "next": None}


class SqlFunctionFailed(errors.RightsflowError):
    """The SQL stores function failed in a way it did not name (a defect, or Lambda's own
    failure such as a time-out); the request is parked for ops."""


class RemoteSql:
    """Connectors for the SQL stores, each a proxy to the SQL stores function."""

    def __init__(self, function_name: str) -> None:
        self.function_name = function_name

    def connector(self, store_name: str) -> RemoteSqlStore:
        return RemoteSqlStore(self.function_name, store_name)


class RemoteSqlStore:
    def __init__(self, function_name: str, store_name: str) -> None:
        self.function_name = function_name
        self.store_name = store_name

    def find(self, identity: Identity) -> list[Found]:
        """Every row of the person, in pages that fit Lambda's 6 MB answer."""
        records: list[Found] = []
        start: int | None = 0
        while start is not None:
            answer = self._invoke(
                {"op": "find", "identity": identity.model_dump(mode="json"), "from": start}
            )
            records += [Found.model_validate(record) for record in answer["records"]]
            start = answer.get("next")
        return records

    def apply(self, actions: Sequence[Action], applied: Callable[[Sequence[Action]], None]) -> None:
        """All of the actions in one transaction of the SQL stores function, or none."""
        if actions:
            self._invoke({"op": "apply", "actions": [a.model_dump(mode="json") for a in actions]})
            applied(actions)

    def recheck(self, identity: Identity, places: Sequence[str]) -> list[Found]:
        return self.find(identity)  # the rows themselves, read again: no places of their own

    def copies(self, identity: Identity) -> list[str]:
        return []  # the database's backups and snapshots age out on its own schedule

    def erase_copies(
        self, where: str, identity: Identity, erasable: Callable[[dict[str, Any]], bool]
    ) -> int:
        return 0

    def _invoke(self, payload: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps({**payload, "store": self.store_name}).encode()
        try:
            answer = aws.lambda_().invoke(FunctionName=self.function_name, Payload=body)
        except Exception as error:
            what = f"invoking the SQL stores function for {self.store_name}"
            raise aws.as_transient(error, what) from error
        result: dict[str, Any] = json.loads(answer["Payload"].read() or b"{}")
        if "FunctionError" in answer:
            kind = str(result.get("errorType", ""))
            message = str(result.get("errorMessage", ""))
            raise _NAMED.get(kind, SqlFunctionFailed)(message or kind)
        return result
