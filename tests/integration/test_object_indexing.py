"""The object indexer on moto: the S3 stores' own events keep the object index exactly what the
objects hold now (every lookup identifier in canonical form, plain, gzip or Parquet), however
often or late an event comes; what cannot be indexed leaves the store's index incomplete,
naming the object."""

from __future__ import annotations

import contextlib
import gzip
import io
import itertools
import json
import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from importlib import resources
from typing import Any, Final
from unittest import mock
from urllib.parse import quote_plus

import boto3
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from moto import mock_aws

from rightsflow.domain.canonical import Identifier
from rightsflow.domain.data_map import DataMap
from rightsflow.domain.errors import IndexIncomplete, StoreUnavailable
from rightsflow.integration.object_index import ObjectIndex
from rightsflow.local.template import load_template
from rightsflow.service.object_indexing import IndexingFailed, NotificationsOff, ObjectIndexing
from tests.conftest import TEMPLATE

REGION: Final = "eu-west-1"
ZOE_AS_WRITTEN = "Zoe.Lovelace@Example.FR"
ZOE = "zoe.lovelace@example.fr"
HEADER = b"email,name,phone,position,history,education,applied_at\r\n"
JORG = "jörg@example.de,Jörg,+16170000003,Engineer,5 years,BSc,2026-08-01\r\n".encode("cp1252")
ZOE_ROW = f"{ZOE_AS_WRITTEN},Zoë,+33123456789,Analyst,none,MSc,2026-08-02\r\n".encode("cp1252")
_SEQUENCE = itertools.count(1)


def _data_map() -> DataMap:
    """The product's data map, plus an archive of SMS as Parquet objects."""
    text = resources.files("rightsflow").joinpath("datamap.yaml").read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    archive = dict(document["stores"]["acme_sms_log"])
    archive.pop("encoding")
    document["stores"]["sms_archive"] = {
        **archive,
        "description": "SMS messages of past years, as Parquet",
        "kind": "s3_parquet",
        "resource": "SmsArchiveBucket",
        "prefix": "archive/",
    }
    return DataMap.model_validate(document)


@pytest.fixture
def indexing(monkeypatch: pytest.MonkeyPatch) -> Iterator[ObjectIndexing]:
    """The indexer over versioned buckets and an index table made as template.yaml makes them."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws():
        template = load_template(TEMPLATE).cloudformation["Resources"]
        index = template["ObjectIndexTable"]["Properties"]
        table = f"index-{uuid.uuid4().hex[:8]}"
        boto3.client("dynamodb", region_name=REGION).create_table(
            TableName=table,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=index["KeySchema"],
            AttributeDefinitions=index["AttributeDefinitions"],
        )
        names = {"ObjectIndexTable": table}
        s3 = boto3.client("s3", region_name=REGION)
        for logical_id in ("JobApplicationsBucket", "AcmeSmsLogBucket", "SmsArchiveBucket"):
            bucket = f"{logical_id.lower()[:20]}-{uuid.uuid4().hex[:8]}"
            s3.create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
            )
            s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
            names[logical_id] = bucket
        service = ObjectIndexing(_data_map(), names, ObjectIndex(table))
        for store in ("job_applicants", "acme_sms_log", "sms_archive"):
            service.index.completeness.mark_complete(store)  # onboarded: backfilled
        yield service


def _s3() -> Any:
    return boto3.client("s3", region_name=REGION)


def _put(indexing: ObjectIndexing, store: str, key: str, body: bytes) -> dict[str, Any]:
    """Write an object as a company's writer does; returns the event S3 sends for it."""
    bucket = indexing.bucket(store)
    answer = _s3().put_object(Bucket=bucket, Key=key, Body=body)
    return _event("ObjectCreated:Put", bucket, key, answer.get("VersionId"))


def _event(name: str, bucket: str, key: str, version: str | None = None) -> dict[str, Any]:
    s3_object: dict[str, Any] = {"key": quote_plus(key), "sequencer": f"{next(_SEQUENCE):020X}"}
    if version:
        s3_object["versionId"] = version
    return {
        "eventSource": "aws:s3",
        "eventName": name,
        "s3": {"bucket": {"name": bucket}, "object": s3_object},
    }


