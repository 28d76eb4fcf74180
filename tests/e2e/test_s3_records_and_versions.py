"""S3 stores end to end: an erasure leaves no object version holding the person, other
people's records keep every byte however odd they are, and an object that cannot be read parks
the request naming store and object while the other stores go on."""

from __future__ import annotations

import codecs
import io
import json
import uuid
import zipfile
from collections import Counter
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
import requests
from moto.s3.models import S3Backend

from rightsflow.local.seed import ADA_SMS_LINES, Person, add_person, append_record
from rightsflow.local.stack import LocalStack
from tests.support import Api, wait_for

pytestmark = pytest.mark.e2e

BAD_BYTE = b"\xe9"  # é in Windows-1252: not UTF-8 on its own
BUCKETS = {"acme_sms_log": "AcmeSmsLogBucket", "job_applicants": "JobApplicationsBucket"}


@pytest.fixture
def person(api: Api) -> Person:
    """Someone in seven stores, as Ada is, with a phone no seeded person has."""
    number = uuid.uuid4().int % 10**8
    someone = Person(
        name=f"Mary Somerville {number}",
        email=f"mary.{number}@example.net",
        phone=f"+44113496{number % 10000:04d}",
        account_number=f"ACME-V{number}",
    )
    add_person(api.services.stack, api.services.peers.hubspot, someone)
    return someone


@pytest.fixture
def listed_prefixes() -> Iterator[list[str]]:
    """The prefix of every ListObjectVersions call made while the test runs."""
    prefixes: list[str] = []
    original = S3Backend.list_object_versions

    def recording(self: Any, bucket_name: str, *args: Any, **kwargs: Any) -> Any:
        prefixes.append(str(kwargs.get("prefix") or ""))
        return original(self, bucket_name, *args, **kwargs)

    with mock.patch.object(S3Backend, "list_object_versions", recording):
        yield prefixes


def _erase(api: Api, who: Person) -> dict[str, Any]:
    receipt = api.submit_verified(
        email=who.email, phone=who.phone, account_number=who.account_number, type="erasure"
    )
    return {**receipt, "view": api.wait_until_terminal(receipt, timeout=90)}


def _all_versions(stack: LocalStack, bucket_id: str) -> dict[tuple[str, str], bytes]:
    """Every version of every object in a store's bucket (the test may list; the product
    never lists a bucket)."""
    s3 = stack.client("s3")
    bucket = stack.resource(bucket_id)
    found: dict[tuple[str, str], bytes] = {}
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for version in page.get("Versions", []):
            key, version_id = version["Key"], version["VersionId"]
            body = s3.get_object(Bucket=bucket, Key=key, VersionId=version_id)["Body"].read()
            found[(key, version_id)] = body
    return found


def _holds(body: bytes, who: Person) -> bool:
    return who.phone.encode() in body or who.email.encode() in body


def _closing_text(api: Api, receipt: dict[str, Any]) -> str:
    messages = wait_for(
        lambda: [
            m
            for m in api.outbox(to=receipt["email"])
            if "closed" in m["subject"] and receipt["request_id"] in m["subject"]
        ]
    )
    return str(messages[0]["text"])


def _package(api: Api, receipt: dict[str, Any]) -> dict[str, str]:
    """Download the package as the person would (the page's Download button), and open it."""
    assert "Your data is ready to download" in _closing_text(api, receipt)
    link = api.session.get(
        f"{api.url}/requests/{receipt['request_id']}/package",
        headers={"X-Request-Token": receipt["status_token"]},
        allow_redirects=False,
        timeout=30,
    )
    assert link.status_code == 303, link.text
    answer = requests.get(link.headers["Location"], timeout=30)
    assert answer.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def _outcomes(api: Api, request_id: str) -> dict[str, dict[str, Any]]:
    stack = api.services.stack
    items = stack.client("dynamodb").query(
        TableName=stack.resource("StoreOutcomesTable"),
        KeyConditionExpression="request_id = :id",
        ExpressionAttributeValues={":id": {"S": request_id}},
    )["Items"]
    return {item["store"]["S"]: json.loads(item["outcome"]["S"]) for item in items}


