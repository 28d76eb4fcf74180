"""S3 stores that index themselves (issue 16), end to end on a stack of their own: an object a
company's system writes through the AWS endpoint after start-up is found by the next request
and erased by an erasure; a store whose index is not complete parks requests naming it; ops
backfill thousands of objects that existed before with `rightsflow ops index STORE`, which
shows progress and the final counts."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import uuid
import zipfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote_plus

import boto3
import pytest
import requests
from typer.testing import CliRunner

from rightsflow.cli import app as cli
from rightsflow.domain.canonical import Identifier
from rightsflow.integration.identifier_index import IdentifierIndex
from rightsflow.integration.object_index import ObjectIndex
from rightsflow.service.ops_actions import retry_parked
from tests.conftest import running_stack
from tests.support import Api, wait_for

pytestmark = pytest.mark.e2e

HEADER = ["email", "name", "phone", "position", "history", "education", "applied_at"]
PRE_EXISTING_OBJECTS = 2_000
ROWS_PER_OBJECT = 3


@pytest.fixture(scope="module")
def lake() -> Iterator[Api]:
    """A stack of its own, with its AWS endpoint served (rightsflow local's --aws-port)."""
    from rightsflow.local.services import LocalServices

    for running in running_stack(aws_endpoint=True):
        assert isinstance(running, LocalServices)
        assert running.aws_endpoint
        yield Api(running)


def _outside(api: Api, service: str) -> Any:
    """A client of the local AWS endpoint, as a company's own system would hold one."""
    return boto3.client(  # type: ignore[call-overload]
        service,
        endpoint_url=api.services.aws_endpoint,
        region_name=api.services.stack.options.region,
        aws_access_key_id="their-system",
        aws_secret_access_key="their-system",
    )


def _person(label: str) -> dict[str, str]:
    number = uuid.uuid4().int % 10**8
    return {
        "email": f"{label}.{number}@example.net",
        "written_email": f"{label.title()}.{number}@Example.NET",
        "phone": f"+44113496{number % 10000:04d}",
        "written_phone": f"+44 113 496 {number % 10000:04d}",
        "name": f"{label.title()} {number}",
    }


def _csv(rows: list[dict[str, str]]) -> bytes:
    """A quarter's export as the applicant tracking system writes it (Windows-1252, CRLF)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("cp1252")


def _applicant(person: dict[str, str], position: str = "Data Engineer") -> dict[str, str]:
    return {
        "email": person["written_email"],
        "name": person["name"],
        "phone": person["written_phone"],
        "position": position,
        "history": "analyst",
        "education": "MSc",
        "applied_at": "2026-11-02",
    }


def _ops_cli(api: Api, *arguments: str) -> tuple[int, str]:
    result = CliRunner(env={"COLUMNS": "250"}).invoke(
        cli, ["ops", "--endpoint", api.url, "--token", api.services.ops_token, *arguments]
    )
    own = [line for line in result.output.splitlines() if not line.startswith("{")]
    return result.exit_code, "\n".join(own)


def _package(api: Api, receipt: dict[str, Any]) -> dict[str, Any]:
    """Download the copy as the person would (the page's Download button), and open it."""
    wait_for(
        lambda: [
            m
            for m in api.outbox(to=receipt["email"])
            if "closed" in m["subject"] and receipt["request_id"] in m["subject"]
        ]
    )
    link = api.session.get(
        f"{api.url}/requests/{receipt['request_id']}/package",
        headers={"X-Request-Token": receipt["status_token"]},
        allow_redirects=False,
        timeout=30,
    )
    assert link.status_code == 303, link.text
    archive = zipfile.ZipFile(
        io.BytesIO(requests.get(link.headers["Location"], timeout=30).content)
    )
    return {
        name: json.loads(archive.read(name))
        for name in archive.namelist()
        if name.endswith(".json") and name != "about.json"
    }


def test_an_object_written_after_start_up_is_found_by_the_next_request_and_erased(
    lake: Api,
) -> None:
    stack = lake.services.stack
    person = _person("zelda")
    other = _person("otto")
    s3 = _outside(lake, "s3")
    sms_bucket = stack.resource("AcmeSmsLogBucket")
    jobs_bucket = stack.resource("JobApplicationsBucket")
    # GIVEN the company's systems write, through the AWS endpoint, a gzip SMS log and an
    # applications export holding the person among others, knowing nothing of Rightsflow
    sms_lines = [
        {"phone": other["phone"], "content": "JOIN ACME", "carrier": "O2"},
        {"phone": person["written_phone"], "content": "POINTS 7", "carrier": "EE"},
        {"phone": other["phone"], "content": "STOP", "carrier": "O2"},
    ]
    sms_text = "".join(json.dumps(line) + "\n" for line in sms_lines).encode()
    sms_key = f"sms/2026-11-{uuid.uuid4().hex[:6]}.jsonl.gz"
    s3.put_object(Bucket=sms_bucket, Key=sms_key, Body=gzip.compress(sms_text))
    jobs_key = f"applications/2026-Q4-{uuid.uuid4().hex[:6]}.csv"
    jobs = _csv([_applicant(other, "Designer"), _applicant(person)])
    s3.put_object(Bucket=jobs_bucket, Key=jobs_key, Body=jobs)

    # AND acme's CRM holds the person's profile (where the phone that reaches the SMS log is)
    _outside(lake, "dynamodb").put_item(
        TableName=stack.resource("AcmeProfilesTable"),
        Item={
            "profile_id": {"S": f"acme-p-{uuid.uuid4().hex[:8]}"},
            "name": {"S": person["name"]},
            "email": {"S": person["written_email"]},
            "phone": {"S": person["written_phone"]},
            "marketing_opt_in": {"BOOL": True},
        },
    )

    # THEN within seconds both objects are in the index (nobody told Rightsflow)
    index = ObjectIndex(stack.resource("ObjectIndexTable"))
    profiles = IdentifierIndex(stack.resource("IdentifierIndexTable"))
    wait_for(
        lambda: (
            list(index.entries("acme_sms_log", Identifier.PHONE, person["phone"]))
            and list(index.entries("job_applicants", Identifier.EMAIL, person["email"]))
            and profiles.keys("acme_profiles", Identifier.EMAIL, person["email"])
        ),
        timeout=10,
    )

    # WHEN the person asks for a copy of their data
    access = lake.submit_verified(email=person["email"], phone=person["phone"])
    assert lake.wait_until_terminal(access)["status"] == "completed"

    # THEN the copy holds both records, from the objects written after start-up
    files = _package(lake, access)
    assert [r["content"] for r in files["acme_sms_log.json"]] == ["POINTS 7"]
    assert [r["position"] for r in files["job_applicants.json"]] == ["Data Engineer"]

    # WHEN the person asks for erasure
    erasure = lake.submit_verified(email=person["email"], phone=person["phone"], type="erasure")
    view = lake.wait_until_terminal(erasure)
    assert view["status"] == "completed", lake.record(erasure["request_id"]).get("attention_reason")

    # THEN the objects, read through the AWS endpoint, no longer hold the person: her SMS
    # line is anonymised in the still-gzip log, her row deleted from the export, and every
    # other byte is as the systems wrote it
    sms_now = s3.get_object(Bucket=sms_bucket, Key=sms_key)["Body"].read()
    anonymised = json.dumps({"phone": "", "content": "", "carrier": "EE"}).encode()
    assert gzip.decompress(sms_now) == sms_text.replace(
        json.dumps(sms_lines[1]).encode(), anonymised
    )
    jobs_now = s3.get_object(Bucket=jobs_bucket, Key=jobs_key)["Body"].read()
    assert jobs_now == _csv([_applicant(other, "Designer")]) + b"\r\n"
    assert person["email"].encode() not in jobs_now.lower()


def _retry(api: Api, request_id: str, reason: str) -> None:
    from rightsflow.integration.requests_store import RequestsStore
    from rightsflow.integration.workflow import Workflow

    stack = api.services.stack
    retry_parked(
        RequestsStore(stack.resource("RequestsTable"), stack.resource("AuditTable")),
        Workflow(stack.state_machine_arn),
        request_id,
        actor="ops-carol",
        reason=reason,
    )


def _only_in_old_versions(
    s3: Any, bucket: str, instead: dict[str, str]
) -> tuple[dict[str, str], list[str]]:
    """Someone whose application is only in old versions: an export re-written with `instead`
    in their place, and one deleted behind a delete marker. Returns them and the two keys."""
    former = _person("former")
    keys = ["applications/archive/deleted.csv", "applications/archive/rewritten.csv"]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=_csv([_applicant(former)]))
    s3.put_object(Bucket=bucket, Key=keys[1], Body=_csv([_applicant(instead)]))
    s3.delete_object(Bucket=bucket, Key=keys[0])
    return former, keys


def test_a_store_not_yet_indexed_parks_requests_until_ops_backfill_its_objects(
    lake: Api,
) -> None:
    stack = lake.services.stack
    s3 = stack.client("s3")
    bucket = stack.resource("JobApplicationsBucket")
    index = ObjectIndex(stack.resource("ObjectIndexTable"))
    person = _person("onboarded")
    # GIVEN the job applications store is being onboarded: its bucket does not notify yet, its
    # index is not complete, and the tracking system exported thousands of objects before
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={})
    index.completeness.mark_incomplete("job_applicants")
    try:
        keys = [f"applications/archive/{n:05d}.csv" for n in range(PRE_EXISTING_OBJECTS)]
        for number, key in enumerate(keys):
            rows = [_applicant(_person(f"past{number}x{row}")) for row in range(ROWS_PER_OBJECT)]
            if number == 1234:
                rows[1] = _applicant(person)
            s3.put_object(Bucket=bucket, Key=key, Body=_csv(rows))
        # AND, before then, someone's application was in an export re-written without them
        # and in one deleted behind a delete marker (only old versions hold them)
        former, former_keys = _only_in_old_versions(s3, bucket, instead=person)
        assert list(index.entries("job_applicants", Identifier.EMAIL, person["email"])) == []

        # WHEN the person asks for a copy of their data
        access = lake.submit_verified(email=person["email"], phone=person["phone"])

        # THEN the request parks naming the store, rather than report nothing found there
        assert lake.wait_until_terminal(access)["status"] == "needs_attention"
        reason = lake.record(access["request_id"])["attention_reason"]
        assert "IndexIncomplete: job_applicants" in reason

        # WHEN ops start the backfill before the bucket's notifications are on
        code, output = _ops_cli(lake, "index", "job_applicants", "--every", "0.5")

        # THEN it refuses, saying why (what the index would miss meanwhile)
        assert code == 1, output
        assert "NotificationsOff" in output
        assert "does not notify the object indexer" in output
    finally:
        stack.apply_notifications("JobApplicationsBucket")

    # WHEN the notifications are on (deployed) and ops run the backfill again
    code, output = _ops_cli(lake, "index", "job_applicants", "--every", "0.5")

    # THEN it shows its progress and its final counts: every object and record indexed
    assert code == 0, output
    assert "backfill started" in output
    assert "index complete" in output
    counted = dict(re.findall(r"^\W*(\w+)\W+([\d,]+)\W*$", output, flags=re.MULTILINE))
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="applications/")
    seeded = sum(len(page.get("Contents", [])) for page in pages)  # a test may list
    assert int(counted["objects"].replace(",", "")) == seeded >= PRE_EXISTING_OBJECTS
    assert int(counted["records"].replace(",", "")) >= PRE_EXISTING_OBJECTS * ROWS_PER_OBJECT
    assert counted["failed"] == "0"
    assert counted["unreadable"] == "0"
    status = lake.get(
        "/ops/stores/job_applicants/index",
        headers={"Authorization": f"Bearer {lake.services.ops_token}"},
    ).json()
    assert status["complete"] is True
    assert status["backfill"]["progress"]["total"] == seeded
    assert status["backfill"]["progress"]["failed"] == 0
    assert sorted(index.entries("job_applicants", Identifier.EMAIL, person["email"])) == [
        ("applications/archive/01234.csv", 1),
        ("applications/archive/rewritten.csv", 0),
    ]
    # AND the versions older than the notifications were read too: the old ones holding the
    # former applicant lead to their objects
    assert int(counted["earlier_versions"].replace(",", "")) >= 2
    assert (
        sorted(
            key
            for key, _, _ in index.version_entries(
                "job_applicants", Identifier.EMAIL, former["email"]
            )
        )
        == former_keys
    )

    # WHEN ops retry the parked request
    _retry(lake, access["request_id"], "job_applicants backfilled")

    # THEN it completes, with the person's application found in the backfilled objects
    assert lake.wait_until_terminal(access)["status"] == "completed"
    files = _package(lake, access)
    assert sorted(r["name"] for r in files["job_applicants.json"]) == [person["name"]] * 2

    # WHEN the former applicant asks for erasure, THEN no version of either object holds
    # them, and the closing e-mail says two went
    _erased_from_earlier_versions(lake, former["email"], keys=former_keys, versions=2)


