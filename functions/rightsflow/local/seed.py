"""Demo data for the local stack: stores that mirror the privacy policy, with one person, Ada
Lovelace, present in eight of them, among many other (made-up) people. The S3 logs are written
as a company's own writers write them, objects only: the buckets' notifications index them
(rightsflow.service.object_indexing), as they would in AWS.

Stores that keep identifiers as written (the data map's `as_written` lookups) hold them as
people typed them: Grace Hopper is `Grace.Hopper@Example.COM` with the phone `+44 20 7946 0001`
there, while the SMS gateway writes her number in E.164 and acme its account numbers in upper
case; she is found in all eight stores whichever way she types them."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeSerializer
from botocore.exceptions import ClientError
from moto.dynamodb.models import dynamodb_backends
from sqlalchemy.engine import Engine

from rightsflow.domain.data_map import load_data_map
from rightsflow.integration.stores.formats import format_for
from rightsflow.local import moto_lock, sql_demo
from rightsflow.local.peers import FakeVendor
from rightsflow.local.stack import LocalStack

ADA = {
    "email": "ada.lovelace@example.com",
    "phone": "+442079460000",  # +44 20 7946 0000, stored in E.164
    "account_number": "ACME-1815",
    "name": "Ada Lovelace",
}
GRACE = {
    "email": "grace.hopper@example.com",
    "email_as_written": "Grace.Hopper@Example.COM",
    "phone": "+442079460001",
    "phone_as_written": "+44 20 7946 0001",
    "account_number": "ACME-1906",
    "name": "Grace Hopper",
}
ADA_TRANSACTIONS = 20
ADA_INVOICES = 3
ADA_SMS_LINES = 6
ADA_ANALYTICS_EVENTS = 15
SMS_DAYS = 30

_FIRST = ["Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "John", "Katherine", "Tim"]
_LAST = ["Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Johnson", "Lee"]
_CITIES = ["London, GB", "Berlin, DE", "Paris, FR", "Madrid, ES", "Boston, US", "Milan, IT"]
_CARRIERS = ["Vodafone", "O2", "EE", "Three", "T-Mobile"]
_START = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)

_serializer = TypeSerializer()


@dataclass
class Person:
    """Someone in the demo stores: `email` and `phone` canonical; the `_as_written` forms are
    how stores that keep identifiers as written hold them (default: the canonical ones)."""

    name: str
    email: str
    phone: str
    account_number: str
    email_as_written: str | None = None
    phone_as_written: str | None = None

    @property
    def written_email(self) -> str:
        return self.email_as_written or self.email

    @property
    def written_phone(self) -> str:
        return self.phone_as_written or self.phone


@dataclass
class DemoWorld:
    """Everyone in the demo, Ada first; deterministic for a given seed."""

    rng: random.Random
    people: list[Person] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # records written per store

    @classmethod
    def make(cls, consumers: int) -> DemoWorld:
        rng = random.Random(1815)  # noqa: S311 - made-up demo people, the same every time
        world = cls(rng)
        world.people.append(Person(ADA["name"], ADA["email"], ADA["phone"], ADA["account_number"]))
        for number in range(consumers):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            world.people.append(
                Person(
                    f"{first} {last}",
                    f"{first}.{last}.{number}@example.org".lower(),
                    f"+1617555{number % 10000:04d}",
                    f"ACME-{100000 + number}",
                )
            )
        return world

    @property
    def ada(self) -> Person:
        return self.people[0]

    @property
    def others(self) -> list[Person]:
        return self.people[1:]


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


# ------------------------------------------------------------------ DynamoDB stores
def _profile(person: Person, rng: random.Random, **extra: Any) -> dict[str, Any]:
    return {
        "profile_id": f"acme-p-{person.account_number}",
        "name": person.name,
        "email": person.written_email,
        "phone": person.written_phone,
        "account_number": person.account_number,
        "address": f"{rng.randint(1, 200)} Main Street",
        "location": rng.choice(_CITIES),
        "device_id": f"ios-{rng.getrandbits(32):08x}",
        "marketing_opt_in": True,
        **extra,
    }


def _transactions_of(
    person: Person, rng: random.Random, count: int, invoices: int = 0
) -> Iterator[dict[str, Any]]:
    for number in range(count):
        yield {
            "account_number": person.account_number,
            "txn_id": f"T{number:04d}",
            "kind": "invoice" if number < invoices else "purchase",
            "at": _iso(_START + timedelta(days=number * 3)),
            "amount": round(rng.uniform(3, 180), 2),
            "currency": "GBP",
            "items": rng.choice(["coffee", "sneakers", "groceries", "books"]),
            "store_location": rng.choice(_CITIES),
            "points": rng.randint(1, 50),
        }


def _profiles(world: DemoWorld) -> Iterator[dict[str, Any]]:
    for person in world.others:
        yield _profile(person, world.rng)


def _transactions(world: DemoWorld) -> Iterator[dict[str, Any]]:
    for person in world.others:
        yield from _transactions_of(person, world.rng, 10)


def _leads(world: DemoWorld) -> Iterator[dict[str, Any]]:
    for person in world.others[:100]:
        yield {
            "email": person.email,
            "name": person.name,
            "company": "Example Corp",
            "country": "US",
            "newsletter_consent": world.rng.random() < 0.5,
        }


def _globex_members(people: list[Person]) -> Iterator[dict[str, Any]]:
    for person in people:
        yield globex_member(person)


def globex_member(person: Person) -> dict[str, Any]:
    return {
        "member_id": f"gx-{person.account_number}",
        "name": person.name,
        "email": person.written_email,
        "phone": person.written_phone,
        "rewards_balance": 120,
        "marketing_opt_in": True,
    }


def add_globex_member(stack: LocalStack, person: Person) -> None:
    """Make someone a member of Brand globex's rewards club (globex forwards requests)."""
    _put_all(stack, "GlobexProfilesTable", iter([globex_member(person)]))


