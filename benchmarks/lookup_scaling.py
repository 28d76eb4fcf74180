"""Benchmark: does finding one person's records cost the same whatever the size of the store?

Runs the real fulfilment code (identity resolution, then every store's connector) for one
person against the local stack, with the transactions store holding 1,000 and then 100,000
other rows, and prints the AWS calls made and the records touched at each size. The figure
that matters is the ratio of calls between the two sizes: 1.00 means index-bound lookups.

(moto answers a DynamoDB Query by walking its whole table, so moto's wall time grows with the
table; real DynamoDB's does not. The wall times are printed for completeness only.)

    .venv/bin/python benchmarks/lookup_scaling.py
"""

from __future__ import annotations

import time
import warnings
from collections import Counter
from typing import Any
from unittest import mock

from moto.dynamodb.models import DynamoDBBackend
from moto.s3.models import S3Backend

from rightsflow.domain.data_map import load_data_map
from rightsflow.integration.directory import Directory
from rightsflow.integration.registry import PrivacyRegistry
from rightsflow.integration.stores.remote_sql import RemoteSql
from rightsflow.local import services
from rightsflow.local.seed import Person, add_person, bulk_transactions
from rightsflow.local.stack import StackOptions

SIZES = (1_000, 100_000)


def measure(size: int) -> dict[str, Any]:
    with services.running(StackOptions(), port=0, seed_demo_data=False) as running:
        stack = running.stack
        bulk_transactions(stack, size, "ACME-X")
        person = Person("Bench Person", "bench@example.net", "+442079469999", "ACME-BENCH")
        add_person(stack, running.peers.hubspot, person)
        names = {**stack.physical_ids}
        names["HubspotEndpoint"] = stack.parameters["HubspotEndpoint"]
        directory = Directory(
            load_data_map(),
            names,
            stack.secret("VendorSigningSecret"),
            PrivacyRegistry(stack.resource("PrivacyRegistryTable")),
            RemoteSql(stack.resource("SqlStoresFunction")),  # SQL: benchmarks/sql_lookup.py
        )
        calls: Counter[str] = Counter()

        def count(name: str, original: Any) -> Any:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                calls[name] += 1
                return original(*args, **kwargs)

            return wrapper

        with (
            mock.patch.object(DynamoDBBackend, "query", count("Query", DynamoDBBackend.query)),
            mock.patch.object(DynamoDBBackend, "scan", count("Scan", DynamoDBBackend.scan)),
            # by key: items found through our identifier index (BatchGetItem), the index's
            # completeness marks, the register's held identifiers
            mock.patch.object(
                DynamoDBBackend, "get_item", count("GetItem", DynamoDBBackend.get_item)
            ),
            mock.patch.object(
                S3Backend, "list_objects_v2", count("ListObjects", S3Backend.list_objects_v2)
            ),
            mock.patch.object(S3Backend, "get_object", count("GetObject", S3Backend.get_object)),
        ):
            started = time.perf_counter()
            identity = directory.resolve(person.email)
            records = sum(
                len(directory.connector(n).find(identity)) for n in directory.data_map.stores
            )
            elapsed = time.perf_counter() - started
        return {"size": size, "calls": dict(calls), "records": records, "seconds": elapsed}


def main() -> None:
    warnings.filterwarnings("ignore")
    results = [measure(size) for size in SIZES]
    print(
        f"{'store rows':>12} {'Query':>6} {'GetItem':>8} {'Scan':>5} {'List':>5} "
        f"{'GetObject':>9} {'records':>8} {'wall s (moto)':>14}"
    )
    for r in results:
        c = r["calls"]
        print(
            f"{r['size']:>12,} {c.get('Query', 0):>6} {c.get('GetItem', 0):>8} "
            f"{c.get('Scan', 0):>5} "
            f"{c.get('ListObjects', 0):>5} {c.get('GetObject', 0):>9} {r['records']:>8} "
            f"{r['seconds']:>14.3f}"
        )
    small, big = results
    total = lambda r: sum(r["calls"].values())  # noqa: E731
    print(
        f"\ncalls at {big['size']:,} rows / calls at {small['size']:,} rows: "
        f"{total(big) / total(small):.2f}"
    )
    print(f"records found: {small['records']} and {big['records']} (the same person)")


if __name__ == "__main__":
    main()