# ---------------------------------------------------------------------------- every copy
def test_after_an_erasure_no_version_of_any_s3_object_holds_the_person(
    api: Api, person: Person, listed_prefixes: list[str]
) -> None:
    stack = api.services.stack
    # GIVEN the stores' writers went on appending other people's records to the objects that
    # hold the person, so earlier versions of those objects hold the person too
    theirs: dict[str, set[str]] = {}
    for store, bucket_id in BUCKETS.items():
        current = {
            k: b for (k, v), b in _all_versions(stack, bucket_id).items() if _holds(b, person)
        }
        theirs[store] = set(current)
        for object_key in sorted(current):
            other = uuid.uuid4().hex[:8]
            row = (
                {
                    "phone": f"+1617999{other[:4]}",
                    "carrier": "O2",
                    "direction": "inbound",
                    "content": "JOIN ACME",
                    "sent_at": "2026-10-31T10:00:00Z",
                }
                if store == "acme_sms_log"
                else {
                    "email": f"later.{other}@example.org",
                    "name": "Later Applicant",
                    "phone": "+16175550000",
                    "position": "Designer",
                    "history": "none",
                    "education": "BA",
                    "applied_at": "2026-09-30",
                }
            )
            append_record(
                stack,
                store=store,
                bucket_id=bucket_id,
                object_key=object_key,
                row=row,
            )
    stack.drain_notifications()
    assert len(theirs["acme_sms_log"]) == ADA_SMS_LINES
    assert len(theirs["job_applicants"]) == 1
    before = {store: _all_versions(stack, bucket_id) for store, bucket_id in BUCKETS.items()}
    earlier_copies = sum(
        1 for versions in before.values() for body in versions.values() if _holds(body, person)
    )
    assert earlier_copies >= 2 * (ADA_SMS_LINES + 1)  # every object: its current and one before
    listed_prefixes.clear()
    # WHEN the person's erasure runs
    done = _erase(api, person)
    listed = list(listed_prefixes)
    assert done["view"]["status"] == "completed"
    # THEN no version of any object in any S3 data store holds the person
    after = {store: _all_versions(stack, bucket_id) for store, bucket_id in BUCKETS.items()}
    for store, versions in after.items():
        holding = [key for key, body in versions.items() if _holds(body, person)]
        assert holding == [], f"{store}: {holding}"
    # AND every version that never held the person is still there
    for store, versions in before.items():
        untouched = {key for key, body in versions.items() if not _holds(body, person)}
        assert untouched <= set(after[store]), store
    # AND only the versions of the person's own objects were listed, never a bucket (by the
    # erasure, and by the indexer when a version holding entries of its own is deleted)
    assert set(listed) == theirs["acme_sms_log"] | theirs["job_applicants"]
    # AND the person is told
    assert "earlier versions of the files that held your data deleted" in _closing_text(api, done)


def test_erasure_deletes_old_versions_of_objects_no_longer_holding_the_person(
    api: Api,
) -> None:
    stack = api.services.stack
    s3 = stack.client("s3")
    bucket = stack.resource("JobApplicationsBucket")
    tag = uuid.uuid4().hex[:8]
    dora, eve, fred = (f"{who}.{tag}@example.net" for who in ("dora", "eve", "fred"))
    header = "email,name,phone,position,history,education,applied_at\r\n"

    def row(email: str) -> str:
        return f"{email},Someone {tag},,Analyst,secret history,MSc,2026-11-02\r\n"

    # GIVEN the applicant tracking system exported Dora and Fred, then re-exported the file
    # without Dora (overwritten), and exported Eve in a file it later deleted (delete marker)
    snap, gone = f"applications/snap-{tag}.csv", f"applications/gone-{tag}.csv"
    s3.put_object(Bucket=bucket, Key=snap, Body=(header + row(dora) + row(fred)).encode())
    s3.put_object(Bucket=bucket, Key=gone, Body=(header + row(eve)).encode())
    stack.drain_notifications()
    s3.put_object(Bucket=bucket, Key=snap, Body=(header + row(fred)).encode())
    s3.delete_object(Bucket=bucket, Key=gone)
    stack.drain_notifications()

    def holding(key: str, email: str) -> list[str]:
        versions = s3.list_object_versions(Bucket=bucket, Prefix=key).get("Versions", [])
        return [
            v["VersionId"]
            for v in versions
            if email.encode()
            in s3.get_object(Bucket=bucket, Key=key, VersionId=v["VersionId"])["Body"].read()
        ]

    assert len(holding(snap, dora)) == 1
    assert len(holding(gone, eve)) == 1

    for who, key in ((dora, snap), (eve, gone)):
        # WHEN the person asks for erasure
        receipt = api.submit_verified(email=who, type="erasure")
        view = api.wait_until_terminal(receipt, timeout=90)
        assert view["status"] == "completed", api.record(receipt["request_id"]).get(
            "attention_reason"
        )
        # THEN no version of the object holds them any more
        assert holding(key, who) == []
        # AND the closing e-mail says an earlier version was deleted, not "none found"
        text = _closing_text(api, receipt)
        assert "1 earlier version of the files that held your data deleted" in text
        assert "found none about you" not in text
    # AND Fred's current record is untouched
    assert holding(snap, fred) != []
    assert s3.get_object(Bucket=bucket, Key=snap)["Body"].read() == (header + row(fred)).encode()