def _platform_users(stack: LocalStack, world: DemoWorld) -> int:
    """Brand staff on the platform (a SQL database), then Ada, who opened a support ticket in
    whose thread one of them wrote too."""
    engine = _database(stack)
    try:
        ids = sql_demo.add_others(
            engine,
            (
                (f"user{number:03d}", person.email.replace("example.org", "acme.example"), name)
                for number, person in enumerate(world.others[100:150])
                for name in [person.name]
            ),
        )
        account = sql_demo.add_account(
            engine,
            username="alovelace",
            email=world.ada.email,
            name=world.ada.name,
            company="Analytical Engines Ltd",
            colleague_id=ids[0],
        )
    finally:
        engine.dispose()
    return 2 * len(ids) + account.rows + 1  # and the colleague's message


def _database(stack: LocalStack) -> Engine:
    if stack.options.database_url is None:
        raise RuntimeError("the local stack has no database for its SQL stores")
    engine = sql_demo.demo_engine(stack.options.database_url)
    sql_demo.create_schema(engine)
    return engine


def add_platform_account(stack: LocalStack, person: Person) -> sql_demo.PlatformAccount:
    """Give someone a platform account (sessions, a support ticket a colleague wrote in too,
    billing and invoices) in the SQL store."""
    engine = _database(stack)
    try:
        return sql_demo.add_account(
            engine,
            username=f"u-{person.account_number.lower()}",
            email=person.written_email,
            name=person.name,
            company="Analytical Engines Ltd",
        )
    finally:
        engine.dispose()


def _analytics(world: DemoWorld) -> Iterator[dict[str, Any]]:
    for number in range(2000):  # anonymous visits: no e-mail, so never in the ByEmail index
        yield {
            "visitor_id": f"v-{number % 300:05d}",
            "at": _iso(_START + timedelta(minutes=number)),
            "ip": f"203.0.113.{number % 250}",
            "browser": world.rng.choice(["Chrome 131", "Safari 18", "Edge 131"]),
            "page": world.rng.choice(["/", "/pricing", "/blog"]),
        }


def _put_all(stack: LocalStack, logical_id: str, items: Iterator[dict[str, Any]]) -> int:
    """Write the items into the table as its own writer would, each a PutItem with its stream
    record (the identifier index follows), 25 to a turn of the moto lock as BatchWriteItem
    would. Straight into moto's table: serialising, validating and parsing every batch through
    botocore took about a third of each start-up."""
    backend = dynamodb_backends[stack.account_id][stack.options.region]
    table = stack.resource(logical_id)
    batch: list[dict[str, Any]] = []
    written = 0
    for item in items:
        batch.append({k: _serializer.serialize(_decimal(v)) for k, v in item.items()})
        if len(batch) == 25:
            written += _put_batch(backend, table, batch)
            batch = []
    return written + _put_batch(backend, table, batch)


def _put_batch(backend: Any, table: str, batch: list[dict[str, Any]]) -> int:
    with moto_lock.held():
        for item in batch:
            backend.put_item(table, item)
    return len(batch)


def _decimal(value: Any) -> Any:
    return Decimal(str(value)) if isinstance(value, float) else value


