"""No Scan and no listing of a whole bucket on the request path, at any size: a person's records
are reached by key and index queries only, whether a store holds a thousand items or 100,000."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from moto.dynamodb.models import DynamoDBBackend
from moto.s3.models import S3Backend

from rightsflow.local.seed import ADA_TRANSACTIONS, Person, add_person, bulk_transactions
from tests.conftest import running_stack
from tests.support import Api

pytestmark = pytest.mark.e2e

BIG = 100_000


@pytest.fixture(scope="module")
def big_api() -> Iterator[Api]:
    """A stack of its own whose transactions table holds 100,000 other people's rows."""
    from rightsflow.local.services import LocalServices

    for running in running_stack():
        assert isinstance(running, LocalServices)
        bulk_transactions(running.stack, BIG, "ACME-B")
        yield Api(running)


@pytest.fixture
def calls() -> Iterator[Counter[str]]:
    """Every DynamoDB and S3 read the whole stack makes while the test runs, by operation."""
    counted: Counter[str] = Counter()

    def counting(name: str, original: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counted[name] += 1
            return original(*args, **kwargs)

        return wrapper

    patches = [
        mock.patch.object(DynamoDBBackend, "scan", counting("Scan", DynamoDBBackend.scan)),
        mock.patch.object(DynamoDBBackend, "query", counting("Query", DynamoDBBackend.query)),
        mock.patch.object(
            S3Backend, "list_objects", counting("ListObjects", S3Backend.list_objects)
        ),
        mock.patch.object(
            S3Backend, "list_objects_v2", counting("ListObjectsV2", S3Backend.list_objects_v2)
        ),
    ]
    for patch in patches:
        patch.start()
    yield counted
    for patch in patches:
        patch.stop()


def test_a_persons_request_never_scans_or_lists_however_big_the_store(
    big_api: Api, calls: Counter[str]
) -> None:
    stack = big_api.services.stack
    described = stack.client("dynamodb").describe_table(
        TableName=stack.resource("AcmeTransactionsTable")
    )
    assert described["Table"]["ItemCount"] >= BIG
    someone = Person("Big Store Tester", "big.store@example.net", "+442079461234", "ACME-BIG1")
    add_person(stack, big_api.services.peers.hubspot, someone)
    calls.clear()
    receipt = big_api.submit_verified(
        email=someone.email,
        phone=someone.phone,
        type="access",
        account_number=someone.account_number,
    )
    view = big_api.wait_until_terminal(receipt, timeout=120)
    record = big_api.record(receipt["request_id"])
    assert view["status"] == "completed", record.get("attention_reason")
    assert f"{ADA_TRANSACTIONS} records included" in record["result_summary"]
    assert calls["Scan"] == 0
    assert calls["ListObjects"] == calls["ListObjectsV2"] == 0
    # A bounded number of queries: a few per store and per identifier, not per item (with,
    # per linked phone or account number, one look in each authoritative store that it is not
    # another person's too: rightsflow.domain.linking).
    assert 0 < calls["Query"] <= 48, calls
