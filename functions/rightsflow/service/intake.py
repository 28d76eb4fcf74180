"""Intake: turn a valid submission into a stored request with a running workflow, exactly once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property

from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import PydanticSerializer
from pydantic import BaseModel, ConfigDict

from rightsflow.domain import deadlines
from rightsflow.domain.audit import audit_event
from rightsflow.domain.clock import to_iso, utc_now
from rightsflow.domain.data_map import DataMap, load_data_map
from rightsflow.domain.errors import InvalidRequest, WorkflowStartFailed
from rightsflow.domain.language import reply_language
from rightsflow.domain.lifecycle import OPT_OUTS, RequestType, Status
from rightsflow.domain.requests import (
    Channel,
    Receipt,
    RightsRequest,
    Submission,
    open_request,
    subject_of,
)
from rightsflow.domain.scope import Scope, ScopeError, scope_for_channel
from rightsflow.integration.registry import PrivacyRegistry
from rightsflow.integration.requests_index import RequestsIndex
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.workflow import Workflow
from rightsflow.observability import METRICS_NAMESPACE, SERVICE, logger, metrics
from rightsflow.service import appeals
from rightsflow.service.changes import record_change
from rightsflow.service.opt_outs import apply_opt_out, identifiers_given
from rightsflow.settings import IntakeSettings

COMPONENT = "intake"
# A request left without an execution waits for this: ops' retry starts it.
WORKFLOW_START = "workflow_start"
# Channels on which a request of the same type from the same address joins the open one.
JOINING_CHANNELS = frozenset({Channel.WEB})
# Never joined: each appeal is of its own decision (one appeal per decision is kept by appeals).
NEVER_JOINED = frozenset({RequestType.APPEAL})


class IntakeCommand(BaseModel):
    # Built when the first submission arrives, with Submission's (the e-mail syntax tables).
    model_config = ConfigDict(defer_build=True)

    submission: Submission
    channel: Channel
    idempotency_key: str | None = None
    # The person's language where the body does not name one: the e-mail's, or the browser's
    # Accept-Language. Without either, English (an appeal: the appealed request's language).
    language: str | None = None
    scope: Scope | None = None  # named by ops; every other channel's follows from who asked
    # The browser sent a Global Privacy Control signal (`Sec-GPC: 1`): an opt-out of sale and
    # sharing for the identifiers given (Cal. Code Regs. tit. 11 § 7025).
    gpc: bool = False
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
        self.idempotency_table = settings.idempotency_table
        # Where the function may write the privacy register, opt-outs are applied at intake;
        # elsewhere the workflow's PlanFulfilment step applies them seconds later.
        self.registry = (
            PrivacyRegistry(settings.registry_table) if settings.registry_table else None
        )
        self.idempotency_config = IdempotencyConfig(
            event_key_jmespath="idempotency_key",
            payload_validation_jmespath="submission",
            expires_after_seconds=24 * 3600,
        )

    @cached_property
    def data_map(self) -> DataMap:
        """Read on first use (the scope of the first request), not at cold start."""
        return load_data_map()

    @cached_property
    def _submit_once(self) -> Callable[..., Receipt]:
        """The same Idempotency-Key answers with the first receipt and starts nothing new; the
        same key with a different body is refused (IdempotencyValidationError). Made on first
        use: its DynamoDB client is not needed at cold start."""
        persistence = DynamoDBPersistenceLayer(table_name=self.idempotency_table)
        submit_once: Callable[..., Receipt] = idempotent_function(
            self._submit,
            data_keyword_argument="command",
            persistence_store=persistence,
            config=self.idempotency_config,
            output_serializer=PydanticSerializer(model=Receipt),
        )
        return submit_once

    def submit(self, command: IntakeCommand) -> Receipt:
        if command.idempotency_key is None:
            return self._submit(command=command)
        # A Global Privacy Control signal is honoured whenever it comes (Cal. Code Regs. tit. 11
        # § 7025), even on a retry whose Idempotency-Key replays the first answer without
        # running intake again: the register is written before the replay.
        self._record_gpc(command)
        return self._submit_once(command=command)

    def _record_gpc(self, command: IntakeCommand) -> None:
        if self.registry is None or not command.gpc:
            return
        submission = command.submission
        identifiers = identifiers_given(
            str(submission.email),
            submission.phone,
            submission.account_number,
            submission.jurisdiction,
        )
        apply_opt_out(self.registry, RequestType.OPT_OUT_SALE_SHARING, identifiers)

    def _submit(self, *, command: IntakeCommand) -> Receipt:
        received_at = utc_now()
        submission = command.submission
        language = submission.language or command.language
        self._known_brand(submission.brand)
        appealed: RightsRequest | None = None
        if submission.type is RequestType.APPEAL:
            submission, appealed = appeals.prepare(self.store, submission, received_at)
            language = language or appealed.language
        try:
            scope = scope_for_channel(
                self.data_map, command.channel, command.submission.brand, command.scope
            )
        except ScopeError as error:
            raise InvalidRequest("scope", str(error)) from error
        self._record_opt_outs(command, submission)
        if self._may_join(command, submission):
            joined = self._join_open(submission, scope, received_at)
            if joined is not None:
                return joined
        new = open_request(
            submission,
            command.channel,
            received_at,
            reply_language(language),
            group_id=command.group_id,
            gpc=command.gpc,
            scope=scope,
        )
        record = new.record
        event = audit_event(
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
                "target_at": record.target_at,
                "gpc": record.gpc,
                "group_id": record.group_id,
                "scope": scope.kind,
                "scope_brand": scope.brand,
                "scope_stores": scope.stores,
                **({"appeal_of": appealed.request_id} if appealed is not None else {}),
            },
        )
        if appealed is None:
            self.store.create(record, event)
        else:
            appeals.create_linked(self.store, record, event, appealed.request_id)
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

    def _may_join(self, command: IntakeCommand, submission: Submission) -> bool:
        """Whether this submission may join an open one: on a joining channel, not an appeal,
        and nothing in it is lost by joining (an opt-out or GPC signal is written to the
        register above only where this function may write it; elsewhere the request's own
        workflow applies it, so it must be a request of its own)."""
        if command.channel not in JOINING_CHANNELS or submission.type in NEVER_JOINED:
            return False
        needs_register = command.gpc or submission.type in OPT_OUTS
        return self.registry is not None or not needs_register

    def _join_open(
        self, submission: Submission, scope: Scope, received_at: datetime
    ) -> Receipt | None:
        """The same person's open request of the same type whose scope covers this one's, if
        any, answered as this one: no second request, no e-mail, and nothing of the open request
        but its id. (An opt-out or GPC signal it carries was already written to the privacy
        register.) A narrower open request (a Brand's, for its stores only) is never joined."""
        stores = list(self.data_map.stores)
        existing = next(
            (
                record
                for record in self.index.open_requests_of(
                    subject_of(str(submission.email)), submission.type
                )
                if record.effective_scope(stores).covers(scope)
            ),
            None,
        )
        if existing is None:
            return None
        self.store.record_event(
            audit_event(existing.request_id, "submission_joined", COMPONENT, received_at)
        )
        logger.info("submission joined an open request", extra={"request_id": existing.request_id})
        metrics.add_metric(name="SubmissionsJoined", unit="Count", value=1)
        clock = deadlines.clock_for(submission.jurisdiction, submission.type, received_at)
        return Receipt(
            request_id=existing.request_id,
            status=Status.RECEIVED,
            received_at=to_iso(received_at),
            due_at=to_iso(clock.due),
            status_token=None,
            joined=True,
        )

    def _known_brand(self, brand: str | None) -> None:
        """A request naming a Brand names one we process data for (the data map's `brands`);
        InvalidRequest naming `brand` and the Brands known otherwise."""
        if brand is not None and brand not in self.data_map.brands:
            known = ", ".join(sorted(self.data_map.brands)) or "none"
            raise InvalidRequest(
                "brand", f"we process data for no Brand '{brand}'; the Brands are: {known}"
            )

    def _record_opt_outs(self, command: IntakeCommand, submission: Submission) -> None:
        """Opt-outs (and a GPC signal) are honoured at once, before anything else is stored: a
        failure here stores nothing, and the caller may simply try again."""
        if self.registry is None:
            return
        wanted = [RequestType.OPT_OUT_SALE_SHARING] if command.gpc else []
        if submission.type in OPT_OUTS:
            wanted.append(submission.type)
        identifiers = identifiers_given(
            str(submission.email),
            submission.phone,
            submission.account_number,
            submission.jurisdiction,
        )
        for request_type in dict.fromkeys(wanted):
            apply_opt_out(self.registry, request_type, identifiers)

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
