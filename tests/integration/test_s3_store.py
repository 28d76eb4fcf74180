"""The S3 connector on moto: records found through the object index and checked, changed in
place byte for byte, and erasure reaching every earlier version of the objects that held the
person, listing the versions of those objects only."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any, Final
from unittest import mock

import boto3
import pytest
from moto import mock_aws
from moto.s3.models import S3Backend

from rightsflow.domain.data_map import Identifier, Store
from rightsflow.domain.errors import ObjectUnreadable, ObjectUnwritable
from rightsflow.domain.fulfilment import Action, ActionKind, erasure_reaches
from rightsflow.domain.identity import Identity
from rightsflow.integration.object_index import ObjectIndex
from rightsflow.integration.stores.s3_store import S3Store
from rightsflow.local.template import load_template
from tests.conftest import TEMPLATE

REGION: Final = "eu-west-1"
ZOE = Identity(email="zoe.lovelace@example.fr")
KEY = "applications/2026-Q1.csv"

# A Windows-1252 export with ';' between fields, CRLF line endings, and someone else's row
# with the delimiter inside a quoted field (a row with one field too many is unreadable: see
# tests/unit/test_record_formats.py).
HEADER = "email;name;phone;notes\r\n".encode("cp1252")
JORG = 'jörg@example.de;Jörg Müller;+4930123;"5 years; sales"\r\n'.encode("cp1252")
ZOE_ROW = "Zoe.Lovelace@Example.fr;Zoë Lovelace;+3312345;«analyste»\r\n".encode("cp1252")
ALAN = 'alan@example.com;"Turing; Alan";+4420;\r\n'.encode("cp1252")


def _store(**settings: Any) -> Store:
    return Store.model_validate(
        {
            "description": "Job applications (Windows-1252 export)",
            "kind": "s3_csv",
            "resource": "JobApplicationsBucket",
            "key": ["object_key", "record"],
            "role": "controller",
            "categories": ["name"],
            "purposes": ["recruitment"],
            "legal_basis": "steps prior to a contract",
            "retention": "6 months",
            "source": "the applicant",
            "lookup": {"email": {"attribute": "email"}},
            "erasure": {"action": "delete"},
            "rectifiable": ["name"],
            "encoding": "windows-1252",
            "delimiter": ";",
            "backup": {"kind": "earlier versions of the objects", "window_days": 35},
            **settings,
        }
    )


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A versioned bucket and an object index table made as template.yaml makes them."""
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
        bucket = f"applications-{uuid.uuid4().hex[:8]}"
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        versioning = template["JobApplicationsBucket"]["Properties"]["VersioningConfiguration"]
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration=versioning)
        # The store was onboarded: its backfill ran with its notifications on.
        ObjectIndex(table).completeness.mark_complete("job_applicants")
        yield {"bucket": bucket, "table": table}


def _s3() -> Any:
    return boto3.client("s3", region_name=REGION)


def _put(bucket: str, key: str, body: bytes) -> str:
    return str(_s3().put_object(Bucket=bucket, Key=key, Body=body)["VersionId"])


def _versions(bucket: str, key: str) -> dict[str, bytes]:
    listed = _s3().list_object_versions(Bucket=bucket, Prefix=key).get("Versions", [])
    return {
        v["VersionId"]: _s3()
        .get_object(Bucket=bucket, Key=key, VersionId=v["VersionId"])["Body"]
        .read()
        for v in listed
        if v["Key"] == key
    }


@pytest.fixture
def listed_prefixes() -> Iterator[list[str]]:
    """The prefix of every ListObjectVersions call the connector makes."""
    prefixes: list[str] = []
    original = S3Backend.list_object_versions

    def recording(self: Any, bucket_name: str, *args: Any, **kwargs: Any) -> Any:
        prefixes.append(kwargs.get("prefix") or (args[2] if len(args) > 2 else ""))
        return original(self, bucket_name, *args, **kwargs)

    with mock.patch.object(S3Backend, "list_object_versions", recording):
        yield prefixes


