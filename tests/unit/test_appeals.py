"""Who may appeal which decision, until when, and what the denial and the answer say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from rightsflow.domain.appeals import (
    NO_SUCH_DECISION,
    appeal_answer,
    appeal_offer,
    appeal_window_end,
    check_appeal,
    is_appealable,
)
from rightsflow.domain.clock import to_iso
from rightsflow.domain.errors import InvalidRequest
from rightsflow.domain.identifiers import hash_secret
from rightsflow.domain.lifecycle import RequestType, Status
from rightsflow.domain.requests import Channel, RightsRequest, Submission, open_request

RECEIVED = datetime(2026, 3, 2, 15, tzinfo=UTC)
DECIDED = datetime(2026, 3, 20, 15, tzinfo=UTC)


def _decided(jurisdiction: str = "US-VA", **changes: Any) -> tuple[RightsRequest, str]:
    submission = Submission(
        type=RequestType.ACCESS, email="a@example.com", jurisdiction=jurisdiction
    )
    new = open_request(submission, Channel.WEB, RECEIVED)
    values: dict[str, Any] = {
        "status": Status.DECLINED,
        "closed_at": to_iso(DECIDED),
        "decline_reason": "we could not establish who you are",
        **changes,
    }
    return new.record.model_copy(update=values), new.status_token


def _check(record: RightsRequest, token: str, **overrides: Any) -> None:
    arguments: dict[str, Any] = {
        "token": token,
        "email": "A@Example.com",
        "now": DECIDED + timedelta(days=1),
        **overrides,
    }
    check_appeal(record, **arguments)


def test_a_refusal_under_a_state_law_may_be_appealed_with_its_status_token() -> None:
    record, token = _decided()
    assert is_appealable(record)
    _check(record, token)  # no error: the address is compared case-insensitively


def test_the_appeal_token_of_the_closing_email_works_as_well() -> None:
    record, _ = _decided(appeal_token_hash=hash_secret("from-the-email"))
    _check(record, "from-the-email")


@pytest.mark.parametrize(
    ("changes", "overrides", "field", "problem"),
    [
        ({}, {"token": "guess"}, "details.appeal_of", NO_SUCH_DECISION),
        ({"status": Status.IN_PROGRESS, "closed_at": None}, {}, "details.appeal_of", "still open"),
        ({"status": Status.COMPLETED}, {}, "details.appeal_of", "declining a request"),
        ({"appeal_id": "req-earlier"}, {}, "details.appeal_of", "already appealed"),
        ({}, {"email": "b@example.com"}, "email", "e-mail address of the request"),
        ({}, {"now": DECIDED + timedelta(days=91)}, "details.appeal_of", "time to appeal ended"),
    ],
)
def test_an_appeal_is_refused_naming_the_rule(
    changes: dict[str, Any], overrides: dict[str, Any], field: str, problem: str
) -> None:
    record, token = _decided(**changes)
    with pytest.raises(InvalidRequest) as refused:
        _check(record, overrides.pop("token", token), **overrides)
    assert refused.value.field == field
    assert problem in refused.value.problem


def test_no_appeal_where_the_law_gives_none() -> None:
    for place in ("DE", "US-CA", "US-UT", "MX"):
        record, token = _decided(place)
        assert not is_appealable(record)
        with pytest.raises(InvalidRequest, match="appeal"):
            _check(record, token)


def test_a_completed_request_declined_in_part_may_be_appealed() -> None:
    record, _ = _decided(status=Status.COMPLETED, declined_in_part=True)
    assert is_appealable(record)


def test_the_window_is_counted_in_the_place_s_days_from_the_decision() -> None:
    record, _ = _decided()
    # 20 March 2026 in New York + 90 days: 18 June, end of day in New York
    assert appeal_window_end(record, DECIDED) == datetime(2026, 6, 19, 3, 59, 59, tzinfo=UTC)


def test_the_denial_says_how_and_until_when_and_the_answer_names_the_attorney_general() -> None:
    record, _ = _decided()
    offer = appeal_offer(
        record, "TOKEN-123", "2026-06-19T03:59:59.000Z", "https://privacy.example/"
    )
    assert "until June 18, 2026, 11:59\u202fPM EDT" in offer  # US English: 12-hour clock
    assert "TOKEN-123" in offer
    assert "https://privacy.example/?appeal_of=" in offer
    assert "within 60 days" in offer
    appeal = record.model_copy(
        update={
            "type": RequestType.APPEAL,
            "details": {"appeal_of": record.request_id},
            "appeal_decision": "denied",
            "appeal_answer": "We checked again.",
        }
    )
    answer = appeal_answer(appeal)
    assert "is denied" in answer
    assert "We checked again." in answer
    assert "https://www.oag.state.va.us" in answer
    granted = appeal_answer(appeal.model_copy(update={"appeal_decision": "granted"}))
    assert "granted" in granted
    assert "Attorney General" not in granted