# ------------------------------------------------------------------ S3 stores and their index
def _sms_objects(world: DemoWorld) -> dict[str, list[dict[str, Any]]]:
    objects: dict[str, list[dict[str, Any]]] = {}
    for day in range(SMS_DAYS):
        date = _START + timedelta(days=day)
        lines = []
        for number in range(40):
            person = world.rng.choice(world.others)
            lines.append(
                {
                    "phone": person.phone,
                    "carrier": world.rng.choice(_CARRIERS),
                    "direction": "inbound",
                    "content": "STOP" if number % 17 == 0 else "JOIN ACME",
                    "sent_at": _iso(date + timedelta(minutes=number * 7)),
                }
            )
        objects[f"sms/{date:%Y-%m-%d}.jsonl"] = lines
    return objects


def _application_objects(world: DemoWorld) -> dict[str, list[dict[str, Any]]]:
    quarters: dict[str, list[dict[str, Any]]] = {
        "applications/2026-Q3.csv": [],
        "applications/2026-Q4.csv": [],
    }
    for number, person in enumerate(world.others[150:250]):
        quarter = "applications/2026-Q3.csv" if number % 2 else "applications/2026-Q4.csv"
        quarters[quarter].append(
            {
                "email": person.email,
                "name": person.name,
                "phone": person.phone,
                "position": world.rng.choice(["Data Engineer", "Account Manager", "Designer"]),
                "history": "5 years in software",
                "education": "BSc",
                "applied_at": "2026-08-01",
            }
        )
    return quarters


def _write_objects(
    stack: LocalStack, *, store: str, bucket_id: str, objects: dict[str, list[dict[str, Any]]]
) -> int:
    """What the stores' writers did before the demo: objects in the store's own format, and
    nothing else (the buckets' notifications index them)."""
    s3 = stack.client("s3")
    record_format = format_for(load_data_map().stores[store])
    for key, rows in objects.items():
        body = b""
        for row in rows:
            body, _ = record_format.append(record_format.read(body), row)
        s3.put_object(Bucket=stack.resource(bucket_id), Key=key, Body=body)
    return sum(len(rows) for rows in objects.values())


# ------------------------------------------------------------------ the external vendor
def hubspot_contacts(world: DemoWorld) -> list[dict[str, Any]]:
    contacts = []
    for number, person in enumerate(world.others[:50]):
        contacts.append(
            {
                "key": {"contact_id": f"hs-{number:05d}"},
                "data": {"email": person.email, "name": person.name, "subscribed": True},
            }
        )
    return contacts


def seed(stack: LocalStack, vendor: FakeVendor, consumers: int = 500) -> DemoWorld:
    """Fill the demo stores with made-up people, then Ada; returns the people in them."""
    world = DemoWorld.make(consumers)
    vendor.contacts.extend(hubspot_contacts(world))
    world.counts = {
        "acme_profiles": _put_all(stack, "AcmeProfilesTable", _profiles(world)),
        "acme_transactions": _put_all(stack, "AcmeTransactionsTable", _transactions(world)),
        "site_leads": _put_all(stack, "SiteLeadsTable", _leads(world)),
        "platform_users": _platform_users(stack, world),
        "globex_profiles": _put_all(
            stack, "GlobexProfilesTable", _globex_members(world.others[250:350])
        ),
        "web_analytics": _put_all(stack, "WebAnalyticsTable", _analytics(world)),
        "acme_sms_log": _write_objects(
            stack,
            store="acme_sms_log",
            bucket_id="AcmeSmsLogBucket",
            objects=_sms_objects(world),
        ),
        "job_applicants": _write_objects(
            stack,
            store="job_applicants",
            bucket_id="JobApplicationsBucket",
            objects=_application_objects(world),
        ),
    }
    add_person(stack, vendor, world.ada, rng=world.rng, platform_account=False)
    grace = Person(
        GRACE["name"],
        GRACE["email"],
        GRACE["phone"],
        GRACE["account_number"],
        email_as_written=GRACE["email_as_written"],
        phone_as_written=GRACE["phone_as_written"],
    )
    world.people.append(grace)
    add_person(stack, vendor, grace, rng=world.rng)
    return world