def test_erasure_removes_the_record_and_every_earlier_version_that_held_the_person(
    aws: dict[str, str], listed_prefixes: list[str]
) -> None:
    bucket = aws["bucket"]
    store = S3Store("job_applicants", _store(), bucket, aws["table"])
    # GIVEN the object's history: before Zoë applied, with her row, then with Alan's after it
    before_zoe = _put(bucket, KEY, HEADER + JORG)
    with_zoe = _put(bucket, KEY, HEADER + JORG + ZOE_ROW)
    current = HEADER + JORG + ZOE_ROW + ALAN
    _put(bucket, KEY, current)
    ObjectIndex(aws["table"]).add("job_applicants", Identifier.EMAIL, ZOE.email, KEY, 1)
    # AND another object, whose key starts with hers, that the index does not name
    _put(bucket, KEY + ".bak", HEADER + ZOE_ROW)
    # WHEN she is found (her e-mail stored in another case) and her record deleted
    found = store.find(ZOE)
    assert [f.data["name"] for f in found] == ["Zoë Lovelace"]
    assert store.copies(ZOE) == [KEY]
    actions = [Action(kind=ActionKind.DELETE, key=found[0].key)]
    applied: list[list[Action]] = []
    store.apply(actions, lambda group: applied.append(list(group)))
    listed_prefixes.clear()
    erased = store.erase_copies(KEY, ZOE, lambda data: erasure_reaches(store.store, data))
    listed = list(listed_prefixes)
    # THEN her bytes are gone from the current version and everyone else's are unchanged
    body = _s3().get_object(Bucket=bucket, Key=KEY)["Body"].read()
    assert body == HEADER + JORG + b"\r\n" + ALAN
    assert applied == [actions]
    # AND of the earlier versions, the one that held her is deleted and the one before kept
    assert erased == 2  # the version with her row, and the one her row and Alan's had
    history = _versions(bucket, KEY)
    assert before_zoe in history
    assert with_zoe not in history
    assert sorted(history.values()) == sorted([HEADER + JORG, body])
    # AND only that object's versions were listed; the other object is untouched
    assert listed == [KEY]
    assert _s3().get_object(Bucket=bucket, Key=KEY + ".bak")["Body"].read() == HEADER + ZOE_ROW
    # AND doing it all again finds and deletes nothing more
    assert store.find(ZOE) == []
    assert store.erase_copies(KEY, ZOE, lambda data: True) == 0


def test_a_deleted_objects_earlier_versions_are_erased_and_its_delete_marker_kept(
    aws: dict[str, str],
) -> None:
    bucket = aws["bucket"]
    store = S3Store("job_applicants", _store(), bucket, aws["table"])
    _put(bucket, KEY, HEADER + JORG + ZOE_ROW)
    ObjectIndex(aws["table"]).add("job_applicants", Identifier.EMAIL, ZOE.email, KEY, 1)
    # GIVEN the company's writer deleted the object (a delete marker is now its latest)
    _s3().delete_object(Bucket=bucket, Key=KEY)
    # THEN nothing current is found, yet the object's versions are where copies are
    assert store.find(ZOE) == []
    assert store.copies(ZOE) == [KEY]
    # WHEN its copies are erased
    assert store.erase_copies(KEY, ZOE, lambda data: True) == 1
    # THEN the version holding her is gone, and the delete marker stays
    listed = _s3().list_object_versions(Bucket=bucket, Prefix=KEY)
    assert listed.get("Versions", []) == []
    assert len(listed["DeleteMarkers"]) == 1


def test_a_record_kept_under_legal_hold_does_not_make_its_versions_go(
    aws: dict[str, str],
) -> None:
    bucket = aws["bucket"]
    held = _store(
        erasure={
            "action": "delete",
            "legal_hold": {"when": {"notes": "«analyste»"}, "law": "a law", "until": "later"},
        }
    )
    store = S3Store("job_applicants", held, bucket, aws["table"])
    _put(bucket, KEY, HEADER + ZOE_ROW)
    _put(bucket, KEY, HEADER + ZOE_ROW + ALAN)
    ObjectIndex(aws["table"]).add("job_applicants", Identifier.EMAIL, ZOE.email, KEY, 0)
    assert store.erase_copies(KEY, ZOE, lambda data: erasure_reaches(held, data)) == 0
    assert len(_versions(bucket, KEY)) == 2


