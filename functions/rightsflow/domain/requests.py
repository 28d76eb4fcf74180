"""A rights request: what a person submits, what is stored, and what the person may see of it."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
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
    model_validator,
)

from rightsflow.domain import deadlines
from rightsflow.domain.canonical import (
    UnreadableIdentifier,
    email_match_form,
    phone_e164,
    region_of,
    sending_address,
)
from rightsflow.domain.clock import from_iso, to_iso
from rightsflow.domain.identifiers import hash_secret, new_request_id, new_status_token, pseudonym
from rightsflow.domain.language import LANGUAGES, supported
from rightsflow.domain.lifecycle import RequestType, Status
from rightsflow.domain.scope import Scope, ScopeKind
from rightsflow.domain.verification import GroupCode, Verification

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
# A number, and optionally its extension (`ext. 12`, `x12`, `;ext=12`, `#12`), which the
# canonical form keeps: `+44 20 7000 1000 ext. 12` is not `+44 20 7000 1000 ext. 34`.
Phone = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        pattern=r"^\+?[0-9 ()./-]{6,32}(?i:\s*(?:;\s*ext=|ext\.?|extension|x|#)\s*[0-9]{1,10})?$",
    ),
]
# Letters, digits, `.`, `_` and `-`, in groups a space may separate: the data map ignores
# spaces in account numbers (`identifiers.account_number`), so `ACME 1815` is ACME1815.
_ACCOUNT_NUMBER = re.compile(r"[A-Za-z0-9._-]+( +[A-Za-z0-9._-]+)*")


def _account_number_shape(value: str) -> str:
    if len(value) > 96 or not _ACCOUNT_NUMBER.fullmatch(value):
        raise ValueError(
            "an account number is letters, digits, '.', '_' and '-' (spaces between them are "
            "ignored), at most 96 characters"
        )
    return value


AccountNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    AfterValidator(_account_number_shape),
    Field(
        description="Letters, digits, '.', '_' and '-'; spaces between them are ignored "
        "(ACME 1815 is ACME1815), as is case",
        json_schema_extra={"pattern": f"^{_ACCOUNT_NUMBER.pattern}$", "maxLength": 96},
    ),
]


BrandSlug = Annotated[
    str,
    BeforeValidator(lambda value: value.strip().lower() if isinstance(value, str) else value),
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$"),
]


def _deliverable_address(value: str) -> str:
    """We must be able to write to the person (codes, notices): SES delivers to ASCII
    addresses with any domain (sent as its IDNA A-label), never to a non-ASCII local part."""
    try:
        sending_address(value)
    except UnreadableIdentifier as error:
        raise ValueError(error.problem) from error
    return value


# What a request's e-mail must be, on every channel (web, Brand API, ops, e-mail's sender).
RequestEmail = Annotated[EmailStr, AfterValidator(_deliverable_address)]


@cache
def _email_rule() -> TypeAdapter[str]:
    # Built with the first address checked: it loads the e-mail syntax tables (email-validator),
    # which the functions that never read a new address (most of them) do without.
    return TypeAdapter(RequestEmail)


def address_problem(address: str) -> str | None:
    """Why `address` cannot be a request's e-mail (the rule `Submission.email` applies), or
    None when it can."""
    try:
        _email_rule().validate_python(address)
    except ValidationError as error:
        message = str(error.errors()[0].get("msg", "not a valid e-mail address"))
        return message.removeprefix("Value error, ")
    return None


# The place of a request that gives none (the web, and a letter that states none).
DEFAULT_JURISDICTION = "EU"


class Channel(StrEnum):
    """How the request reached us."""

    WEB = "web"
    EMAIL = "email"
    BRAND_API = "brand_api"
    OPS = "ops"


class Submission(BaseModel):
    """The body of `POST /requests`: exactly what a person may tell us, nothing more."""

    # defer_build: the e-mail validator is loaded by the functions that take submissions only.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    type: RequestType
    email: RequestEmail
    name: ShortText | None = None
    # Before `phone`: a national phone number is read in the jurisdiction's region.
    jurisdiction: str = Field(
        default=DEFAULT_JURISDICTION, description="Country or region code, e.g. DE, GB, US-CA"
    )
    phone: Phone | None = Field(
        default=None,
        description="With its country code (+44 20 7946 0000, 0044 …), or national in the "
        "jurisdiction's country; stored in E.164",
    )
    account_number: AccountNumber | None = None
    brand: BrandSlug | None = Field(
        default=None,
        description="The Brand whose customer the person is, one the data map lists (acme, "
        "globex in the demo); another is a 422 naming the Brands",
    )
    # Validated even when left out: a complaint without details is as wrong as one with `{}`.
    details: dict[str, Any] = Field(default_factory=dict, validate_default=True)
    language: str | None = Field(
        default=None,
        description="The language to write to the person in: "
        + ", ".join(LANGUAGES)
        + " (a regional tag such as de-AT is read as its language); without it, the browser's "
        "Accept-Language, else English",
    )

    @field_validator("jurisdiction")
    @classmethod
    def _known_shape(cls, value: str) -> str:
        return deadlines.normalise_jurisdiction(value)

    @field_validator("language")
    @classmethod
    def _language_we_write(cls, value: str | None) -> str | None:
        if value is None:
            return None
        language = supported(value)
        if language is None:
            raise ValueError(f"we write in {', '.join(LANGUAGES)}, not {value[:20]!r}")
        return language

    @field_validator("phone")
    @classmethod
    def _e164(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        try:
            return phone_e164(value, region_of(info.data.get("jurisdiction")))
        except UnreadableIdentifier as error:
            raise ValueError(error.problem) from error

    @field_validator("details")
    @classmethod
    def _details_fit_the_type(cls, details: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        if nesting_depth(details) > MAX_DETAILS_DEPTH:
            raise ValueError(
                f"nests deeper than {MAX_DETAILS_DEPTH} levels of objects and lists "
                "(what a stored request can hold)"
            )
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
        if request_type is RequestType.APPEAL:
            _check_appeal_details(details)
        return details


REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{1,80}$")
# DynamoDB stores at most 32 levels of nesting in an item, the item's own level included;
# `details` is an attribute of the request's item, so it and what it holds get 31.
MAX_DETAILS_DEPTH = 31


def nesting_depth(value: Any) -> int:
    """How many levels of objects and lists `value` nests (a scalar: 0, `{}`: 1, `{"a": []}`:
    2), counted without recursion, so any depth is measured."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        current, level = pending.pop()
        if isinstance(current, dict):
            children: Any = current.values()
        elif isinstance(current, list | tuple):
            children = current
        else:
            continue
        deepest = max(deepest, level)
        pending.extend((child, level + 1) for child in children)
    return deepest


