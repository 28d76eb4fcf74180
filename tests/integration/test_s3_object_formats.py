"""S3 stores in the formats data lakes use, on moto: gzip JSON lines and Parquet found and
changed record by record, every other record unchanged in value (byte for byte in the text),
an object larger than a part rewritten as a multipart upload, and never over a change someone
else made meanwhile."""

from __future__ import annotations

import gzip
import io
import json
import uuid
from collections.abc import Iterator
from typing import Any, Final
from unittest import mock

import boto3
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from moto import mock_aws

from rightsflow.domain.canonical import Identifier
from rightsflow.domain.data_map import Store
from rightsflow.domain.fulfilment import Action, ActionKind
from rightsflow.domain.identity import Identity
from rightsflow.integration.object_index import ObjectIndex
from rightsflow.integration.stores import s3_objects
from rightsflow.integration.stores.s3_objects import ObjectChanged
from rightsflow.integration.stores.s3_store import S3Store
from rightsflow.local.moto_fixes import multipart_uploads_complete_if_match
from rightsflow.local.template import load_template
from tests.conftest import TEMPLATE

REGION: Final = "eu-west-1"
ADA = Identity(email="ada@example.com", phones=frozenset({"+442079460000"}))


def _store(kind: str, **settings: Any) -> Store:
    return Store.model_validate(
        {
            "description": "SMS log",
            "kind": kind,
            "resource": "AcmeSmsLogBucket",
            "key": ["object_key", "record"],
            "role": "controller",
            "categories": ["phone number"],
            "purposes": ["campaigns"],
            "legal_basis": "consent",
            "retention": "13 months",
            "source": "the consumer",
            "lookup": {"phone": {"attribute": "phone"}},
            "erasure": {"action": "anonymise", "fields": ["phone", "content"]},
            "rectifiable": ["content"],
            "backup": {"kind": "earlier versions of the objects", "window_days": 35},
            **settings,
        }
    )


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws(), multipart_uploads_complete_if_match():
        template = load_template(TEMPLATE).cloudformation["Resources"]
        index = template["ObjectIndexTable"]["Properties"]
        table = f"index-{uuid.uuid4().hex[:8]}"
        boto3.client("dynamodb", region_name=REGION).create_table(
            TableName=table,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=index["KeySchema"],
            AttributeDefinitions=index["AttributeDefinitions"],
        )
        bucket = f"sms-{uuid.uuid4().hex[:8]}"
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        ObjectIndex(table).completeness.mark_complete("sms")
        yield {"bucket": bucket, "table": table}


def _s3() -> Any:
    return boto3.client("s3", region_name=REGION)


def _erase_ada(store: S3Store) -> list[dict[str, Any]]:
    """Find Ada and anonymise every record of hers; returns what was found."""
    found = store.find(ADA)
    actions = [
        Action(kind=ActionKind.ANONYMISE, key=record.key, blank=["phone", "content"])
        for record in found
    ]
    store.apply(actions, lambda _: None)
    return [record.data for record in found]


def test_a_gzip_json_lines_object_is_changed_in_place_and_stays_gzip(
    aws: dict[str, str],
) -> None:
    # GIVEN a gzip SMS log of two members (an appending writer), Ada's line among others'
    lines = [
        b'{"phone": "+16175550100", "content": "caf\xc3\xa9 \xe2\x80\xa8 ok"}\r\n',
        b'{"phone": "+442079460000", "content": "POINTS 12"}\r\n',
        b"not json at all\r\n",
        b'{"phone": "+16175550101", "content": "STOP"}',
    ]
    body = gzip.compress(b"".join(lines[:2])) + gzip.compress(b"".join(lines[2:]))
    key = "sms/2026-10-01.jsonl.gz"
    _s3().put_object(Bucket=aws["bucket"], Key=key, Body=body, ContentType="application/gzip")
    ObjectIndex(aws["table"]).add("sms", Identifier.PHONE, "+442079460000", key, 1)
    store = S3Store("sms", _store("s3_jsonl"), aws["bucket"], aws["table"])

    # WHEN Ada's records are found and anonymised
    found = _erase_ada(store)

    # THEN her line was read, and only her line changed: the rest is byte for byte as it was
    assert found == [{"phone": "+442079460000", "content": "POINTS 12"}]
    written = _s3().get_object(Bucket=aws["bucket"], Key=key)
    raw = written["Body"].read()
    assert raw[:2] == b"\x1f\x8b"
    assert written["ContentType"] == "application/gzip"
    expected = b"".join(lines).replace(lines[1], b'{"phone": "", "content": ""}\r\n')
    assert gzip.decompress(raw) == expected
    assert store.find(ADA) == []


