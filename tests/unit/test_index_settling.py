"""When an S3 store's index may be read for a request (IndexSettleSeconds), and what a failed
start-up backfill tells the person starting the stack."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from rightsflow.domain.errors import IndexIncomplete, IndexSettling
from rightsflow.domain.index_settling import require_settled
from rightsflow.local.onboarding import why_incomplete
from rightsflow.service.index_backfills import BackfillRun

RECEIVED = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)


def test_an_s3_store_is_not_read_before_the_settle_time_after_receipt() -> None:
    # GIVEN a request received now, and S3 given 60 s to deliver its buckets' events
    # WHEN fulfilment would read the store's index 5 s later
    with pytest.raises(IndexSettling) as raised:
        require_settled("job_applicants", RECEIVED, RECEIVED + timedelta(seconds=5), 60)

    # THEN it is told to wait (a retried error, still an incomplete index if it persists),
    # naming the store and how long is left
    assert isinstance(raised.value, IndexIncomplete)
    assert "job_applicants" in str(raised.value)
    assert "in 56 s" in str(raised.value)


def test_an_s3_store_is_read_once_the_settle_time_has_passed() -> None:
    # GIVEN / WHEN the settle time has passed (or is 0) / THEN nothing stops the read
    require_settled("job_applicants", RECEIVED, RECEIVED + timedelta(seconds=60), 60)
    require_settled("job_applicants", RECEIVED, RECEIVED, 0)


def test_a_store_without_notifications_stops_start_up_with_one_sentence() -> None:
    # GIVEN a start-up backfill refused because the store's bucket does not notify the indexer
    cause = {
        "errorType": "NotificationsOff",
        "errorMessage": "acme_sms_archive: bucket b does not notify ...",
        "stackTrace": ['  File "x.py", line 1'],
    }
    run = BackfillRun(
        execution_arn="arn:aws:states:eu-west-1:1:execution:b:acme_sms_archive-1",
        status="FAILED",
        started_at="2026-11-29T20:00:00+00:00",
        error="NotificationsOff",
        cause=json.dumps(cause),
    )

    # WHEN the stack says why it stops
    message = why_incomplete("acme_sms_archive", run, "archive/")

    # THEN it is one line naming the store and what to add to template.yaml, no repr or trace
    assert "\n" not in message
    assert message.startswith("acme_sms_archive: ")
    assert "ObjectIndexFunction" in message
    assert "template.yaml" in message
    assert "'archive/'" in message
    assert "stackTrace" not in message
    assert "execution_arn=" not in message