def _erased_from_earlier_versions(api: Api, email: str, *, keys: list[str], versions: int) -> None:
    s3 = api.services.stack.client("s3")
    bucket = api.services.stack.resource("JobApplicationsBucket")
    erasure = api.submit_verified(email=email, type="erasure")
    assert api.wait_until_terminal(erasure)["status"] == "completed"
    for key in keys:
        for version in s3.list_object_versions(Bucket=bucket, Prefix=key).get("Versions", []):
            body = s3.get_object(Bucket=bucket, Key=key, VersionId=version["VersionId"])["Body"]
            assert email.lower().encode() not in body.read().lower()
    closing = wait_for(
        lambda: [
            m
            for m in api.outbox(to=erasure["email"])
            if "closed" in m["subject"] and erasure["request_id"] in m["subject"]
        ]
    )
    said = f"{versions} earlier versions of the files that held your data deleted"
    assert said in closing[0]["text"]


def test_ops_backfill_a_table_kept_as_written_the_same_way_and_only_indexed_stores(
    lake: Api,
) -> None:
    # WHEN ops backfill a DynamoDB store that keeps e-mails as people typed them, and rebuild
    # it (as after a change of canonical form: emptied, then filled again, page by page)
    for extra in ([], ["--rebuild"]):
        code, output = _ops_cli(lake, "index", "site_leads", "--every", "0.5", *extra)
        # THEN it completes, counting its items
        assert code == 0, output
        assert "site_leads (dynamodb): index complete" in output
    assert IdentifierIndex(lake.services.stack.resource("IdentifierIndexTable")).keys(
        "site_leads", Identifier.EMAIL, "ada.lovelace@example.com"
    )
    # AND a store reached by its own keys has no index to backfill: a 422 naming the store
    code, output = _ops_cli(lake, "index", "acme_transactions")
    assert code == 1
    assert "422" in output
    assert "needs no index of ours" in output
    # AND a second backfill of a store while one runs is refused (409)
    headers = {"Authorization": f"Bearer {lake.services.ops_token}"}
    first = lake.post("/ops/stores/acme_sms_log/index", headers=headers)
    assert first.status_code == 202, first.text
    second = lake.post("/ops/stores/acme_sms_log/index", headers=headers)
    assert second.status_code in {409, 202}  # 202 only if the first had already finished
    if second.status_code == 409:
        assert second.json()["error"] == "backfill_running"

    def finished() -> dict[str, Any] | None:
        status: dict[str, Any] = lake.get("/ops/stores/acme_sms_log/index", headers=headers).json()
        return status if status["backfill"]["status"] != "RUNNING" else None

    wait_for(finished, timeout=120)
    # WHEN ops rebuild the S3 store's index
    rebuild = lake.post("/ops/stores/acme_sms_log/index?rebuild=true", headers=headers)
    assert rebuild.status_code == 202, rebuild.text
    # THEN every object is read again, and the index ends complete
    status = wait_for(finished, timeout=120)
    assert status["complete"] is True
    result = status["backfill"]["result"]
    assert result["indexed"] == result["objects"] > 0