def _parquet(rows: list[dict[str, Any]], row_group_size: int) -> bytes:
    table = pa.Table.from_pylist(
        rows,
        schema=pa.schema(
            [("phone", pa.string()), ("content", pa.string()), ("sent", pa.timestamp("ms"))],
            metadata={b"writer": b"sms-gateway 4.2"},
        ),
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer, row_group_size=row_group_size, compression="zstd")
    return buffer.getvalue()


def test_a_parquet_object_loses_only_the_persons_values(aws: dict[str, str]) -> None:
    # GIVEN an SMS archive in Parquet, three row groups, Ada in the second
    import datetime as dt

    moment = dt.datetime(2026, 10, 1, 9, 30)
    rows = [{"phone": f"+1617555{n:04d}", "content": f"m{n}", "sent": moment} for n in range(9)]
    rows[4] = {"phone": "+442079460000", "content": "POINTS", "sent": moment}
    key = "archive/2025.parquet"
    _s3().put_object(Bucket=aws["bucket"], Key=key, Body=_parquet(rows, row_group_size=3))
    ObjectIndex(aws["table"]).add("sms", Identifier.PHONE, "+442079460000", key, 4)
    store = S3Store("sms", _store("s3_parquet"), aws["bucket"], aws["table"])

    # WHEN she is found and her records anonymised
    found = _erase_ada(store)

    # THEN her row was read with its values, and only her values changed
    assert found == [{"phone": "+442079460000", "content": "POINTS", "sent": "2026-10-01T09:30:00"}]
    after = pq.ParquetFile(
        io.BytesIO(_s3().get_object(Bucket=aws["bucket"], Key=key)["Body"].read())
    )
    assert after.read().to_pylist() == [
        {**row, "phone": "", "content": ""} if n == 4 else row for n, row in enumerate(rows)
    ]
    # AND the file is laid out as before: row groups, schema and its metadata, compression
    assert after.metadata.num_row_groups == 3
    assert after.schema_arrow.metadata == {b"writer": b"sms-gateway 4.2"}
    assert str(after.metadata.row_group(1).column(0).compression) == "ZSTD"
    assert store.find(ADA) == []


def test_a_parquet_row_erased_by_deletion_is_removed_and_the_others_stay(
    aws: dict[str, str],
) -> None:
    import datetime as dt

    moment = dt.datetime(2026, 10, 1, 9, 30)
    rows = [{"phone": f"+1617555{n:04d}", "content": f"m{n}", "sent": moment} for n in range(5)]
    rows[2] = {"phone": "+44 20 7946 0000", "content": "mine", "sent": moment}
    key = "archive/2024.parquet"
    _s3().put_object(Bucket=aws["bucket"], Key=key, Body=_parquet(rows, row_group_size=2))
    ObjectIndex(aws["table"]).add("sms", Identifier.PHONE, "+442079460000", key, 2)
    store = S3Store(
        "sms", _store("s3_parquet", erasure={"action": "delete"}), aws["bucket"], aws["table"]
    )
    found = store.find(ADA)
    store.apply([Action(kind=ActionKind.DELETE, key=f.key) for f in found], lambda _: None)
    body = _s3().get_object(Bucket=aws["bucket"], Key=key)["Body"].read()
    assert pq.read_table(io.BytesIO(body)).to_pylist() == rows[:2] + rows[3:]


def _big_log(lines: int) -> tuple[bytes, bytes]:
    """A JSON-lines log of about 150 bytes a line, Ada's line in the middle."""
    mine = b'{"phone": "+442079460000", "content": "POINTS 99", "carrier": "EE"}'
    parts = []
    for number in range(lines):
        if number == lines // 2:
            parts.append(mine + b"\n")
        else:
            parts.append(
                json.dumps(
                    {"phone": f"+1617{number:07d}", "content": "x" * 90, "carrier": "O2"}
                ).encode()
                + b"\n"
            )
    return b"".join(parts), mine


