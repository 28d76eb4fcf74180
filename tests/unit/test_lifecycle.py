"""The request lifecycle: terminal statuses stay terminal, parked requests can be re-driven."""

from __future__ import annotations

import pytest

from rightsflow.domain.errors import IllegalTransition
from rightsflow.domain.lifecycle import TERMINAL_STATUSES, Status, check_transition


@pytest.mark.parametrize("terminal", sorted(TERMINAL_STATUSES))
@pytest.mark.parametrize("target", list(Status))
def test_nothing_leaves_a_terminal_status(terminal: Status, target: Status) -> None:
    with pytest.raises(IllegalTransition):
        check_transition(terminal, target)


def test_the_terminal_statuses_are_the_documented_three() -> None:
    assert {s.value for s in TERMINAL_STATUSES} == {"completed", "declined", "unverified"}


@pytest.mark.parametrize(
    "target", [Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_BRAND, Status.COMPLETED]
)
def test_a_parked_request_can_be_redriven(target: Status) -> None:
    check_transition(Status.NEEDS_ATTENTION, target)


def test_a_received_request_cannot_skip_back_into_awaiting_brand() -> None:
    with pytest.raises(IllegalTransition, match="received to awaiting_brand"):
        check_transition(Status.RECEIVED, Status.AWAITING_BRAND)