def test_a_stale_index_entry_never_leads_to_someone_elses_record(aws: dict[str, str]) -> None:
    bucket = aws["bucket"]
    store = S3Store("job_applicants", _store(), bucket, aws["table"])
    _put(bucket, KEY, HEADER + JORG + ALAN)
    # GIVEN an index entry saying Zoë is record 1, which is Alan's
    ObjectIndex(aws["table"]).add("job_applicants", Identifier.EMAIL, ZOE.email, KEY, 1)
    # THEN she is not found there, and nothing is changed
    assert store.find(ZOE) == []


def test_the_persons_record_that_cannot_be_read_names_store_and_object(
    aws: dict[str, str],
) -> None:
    bucket = aws["bucket"]
    store = S3Store("job_applicants", _store(encoding="utf-8"), bucket, aws["table"])
    _put(bucket, KEY, b"email;name\r\nzoe.lovelace@example.fr;Zo\xeb\r\n")  # not UTF-8
    ObjectIndex(aws["table"]).add("job_applicants", Identifier.EMAIL, ZOE.email, KEY, 0)
    with pytest.raises(ObjectUnreadable) as raised:
        store.find(ZOE)
    assert str(raised.value) == (
        f"job_applicants: object {KEY} cannot be read: record 0 is not valid utf-8 (byte 38)"
    )


def test_a_correction_the_encoding_cannot_hold_is_refused_and_nothing_changes(
    aws: dict[str, str],
) -> None:
    bucket = aws["bucket"]
    store = S3Store("job_applicants", _store(), bucket, aws["table"])
    body = HEADER + JORG + ZOE_ROW
    _put(bucket, KEY, body)
    ObjectIndex(aws["table"]).add("job_applicants", Identifier.EMAIL, ZOE.email, KEY, 1)
    found = store.find(ZOE)
    change = Action(kind=ActionKind.UPDATE, key=found[0].key, set={"name": "Zoë Őrs"})
    with pytest.raises(ObjectUnwritable, match=f"object {KEY} cannot be changed: .*U\\+0150"):
        store.apply([change], lambda group: None)
    assert _s3().get_object(Bucket=bucket, Key=KEY)["Body"].read() == body
    # A name Windows-1252 can hold is written in it, in place
    store.apply([change.model_copy(update={"set": {"name": "Zoë Œuvre"}})], lambda group: None)
    assert _s3().get_object(Bucket=bucket, Key=KEY)["Body"].read() == HEADER + JORG + (
        "Zoe.Lovelace@Example.fr;Zoë Œuvre;+3312345;«analyste»\r\n".encode("cp1252")
    )


def test_someone_elses_unreadable_record_neither_blocks_nor_is_erased_for_the_person(
    aws: dict[str, str],
) -> None:
    # GIVEN Nada's record, which is not valid UTF-8, in v1; v2 adds Ada's readable record
    bucket = aws["bucket"]
    store = S3Store("job_applicants", _store(encoding="utf-8"), bucket, aws["table"])
    nada = b"nada@example.com;N\xe4da\r\n"
    _put(bucket, KEY, b"email;name\r\n" + nada)
    _put(bucket, KEY, b"email;name\r\n" + nada + b"ada@example.com;Ada\r\n")
    ada = Identity(email="ada@example.com")
    ObjectIndex(aws["table"]).add("job_applicants", Identifier.EMAIL, ada.email, KEY, 1)

    # WHEN Ada is found, THEN her record is, and Nada's unreadable one does not stop it
    # (before: ObjectUnreadable, as "ada@example.com" is inside "nada@example.com")
    found = store.find(ada)
    assert [record.data for record in found] == [{"email": "ada@example.com", "name": "Ada"}]

    # AND erasing her earlier copies leaves v1, which holds only Nada's record
    assert store.erase_copies(KEY, ada, lambda _: True) == 0
    assert len(_versions(bucket, KEY)) == 2
    # AND a person whose own record cannot be read is still stopped on it, its bytes naming
    # her (the index leads to the object, not to that record)
    ObjectIndex(aws["table"]).add("job_applicants", Identifier.EMAIL, "nada@example.com", KEY, 1)
    with pytest.raises(ObjectUnreadable):
        store.find(Identity(email="NADA@example.com"))