def _check_appeal_details(details: dict[str, Any]) -> None:
    """An appeal names the request whose decision it appeals and proves it may, with that
    request's status token (or the appeal token its closing e-mail gave)."""
    appeal_of = details.get("appeal_of")
    if not isinstance(appeal_of, str) or not REQUEST_ID.fullmatch(appeal_of):
        raise ValueError("an appeal needs details.appeal_of, the id of the request appealed")
    token = details.get("status_token")
    if not isinstance(token, str) or not 0 < len(token.strip()) <= 200:
        raise ValueError(
            "an appeal needs details.status_token, the status token of the request appealed"
        )
    message = details.get("message")
    if message is not None and (not isinstance(message, str) or len(message) > 4000):
        raise ValueError("details.message, if given, is text of at most 4000 characters")


class GpcSignal(BaseModel):
    """The body of `POST /gpc`: a Global Privacy Control signal and the identifiers it is for.
    Recorded as an opt-out of sale and sharing (Cal. Code Regs. tit. 11 § 7025)."""

    # defer_build: as Submission's, its e-mail validator loads where signals are taken.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    email: EmailStr | None = None
    phone: Phone | None = None
    account_number: AccountNumber | None = None
    jurisdiction: str = Field(default="US-CA", description="Country or region code")

    @field_validator("jurisdiction")
    @classmethod
    def _known_shape(cls, value: str) -> str:
        return deadlines.normalise_jurisdiction(value)

    @model_validator(mode="after")
    def _some_identifier(self) -> GpcSignal:
        if not (self.email or self.phone or self.account_number):
            raise ValueError("give at least one identifier: email, phone or account_number")
        return self


