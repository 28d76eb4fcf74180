"""Identity verification, from the workflow's side (send a code and wait) and the person's side
(enter the code, ask for a new one). The code is only ever in the e-mail and in the person's hands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from rightsflow.domain.canonical import region_of
from rightsflow.domain.clock import from_iso, to_iso, utc_now
from rightsflow.domain.errors import (
    CodeLimitReached,
    NotPendingVerification,
    NotWaitingForOps,
    ResendLimited,
    VerificationExpired,
    VerificationLocked,
)
from rightsflow.domain.lifecycle import Status
from rightsflow.domain.notices import local_time, render
from rightsflow.domain.requests import Channel, RightsRequest
from rightsflow.domain.rights import right_for
from rightsflow.domain.timescale import TimeScale
from rightsflow.domain.verification import (
    DISCLOSING,
    MAX_ATTEMPTS,
    MAX_RESENDS,
    Assurance,
    Verification,
    assurance_for,
    code_matches,
    expires_at,
    expiry_timeout_seconds,
    hash_code,
    new_code,
    new_salt,
    second_identifier_verdict,
)
from rightsflow.integration.mailer import Mailer
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.send_limits import SendLimits
from rightsflow.integration.workflow import Workflow
from rightsflow.observability import logger, metrics
from rightsflow.service.changes import Change, apply_change, record_change

if TYPE_CHECKING:
    # Only VerifyIdentityFunction builds a Directory (the stores and their formats); the intake
    # functions that import this module for codes and resends never load it.
    from rightsflow.integration.directory import Directory

COMPONENT = "VerifyIdentity"


@dataclass(frozen=True)
class VerificationPolicy:
    """How long a code lives: `expiry_days` legal days, but never less than `min_wall_seconds`
    on the wall clock however fast a compressed legal day runs (local stack only)."""

    expiry_days: float
    scale: TimeScale
    min_wall_seconds: float = 0.0

    @property
    def effective_expiry_days(self) -> float:
        if self.scale.day_seconds is None:
            return self.expiry_days
        return max(self.expiry_days, self.min_wall_seconds / self.scale.day_seconds)


# ------------------------------------------------------------------ workflow side
def prepare(store: RequestsStore, request_id: str, policy: VerificationPolicy) -> dict[str, Any]:
    """Decide whether the person must prove control of the e-mail, and for how long to wait."""
    record = store.get(request_id)
    verifier = _verified_elsewhere(record)
    if verifier is not None:
        record_change(
            store,
            request_id,
            action="identity_verified_by_submitter",
            component=COMPONENT,
            status=Status.IN_PROGRESS,
            updates={
                "verified_at": record.verified_at or to_iso(utc_now()),
                "verified_by": verifier,
            },
            detail={"verified_by": verifier},
        )
        return {"request_id": request_id, "verification": {"required": False}}
    timeout = expiry_timeout_seconds(policy.effective_expiry_days, policy.scale.day_seconds)
    return {
        "request_id": request_id,
        "verification": {"required": True, "timeout_seconds": timeout},
    }


def _verified_elsewhere(record: RightsRequest) -> str | None:
    """Who already vouched for the person: the submitting Brand, ops, or an earlier code."""
    if record.verified_by is not None:
        return record.verified_by
    if record.channel is Channel.BRAND_API:
        return f"brand:{record.brand}"
    if record.channel is Channel.OPS:
        return "ops"
    if assurance_for(record.type, record.details) is Assurance.NONE:
        return "not required"
    return None


def send_code(
    store: RequestsStore,
    mailer: Mailer,
    gdpr_page_url: str,
    request_id: str,
    *,
    task_token: str,
    policy: VerificationPolicy,
    limits: SendLimits | None = None,
) -> None:
    """Store a new code's hash with the workflow's task token, then e-mail the code. A request
    whose group sibling already waits for a live code shares that code instead: one letter,
    one code (the sibling's verification verifies it too, see `submit_code`). If the address
    already had its day's codes, the code is withheld (recorded) and the person can ask for a
    new one once the limit allows."""
    current = store.get(request_id)
    now = utc_now()
    legal_now = policy.scale.to_legal(now, from_iso(current.received_at))
    shared = _live_sibling_code(store, current, legal_now)
    if shared is not None:
        record_change(
            store,
            request_id,
            action="verification_code_shared",
            component=COMPONENT,
            status=Status.PENDING_VERIFICATION,
            updates={
                "verification": shared.model_copy(
                    update={"task_token": task_token, "attempts_left": MAX_ATTEMPTS}
                )
            },
            detail={"expires_at": shared.expires_at, "shared_with_group": current.group_id},
        )
        return
    code = new_code()
    salt = new_salt()
    withheld = None
    if limits is not None:
        try:
            limits.take_code(current.subject_hash, now)
        except CodeLimitReached as error:
            withheld = error
    verification = Verification(
        code_hash=hash_code(code, salt),
        salt=salt,
        sent_at=to_iso(now),
        expires_at=to_iso(expires_at(legal_now, policy.effective_expiry_days)),
        task_token=task_token,
    )
    record = record_change(
        store,
        request_id,
        action="verification_code_withheld" if withheld else "verification_code_sent",
        component=COMPONENT,
        status=Status.PENDING_VERIFICATION,
        updates={"verification": verification},
        detail={"expires_at": verification.expires_at}
        | ({"reason": "daily limit of codes for this address"} if withheld else {}),
    )
    if withheld is not None:
        logger.warning("verification code withheld", extra={"request_id": request_id})
        return
    mailer.send(record.email, _code_notice(record, code, verification, gdpr_page_url))


def _siblings(record: RightsRequest) -> list[str]:
    return [i for i in record.group_request_ids if i != record.request_id]


def _live_sibling_code(
    store: RequestsStore, record: RightsRequest, legal_now: Any
) -> Verification | None:
    for sibling_id in _siblings(record):
        sibling = store.get(sibling_id)
        pending = sibling.verification
        if (
            sibling.status is Status.PENDING_VERIFICATION
            and pending is not None
            and sibling.email == record.email
            and from_iso(pending.expires_at) > legal_now
        ):
            return pending
    return None


def _code_notice(
    record: RightsRequest, code: str, verification: Verification, gdpr_page_url: str
) -> Any:
    return render(
        "verification",
        {
            "request_id": record.request_id,
            "code": code,
            "right_label": right_for(record.type, record.language).label,
            "expires_at": local_time(verification.expires_at, record.reading_zone, record.language),
            # The page's code step, which needs nothing but the request id.
            "verify_url": f"{gdpr_page_url}?"
            + urlencode({"request_id": record.request_id, "step": "verify"}),
        },
        record.language,
    )


def mark_unverified(store: RequestsStore, request_id: str, error: str) -> dict[str, Any]:
    """The code expired, or was guessed wrong too often: the request ends unverified."""
    reason = (
        "too many wrong verification codes"
        if error == VerificationLocked.__name__
        else "the verification code expired before it was entered"
    )
    record = store.get(request_id)
    if not record.status.is_terminal:  # withdrawn meanwhile, say: the outcome stands
        record = record_change(
            store,
            request_id,
            action="verification_expired",
            component=COMPONENT,
            status=Status.UNVERIFIED,
            updates={"verification": None, "unverified_reason": reason},
        )
    metrics.add_metric(name="RequestsUnverified", unit="Count", value=1)
    return {"request_id": request_id}


def check_second_identifier(
    store: RequestsStore, directory: Directory, request_id: str
) -> dict[str, Any]:
    """Where the request type needs it and we hold a phone or account number for the person,
    the request must match it; if not, ops review it (never a silent rejection)."""
    record = store.get(request_id)
    needs_check = assurance_for(
        record.type, record.details
    ) is Assurance.EMAIL_AND_SECOND_IDENTIFIER and not (
        (record.verified_by or "").startswith(("brand:", "ops"))
    )
    if not needs_check:
        return {"request_id": request_id, "assured": True}
    if record.planned_stores is not None:
        # Re-driven by ops after fulfilment began: the check passed before the data was
        # located, and the records that matched may be erased by now.
        return {"request_id": request_id, "assured": True}
    region = region_of(record.jurisdiction)
    scope = record.effective_scope(list(directory.data_map.stores))
    verdict = second_identifier_verdict(
        directory.second_identifiers_on_file(
            record.email, region=region, stores=scope.readable(directory.data_map)
        ),
        record.phone,
        record.account_number,
        record.jurisdiction,
        directory.data_map.identifiers.account_number,
        discloses=record.type in DISCLOSING,
    )
    apply_change(
        store,
        request_id,
        lambda _: Change(
            "second_identifier_checked",
            COMPONENT,
            updates={"attention_reason": None if verdict.satisfied else verdict.reason},
            detail={"satisfied": verdict.satisfied, "reason": verdict.reason},
        ),
    )
    return {"request_id": request_id, "assured": verdict.satisfied}


# ------------------------------------------------------------------ the person's side
@dataclass(frozen=True)
class CodeOutcome:
    record: RightsRequest
    verified: bool
    attempts_left: int


def submit_code(
    store: RequestsStore, workflow: Workflow, request_id: str, code: str, scale: TimeScale
) -> CodeOutcome:
    """Check a code. Right: the workflow resumes. Wrong: one attempt fewer; none left: locked."""
    outcome: dict[str, Any] = {}

    def decide(current: RightsRequest) -> Change:
        verification = _pending(current)
        legal_now = scale.to_legal(utc_now(), from_iso(current.received_at))
        if legal_now > from_iso(verification.expires_at):
            raise VerificationExpired(current.request_id)
        outcome.update(token=verification.task_token)
        if code_matches(code, verification):
            outcome.update(verified=True, attempts_left=verification.attempts_left)
            return Change(
                "identity_verified",
                COMPONENT,
                Status.IN_PROGRESS,
                {"verification": None, "verified_at": to_iso(utc_now()), "verified_by": "email"},
            )
        left = verification.attempts_left - 1
        outcome.update(verified=False, attempts_left=left)
        if left <= 0:
            return Change(
                "verification_locked",
                COMPONENT,
                Status.UNVERIFIED,
                {"verification": None, "unverified_reason": "too many wrong verification codes"},
            )
        return Change(
            "verification_code_wrong",
            COMPONENT,
            updates={"verification": verification.model_copy(update={"attempts_left": left})},
            detail={"attempts_left": left},
        )

    record = apply_change(store, request_id, decide)
    if outcome["verified"]:
        workflow.resume(outcome["token"], {"verified": True})
        metrics.add_metric(name="RequestsVerified", unit="Count", value=1)
        _verify_siblings(store, workflow, record)
    elif outcome["attempts_left"] <= 0:
        workflow.fail(outcome["token"], VerificationLocked.__name__, "too many wrong codes")
    logger.info(
        "verification code checked",
        extra={"request_id": request_id, "verified": outcome["verified"]},
    )
    return CodeOutcome(record, outcome["verified"], outcome["attempts_left"])


def _verify_siblings(store: RequestsStore, workflow: Workflow, record: RightsRequest) -> None:
    """The person proved control of the address for one request of a group: the others from
    the same letter and address are verified by the same proof."""
    for sibling_id in _siblings(record):
        _verify_sibling(store, workflow, record, sibling_id)


def _verify_sibling(
    store: RequestsStore, workflow: Workflow, record: RightsRequest, sibling_id: str
) -> None:
    token: dict[str, str] = {}

    def decide(current: RightsRequest) -> Change | None:
        if current.email != record.email or current.verified_by is not None:
            return None
        updates: dict[str, Any] = {
            "verified_at": to_iso(utc_now()),
            "verified_by": f"email:{record.request_id}",
        }
        if current.status is Status.PENDING_VERIFICATION and current.verification:
            token["value"] = current.verification.task_token
            updates["verification"] = None
            return Change("identity_verified", COMPONENT, Status.IN_PROGRESS, updates)
        if current.status.is_terminal or current.status is Status.NEEDS_ATTENTION:
            return None
        # Not at its code step yet: its workflow will find it verified and send no code.
        return Change("identity_verified", COMPONENT, updates=updates)

    apply_change(store, sibling_id, decide)
    if "value" in token:
        try:
            workflow.resume(token["value"], {"verified": True})
        except NotWaitingForOps:
            logger.warning(
                "sibling no longer waiting for its code", extra={"request_id": sibling_id}
            )


def resend_code(
    store: RequestsStore,
    mailer: Mailer,
    gdpr_page_url: str,
    request_id: str,
    interval: timedelta,
    *,
    limits: SendLimits | None = None,
) -> RightsRequest:
    """A fresh code replaces the old one: at most three times per request, once per `interval`
    (a minute unless configured otherwise), within the address's daily limit of codes."""
    code = new_code()
    salt = new_salt()
    now = utc_now()
    first_look = store.get(request_id)
    _refuse_resend(_pending(first_look), now, interval)
    if limits is not None:
        limits.take_code(first_look.subject_hash, now)

    def decide(current: RightsRequest) -> Change:
        verification = _pending(current)
        _refuse_resend(verification, now, interval)
        renewed = verification.model_copy(
            update={
                "code_hash": hash_code(code, salt),
                "salt": salt,
                "sent_at": to_iso(now),
                "resends_used": verification.resends_used + 1,
            }
        )
        return Change(
            "verification_code_resent",
            COMPONENT,
            updates={"verification": renewed},
            detail={"resends_used": renewed.resends_used},
        )

    record = apply_change(store, request_id, decide)
    assert record.verification is not None
    mailer.send(record.email, _code_notice(record, code, record.verification, gdpr_page_url))
    return record


def _refuse_resend(verification: Verification, now: datetime, interval: timedelta) -> None:
    if verification.resends_used >= MAX_RESENDS:
        raise ResendLimited(f"a code can be re-sent at most {MAX_RESENDS} times", 0)
    wait = from_iso(verification.sent_at) + interval - now
    if wait > timedelta(0):
        raise ResendLimited(
            f"a new code can be sent {int(interval.total_seconds())} seconds after the last",
            int(wait.total_seconds()) + 1,
        )


def _pending(record: RightsRequest) -> Verification:
    if record.status is not Status.PENDING_VERIFICATION or record.verification is None:
        raise NotPendingVerification(f"request {record.request_id} is not waiting for a code")
    return record.verification
