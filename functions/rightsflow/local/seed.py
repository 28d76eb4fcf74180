"""Demo data for the local stack: stores that mirror the privacy policy, with one person, Ada
Lovelace, present in several of them, among many other (made-up) people."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from boto3.dynamodb.types import TypeSerializer

from rightsflow.local.stack import LocalStack

ADA = {
    "email": "ada.lovelace@example.com",
    "phone": "+442079460000",  # +44 20 7946 0000, stored in E.164
    "account_number": "ACME-1815",
    "name": "Ada Lovelace",
}

_FIRST = ["Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "John", "Katherine", "Tim"]
_LAST = ["Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Johnson", "Lee"]
_CITIES = ["London, GB", "Berlin, DE", "Paris, FR", "Madrid, ES", "Boston, US", "Milan, IT"]

_serializer = TypeSerializer()


def _acme_profiles(count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    yield {
        "profile_id": "acme-p-0001815",
        "name": ADA["name"],
        "email": ADA["email"],
        "phone": ADA["phone"],
        "account_number": ADA["account_number"],
        "address": "12 St James's Square, London SW1Y 4LB",
        "location": "London, GB",
        "device_id": "ios-7f3a9c1e",
        "marketing_opt_in": True,
    }
    for number in range(count):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        yield {
            "profile_id": f"acme-p-{number:07d}",
            "name": f"{first} {last}",
            "email": f"{first}.{last}.{number}@example.org".lower(),
            "phone": f"+1617555{number % 10000:04d}",
            "account_number": f"ACME-{100000 + number}",
            "address": f"{rng.randint(1, 200)} Main Street",
            "location": rng.choice(_CITIES),
            "device_id": f"android-{rng.getrandbits(32):08x}",
            "marketing_opt_in": rng.random() < 0.5,
        }


def _put_all(stack: LocalStack, logical_id: str, items: Iterator[dict[str, Any]]) -> int:
    client = stack.client("dynamodb")
    table = stack.resource(logical_id)
    batch: list[dict[str, Any]] = []
    written = 0
    for item in items:
        batch.append(
            {"PutRequest": {"Item": {k: _serializer.serialize(v) for k, v in item.items()}}}
        )
        if len(batch) == 25:
            client.batch_write_item(RequestItems={table: batch})
            written += len(batch)
            batch = []
    if batch:
        client.batch_write_item(RequestItems={table: batch})
        written += len(batch)
    return written


def seed(stack: LocalStack, consumers: int = 500) -> dict[str, int]:
    """Fill the demo stores; returns how many records each got."""
    rng = random.Random(1815)  # noqa: S311 - made-up demo people, the same every time
    return {
        "AcmeProfilesTable": _put_all(stack, "AcmeProfilesTable", _acme_profiles(consumers, rng))
    }