def add_person(
    stack: LocalStack,
    vendor: FakeVendor,
    person: Person,
    rng: random.Random | None = None,
    *,
    platform_account: bool = True,
) -> dict[str, int]:
    """Put one person in eight stores, as Ada is: a profile, 20 transactions of which 3 are
    invoices, 6 SMS lines, a demo request with newsletter consent, a job application, 15
    analytics events, a marketing contact and (unless told not to) a platform account with
    its related rows. Returns the records written per store, once the buckets' notifications
    have indexed what was written (a test asks about the person next)."""
    rng = rng or random.Random(person.email)  # noqa: S311 - made-up demo data
    records = {
        "AcmeProfilesTable": [_profile(person, rng, address="12 St James's Square, London")],
        "AcmeTransactionsTable": list(
            _transactions_of(person, rng, ADA_TRANSACTIONS, invoices=ADA_INVOICES)
        ),
        "SiteLeadsTable": [
            {
                "email": person.written_email,
                "name": person.name,
                "phone": person.written_phone,
                "company": "Analytical Engines Ltd",
                "job_title": "Head of Computing",
                "country": "GB",
                "demo_requested_at": "2026-09-14T10:12:00Z",
                "newsletter_consent": True,
                "consent_at": "2026-09-14T10:12:00Z",
            }
        ],
        "WebAnalyticsTable": [
            {
                "visitor_id": f"v-{person.account_number}",
                "at": _iso(_START + timedelta(hours=number)),
                "email": person.written_email,
                "ip": "81.2.69.160",
                "browser": "Firefox 132",
                "page": rng.choice(["/pricing", "/demo", "/careers", "/privacy-policy"]),
            }
            for number in range(ADA_ANALYTICS_EVENTS)
        ],
    }
    counts = {table: _put_all(stack, table, iter(items)) for table, items in records.items()}
    days = sorted(rng.sample(range(SMS_DAYS), ADA_SMS_LINES))
    for day in days:
        date = _START + timedelta(days=day)
        append_record(
            stack,
            store="acme_sms_log",
            bucket_id="AcmeSmsLogBucket",
            object_key=f"sms/{date:%Y-%m-%d}.jsonl",
            row={
                "phone": person.phone,
                "carrier": "Vodafone",
                "direction": "inbound",
                "content": f"POINTS {day}",
                "sent_at": _iso(date + timedelta(hours=5)),
            },
        )
    append_record(
        stack,
        store="job_applicants",
        bucket_id="JobApplicationsBucket",
        object_key="applications/2026-Q3.csv",
        row={
            "email": person.written_email,
            "name": person.name,
            "phone": person.written_phone,
            "position": "Data Engineer",
            "history": "Analyst of Mr Babbage\u2019s engines",
            "education": "Private tuition in mathematics",
            "applied_at": "2026-07-20",
        },
    )
    vendor.contacts.append(
        {
            "key": {"contact_id": f"hs-{person.account_number}"},
            "data": {"email": person.written_email, "name": person.name, "subscribed": True},
        }
    )
    if platform_account:
        counts["platform_users"] = add_platform_account(stack, person).rows
    stack.drain_notifications()
    return {**counts, "AcmeSmsLogBucket": len(days), "JobApplicationsBucket": 1, "hubspot": 1}


def append_record(
    stack: LocalStack,
    *,
    store: str,
    bucket_id: str,
    object_key: str,
    row: dict[str, Any],
) -> None:
    """What a log writer does: append the record in the store's format, never overwriting a
    concurrent change. Nothing else: the bucket's notification indexes the new version."""
    s3 = stack.client("s3")
    bucket = stack.resource(bucket_id)
    record_format = format_for(load_data_map().stores[store])
    while True:
        try:
            answer = s3.get_object(Bucket=bucket, Key=object_key)
            text, condition = answer["Body"].read(), {"IfMatch": answer["ETag"]}
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "NoSuchKey":
                raise
            text, condition = b"", {"IfNoneMatch": "*"}  # the first record of a new object
        body, _ = record_format.append(record_format.read(text), row)
        try:
            s3.put_object(Bucket=bucket, Key=object_key, Body=body, **condition)
            break
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in {
                "PreconditionFailed",
                "ConditionalRequestConflict",
            }:
                raise


def bulk_transactions(stack: LocalStack, count: int, account_prefix: str) -> None:
    """`count` made-up purchases (ten per account) straight into moto's table: a store big
    enough to show that lookups do not depend on its size, filled in seconds."""
    backend = dynamodb_backends[stack.account_id][stack.options.region]
    table = stack.resource("AcmeTransactionsTable")
    for number in range(count):
        backend.put_item(
            table,
            {
                "account_number": {"S": f"{account_prefix}{number // 10}"},
                "txn_id": {"S": f"T{number % 10:04d}"},
                "kind": {"S": "purchase"},
                "amount": {"N": "12.50"},
            },
        )