def _settling_retries(api: Api, request_id: str) -> int:
    """How often the request's execution met IndexSettling (and was retried) so far."""
    stack = api.services.stack
    arn = stack.state_machine_arn.replace(":stateMachine:", ":execution:") + f":{request_id}"
    events = stack.client("stepfunctions").get_execution_history(executionArn=arn, maxResults=1000)
    return sum(
        1
        for event in events["events"]
        if event.get("taskFailedEventDetails", {}).get("error") == "IndexSettling"
        or event.get("lambdaFunctionFailedEventDetails", {}).get("error") == "IndexSettling"
    )


def test_a_request_waits_for_bucket_events_not_yet_indexed_rather_than_find_nothing(
    lake: Api,
) -> None:
    stack = lake.services.stack
    assert stack.notifications is not None
    person = _person("wanda")
    s3 = _outside(lake, "s3")
    jobs_bucket = stack.resource("JobApplicationsBucket")
    index = ObjectIndex(stack.resource("ObjectIndexTable"))
    with stack.notifications.held():
        # GIVEN the company writes an export holding the person, whose bucket event is not yet
        # delivered to the indexer (S3 delivers them asynchronously, later under load)
        jobs_key = f"applications/2026-Q4-held-{uuid.uuid4().hex[:6]}.csv"
        s3.put_object(Bucket=jobs_bucket, Key=jobs_key, Body=_csv([_applicant(person)]))

        # WHEN the person asks for a copy of their data meanwhile
        access = lake.submit_verified(email=person["email"])

        # THEN the request waits for the store's index (its plan retried), neither completing
        # with "none found" nor parking, and the store's status says why it is not complete
        wait_for(lambda: _settling_retries(lake, access["request_id"]) or None, timeout=60)
        assert lake.status(access)["status"] not in {"completed", "needs_attention"}
        assert not list(index.entries("job_applicants", Identifier.EMAIL, person["email"]))

    # WHEN the event is delivered
    # THEN the request completes with the record the export holds
    view = lake.wait_until_terminal(access, timeout=180)
    assert view["status"] == "completed", lake.record(access["request_id"]).get("attention_reason")
    files = _package(lake, access)
    assert [r["position"] for r in files["job_applicants.json"]] == ["Data Engineer"]


