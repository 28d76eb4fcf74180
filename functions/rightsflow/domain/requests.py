"""A rights request: what a person submits, what is stored, and what the person may see of it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from rightsflow.domain import deadlines
from rightsflow.domain.clock import to_iso
from rightsflow.domain.identifiers import hash_secret, new_request_id, new_status_token, pseudonym
from rightsflow.domain.lifecycle import RequestType, Status
from rightsflow.domain.verification import Verification

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 ()./-]{6,32}$"),
]
AccountNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9._-]{1,64}$")
]
BrandSlug = Annotated[
    str,
    BeforeValidator(lambda value: value.strip().lower() if isinstance(value, str) else value),
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$"),
]


_EMAIL = TypeAdapter(EmailStr)


def address_problem(address: str) -> str | None:
    """Why `address` cannot be a request's e-mail (the rule `Submission.email` applies), or
    None when it can."""
    try:
        _EMAIL.validate_python(address)
    except ValidationError as error:
        return str(error.errors()[0].get("msg", "not a valid e-mail address"))
    return None


class Channel(StrEnum):
    """How the request reached us."""

    WEB = "web"
    EMAIL = "email"
    BRAND_API = "brand_api"
    OPS = "ops"


class Submission(BaseModel):
    """The body of `POST /requests`: exactly what a person may tell us, nothing more."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    type: RequestType
    email: EmailStr
    name: ShortText | None = None
    phone: Phone | None = None
    account_number: AccountNumber | None = None
    brand: BrandSlug | None = None
    jurisdiction: str = Field(
        default="EU", description="Country or region code, e.g. DE, GB, US-CA"
    )
    # Validated even when left out: a complaint without details is as wrong as one with `{}`.
    details: dict[str, Any] = Field(default_factory=dict, validate_default=True)

    @field_validator("jurisdiction")
    @classmethod
    def _known_shape(cls, value: str) -> str:
        return deadlines.normalise_jurisdiction(value)

    @field_validator("details")
    @classmethod
    def _details_fit_the_type(cls, details: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        request_type = info.data.get("type")
        if request_type is RequestType.COMPLAINT:
            message = details.get("message")
            if not isinstance(message, str) or not message.strip():
                raise ValueError("a complaint needs details.message saying what happened")
        if request_type is RequestType.RECTIFICATION:
            corrections = details.get("corrections")
            described = isinstance(details.get("message"), str) and details["message"].strip()
            if described and corrections is None:
                return details  # described in words (an e-mail): ops apply it by hand
            if not isinstance(corrections, dict) or not corrections:
                raise ValueError(
                    'a rectification needs details.corrections, e.g. {"address": "..."}'
                )
            for field, value in corrections.items():
                if not isinstance(value, str) or not 0 < len(value.strip()) <= 500:
                    raise ValueError(
                        f"details.corrections.{field} must be text of 1-500 characters"
                    )
        if request_type is RequestType.OBJECTION and "processing" in details:
            processing = details["processing"]
            if not isinstance(processing, str) or not processing.strip():
                raise ValueError("details.processing names the processing objected to")
        return details


class Extension(BaseModel):
    """One extension of the deadline, with the reason the person was given."""

    previous_due_at: str
    new_due_at: str
    reason: str
    at: str
    by: str


class RightsRequest(BaseModel):
    """The stored record of one request. Personal data lives only here, never in logs or history."""

    model_config = ConfigDict(extra="ignore")

    request_id: str
    type: RequestType
    status: Status
    channel: Channel
    language: str = (
        "en"  # the person's language (detected for e-mails); replies use it where we can
    )
    # Requests made from one letter asking for several rights share a group (e-mail intake).
    group_id: str | None = None
    group_request_ids: list[str] = Field(default_factory=list)
    email: str
    name: str | None = None
    phone: str | None = None
    account_number: str | None = None
    brand: str | None = None
    jurisdiction: str
    regime: str
    regime_law: str
    regime_fallback: bool = False
    details: dict[str, Any] = Field(default_factory=dict)
    received_at: str
    due_at: str
    original_due_at: str
    acknowledge_by: str
    acknowledge_basis: str
    updated_at: str
    closed_at: str | None = None
    acknowledged_at: str | None = None
    acknowledged_on_time: bool | None = None
    extensions: list[Extension] = Field(default_factory=list)
    alarms_raised: list[str] = Field(default_factory=list)
    overdue_since: str | None = None
    # Set while the workflow waits for a person on the ops team (a parked request, a complaint).
    waiting_for: str | None = None
    ops_task_token: str | None = None
    parked_from: Status | None = None
    complaint_answer: str | None = None
    # Identity verification: the pending code (hashed), and who verified the person, how.
    verification: Verification | None = None
    verified_at: str | None = None
    verified_by: str | None = None
    unverified_reason: str | None = None
    decline_reason: str | None = None
    reviewed_by_ops: bool = False
    # Fulfilment: who the person is across the stores, and what they get back.
    resolved_identity: dict[str, Any] | None = None
    planned_stores: list[str] | None = None
    # Routing: the stores we answer for, and each Brand's part of the request.
    controller_stores: list[str] | None = None
    brand_parts: dict[str, Any] = Field(default_factory=dict)
    # Recipients told of the change (GDPR Art. 19), by name: status, channel, when.
    recipient_notices: dict[str, Any] = Field(default_factory=dict)
    result_summary: str | None = None
    # The access or portability package: its key in the fulfilment bucket, and until when (legal
    # time) it is kept; people download it through the API with their status token.
    package_key: str | None = None
    package_available_until: str | None = None
    copy_number: int | None = None
    lift_notice_sent_at: str | None = None
    closing_notice_sent_at: str | None = None
    execution_arn: str | None = None
    status_token_hash: str
    subject_hash: str
    attention_reason: str | None = None
    version: int = 1


def ops_facts(record: RightsRequest) -> dict[str, Any]:
    """What may be told outside the data boundary (ops channels, alerts): ids, dates, statuses."""
    return {
        "request_id": record.request_id,
        "type": record.type,
        "status": record.status,
        "regime": record.regime,
        "due_at": record.due_at,
        "channel": record.channel,
    }


class NewRequest(BaseModel):
    """A request just created, with the one-time status token only the submitter ever sees."""

    record: RightsRequest
    status_token: str


def open_request(
    submission: Submission,
    channel: Channel,
    received_at: datetime,
    language: str = "en",
    group_id: str | None = None,
) -> NewRequest:
    """Create the record for a new request: id, legal clock and status token. `group_id` links
    the requests made from one letter that asked for several rights."""
    choice = deadlines.regime_for(submission.jurisdiction, submission.type)
    regime = choice.regime
    token = new_status_token()
    now = to_iso(received_at)
    due_at = to_iso(deadlines.answer_due(regime, received_at))
    record = RightsRequest(
        request_id=new_request_id(),
        type=submission.type,
        status=Status.RECEIVED,
        channel=channel,
        language=language,
        group_id=group_id,
        email=str(submission.email),
        name=submission.name,
        phone=submission.phone,
        account_number=submission.account_number,
        brand=submission.brand,
        jurisdiction=submission.jurisdiction,
        regime=regime.code,
        regime_law=regime.law,
        regime_fallback=choice.fallback,
        details=submission.details,
        received_at=now,
        due_at=due_at,
        original_due_at=due_at,
        acknowledge_by=to_iso(deadlines.acknowledge_by(regime, received_at)),
        acknowledge_basis=regime.acknowledge_basis,
        updated_at=now,
        status_token_hash=hash_secret(token),
        subject_hash=pseudonym(str(submission.email)),
    )
    return NewRequest(record=record, status_token=token)


class Receipt(BaseModel):
    """The answer to a submission (202). A submission joined to the same person's open request
    of the same type carries that request's id, `joined: true` and no status token: the token
    went to whoever submitted first, so nothing of the open request (its status, dates, history)
    is handed to someone who merely knows the address. Its `received_at` and `due_at` are this
    submission's, which the open request's own due date never exceeds."""

    request_id: str
    status: Status
    received_at: str
    due_at: str
    status_token: str | None = Field(
        description="Reads the status (X-Request-Token); null when the submission joined an "
        "open request"
    )
    joined: bool = Field(
        default=False,
        description="True when an open request of the same type for the same address already "
        "existed: no new request was made and no e-mail sent",
    )


class HistoryEntry(BaseModel):
    status: Status
    at: str


class PublicView(BaseModel):
    """What the person sees of their request: no personal data echoed back, no internals."""

    request_id: str
    type: RequestType
    status: Status
    group_id: str | None = None
    received_at: str
    due_at: str
    updated_at: str
    history: list[HistoryEntry]
    package_available_until: str | None = Field(
        default=None,
        description="Set while the data package can be downloaded "
        "(GET /requests/{request_id}/package)",
    )