def test_an_object_larger_than_a_part_is_rewritten_as_a_multipart_upload(
    aws: dict[str, str],
) -> None:
    # GIVEN an SMS log of about 20 MB (three parts of 8 MiB), Ada's line in the middle
    body, mine = _big_log(140_000)
    key = "sms/big.jsonl"
    _s3().put_object(Bucket=aws["bucket"], Key=key, Body=body)
    ObjectIndex(aws["table"]).add("sms", Identifier.PHONE, "+442079460000", key, 70_000)
    store = S3Store("sms", _store("s3_jsonl"), aws["bucket"], aws["table"])

    # WHEN her record is anonymised
    _erase_ada(store)

    # THEN the object went up in parts and only her line changed
    head = _s3().head_object(Bucket=aws["bucket"], Key=key)
    assert head["ETag"].strip('"').endswith("-3")
    written = _s3().get_object(Bucket=aws["bucket"], Key=key)["Body"].read()
    assert written == body.replace(mine, b'{"phone": "", "content": "", "carrier": "EE"}')


@pytest.mark.parametrize("lines", [1_000, 140_000], ids=["one part", "multipart"])
def test_a_rewrite_never_overwrites_what_a_writer_wrote_meanwhile(
    aws: dict[str, str], lines: int
) -> None:
    # GIVEN Ada's SMS log, and a writer that appends to it while her erasure reads it
    body, _ = _big_log(lines)
    key = "sms/busy.jsonl"
    _s3().put_object(Bucket=aws["bucket"], Key=key, Body=body)
    ObjectIndex(aws["table"]).add("sms", Identifier.PHONE, "+442079460000", key, lines // 2)
    store = S3Store("sms", _store("s3_jsonl"), aws["bucket"], aws["table"])
    found = store.find(ADA)
    appended = body + b'{"phone": "+16170000000", "content": "new"}\n'
    original_finish = s3_objects.ObjectWriter.finish

    def writer_appends_first(self: s3_objects.ObjectWriter) -> dict[str, Any]:
        _s3().put_object(Bucket=aws["bucket"], Key=key, Body=appended)
        return original_finish(self)

    # WHEN the rewrite is finished after the writer's append
    with (
        mock.patch.object(s3_objects.ObjectWriter, "finish", writer_appends_first),
        pytest.raises(ObjectChanged),
    ):
        store.apply(
            [Action(kind=ActionKind.ANONYMISE, key=found[0].key, blank=["phone"])],
            lambda _: None,
        )

    # THEN the writer's version stands, whole; the step is retried on what is there now
    assert _s3().get_object(Bucket=aws["bucket"], Key=key)["Body"].read() == appended
    assert _s3().list_multipart_uploads(Bucket=aws["bucket"]).get("Uploads", []) == []


def test_a_parquet_row_holding_nan_is_erased_and_nanosecond_times_are_kept(
    aws: dict[str, str],
) -> None:
    # GIVEN a Parquet archive whose rows hold a NaN score (Ada's too) and nanosecond
    # timestamps that are not whole microseconds (written by Spark or pandas)
    table = pa.table(
        {
            "phone": ["+16175550100", "+442079460000", None],
            "content": ["a", "b", None],
            "score": [1.5, float("nan"), float("nan")],
            "sent": pa.array([1_000_000_001, 2_000_000_002, None], pa.timestamp("ns")),
        }
    )
    sink = io.BytesIO()
    pq.write_table(table, sink)
    key = "archive/nan.parquet"
    _s3().put_object(Bucket=aws["bucket"], Key=key, Body=sink.getvalue())
    ObjectIndex(aws["table"]).add("sms", Identifier.PHONE, "+442079460000", key, 1)
    store = S3Store("sms", _store("s3_parquet"), aws["bucket"], aws["table"])

    # WHEN Ada is found and her record anonymised
    found = _erase_ada(store)

    # THEN her row was read at nanosecond precision without pandas (before: unreadable) and
    # the rewrite went through (before: ObjectChanged on every try, as NaN != NaN)
    assert found[0]["sent"] == "1970-01-01T00:00:02.000000002"
    assert found[0]["phone"] == "+442079460000"
    after = pq.read_table(
        io.BytesIO(_s3().get_object(Bucket=aws["bucket"], Key=key)["Body"].read())
    )
    assert after.column("phone").to_pylist() == ["+16175550100", "", None]
    # AND every other value is as it was, to the nanosecond
    assert after.column("sent").equals(table.column("sent"))
    assert after.column("score").to_pylist()[0] == 1.5
    assert store.find(ADA) == []