def test_ops_status_right_after_start_up_counts_the_demo_objects(lake: Api) -> None:
    # GIVEN the stack just started, its demo objects written by the seeder
    stack = lake.services.stack
    s3 = stack.client("s3")
    pages = s3.get_paginator("list_objects_v2").paginate(
        Bucket=stack.resource("AcmeSmsLogBucket"), Prefix="sms/"
    )
    # (the seeder's objects only: other tests of this stack write objects of their own after
    # the latest backfill, whose counts --status shows)
    seeded = re.compile(r"sms/\d{4}-\d{2}-\d{2}\.jsonl")
    objects = sum(
        1 for page in pages for item in page.get("Contents", []) if seeded.fullmatch(item["Key"])
    )
    assert objects > 0

    # WHEN ops ask for the status of a store's index
    code, output = _ops_cli(lake, "index", "acme_sms_log", "--status")

    # THEN it counts the store's objects and records, not an empty index
    assert code == 0, output
    counted = dict(re.findall(r"^\W*(\w+)\W+([\d,]+)\W*$", output, flags=re.MULTILINE))
    assert int(counted["objects"].replace(",", "")) >= objects, output
    assert int(counted["records"].replace(",", "")) > 0, output


def test_an_object_whose_records_cannot_be_told_apart_parks_requests_and_is_never_rewritten(
    lake: Api,
) -> None:
    stack = lake.services.stack
    s3 = _outside(lake, "s3")
    bucket = stack.resource("JobApplicationsBucket")
    index = ObjectIndex(stack.resource("ObjectIndexTable"))
    bob, ada, cyd, gus = (_person(label) for label in ("bob", "ada", "cyd", "gus"))
    # GIVEN an export where Bob's row has a quote left open, then Ada's and Cyd's rows
    stray_key = f"applications/2026-Q5-{uuid.uuid4().hex[:6]}.csv"
    stray = _csv([_applicant(bob), _applicant(ada), _applicant(cyd)]).replace(
        bob["name"].encode(), b'"Bob ""The Builder'
    )
    s3.put_object(Bucket=bucket, Key=stray_key, Body=stray)
    # AND an Excel "CSV UTF-8" export (a byte order mark, header names as Excel users type
    # them) in this windows-1252 store, holding Gus
    excel_key = f"applications/excel-{uuid.uuid4().hex[:6]}.csv"
    excel = _csv([_applicant(gus)]).decode("cp1252").replace("email,name", " Email ,Name", 1)
    s3.put_object(Bucket=bucket, Key=excel_key, Body=b"\xef\xbb\xbf" + excel.encode())
    wait_for(lambda: index.completeness.unindexed("job_applicants"), timeout=10)
    try:
        # WHEN Ada asks for a copy of her data
        access = lake.submit_verified(email=ada["email"], phone=ada["phone"])
        # THEN it parks naming the object (before: "found none about you")
        assert lake.wait_until_terminal(access)["status"] == "needs_attention"
        assert stray_key in lake.record(access["request_id"])["attention_reason"]

        # WHEN Bob asks for erasure
        erasure = lake.submit_verified(email=bob["email"], phone=bob["phone"], type="erasure")
        # THEN it parks too, and the object is as it was: Ada's and Cyd's rows are kept
        # (before: Bob's "record" ran to the end of the file and all three were deleted)
        assert lake.wait_until_terminal(erasure)["status"] == "needs_attention"
        assert s3.get_object(Bucket=bucket, Key=stray_key)["Body"].read() == stray
        listed = s3.list_object_versions(Bucket=bucket, Prefix=stray_key)["Versions"]
        assert len(listed) == 1
    finally:
        # WHEN the company removes the broken export, THEN the store's index is complete
        s3.delete_object(Bucket=bucket, Key=stray_key)
        wait_for(lambda: not index.completeness.unindexed("job_applicants"), timeout=10)

    # AND Gus, in the Excel export, is found by his e-mail (before: "found none about you")
    access = lake.submit_verified(email=gus["email"], phone=gus["phone"])
    assert lake.wait_until_terminal(access)["status"] == "completed"
    files = _package(lake, access)
    assert [r["name"] for r in files["job_applicants.json"]] == [gus["name"]]