def _found(indexing: ObjectIndexing, store: str, identifier: Identifier, value: str) -> list[Any]:
    return sorted(indexing.index.entries(store, identifier, value))


def test_a_new_object_is_indexed_under_each_identifier_in_canonical_form(
    indexing: ObjectIndexing,
) -> None:
    # GIVEN the applicant tracking system exports a CSV where Zoë's address is as she typed it
    event = _put(indexing, "job_applicants", "applications/2026 Q1.csv", HEADER + JORG + ZOE_ROW)

    # WHEN its notification arrives
    counts = indexing.handle_events([event])

    # THEN her record is found by her canonical address, Jörg's by his
    assert (counts.indexed, counts.records, counts.entries_added) == (1, 2, 2)
    assert _found(indexing, "job_applicants", Identifier.EMAIL, ZOE) == [
        ("applications/2026 Q1.csv", 1)
    ]
    assert _found(indexing, "job_applicants", Identifier.EMAIL, "jörg@EXAMPLE.DE") == [
        ("applications/2026 Q1.csv", 0)
    ]
    # AND an object outside every store's prefix is none of the indexer's business
    other = _put(indexing, "job_applicants", "exports/2026-Q1.csv", HEADER + ZOE_ROW)
    assert indexing.handle_events([other]).objects == 0


def test_a_field_listing_several_addresses_files_the_record_under_each_of_them(
    indexing: ObjectIndexing,
) -> None:
    # GIVEN an application sent for two people, its e-mail field listing both addresses
    shared = (
        f'"{ZOE_AS_WRITTEN}; Ada.Byron@Example.COM",Zoë and Ada,,Analyst,none,MSc,2026-08-02\r\n'
    ).encode("cp1252")
    event = _put(indexing, "job_applicants", "applications/shared.csv", HEADER + JORG + shared)

    # WHEN its notification arrives
    indexing.handle_events([event])

    # THEN the record is found for each listed person, by their whole canonical address
    for person in (ZOE, "ada.byron@example.com"):
        assert _found(indexing, "job_applicants", Identifier.EMAIL, person) == [
            ("applications/shared.csv", 1)
        ], person
    # AND never for an address that is only part of one listed
    assert _found(indexing, "job_applicants", Identifier.EMAIL, "da.byron@example.com") == []
    assert _found(indexing, "job_applicants", Identifier.EMAIL, "byron@example.com") == []


def test_the_same_event_twice_or_a_backfill_after_it_changes_nothing(
    indexing: ObjectIndexing,
) -> None:
    # GIVEN an object indexed from its event
    event = _put(indexing, "job_applicants", "applications/q.csv", HEADER + ZOE_ROW)
    indexing.handle_events([event])
    before = list(indexing.index.object_entries("job_applicants", "applications/q.csv"))

    # WHEN the event is delivered again, and the backfill lists the object too
    again = indexing.handle_events([event])
    backfilled = indexing.backfill_batch("job_applicants", [{"Key": "applications/q.csv"}])

    # THEN nothing was written, and the entries are as they were
    assert (again.unchanged, again.entries_added, again.entries_removed) == (1, 0, 0)
    assert (backfilled["unchanged"], backfilled["entries_added"]) == (1, 0)
    assert list(indexing.index.object_entries("job_applicants", "applications/q.csv")) == before


def test_a_late_event_cannot_bring_back_the_entries_of_a_version_that_is_gone(
    indexing: ObjectIndexing,
) -> None:
    # GIVEN Zoë's row was written, then the object was written again without it
    first = _put(indexing, "job_applicants", "applications/q.csv", HEADER + ZOE_ROW)
    second = _put(indexing, "job_applicants", "applications/q.csv", HEADER + JORG)

    # WHEN the second version's event comes first and the first version's late
    indexing.handle_events([second])
    indexing.handle_events([first])

    # THEN the index holds what the object holds now: Jörg, not Zoë
    assert _found(indexing, "job_applicants", Identifier.EMAIL, ZOE) == []
    assert _found(indexing, "job_applicants", Identifier.EMAIL, "jörg@example.de") == [
        ("applications/q.csv", 0)
    ]


