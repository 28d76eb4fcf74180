"""What the ops team reads and does through the ops API: lists, one request in full with its
execution, the executions, a report, and the actions on a request."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from rightsflow.domain.audit import AuditEvent
from rightsflow.domain.clock import from_iso, to_iso, utc_now
from rightsflow.domain.errors import IllegalTransition, InvalidRequest
from rightsflow.domain.language import words
from rightsflow.domain.lifecycle import RequestType, Status
from rightsflow.domain.requests import (
    Channel,
    Receipt,
    RightsRequest,
    Submission,
    target_at,
)
from rightsflow.domain.scope import Scope, ScopeKind, parse_scope
from rightsflow.integration import aws
from rightsflow.integration.mailer import Mailer
from rightsflow.integration.requests_index import RequestsIndex
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.workflow import Workflow
from rightsflow.service.changes import record_change
from rightsflow.service.intake import Intake, IntakeCommand
from rightsflow.service.steps import close_request

# Never shown, even to ops: secrets and the handles that resume the workflow.
_HIDDEN = {"status_token_hash", "appeal_token_hash", "ops_task_token", "verification"}


class OpsSummary(BaseModel):
    request_id: str
    type: RequestType
    status: Status
    channel: Channel
    brand: str | None
    received_at: str
    due_at: str  # the law's last moment
    target_at: str  # the date ops work to (never later)
    overdue: bool
    waiting_for: str | None
    attention_reason: str | None
    group_id: str | None = None
    scope: ScopeKind | None = None


class OpsPage(BaseModel):
    requests: list[OpsSummary]
    next_cursor: str | None = None


class ExecutionEvent(BaseModel):
    at: str
    type: str
    state: str | None = None


class ExecutionView(BaseModel):
    arn: str | None
    status: str | None
    current_state: str | None
    recent_history: list[ExecutionEvent]


class OpsDetail(BaseModel):
    record: dict[str, Any]
    audit_trail: list[AuditEvent]
    execution: ExecutionView


class ExecutionSummary(BaseModel):
    name: str
    status: str
    started_at: str
    stopped_at: str | None
    duration_seconds: float | None


class Report(BaseModel):
    since: str
    total: int
    by_status: dict[str, int]
    by_type: dict[str, int]
    closed: int
    closed_on_time: int
    on_time_rate: float | None
    median_days_to_close: float | None


def summary(record: RightsRequest, now: datetime) -> OpsSummary:
    return OpsSummary(
        request_id=record.request_id,
        type=record.type,
        status=record.status,
        channel=record.channel,
        brand=record.brand,
        received_at=record.received_at,
        due_at=record.due_at,
        target_at=target_at(record),
        overdue=not record.status.is_terminal and from_iso(record.due_at) < now,
        waiting_for=record.waiting_for,
        attention_reason=record.attention_reason,
        group_id=record.group_id,
        scope=record.scope.kind if record.scope else None,
    )


def _iso(moment: Any) -> str:
    return to_iso(moment) if isinstance(moment, datetime) else str(moment)


@dataclass
class OpsConsole:
    requests: RequestsStore
    index: RequestsIndex
    workflow: Workflow
    intake: Intake
    mailer: Mailer
    gdpr_page_url: str

    # ------------------------------------------------------------------ reading
    def page(
        self,
        *,
        status: Status | None,
        filters: dict[str, str],
        overdue: bool,
        due_before: str | None,
        limit: int,
        cursor: str | None,
    ) -> OpsPage:
        now = utc_now()
        if overdue:
            if status is not None and status.is_terminal:
                raise InvalidRequest("overdue", "a closed request is never overdue")
            due_before = min(filter(None, [due_before, to_iso(now)]))
        records, next_cursor = self.index.page(
            status=status.value if status else None,
            due_before=due_before,
            due_after=None,
            filters=filters,
            limit=limit,
            cursor=cursor,
        )
        return OpsPage(requests=[summary(r, now) for r in records], next_cursor=next_cursor)

    def show(self, request_id: str) -> OpsDetail:
        record = self.requests.get(request_id)
        shown = record.model_dump(mode="json", exclude=_HIDDEN)
        for part in shown.get("brand_parts", {}).values():
            part.pop("task_token", None)
        return OpsDetail(
            record=shown,
            audit_trail=self.requests.audit_trail(request_id),
            execution=self._execution(record),
        )

    def _execution(self, record: RightsRequest) -> ExecutionView:
        arn = record.execution_arn
        if not arn:
            return ExecutionView(arn=None, status=None, current_state=None, recent_history=[])
        sfn = aws.stepfunctions()
        try:
            described = sfn.describe_execution(executionArn=arn)
            events = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
        except Exception as error:
            raise aws.as_transient(error, "reading the execution") from error
        history = []
        current = None
        for event in sorted(events, key=lambda e: int(e["id"]), reverse=True)[:25]:
            details = next(
                (v for k, v in event.items() if k.endswith("EventDetails") and isinstance(v, dict)),
                {},
            )
            state = details.get("name") if event["type"].endswith("StateEntered") else None
            if state and current is None:
                current = state
            history.append(
                ExecutionEvent(at=_iso(event["timestamp"]), type=event["type"], state=state)
            )
        return ExecutionView(
            arn=arn,
            status=described["status"],
            current_state=current if described["status"] == "RUNNING" else None,
            recent_history=history,
        )

    def executions(self, status: str | None, limit: int) -> list[ExecutionSummary]:
        arguments: dict[str, Any] = {
            "stateMachineArn": self.workflow.state_machine_arn,
            "maxResults": limit,
        }
        if status:
            arguments["statusFilter"] = status
        try:
            answer = aws.stepfunctions().list_executions(**arguments)
        except Exception as error:
            raise aws.as_transient(error, "listing executions") from error
        found = []
        for execution in answer["executions"]:
            started, stopped = execution["startDate"], execution.get("stopDate")
            found.append(
                ExecutionSummary(
                    name=execution["name"],
                    status=execution["status"],
                    started_at=_iso(started),
                    stopped_at=_iso(stopped) if stopped else None,
                    duration_seconds=(stopped - started).total_seconds() if stopped else None,
                )
            )
        return found

    def report(self, since: date) -> Report:
        """Requests received since `since`: read through the status index, due date ≥ since
        (a request is due after it is received), so the reads stay bounded by the period."""
        since_iso = f"{since.isoformat()}T00:00:00.000Z"
        records: list[RightsRequest] = []
        for status in Status:
            cursor = None
            while True:
                page, cursor = self.index.page(
                    status=status.value,
                    due_before=None,
                    due_after=since_iso,
                    filters={},
                    limit=500,
                    cursor=cursor,
                )
                records += [r for r in page if r.received_at >= since_iso]
                if cursor is None:
                    break
        by_status: dict[str, int] = {}
        by_type: dict[str, int] = {}
        for record in records:
            by_status[record.status] = by_status.get(record.status, 0) + 1
            by_type[record.type] = by_type.get(record.type, 0) + 1
        closed = [r for r in records if r.status.is_terminal and r.closed_at]
        on_time = [r for r in closed if (r.closed_at or "") <= r.due_at]
        days = [
            (from_iso(r.closed_at or r.updated_at) - from_iso(r.received_at)).total_seconds()
            / 86400
            for r in closed
        ]
        return Report(
            since=since.isoformat(),
            total=len(records),
            by_status=by_status,
            by_type=by_type,
            closed=len(closed),
            closed_on_time=len(on_time),
            on_time_rate=round(len(on_time) / len(closed), 4) if closed else None,
            median_days_to_close=round(statistics.median(days), 3) if days else None,
        )

    # ------------------------------------------------------------------ acting
    def start(self, submission: Submission, reason: str, actor: str, scope: str) -> Receipt:
        """A request on the company's own initiative (a child's data found, say): recorded with
        its reason and the scope ops name (`every_store`, `our_stores`, `brand:<name>`),
        carried out without the person's verification."""
        if not reason.strip():
            raise InvalidRequest("reason", "say why the company starts this request itself")
        try:
            kind, brand = parse_scope(scope)
        except ValueError as error:
            raise InvalidRequest(
                "scope", "every_store, our_stores or brand:<a declared Brand>"
            ) from error
        details = {**submission.details, "ops_reason": reason.strip(), "started_by": actor}
        return self.intake.submit(
            IntakeCommand(
                submission=submission.model_copy(update={"details": details}),
                channel=Channel.OPS,
                scope=Scope(kind=kind, brand=brand),
            )
        )

    def cancel(self, request_id: str, reason: str, actor: str) -> RightsRequest:
        """The person withdrew the request: it ends, is stopped, and the person is told."""
        if not reason.strip():
            raise InvalidRequest("reason", "say how the person withdrew the request")
        record = self.requests.get(request_id)
        if record.status.is_terminal:
            raise IllegalTransition(f"request is already {record.status}")
        stopping = record.execution_arn is not None
        record = record_change(
            self.requests,
            request_id,
            action="withdrawn_by_person",
            component=f"ops:{actor}",
            status=Status.DECLINED,
            updates={
                # In the person's language: the closing e-mail quotes it.
                "decline_reason": words(record.language).gettext(
                    "you withdrew the request (%(reason)s)", reason=reason.strip()
                ),
                "waiting_for": None,
                "ops_task_token": None,
            },
            detail={"reason": reason, "execution_stopped": stopping},
        )
        if record.execution_arn:
            try:
                aws.stepfunctions().stop_execution(
                    executionArn=record.execution_arn, cause="withdrawn by the person"
                )
            except Exception as error:
                raise aws.as_transient(error, "stopping the execution") from error
        close_request(self.requests, self.mailer, self.gdpr_page_url, request_id)
        return self.requests.get(request_id)