def test_an_s3_event_that_fails_every_attempt_reaches_the_dead_letter_queue(lake: Api) -> None:
    stack = lake.services.stack
    s3 = _outside(lake, "s3")
    bucket = stack.resource("JobApplicationsBucket")
    key = f"applications/dead-letter-{uuid.uuid4().hex[:6]}.csv"
    stack.drain_notifications()
    # GIVEN the object indexer fails on its first attempt and both retries
    stack.runtime.inject_failure("ObjectIndexFunction", "InjectedFailure", times=3)
    try:
        # WHEN the company's system writes an object
        s3.put_object(Bucket=bucket, Key=key, Body=_csv([_applicant(_person("dlq"))]))
        stack.drain_notifications()

        # THEN the event is kept in the dead-letter queue, as Lambda's on-failure destination
        # (template.yaml's EventInvokeConfig) keeps it in AWS, for ops to redrive
        sqs = stack.client("sqs")
        queue = stack.resource("DeadLetterQueue")

        def kept() -> list[dict[str, Any]]:
            answer = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)
            bodies = [json.loads(m["Body"]) for m in answer.get("Messages", [])]
            return [
                body
                for body in bodies
                if any(
                    unquote_plus(record["s3"]["object"]["key"]) == key  # as S3 sends it
                    for record in body.get("requestPayload", {}).get("Records", [])
                )
            ]

        found = wait_for(kept, timeout=30)
        assert found[0]["condition"] == "RetriesExhausted"
    finally:
        s3.delete_object(Bucket=bucket, Key=key)
        stack.drain_notifications()