# ---------------------------------------------------------------------------- records, not lines
def test_other_peoples_odd_records_keep_every_byte_when_the_person_is_erased(
    api: Api, person: Person
) -> None:
    stack = api.services.stack
    s3 = stack.client("s3")
    tag = uuid.uuid4().hex[:8]
    # GIVEN an SMS log object with a byte order mark and CRLF line endings, someone's line
    # holding a raw U+2028, a blank line, a line that is not JSON, and the person's line
    mine = json.dumps(
        {"phone": person.phone, "content": "POINTS 99", "carrier": "EE"}, separators=(",", ":")
    ).encode()
    sms = (
        codecs.BOM_UTF8
        + '{"phone":"+16170000001","content":"see you\u2028tomorrow","carrier":"O2"}\r\n'.encode()
        + b"\r\n"
        + b"{this is not json\r\n"
        + mine
        + b"\r\n"
        + b'{"phone":"+16170000002","content":"STOP","carrier":"EE"}\r\n'
    )
    sms_key = f"sms/odd-{tag}.jsonl"
    s3.put_object(Bucket=stack.resource("AcmeSmsLogBucket"), Key=sms_key, Body=sms)
    # AND a job applications CSV in Windows-1252 (as the data map declares) with CRLF line
    # endings, someone's delimiter inside a quoted field (unquoted, one field too many, the
    # object would be unreadable), someone's quoted multi-line field, and the person's row
    row = f"{person.email},{person.name},{person.phone},Analyst \u2013 Zürich,engines,tuition,"
    row += "2026-07-01"
    applications = (
        b"email,name,phone,position,history,education,applied_at\r\n"
        + 'jörg@example.de,Jörg,+16170000003,Engineer,"5 years, sales",BSc,2026-08-01\r\n'.encode(
            "cp1252"
        )
        + b'"alan@example.org","Alan","+16170000004","Designer","line one\r\nline two",'
        + b'"MSc","2026-08-02"\r\n'
        + row.encode("cp1252")
        + b"\r\n"
        + b"edsger@example.org,Edsger,+16170000005,Engineer,none,PhD,2026-08-03\r\n"
    )
    csv_key = f"applications/odd-{tag}.csv"
    s3.put_object(Bucket=stack.resource("JobApplicationsBucket"), Key=csv_key, Body=applications)
    stack.drain_notifications()  # the buckets' notifications have indexed both objects
    # WHEN the person first asks for a copy, THEN both records are read as written
    access = api.submit_verified(
        email=person.email, phone=person.phone, account_number=person.account_number
    )
    assert api.wait_until_terminal(access, timeout=90)["status"] == "completed"
    files = _package(api, access)
    sms_lines = json.loads(files["acme_sms_log.json"])
    assert {"phone": person.phone, "content": "POINTS 99", "carrier": "EE"} in sms_lines
    applied = {r["position"] for r in json.loads(files["job_applicants.json"])}
    assert applied == {"Data Engineer", "Analyst \u2013 Zürich"}
    # WHEN the person's erasure runs
    done = _erase(api, person)
    assert done["view"]["status"] == "completed", api.record(done["request_id"]).get(
        "attention_reason"
    )
    # THEN in each object only the person's record changed: every other byte is as it was
    sms_now = s3.get_object(Bucket=stack.resource("AcmeSmsLogBucket"), Key=sms_key)
    assert sms_now["Body"].read() == sms.replace(mine, b'{"phone":"","content":"","carrier":"EE"}')
    csv_now = s3.get_object(Bucket=stack.resource("JobApplicationsBucket"), Key=csv_key)
    assert csv_now["Body"].read() == applications.replace(row.encode("cp1252"), b"")
    # AND the versions as written, which held the person, are gone
    for bucket_id, key in [("AcmeSmsLogBucket", sms_key), ("JobApplicationsBucket", csv_key)]:
        versions = s3.list_object_versions(Bucket=stack.resource(bucket_id), Prefix=key)
        assert [v["IsLatest"] for v in versions["Versions"] if v["Key"] == key] == [True]
    text = _closing_text(api, done)
    assert f"{ADA_SMS_LINES + 1} records anonymised" in text
    assert "2 records deleted" in text  # job applications: the seeded row and this one


