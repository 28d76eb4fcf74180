"""Identity verification, from the workflow's side (send a code and wait) and the person's side
(enter the code, ask for a new one). The code is only ever in the e-mail and in the person's hands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from rightsflow.domain.clock import from_iso, to_iso, utc_now
from rightsflow.domain.errors import (
    CodeLimitReached,
    NotPendingVerification,
    NotWaitingForOps,
    ResendLimited,
    VerificationExpired,
    VerificationLocked,
)
from rightsflow.domain.language import N_
from rightsflow.domain.lifecycle import Status
from rightsflow.domain.notices import CodeRequest, Notice, verification_notice
from rightsflow.domain.requests import Channel, RightsRequest
from rightsflow.domain.rights import right_for
from rightsflow.domain.timescale import TimeScale
from rightsflow.domain.verification import (
    DISCLOSING,
    MAX_ATTEMPTS,
    MAX_RESENDS,
    Assurance,
    GroupCode,
    Verification,
    assurance_for,
    code_holder,
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
    """Give the request the code it waits for, with the workflow's task token. A letter's
    requests share one code and one e-mail: the group's code holder (`code_holder`) keeps the
    group's code, and the first of the group's workflows to reach this step issues it with a
    conditional write on the holder (the others, running at once, find it there and take a copy:
    no e-mail from them). Only the issuer e-mails the code, naming every request it verifies.
    If the address already had its day's codes, the code is withheld (recorded) and the person
    can ask for a new one once the limit allows."""
    current = store.get(request_id)
    now = utc_now()
    legal_now = policy.scale.to_legal(now, from_iso(current.received_at))
    holder_id = _holder_id(store, current)
    code = new_code()
    salt = new_salt()
    fresh = GroupCode(
        code_hash=hash_code(code, salt),
        salt=salt,
        sent_at=to_iso(now),
        expires_at=to_iso(expires_at(legal_now, policy.effective_expiry_days)),
        issued_by=request_id,
    )

    def issue(holder: RightsRequest) -> Change | None:
        live = holder.group_code
        if (
            live is not None
            and from_iso(live.expires_at) > legal_now
            and (live.mailed_at is not None or live.issued_by != request_id)
        ):
            return None  # the group's code is out (or on its way): share it
        # None yet, expired, or this step issued it and is retried before it was mailed: the
        # code is not in the person's hands, so a fresh one replaces it for the whole group.
        return Change(
            "group_verification_code_issued",
            COMPONENT,
            updates={"group_code": fresh},
            detail={"expires_at": fresh.expires_at, "issued_by": request_id},
        )

    group_code = apply_change(store, holder_id, issue).group_code
    assert group_code is not None
    issued = group_code.code_hash == fresh.code_hash
    withheld = None
    if issued and limits is not None:
        try:
            limits.take_code(current.subject_hash, now)
        except CodeLimitReached as error:
            withheld = error
    if issued:
        action = "verification_code_withheld" if withheld else "verification_code_sent"
    else:
        action = "verification_code_shared"
    detail: dict[str, Any] = {"expires_at": group_code.expires_at}
    if withheld:
        detail["reason"] = "daily limit of codes for this address"
    if not issued:
        detail["shared_with_group"] = current.group_id
    record = record_change(
        store,
        request_id,
        action=action,
        component=COMPONENT,
        status=Status.PENDING_VERIFICATION,
        updates={"verification": _copy(group_code, task_token)},
        detail=detail,
    )
    _follow_renewals(store, holder_id, request_id)
    if withheld is not None:
        logger.warning("verification code withheld", extra={"request_id": request_id})
        return
    if issued:
        for sibling_id in _siblings(record):  # those that took a copy of a code replaced here
            apply_change(store, sibling_id, _adopt(group_code))
        mailer.send(record.email, _code_notice(store, record, code, gdpr_page_url))
        apply_change(store, holder_id, _mailed(group_code))


def _mailed(group_code: GroupCode) -> Callable[[RightsRequest], Change | None]:
    """Note on the holder that the group's code reached the mailer (a retried step then shares
    it instead of replacing it)."""

    def decide(holder: RightsRequest) -> Change | None:
        if holder.group_code is None or holder.group_code.code_hash != group_code.code_hash:
            return None
        mailed = holder.group_code.model_copy(update={"mailed_at": to_iso(utc_now())})
        return Change("group_verification_code_mailed", COMPONENT, updates={"group_code": mailed})

    return decide


def _copy(group_code: GroupCode, task_token: str) -> Verification:
    """A request's own copy of its group's code, waiting with its workflow's task token."""
    return Verification(
        code_hash=group_code.code_hash,
        salt=group_code.salt,
        sent_at=group_code.sent_at,
        expires_at=group_code.expires_at,
        resends_used=group_code.resends_used,
        task_token=task_token,
    )


def _adopt(group_code: GroupCode) -> Callable[[RightsRequest], Change | None]:
    """Bring a waiting request's copy of the code up to the group's (after a re-send); its task
    token and attempts left stay its own."""

    def decide(current: RightsRequest) -> Change | None:
        pending = current.verification
        if (
            current.status is not Status.PENDING_VERIFICATION
            or pending is None
            or pending.code_hash == group_code.code_hash
        ):
            return None
        renewed = pending.model_copy(
            update={
                "code_hash": group_code.code_hash,
                "salt": group_code.salt,
                "sent_at": group_code.sent_at,
                "expires_at": group_code.expires_at,
                "resends_used": group_code.resends_used,
            }
        )
        return Change(
            "verification_code_resent",
            COMPONENT,
            updates={"verification": renewed},
            detail={"resends_used": renewed.resends_used},
        )

    return decide