def test_a_failed_rebuild_ends_failed_over_its_threshold_and_status_says_what_is_true_now(
    lake: Api,
) -> None:
    stack = lake.services.stack
    # GIVEN the acme_sms_log index is complete, and the indexer will fail the rebuild's batch
    code, _ = _ops_cli(lake, "index", "acme_sms_log", "--status")
    assert code == 0
    stack.runtime.inject_failure(
        "ObjectIndexFunction", "InjectedFailure", times=1, when={"action": "batch"}
    )
    try:
        # WHEN ops rebuild it
        code, output = _ops_cli(lake, "index", "acme_sms_log", "--rebuild", "--every", "0.5")

        # THEN the backfill ends FAILED with the error Step Functions names for a map over
        # its tolerated failures, and the CLI exits 1
        assert code == 1, output
        assert "FAILED: States.ExceedToleratedFailureThreshold" in output
        # AND --status says what is true now: not complete since the rebuild started, because
        # that backfill has not completed it; the counts are that backfill's own (every object
        # failed), never those of the backfill that completed it before; and it exits 1
        code, status_output = _ops_cli(lake, "index", "acme_sms_log", "--status")
        assert code == 1, status_output
        headline = next(line for line in status_output.splitlines() if "index" in line)
        assert re.search(r"index not complete since \S+ \(backfill \S+ \(started", headline)
        assert "has not completed it" in headline
        counted = dict(re.findall(r"^\W*(\w+)\W+([\d,]+)\W*$", status_output, flags=re.MULTILINE))
        assert counted["failed"] == counted["total"] != "0", status_output

        # AND a request meanwhile parks naming that backfill, rather than run it again
        access = lake.submit_verified(email="ada.lovelace@example.com", phone="+442079460000")
        assert lake.wait_until_terminal(access)["status"] == "needs_attention"
        reason = lake.record(access["request_id"])["attention_reason"]
        assert "IndexIncomplete: acme_sms_log" in reason
        assert re.search(r"backfill \S+ \(started \S+\) has not completed it yet", reason)
    finally:
        # WHEN ops run the backfill again, THEN the index is complete again
        code, output = _ops_cli(lake, "index", "acme_sms_log", "--rebuild", "--every", "0.5")
        assert code == 0, output
    code, status_output = _ops_cli(lake, "index", "acme_sms_log", "--status")
    assert code == 0
    assert re.search(r"index complete since \S+", status_output)