def test_a_removed_object_takes_its_entries_with_it(indexing: ObjectIndexing) -> None:
    bucket = indexing.bucket("job_applicants")
    indexing.handle_events(
        [_put(indexing, "job_applicants", "applications/q.csv", HEADER + ZOE_ROW)]
    )
    # WHEN the writer deletes the object (a versioned bucket keeps it behind a delete marker)
    _s3().delete_object(Bucket=bucket, Key="applications/q.csv")
    counts = indexing.handle_events(
        [_event("ObjectRemoved:DeleteMarkerCreated", bucket, "applications/q.csv")]
    )
    # THEN nobody is found in it any more
    assert (counts.removed, counts.entries_removed) == (1, 1)
    assert _found(indexing, "job_applicants", Identifier.EMAIL, ZOE) == []


def test_gzip_json_lines_and_parquet_objects_are_indexed(indexing: ObjectIndexing) -> None:
    # GIVEN an SMS log written as gzip (two members, as an appending writer leaves it)
    lines = [
        {"phone": "+44 20 7946 0000", "content": "JOIN"},
        {"phone": "+16175550100", "content": "STOP"},
    ]
    body = b"".join(gzip.compress((json.dumps(line) + "\n").encode()) for line in lines)
    sms = _put(indexing, "acme_sms_log", "sms/2026-10-01.jsonl.gz", body)
    # AND an archive of SMS as Parquet, in two row groups
    table = pa.table(
        {
            "phone": ["+16175550100", "+442079460000", "+16175550101"],
            "content": ["a", "b", "c"],
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer, row_group_size=2)
    archive = _put(indexing, "sms_archive", "archive/2025.parquet", buffer.getvalue())

    # WHEN their notifications arrive
    counts = indexing.handle_events([sms, archive])

    # THEN each record is indexed under its number in E.164, wherever it is
    assert (counts.indexed, counts.records) == (2, 5)
    assert _found(indexing, "acme_sms_log", Identifier.PHONE, "+442079460000") == [
        ("sms/2026-10-01.jsonl.gz", 0)
    ]
    assert _found(indexing, "sms_archive", Identifier.PHONE, "+442079460000") == [
        ("archive/2025.parquet", 1)
    ]


def test_an_object_that_cannot_be_read_leaves_the_index_incomplete_until_it_is_fixed(
    indexing: ObjectIndexing,
) -> None:
    # GIVEN a gzip object cut short by its writer
    whole = gzip.compress(b'{"phone": "+442079460000"}\n' * 50)
    event = _put(indexing, "acme_sms_log", "sms/cut.jsonl.gz", whole[: len(whole) // 2])

    # WHEN its notification arrives
    counts = indexing.handle_events([event])

    # THEN it is counted unreadable, and a request through the index parks naming the object
    assert counts.unreadable == 1
    with pytest.raises(IndexIncomplete, match=r"object sms/cut\.jsonl\.gz could not be indexed"):
        indexing.index.require_complete("acme_sms_log")

    # WHEN the writer writes it again whole
    indexing.handle_events([_put(indexing, "acme_sms_log", "sms/cut.jsonl.gz", whole)])

    # THEN the index is complete again and finds what it holds
    indexing.index.require_complete("acme_sms_log")
    assert _found(indexing, "acme_sms_log", Identifier.PHONE, "+442079460000") == [
        ("sms/cut.jsonl.gz", n) for n in range(50)
    ]


def test_an_indexing_failure_is_noted_and_the_event_fails_to_be_delivered_again(
    indexing: ObjectIndexing,
) -> None:
    event = _put(indexing, "job_applicants", "applications/q.csv", HEADER + ZOE_ROW)
    # GIVEN the index table refuses writes for a while
    with (
        mock.patch.object(
            ObjectIndex, "replace_entries", side_effect=StoreUnavailable("throttled")
        ),
        pytest.raises(IndexingFailed),
    ):
        # WHEN the notification arrives, THEN it fails (Lambda delivers it again)
        indexing.handle_events([event])
    # AND meanwhile the store's index is not complete, naming the object
    with pytest.raises(IndexIncomplete, match=r"applications/q\.csv"):
        indexing.index.require_complete("job_applicants")
    # WHEN Lambda delivers it again and the table takes writes
    indexing.handle_events([event])
    # THEN the index is complete and finds Zoë
    indexing.index.require_complete("job_applicants")
    assert _found(indexing, "job_applicants", Identifier.EMAIL, ZOE) == [("applications/q.csv", 0)]


def test_a_rebuild_indexes_again_what_a_plain_backfill_finds_unchanged(
    indexing: ObjectIndexing,
) -> None:
    # GIVEN an indexed object whose entries were filed under an older canonical form (here:
    # lost), which the object's state cannot tell, since the object itself did not change
    event = _put(indexing, "job_applicants", "applications/q.csv", HEADER + ZOE_ROW)
    indexing.handle_events([event])
    for entry in list(indexing.index.object_entries("job_applicants", "applications/q.csv")):
        indexing.index._write("job_applicants", "applications/q.csv", [("delete", entry)])
    assert _found(indexing, "job_applicants", Identifier.EMAIL, ZOE) == []

    # WHEN the backfill runs as usual, THEN it finds the object as it indexed it: no change
    plain = indexing.backfill_batch("job_applicants", [{"Key": "applications/q.csv"}])
    assert (plain["unchanged"], plain["entries_added"]) == (1, 0)

    # WHEN ops rebuild, THEN every object is read again and filed in today's form
    rebuilt = indexing.backfill_batch(
        "job_applicants", [{"Key": "applications/q.csv"}], rebuild=True
    )
    assert (rebuilt["indexed"], rebuilt["entries_added"]) == (1, 1)
    assert _found(indexing, "job_applicants", Identifier.EMAIL, ZOE) == [("applications/q.csv", 0)]


def test_an_indexer_finishing_an_older_version_leaves_a_newer_versions_failure_noted(
    indexing: ObjectIndexing,
) -> None:
    # GIVEN indexer A reads version 1 of an SMS log slowly (a large object)
    store, key = "acme_sms_log", "sms/big.jsonl"
    bob = b'{"phone": "+16175550100", "content": "hi"}\n'
    first = _put(indexing, store, key, bob * 3)
    newer: dict[str, Any] = {}
    real_entries = ObjectIndexing.entries

    def meanwhile(self: ObjectIndexing, *arguments: Any) -> Iterator[Any]:
        # WHILE A reads, the writer appends Ada's line (version 2) and version 2's event
        # fails past its retries (A holds the object's lease: ObjectBusy)
        if not newer:
            newer["event"] = _put(
                indexing, store, key, bob * 3 + b'{"phone": "+442079460000", "content": "x"}\n'
            )
            with (
                mock.patch.object(ObjectIndex.acquire, "__defaults__", (0.0,)),
                pytest.raises(IndexingFailed),
            ):
                indexing.handle_events([newer["event"]])
        yield from real_entries(self, *arguments)

    with mock.patch.object(ObjectIndexing, "entries", meanwhile):
        indexing.handle_events([first])

    # THEN A's finishing version 1 did not clear version 2's mark: not complete, naming it
    with pytest.raises(IndexIncomplete, match=r"sms/big\.jsonl could not be indexed"):
        indexing.index.require_complete(store)
    # AND once version 2 is indexed, Ada is found and the store is complete
    indexing.handle_events([newer["event"]])
    indexing.index.require_complete(store)
    assert _found(indexing, store, Identifier.PHONE, "+442079460000") == [(key, 3)]


def test_an_indexer_stopped_by_lambda_midway_leaves_the_object_marked_in_progress(
    indexing: ObjectIndexing,
) -> None:
    # GIVEN an object whose indexer Lambda stops midway (timeout, out of memory)
    store, key = "acme_sms_log", "sms/huge.jsonl"
    event = _put(indexing, store, key, b'{"phone": "+442079460000"}\n' * 3)
    with (
        mock.patch.object(ObjectIndex, "replace_entries", side_effect=SystemExit(137)),
        pytest.raises(SystemExit),
    ):
        indexing.handle_events([event])

    # THEN the store is not complete: the object is being indexed (a request retries)
    with pytest.raises(StoreUnavailable, match=r"sms/huge\.jsonl is being indexed"):
        indexing.index.require_complete(store)
    # AND once the indexer's longest run is past, ops read that it never finished
    (mark,) = indexing.index.completeness.marks(store)
    later = datetime.fromisoformat(mark.at.replace("Z", "+00:00")) + timedelta(seconds=901)
    with mock.patch("rightsflow.integration.index_completeness.utc_now", return_value=later):
        [(where, why)] = indexing.index.completeness.unindexed(store)
        assert where == key
        assert "never finished" in why
        with pytest.raises(IndexIncomplete, match=r"never finished"):
            indexing.index.require_complete(store)
    # AND a backfill re-run reads it again (it is marked: never "unchanged")
    assert indexing.backfill_batch(store, [{"Key": key}])["indexed"] == 1
    indexing.index.require_complete(store)


def test_a_failed_backfill_batch_marks_only_its_culprit_and_a_rerun_clears_it(
    indexing: ObjectIndexing,
) -> None:
    # GIVEN a batch of three good objects and one whose indexing fails
    store = "job_applicants"
    keys = [f"applications/ok-{n}.csv" for n in range(3)]
    for key in keys:
        _put(indexing, store, key, HEADER + JORG)
    _put(indexing, store, "applications/bad.csv", HEADER + ZOE_ROW)
    real = ObjectIndex.replace_entries

    def failing(self: ObjectIndex, store: str, key: str, *rest: Any, **named: Any) -> Any:
        if key == "applications/bad.csv":
            raise StoreUnavailable("the index table refused the write")
        return real(self, store, key, *rest, **named)

    items = [{"Key": key} for key in [*keys, "applications/bad.csv"]]
    with (
        mock.patch.object(ObjectIndex, "replace_entries", failing),
        pytest.raises(StoreUnavailable),
    ):
        indexing.backfill_batch(store, items)

    # THEN only the culprit is marked, with its own reason, and a request names it
    [(where, why)] = indexing.index.completeness.unindexed(store)
    assert where == "applications/bad.csv"
    assert "the index table refused the write" in why
    with pytest.raises(IndexIncomplete, match=r"applications/bad\.csv"):
        indexing.index.require_complete(store)
    # WHEN the backfill runs again, THEN the culprit is indexed again and the store complete
    again = indexing.backfill_batch(store, items)
    assert (again["indexed"], again["unchanged"]) == (1, 3)
    indexing.index.require_complete(store)
    assert _found(indexing, store, Identifier.EMAIL, ZOE) == [("applications/bad.csv", 0)]


def test_a_key_of_1024_bytes_is_indexed_and_found(indexing: ObjectIndexing) -> None:
    # GIVEN an object whose key is as long as S3 allows
    key = "applications/" + "w" * (1024 - len("applications/") - 4) + ".csv"
    assert len(key.encode()) == 1024
    # WHEN it is written, THEN it is indexed and Zoë found in it, the store complete
    event = _put(indexing, "job_applicants", key, HEADER + ZOE_ROW)
    assert indexing.handle_events([event]).indexed == 1
    indexing.index.require_complete("job_applicants")
    assert _found(indexing, "job_applicants", Identifier.EMAIL, ZOE) == [(key, 0)]


def test_entries_an_overwrite_or_delete_marker_leaves_stay_tagged_with_their_version(
    indexing: ObjectIndexing,
) -> None:
    store, bucket = "job_applicants", indexing.bucket("job_applicants")
    # GIVEN Zoë's row is in version 1 of a snapshot, and the writer overwrites it without her
    first = _put(indexing, store, "applications/snap.csv", HEADER + ZOE_ROW)
    indexing.handle_events([first])
    indexing.handle_events([_put(indexing, store, "applications/snap.csv", HEADER + JORG)])
    # AND another object holding her is deleted behind a delete marker
    old = _put(indexing, store, "applications/old.csv", HEADER + ZOE_ROW)
    indexing.handle_events([old])
    _s3().delete_object(Bucket=bucket, Key="applications/old.csv")
    indexing.handle_events(
        [_event("ObjectRemoved:DeleteMarkerCreated", bucket, "applications/old.csv")]
    )

    # THEN the current versions do not name her, their old versions do
    assert _found(indexing, store, Identifier.EMAIL, ZOE) == []
    kept = sorted(indexing.index.version_entries(store, Identifier.EMAIL, ZOE))
    version_one = first["s3"]["object"]["versionId"]
    assert kept == sorted(
        [
            ("applications/snap.csv", version_one, 0),
            ("applications/old.csv", old["s3"]["object"]["versionId"], 0),
        ]
    )
    # WHEN version 1 of the snapshot is deleted, THEN its entries go with it
    _s3().delete_object(Bucket=bucket, Key="applications/snap.csv", VersionId=version_one)
    indexing.handle_events(
        [_event("ObjectRemoved:Delete", bucket, "applications/snap.csv", version_one)]
    )
    assert [k for k, _, _ in indexing.index.version_entries(store, Identifier.EMAIL, ZOE)] == [
        "applications/old.csv"
    ]
    indexing.index.require_complete(store)


def test_the_backfill_indexes_versions_older_than_the_notifications(
    indexing: ObjectIndexing,
) -> None:
    store, bucket = "job_applicants", indexing.bucket("job_applicants")
    s3 = _s3()
    # GIVEN, before Rightsflow was there (no event ever sent), Zoë's row was in a snapshot
    # re-exported without her, in a file deleted behind a delete marker, and in a file under
    # another store's prefix; and a gzip version cut short
    first = s3.put_object(Bucket=bucket, Key="applications/snap.csv", Body=HEADER + ZOE_ROW)
    s3.put_object(Bucket=bucket, Key="applications/snap.csv", Body=HEADER + JORG)
    gone = s3.put_object(Bucket=bucket, Key="applications/gone.csv", Body=HEADER + ZOE_ROW)
    s3.delete_object(Bucket=bucket, Key="applications/gone.csv")
    s3.put_object(Bucket=bucket, Key="applications/cut.csv.gz", Body=gzip.compress(HEADER)[:-9])
    s3.put_object(Bucket=bucket, Key="applications/cut.csv.gz", Body=gzip.compress(HEADER))
    s3.put_object(Bucket=bucket, Key="elsewhere/x.csv", Body=HEADER + ZOE_ROW)
    s3.put_object(Bucket=bucket, Key="elsewhere/x.csv", Body=HEADER)
    for key in ("applications/snap.csv", "applications/cut.csv.gz"):
        indexing.backfill_batch(store, [{"Key": key}])  # the map's part: current objects

    # WHEN the backfill reads the earlier versions, a page of two at a time, stopping as its
    # time runs out and going on where it stopped
    stopped = indexing.backfill_versions(store, {}, seconds=0, page_size=2)
    assert (stopped["complete"], stopped["versions"]) == (False, 0)
    done = indexing.backfill_versions(store, stopped, page_size=2)

    # THEN the old versions that held Zoë lead erasure to their objects, and only they
    assert done["complete"] is True
    assert sorted(indexing.index.version_entries(store, Identifier.EMAIL, ZOE)) == sorted(
        [
            ("applications/gone.csv", gone["VersionId"], 0),
            ("applications/snap.csv", first["VersionId"], 0),
        ]
    )
    assert _found(indexing, store, Identifier.EMAIL, ZOE) == []
    # AND the version that cannot be read is named, and the store's current data is indexed
    assert [u.split("@")[0] for u in done["unreadable"]] == ["applications/cut.csv.gz"]
    assert done["versions"] == 2
    # AND a second run reads none of them again
    again = indexing.backfill_versions(store, {})
    assert (again["complete"], again["versions"]) == (True, 0)


def test_a_backfill_clears_the_mark_an_older_build_left_on_an_object_now_ignored(
    indexing: ObjectIndexing,
) -> None:
    store, bucket = "sms_archive", indexing.bucket("sms_archive")
    # GIVEN Spark's `_SUCCESS` marker in the archive, which an older build read and noted
    # unreadable (so every request of the store parked)
    _s3().put_object(Bucket=bucket, Key="archive/_SUCCESS", Body=b"")
    indexing.index.completeness.note_unindexed(store, "archive/_SUCCESS", "not a Parquet file")
    with pytest.raises(IndexIncomplete):
        indexing.index.require_complete(store)

    # WHEN ops run the backfill (its map finds nothing of the store's to index)
    _s3().put_object(
        Bucket=bucket,
        Key="results/manifest.json",
        Body=json.dumps({"ResultFiles": {"SUCCEEDED": [], "FAILED": []}}).encode(),
    )
    written = {"ResultWriterDetails": {"Bucket": bucket, "Key": "results/manifest.json"}}
    result = indexing.finish_backfill(store, written)

    # THEN the marker no longer blocks the store: its index is complete
    assert result["complete"] is True, result
    indexing.index.require_complete(store)


def _notify(indexing: ObjectIndexing, store: str, events: list[str], rules: list[Any]) -> str:
    """Configure the store's bucket to notify a function of these events; returns its ARN."""
    arn = "arn:aws:lambda:eu-west-1:123456789012:function:object-indexer"
    lam = boto3.client("lambda", region_name=REGION)
    role = boto3.client("iam", region_name=REGION).create_role(
        RoleName=f"r-{uuid.uuid4().hex[:6]}", AssumeRolePolicyDocument="{}"
    )["Role"]["Arn"]
    with contextlib.suppress(Exception):
        lam.create_function(
            FunctionName="object-indexer",
            Runtime="python3.12",
            Role=role,
            Handler="app.handler",
            Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
        )
    configuration: dict[str, Any] = {"LambdaFunctionArn": arn, "Events": events}
    if rules:
        configuration["Filter"] = {"Key": {"FilterRules": rules}}
    _s3().put_bucket_notification_configuration(
        Bucket=indexing.bucket(store),
        NotificationConfiguration={"LambdaFunctionConfigurations": [configuration]},
    )
    return arn


@pytest.mark.parametrize(
    ("events", "rules", "named"),
    [
        (
            ["s3:ObjectCreated:Put", "s3:ObjectRemoved:DeleteMarkerCreated"],
            [{"Name": "prefix", "Value": "sms/"}],
            "s3:ObjectCreated:CompleteMultipartUpload, s3:ObjectCreated:Copy",
        ),
        (
            ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
            [{"Name": "prefix", "Value": "sms/"}, {"Name": "suffix", "Value": ".jsonl"}],
            "suffix '.jsonl'",
        ),
        (
            ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
            [{"Name": "prefix", "Value": "sms/x"}],
            "prefix 'sms/x'",
        ),
    ],
)
def test_a_backfill_refuses_to_start_where_notifications_miss_some_objects(
    indexing: ObjectIndexing, events: list[str], rules: list[Any], named: str
) -> None:
    # GIVEN the SMS log's bucket notifies the indexer of some events, or some objects, only
    arn = _notify(indexing, "acme_sms_log", events, rules)
    # WHEN ops start its backfill, THEN it does not start, naming what is missing
    with pytest.raises(NotificationsOff, match=re.escape(named)):
        indexing.prepare_backfill("acme_sms_log", arn)
    # AND with every created and removed event under its prefix, it starts
    _notify(
        indexing,
        "acme_sms_log",
        ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
        [{"Name": "prefix", "Value": "sms/"}],
    )
    assert indexing.prepare_backfill("acme_sms_log", arn)["prefix"] == "sms/"