def _follow_renewals(store: RequestsStore, holder_id: str, request_id: str) -> None:
    """A re-send writes the holder first, then every request waiting; a request that took its
    copy meanwhile reads the holder again after writing its own, so one of the two always sees
    the other: no request of the group keeps a code the person no longer has."""
    for _ in range(3):
        group_code = store.get(holder_id).group_code
        if group_code is None:
            return
        if apply_change(store, request_id, _adopt(group_code)).verification is None:
            return
        if store.get(holder_id).group_code == group_code:
            return


def _group_ids(record: RightsRequest) -> list[str]:
    """The requests of the record's group in the group's order (itself alone without one)."""
    return record.group_request_ids or [record.request_id]


def _group(store: RequestsStore, record: RightsRequest) -> list[RightsRequest]:
    return [record if i == record.request_id else store.get(i) for i in _group_ids(record)]


def _holder_id(store: RequestsStore, record: RightsRequest) -> str:
    holder = code_holder(
        [
            (r.request_id, r.type, r.details)
            for r in _group(store, record)
            if r.email == record.email
        ]
    )
    return holder or record.request_id


def _siblings(record: RightsRequest) -> list[str]:
    return [i for i in record.group_request_ids if i != record.request_id]


def _code_notice(
    store: RequestsStore, record: RightsRequest, code: str, gdpr_page_url: str
) -> Notice:
    """One e-mail for the whole group: every request the code verifies (those of the group that
    need the proof and still wait for it), the code, and the code step of `record`, which waits
    for it now."""
    assert record.verification is not None
    covered = [
        r
        for r in _group(store, record)
        if r.request_id == record.request_id
        or (
            r.email == record.email
            and assurance_for(r.type, r.details) is not Assurance.NONE
            and r.verified_by is None
            and not r.status.is_terminal
        )
    ]
    requests = []
    for r in covered:
        right = right_for(r.type, record.language, r.regime)
        requests.append(CodeRequest(right.label, right.article, r.request_id))
    return verification_notice(
        record.language,
        request_id=record.request_id,
        requests=requests,
        code=code,
        expires_at=record.verification.expires_at,
        time_zone=record.reading_zone,
        # The page's code step, which needs nothing but the request id.
        verify_url=f"{gdpr_page_url}?"
        + urlencode({"request_id": record.request_id, "step": "verify", "lang": record.language}),
        attempts=MAX_ATTEMPTS,
    )


# Why a request ends unverified; the closing e-mail writes them in the person's language.
TOO_MANY_WRONG_CODES = N_("too many wrong verification codes")
CODE_EXPIRED = N_("the verification code expired before it was entered")


def mark_unverified(store: RequestsStore, request_id: str, error: str) -> dict[str, Any]:
    """The code expired, or was guessed wrong too often: the request ends unverified."""
    reason = TOO_MANY_WRONG_CODES if error == VerificationLocked.__name__ else CODE_EXPIRED
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
    scope = record.effective_scope(list(directory.data_map.stores))
    verdict = second_identifier_verdict(
        directory.second_identifiers_on_file(
            record.email, stores=scope.readable(directory.data_map)
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
                {"verification": None, "unverified_reason": TOO_MANY_WRONG_CODES},
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
    """A fresh code replaces the old one for the whole group (one e-mail naming every request
    it verifies): at most three times per group, once per `interval` (a minute unless
    configured otherwise), within the address's daily limit of codes."""
    code = new_code()
    salt = new_salt()
    now = utc_now()
    first_look = store.get(request_id)
    own = _pending(first_look)
    holder_id = _holder_id(store, first_look)
    group_code = store.get(holder_id).group_code
    if group_code is None or group_code.code_hash != own.code_hash:
        # Made before codes were kept per group, or ahead of its group: renew its own alone.
        group_code = GroupCode(
            code_hash=own.code_hash,
            salt=own.salt,
            sent_at=own.sent_at,
            expires_at=own.expires_at,
            resends_used=own.resends_used,
            issued_by=request_id,
        )
        holder_id = request_id
    _refuse_resend(group_code, now, interval)
    if limits is not None:
        limits.take_code(first_look.subject_hash, now)
    hashed = hash_code(code, salt)

    def renew(current: RightsRequest) -> Change:
        base = current.group_code or group_code
        _refuse_resend(base, now, interval)  # another re-send may have won meanwhile
        renewed = base.model_copy(
            update={
                "code_hash": hashed,
                "salt": salt,
                "sent_at": to_iso(now),
                "resends_used": base.resends_used + 1,
                "issued_by": request_id,
                "mailed_at": None,
            }
        )
        return Change(
            "group_verification_code_renewed",
            COMPONENT,
            updates={"group_code": renewed},
            detail={"resends_used": renewed.resends_used, "renewed_by": request_id},
        )

    renewed = apply_change(store, holder_id, renew).group_code
    assert renewed is not None
    for member_id in [request_id, *_siblings(first_look)]:
        apply_change(store, member_id, _adopt(renewed))
    record = store.get(request_id)
    _pending(record)
    mailer.send(record.email, _code_notice(store, record, code, gdpr_page_url))
    apply_change(store, holder_id, _mailed(renewed))
    return record


def _refuse_resend(
    verification: Verification | GroupCode, now: datetime, interval: timedelta
) -> None:
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
