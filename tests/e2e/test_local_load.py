"""The local stack under a burst: requests accepted side by side, and waiting costs no thread."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from tests.support import Api, unique_email, wait_for

pytestmark = pytest.mark.e2e

BURST = 40


def test_a_burst_of_requests_is_taken_side_by_side_and_waits_without_a_thread_each(
    api: Api,
) -> None:
    # GIVEN the stack's threads before the burst
    threads_before = threading.active_count()

    # WHEN 40 people submit requests, 10 at a time
    def submit(_: int) -> dict[str, Any]:
        answer = requests.post(
            f"{api.url}/requests", json={"type": "access", "email": unique_email()}, timeout=60
        )
        assert answer.status_code == 202, answer.text
        receipt: dict[str, Any] = answer.json()
        return receipt

    with ThreadPoolExecutor(10) as pool:
        receipts = list(pool.map(submit, range(BURST)))

    # THEN each is a request of its own, each with its one execution, and all wait for codes
    assert len({receipt["request_id"] for receipt in receipts}) == BURST
    wait_for(
        lambda: all(api.status(r)["status"] == "pending_verification" for r in receipts),
        timeout=240,
        every=1,
    )
    assert all(api.execution(r["request_id"])["status"] == "RUNNING" for r in receipts)

    # AND waiting costs no thread per request (it used to cost about eight: the execution, its
    # Parallel branches, the Wait of the legal clock and the wait for the code)
    assert threading.active_count() < threads_before + BURST
