"""The legal clock end to end, in compressed time (one legal day = 0.25 s): acknowledgment,
reminders, overdue escalation, extension, and an execution that ends as soon as the request closes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rightsflow.domain.clock import from_iso
from rightsflow.domain.language import words
from rightsflow.domain.timescale import TimeScale
from rightsflow.integration.mailer import Mailer
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.workflow import Workflow
from rightsflow.service import ops_actions
from tests.conftest import DAY_SECONDS
from tests.support import Api, unique_email, wait_for

pytestmark = pytest.mark.e2e


def _ops_tools(api: Api) -> tuple[RequestsStore, Workflow, Mailer]:
    stack = api.services.stack
    store = RequestsStore(stack.resource("RequestsTable"), stack.resource("AuditTable"))
    return store, Workflow(stack.state_machine_arn), Mailer(stack.parameters["SenderAddress"])


def test_a_request_with_no_place_tells_the_person_its_times_in_central_european_time(
    api: Api,
) -> None:
    # GIVEN a request giving no place (EU: its days are counted in the EU zone whose day ends
    # first, Réunion's of an evening, French Guiana's after midnight UTC)
    receipt = api.submit(type="access")
    assert api.record(receipt["request_id"])["jurisdiction"] == "EU"
    # WHEN the person reads the acknowledgment and the code's e-mail
    mails = wait_for(lambda: m if len(m := api.outbox(to=receipt["email"])) >= 2 else None)
    # THEN the times are in Central European time, the due one the very instant recorded
    due = words("en").moment(receipt["due_at"], "Europe/Brussels")
    assert "Central European" in due
    assert due in mails[0]["text"]
    for mail in mails:
        assert "Central European" in mail["text"]
        assert "Réunion" not in mail["text"]
        assert "French Guiana" not in mail["text"]


def test_a_complaint_is_acknowledged_reminded_escalated_when_late_and_closed_by_ops_answer(
    clock_api: Api,
) -> None:
    api = clock_api
    store, workflow, _ = _ops_tools(api)
    email = unique_email("complainant")
    # GIVEN a complaint, which runs on the 45-day clock and waits for ops' written answer
    receipt = api.submit(
        type="complaint", email=email, details={"message": "You kept e-mailing me after I left."}
    )
    request_id = receipt["request_id"]
    # THEN the person is acknowledged at once, on time
    wait_for(lambda: api.outbox(to=email))
    acknowledgment = api.outbox(to=email)[0]
    assert "We received" in acknowledgment["subject"]
    assert "complaint" in acknowledgment["text"]
    record = wait_for(lambda: r if (r := api.record(request_id)).get("acknowledged_at") else None)
    assert record["acknowledged_on_time"] is True
    assert record["regime"] == "DPF_COMPLAINT"

    # AND ops are reminded 7 and then 2 days before the due date
    def events() -> list[str]:
        return [message["event"] for message in api.ops_notifications(request_id)]

    wait_for(lambda: "request_overdue" in events(), timeout=60)
    published = api.ops_notifications(request_id)
    reminders = [m for m in published if m["event"] == "deadline_reminder"]
    assert [m["days_before"] for m in reminders] == [7, 2]
    # AND when the deadline passes unanswered, ops get an escalation and the audit trail says so
    overdue = next(m for m in published if m["event"] == "request_overdue")
    assert overdue["due_at"] == receipt["due_at"]
    assert "overdue_escalated" in api.audit_actions(request_id)
    assert api.record(request_id)["overdue_since"] == receipt["due_at"]
    assert email not in str(published)
    # WHEN ops answer the complaint in writing
    ops_actions.answer_complaint(
        store, workflow, request_id, actor="dpo", answer="We removed you from every list."
    )
    # THEN the request is completed, the answer reaches the person, and the execution ends
    view = wait_for(lambda: v if (v := api.status(receipt))["status"] == "completed" else None)
    closing = wait_for(lambda: [m for m in api.outbox(to=email) if "closed" in m["subject"]])
    assert "We removed you from every list." in closing[0]["text"]
    assert "data protection authority" in closing[0]["text"]
    execution = wait_for(
        lambda: e if (e := api.execution(request_id))["status"] != "RUNNING" else None
    )
    assert execution["status"] == "SUCCEEDED"
    assert view["history"][-1]["status"] == "completed"


def test_ops_extend_a_parked_request_the_person_is_told_and_the_execution_ends_with_the_request(
    clock_api: Api,
) -> None:
    api = clock_api
    store, workflow, mailer = _ops_tools(api)
    email = unique_email("extended")
    # GIVEN an access request whose acknowledgment step breaks, so it is parked for ops at once
    api.services.stack.runtime.inject_failure("AcknowledgeReceiptFunction", "InjectedFailure")
    receipt = api.submit(type="access", email=email, jurisdiction="DE")
    request_id = receipt["request_id"]
    wait_for(lambda: api.status(receipt)["status"] == "needs_attention")
    # WHEN ops extend the deadline by the two further months the GDPR allows, giving a reason
    extended = ops_actions.extend_deadline(
        store,
        mailer,
        request_id,
        reason="Your data sits in an archive we must restore first.",
        actor="ops-alice",
        scale=TimeScale(DAY_SECONDS),
    )
    # THEN the due date moves to the legal maximum and the person is told why and until when
    assert from_iso(extended.due_at) > from_iso(receipt["due_at"]) + timedelta(days=55)
    assert api.status(receipt)["due_at"] == extended.due_at
    notice = next(m for m in api.outbox(to=email) if "more time" in m["subject"])
    assert "archive we must restore" in notice["text"]
    # with the law that allows it, and the new date in the place's zone
    assert "under GDPR (Regulation (EU) 2016/679) Art. 12(3) we may extend" in notice["text"]
    assert words("en").moment(extended.due_at, "Europe/Berlin") in notice["text"]
    assert "deadline_extended" in api.audit_actions(request_id)
    # AND a second extension past the limit is refused with the rule that forbids it
    with pytest.raises(Exception, match="already the latest the law allows"):
        ops_actions.extend_deadline(
            store,
            mailer,
            request_id,
            reason="more",
            actor="ops-alice",
            scale=TimeScale(DAY_SECONDS),
        )
    # WHEN ops re-drive the parked request, and the person enters their code
    ops_actions.retry_parked(store, workflow, request_id, actor="ops-alice", reason="fixed")
    api.verify(receipt)
    # THEN it completes and the execution ends right away, although its deadline is months off
    wait_for(lambda: api.status(receipt)["status"] == "completed")
    execution = wait_for(
        lambda: e if (e := api.execution(request_id))["status"] != "RUNNING" else None, timeout=5
    )
    assert execution["status"] == "SUCCEEDED"
    completed_at = from_iso(api.status(receipt)["updated_at"])
    assert execution["stopDate"].timestamp() - completed_at.timestamp() < 3
    assert "request_overdue" not in [m["event"] for m in api.ops_notifications(request_id)]