def test_an_unreadable_object_parks_the_request_naming_it_while_the_other_stores_go_on(
    api: Api, person: Person
) -> None:
    stack = api.services.stack
    s3 = stack.client("s3")
    bucket = stack.resource("AcmeSmsLogBucket")
    # GIVEN an SMS log object whose line for the person is not valid UTF-8
    broken_key = f"sms/broken-{uuid.uuid4().hex[:8]}.jsonl"
    broken = b'{"phone":"' + person.phone.encode() + b'","content":"caf' + BAD_BYTE + b'"}\n'
    s3.put_object(Bucket=bucket, Key=broken_key, Body=broken)
    stack.drain_notifications()  # indexed under what its bytes spell, though unreadable
    # WHEN the person asks for erasure
    done = _erase(api, person)
    # THEN the request waits for ops, naming the store and the object
    assert done["view"]["status"] == "needs_attention"
    record = api.record(done["request_id"])
    assert record["attention_reason"] == (
        "workflow step failed with StoresNotFulfilled: acme_sms_log: object "
        f"{broken_key} cannot be read: record 0 is not valid utf-8 "
        f"(byte {broken.index(BAD_BYTE)})"
    )
    # AND every other store went on and is done; nothing was reported to the person
    outcomes = _outcomes(api, done["request_id"])
    assert outcomes.pop("acme_sms_log")["status"] == "failed"
    assert {s: o["status"] for s, o in outcomes.items()} == dict.fromkeys(
        set(record["planned_stores"]) - {"acme_sms_log"}, "done"
    )
    assert not [m for m in api.outbox(to=person.email) if "closed" in m["subject"]]
    # WHEN the object is fixed (its writer saves it again as UTF-8) and ops retry the request
    s3.put_object(Bucket=bucket, Key=broken_key, Body=broken.replace(b"\xe9", b"\xc3\xa9"))
    stack.drain_notifications()
    answer = requests.post(
        f"{api.url}/ops/requests/{done['request_id']}/retry",
        json={"reason": "the SMS object was re-saved as UTF-8"},
        headers={"Authorization": f"Bearer {api.services.ops_token}"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    # THEN the request completes, no store was fulfilled twice, and the bad version is gone
    assert api.wait_until_terminal(done, timeout=90)["status"] == "completed"
    outcomes = _outcomes(api, done["request_id"])
    assert outcomes["acme_sms_log"]["changed"] == ADA_SMS_LINES + 1
    fulfilled = Counter(
        e["detail"]["store"]
        for e in requests.get(
            f"{api.url}/ops/requests/{done['request_id']}",
            headers={"Authorization": f"Bearer {api.services.ops_token}"},
            timeout=60,
        ).json()["audit_trail"]
        if e["action"] == "store_fulfilled"
    )
    assert set(fulfilled.values()) == {1}
    versions = s3.list_object_versions(Bucket=bucket, Prefix=broken_key)["Versions"]
    assert [v["IsLatest"] for v in versions] == [True]


# ---------------------------------------------------------------------------- local matches AWS
def test_the_local_stack_applies_the_template_settings_moto_cloudformation_skips(
    api: Api,
) -> None:
    stack = api.services.stack
    s3 = stack.client("s3")
    dynamodb = stack.client("dynamodb")
    buckets = stack.template.resources_of_type("AWS::S3::Bucket")
    assert any("VersioningConfiguration" in r["Properties"] for r in buckets.values())
    for logical_id, resource in buckets.items():
        bucket = stack.resource(logical_id)
        properties = resource["Properties"]
        versioning = properties.get("VersioningConfiguration", {}).get("Status")
        assert s3.get_bucket_versioning(Bucket=bucket).get("Status") == versioning, logical_id
        rules = properties.get("LifecycleConfiguration", {}).get("Rules", [])
        if rules:
            applied = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
            assert [r["ID"] for r in applied] == [r["Id"] for r in rules], logical_id
        if "PublicAccessBlockConfiguration" in properties:
            applied_block = s3.get_public_access_block(Bucket=bucket)
            assert (
                applied_block["PublicAccessBlockConfiguration"]
                == properties["PublicAccessBlockConfiguration"]
            )
        if "LoggingConfiguration" in properties:
            declared = properties["LoggingConfiguration"]
            logged = s3.get_bucket_logging(Bucket=bucket)["LoggingEnabled"]
            assert logged["TargetBucket"] == stack.resource(
                declared["DestinationBucketName"]["Ref"]
            )
            assert logged["TargetPrefix"] == declared["LogFilePrefix"], logical_id
    for logical_id, resource in stack.template.resources_of_type("AWS::DynamoDB::Table").items():
        table = stack.resource(logical_id)
        properties = resource["Properties"]
        if properties.get("PointInTimeRecoverySpecification", {}).get("PointInTimeRecoveryEnabled"):
            backups = dynamodb.describe_continuous_backups(TableName=table)
            recovery = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
            assert recovery["PointInTimeRecoveryStatus"] == "ENABLED", logical_id
        if properties.get("TimeToLiveSpecification", {}).get("Enabled"):
            ttl = dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
            assert ttl["TimeToLiveStatus"] == "ENABLED", logical_id
            assert ttl["AttributeName"] == properties["TimeToLiveSpecification"]["AttributeName"]
