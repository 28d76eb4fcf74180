"""Intake: turn a valid submission into a stored request with a running workflow, exactly once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import PydanticSerializer
from pydantic import BaseModel

from rightsflow.domain import deadlines
from rightsflow.domain.audit import audit_event
from rightsflow.domain.clock import to_iso, utc_now
from rightsflow.domain.errors import WorkflowStartFailed
from rightsflow.domain.identifiers import pseudonym
from rightsflow.domain.lifecycle import Status
from rightsflow.domain.requests import Channel, Receipt, RightsRequest, Submission, open_request
from rightsflow.integration.requests_index import RequestsIndex
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.workflow import Workflow
from rightsflow.observability import METRICS_NAMESPACE, SERVICE, logger, metrics
from rightsflow.service.changes import record_change
from rightsflow.settings import IntakeSettings

COMPONENT = "intake"
# A request left without an execution waits for this: ops' retry starts it.
WORKFLOW_START = "workflow_start"
# Channels on which a request of the same type from the same address joins the open one.
JOINING_CHANNELS = frozenset({Channel.WEB})


class IntakeCommand(BaseModel):
    submission: Submission
    channel: Channel
    idempotency_key: str | None = None
    language: str = "en"
    group_id: str | None = None
    # False: the caller starts the workflow itself (`Intake.start`) once it has told the person,
    # as e-mail intake does after its one acknowledgment for a whole group.
    start_workflow: bool = True


class Intake:
    """Submits requests. Built once per cold start from the function's settings."""

    def __init__(self, settings: IntakeSettings) -> None:
        self.store = RequestsStore(settings.requests_table, settings.audit_table)
        self.index = RequestsIndex(settings.requests_table)
        self.workflow = Workflow(settings.state_machine_arn)
        self.idempotency_config = IdempotencyConfig(
            event_key_jmespath="idempotency_key",
            payload_validation_jmespath="submission",
            expires_after_seconds=24 * 3600,
        )
        persistence = DynamoDBPersistenceLayer(table_name=settings.idempotency_table)
        # The same Idempotency-Key answers with the first receipt and starts nothing new; the
        # same key with a different body is refused (IdempotencyValidationError).
        self._submit_once: Callable[..., Receipt] = idempotent_function(
            self._submit,
            data_keyword_argument="command",
            persistence_store=persistence,
            config=self.idempotency_config,
            output_serializer=PydanticSerializer(model=Receipt),
        )

    def submit(self, command: IntakeCommand) -> Receipt:
        if command.idempotency_key is None:
            return self._submit(command=command)
        return self._submit_once(command=command)

    def _submit(self, *, command: IntakeCommand) -> Receipt:
        received_at = utc_now()
        if command.channel in JOINING_CHANNELS:
            joined = self._join_open(command, received_at)
            if joined is not None:
                return joined
        new = open_request(
            command.submission,
            command.channel,
            received_at,
            command.language,
            command.group_id,
        )
        record = new.record
        self.store.create(
            record,
            audit_event(
                record.request_id,
                "request_received",
                COMPONENT,
                received_at,
                to_status=Status.RECEIVED,
                detail={
                    "type": record.type,
                    "channel": record.channel,
                    "jurisdiction": record.jurisdiction,
                    "regime": record.regime,
                    "regime_fallback": record.regime_fallback,
                    "due_at": record.due_at,
                    "group_id": record.group_id,
                },
            ),
        )
        logger.info(
            "request received",
            extra={"request_id": record.request_id, "type": record.type, "channel": record.channel},
        )
        # One metric of its own per request: one e-mail can make several of different types.
        with single_metric(
            name="RequestsReceived",
            unit=MetricUnit.Count,
            value=1,
            namespace=METRICS_NAMESPACE,
            default_dimensions={"service": SERVICE},
        ) as metric:
            metric.add_dimension(name="type", value=record.type)
            metric.add_dimension(name="channel", value=record.channel)
        if command.start_workflow:
            record = self._start_workflow(record)
        return Receipt(
            request_id=record.request_id,
            status=record.status,
            received_at=record.received_at,
            due_at=record.due_at,
            status_token=new.status_token,
        )

    def _join_open(self, command: IntakeCommand, received_at: datetime) -> Receipt | None:
        """The same person's open request of the same type, if any, answered as this one: no
        second request, no e-mail, and nothing of the open request but its id."""
        submission = command.submission
        subject = pseudonym(str(submission.email))
        existing = self.index.open_request_of(subject, submission.type)
        if existing is None:
            return None
        self.store.record_event(
            audit_event(existing.request_id, "submission_joined", COMPONENT, received_at)
        )
        logger.info("submission joined an open request", extra={"request_id": existing.request_id})
        metrics.add_metric(name="SubmissionsJoined", unit="Count", value=1)
        regime = deadlines.regime_for(submission.jurisdiction, submission.type).regime
        return Receipt(
            request_id=existing.request_id,
            status=Status.RECEIVED,
            received_at=to_iso(received_at),
            due_at=to_iso(deadlines.answer_due(regime, received_at)),
            status_token=None,
            joined=True,
        )

    def start(self, request_id: str) -> RightsRequest:
        """Start the workflow of a request created with `start_workflow=False` (idempotent:
        a second start of the same request is the same execution)."""
        return self._start_workflow(self.store.get(request_id))

    def _start_workflow(self, record: RightsRequest) -> RightsRequest:
        """Start the execution (retried with backoff inside Workflow.start); if Step Functions
        still refuses, keep the request and park it for ops, whose retry starts it."""
        return start_or_park(self.store, self.workflow, record, COMPONENT)


def start_or_park(
    store: RequestsStore, workflow: Workflow, record: RightsRequest, component: str
) -> RightsRequest:
    """Start the request's execution, or record it as needs_attention waiting for ops to start it.

    The legal clock started at receipt, so a request is never dropped because its workflow
    could not start: ops see it in needs_attention, and `retry` starts it (the execution is
    named after the request, so a start that did happen is not doubled).
    """
    try:
        workflow.start(record.request_id)
    except WorkflowStartFailed as error:
        logger.exception("workflow did not start", extra={"request_id": record.request_id})
        metrics.add_metric(name="WorkflowStartFailures", unit="Count", value=1)
        return record_change(
            store,
            record.request_id,
            action="workflow_start_failed",
            component=component,
            status=Status.NEEDS_ATTENTION,
            updates={
                "attention_reason": "the workflow could not be started",
                "waiting_for": WORKFLOW_START,
                "parked_from": record.parked_from or record.status,
            },
            detail={"error": type(error).__name__},
        )
    return record