class Extension(BaseModel):
    """One extension of the deadline, with the reason the person was given."""

    previous_due_at: str
    new_due_at: str
    new_target_at: str | None = None
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
    # The law's last moment (moved past a weekend or holiday where the law moves it), and the
    # careful date ops work to (never later). Older records have no target: it is the due date.
    due_at: str
    original_due_at: str
    target_at: str | None = None
    original_target_at: str | None = None
    time_zone: str | None = None  # where the regime's days are counted for this request
    acknowledge_by: str | None = None  # None: neither the law nor our policy asks for one
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
    # On the group's code holder (`code_holder`): the one code of the whole letter.
    group_code: GroupCode | None = None
    verified_at: str | None = None
    verified_by: str | None = None
    unverified_reason: str | None = None
    decline_reason: str | None = None
    reviewed_by_ops: bool = False
    # Which stores the request may read and change, decided at intake (None: made before
    # scopes were recorded, which reached every store).
    scope: Scope | None = None
    # A Global Privacy Control signal came with the request: an opt-out of sale/sharing recorded.
    gpc: bool = False
    opt_out_applied_at: str | None = None
    # Decisions open to appeal (US state laws): declined in part, the appeal window and token,
    # and the appeal made against the decision; on an appeal, ops' decision.
    declined_in_part: bool = False
    appeal_until: str | None = None
    appeal_token_hash: str | None = None
    appeal_id: str | None = None
    appeal_decision: str | None = None  # "granted" or "denied"
    appeal_answer: str | None = None
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

    @property
    def reading_zone(self) -> str:
        """The zone instants are told in to the person (`time_zone` is where days are counted:
        for `EU`, the zone whose day ends first, which people would not recognise)."""
        return deadlines.reading_zone(self.jurisdiction)

    def effective_scope(self, stores: list[str]) -> Scope:
        """The recorded scope; a record from before scopes were recorded reached every store."""
        return self.scope or Scope(kind=ScopeKind.EVERY_STORE, stores=stores)


def record_clock(record: RightsRequest) -> deadlines.Clock:
    """The clock a stored request runs on, counted again in the time zone it was counted in."""
    return deadlines.clock_for(
        record.jurisdiction, record.type, from_iso(record.received_at), zone=record.time_zone
    )


def target_at(record: RightsRequest) -> str:
    """The date ops work to (records from before targets existed: the due date)."""
    return record.target_at or record.due_at


def ops_facts(record: RightsRequest) -> dict[str, Any]:
    """What may be told outside the data boundary (ops channels, alerts): ids, dates, statuses."""
    return {
        "request_id": record.request_id,
        "type": record.type,
        "status": record.status,
        "regime": record.regime,
        "due_at": record.due_at,
        "target_at": target_at(record),
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
    *,
    group_id: str | None = None,
    gpc: bool = False,
    scope: Scope | None = None,
) -> NewRequest:
    """Create the record for a new request: id, legal clock, scope and status token. `group_id`
    links the requests made from one letter that asked for several rights. InvalidRequest for
    an appeal where the law gives no right to appeal."""
    clock = deadlines.clock_for(submission.jurisdiction, submission.type, received_at)
    token = new_status_token()
    now = to_iso(received_at)
    due_at = to_iso(clock.due)
    target = to_iso(clock.target)
    ack = clock.acknowledgment
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
        regime=clock.regime.code,
        regime_law=clock.regime.law,
        regime_fallback=clock.fallback,
        details=submission.details,
        scope=scope,
        received_at=now,
        due_at=due_at,
        original_due_at=due_at,
        target_at=target,
        original_target_at=target,
        time_zone=clock.time_zone,
        acknowledge_by=to_iso(clock.acknowledge_by) if clock.acknowledge_by else None,
        acknowledge_basis=ack.basis if ack is not None else NO_ACKNOWLEDGMENT,
        updated_at=now,
        gpc=gpc,
        status_token_hash=hash_secret(token),
        subject_hash=subject_of(str(submission.email)),
    )
    return NewRequest(record=record, status_token=token)


def subject_of(email: str) -> str:
    """The hash that stands for the person on their requests (`subject_hash`): of the address
    in the form it is matched in, so that any spelling of it names the same person."""
    return pseudonym(email_match_form(email))


NO_ACKNOWLEDGMENT = "none: the law sets none, and our notice that it was applied follows at once"


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
    language: str = Field(
        default="en", description="The language we write to the person in (and the page shows)"
    )
    time_zone: str | None = Field(
        default=None, description="Where the law counts this request's days (IANA zone)"
    )
    reading_zone: str | None = Field(
        default=None,
        description="The zone the place's people read times in (IANA zone), where times are "
        "shown: the same instants as in time_zone (for EU, Europe/Brussels rather than the "
        "zone whose day ends first)",
    )
    package_available_until: str | None = Field(
        default=None,
        description="Set while the data package can be downloaded "
        "(GET /requests/{request_id}/package)",
    )
    scope: Scope | None = Field(
        default=None,
        description="The stores this request may read and change: every_store for a person's "
        "own request, a Brand's stores for a Brand's, as named for one ops start",
    )
