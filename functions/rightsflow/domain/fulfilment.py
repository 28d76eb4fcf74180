"""What each right means in one store: which records are deleted, anonymised, kept (and why),
changed or flagged. Pure rules over the data map and the records found; no AWS here."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from rightsflow.domain.data_map import ErasureAction, Flag, LegalHold, Store
from rightsflow.domain.language import N_, SOURCE_LANGUAGE, Words, words
from rightsflow.domain.lifecycle import RequestType


class Found(BaseModel):
    """One record of a person in one store: its key (to change it) and its content."""

    key: dict[str, Any]
    data: dict[str, Any]


class ActionKind(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"
    UPDATE = "update"
    KEEP = "keep"


class Action(BaseModel):
    kind: ActionKind
    key: dict[str, Any]
    set: dict[str, Any] = Field(default_factory=dict)  # update: new values
    blank: list[str] = Field(default_factory=list)  # anonymise: fields emptied
    reason: str | None = None  # keep: why


class Plan(BaseModel):
    """The actions for one store, and the corrections it refused with reasons."""

    actions: list[Action] = Field(default_factory=list)
    refused: dict[str, str] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)


def held_reason(hold: LegalHold, say: Words | None = None) -> str:
    """Why records under `hold` are kept, in words (English, as stored, unless `say` is another
    language's): the law and how long, as the data map states them."""
    say = say or words(SOURCE_LANGUAGE)
    return say.gettext(
        "kept under legal hold: %(law)s, %(until)s",
        law=say.translate(hold.law),
        until=say.translate(hold.until),
    )


def refused_reason(store: Store, field: str, say: Words | None = None) -> str:
    """Why a correction of `field` is refused in `store` (English unless `say` says otherwise)."""
    say = say or words(SOURCE_LANGUAGE)
    return say.gettext(
        "%(field)s cannot be changed in %(place)s: it is a record of what happened, not a "
        "detail about you",
        field=field,
        place=say.translate(store.description),
    )


# What the closing e-mail says of a store that keeps no flag of its own.
NO_FLAG_OF_ITS_OWN = N_("recorded in our privacy register; this store keeps no flag of its own")


def _held(store: Store, record: Found) -> str | None:
    hold = store.erasure.legal_hold
    if hold and all(str(record.data.get(k)) == v for k, v in hold.when.items()):
        return held_reason(hold)
    return None


def erasure_reaches(store: Store, data: dict[str, Any]) -> bool:
    """Whether erasure deletes or anonymises a record holding `data` (it is not kept)."""
    if store.erasure.action is ErasureAction.KEEP:
        return False
    return _held(store, Found(key={}, data=data)) is None


def erasure_plan(store: Store, records: list[Found]) -> Plan:
    plan = Plan()
    for record in records:
        held = _held(store, record)
        if store.erasure.action is ErasureAction.KEEP:
            plan.actions.append(
                Action(kind=ActionKind.KEEP, key=record.key, reason=store.erasure.reason)
            )
        elif held:
            plan.actions.append(Action(kind=ActionKind.KEEP, key=record.key, reason=held))
        elif store.erasure.action is ErasureAction.ANONYMISE:
            plan.actions.append(
                Action(kind=ActionKind.ANONYMISE, key=record.key, blank=store.erasure.fields)
            )
        else:
            plan.actions.append(Action(kind=ActionKind.DELETE, key=record.key))
    return plan


def rectification_plan(store: Store, records: list[Found], corrections: dict[str, str]) -> Plan:
    plan = Plan()
    held_fields = {field for record in records for field in record.data}
    for field in sorted(corrections):
        if field not in held_fields:
            continue  # this store does not hold it: nothing to correct here
        if field not in store.rectifiable:
            plan.refused[field] = refused_reason(store, field)
    allowed = {f: v for f, v in corrections.items() if f in store.rectifiable and f in held_fields}
    for record in records:
        changes = {f: v for f, v in allowed.items() if f in record.data and record.data[f] != v}
        if changes:
            plan.actions.append(Action(kind=ActionKind.UPDATE, key=record.key, set=changes))
    return plan


def flag_plan(flag: Flag | None, records: list[Found], *, undo: bool = False) -> Plan:
    """Set (or, with undo, clear) a flag on every record that does not have it yet."""
    plan = Plan()
    if flag is None:
        return plan
    if undo:
        cleared: Any = (not flag.value) if isinstance(flag.value, bool) else ""
        targets = [r for r in records if r.data.get(flag.attribute) == flag.value]
        value = cleared
    else:
        targets = [r for r in records if r.data.get(flag.attribute) != flag.value]
        value = flag.value
    for record in targets:
        plan.actions.append(
            Action(kind=ActionKind.UPDATE, key=record.key, set={flag.attribute: value})
        )
    return plan


def flag_for(store: Store, request_type: RequestType) -> Flag | None:
    if request_type in {RequestType.WITHDRAW_CONSENT, RequestType.OBJECTION}:
        return store.consent
    if request_type is RequestType.AUTOMATED_DECISION:
        return store.profiling
    if request_type in {RequestType.RESTRICTION, RequestType.LIFT_RESTRICTION}:
        return store.restriction
    return None


def plan_for(
    store: Store, request_type: RequestType, records: list[Found], details: dict[str, Any]
) -> Plan:
    """The plan for the rights that change data; access and portability only read."""
    if request_type is RequestType.ERASURE:
        return erasure_plan(store, records)
    if request_type is RequestType.RECTIFICATION:
        return rectification_plan(store, records, details.get("corrections", {}))
    flag = flag_for(store, request_type)
    if flag is None and request_type in {
        RequestType.RESTRICTION,
        RequestType.LIFT_RESTRICTION,
        RequestType.OBJECTION,
        RequestType.WITHDRAW_CONSENT,
        RequestType.AUTOMATED_DECISION,
    }:
        return Plan(notes=[NO_FLAG_OF_ITS_OWN])
    return flag_plan(flag, records, undo=request_type is RequestType.LIFT_RESTRICTION)


def store_applies(store: Store, request_type: RequestType) -> bool:
    """Whether a right reaches this store at all."""
    if request_type is RequestType.PORTABILITY:
        return store.portable
    if request_type in {RequestType.WITHDRAW_CONSENT, RequestType.OBJECTION}:
        return store.consent is not None
    if request_type is RequestType.AUTOMATED_DECISION:
        return store.profiling is not None
    return True


class OutcomeStatus(StrEnum):
    IN_PROGRESS = "in_progress"  # some changes made; a retry goes on from done_keys
    FAILED = "failed"  # failed past its retries (`failure` says why); ops' retry goes on
    DONE = "done"


class StoreOutcome(BaseModel):
    """What happened in one store, in numbers and reasons; what the closing e-mail reports."""

    store: str
    status: OutcomeStatus
    found: int = 0
    changed: int = 0
    changes: dict[str, int] = Field(default_factory=dict)  # by action: delete, anonymise, update
    kept: int = 0
    kept_reasons: list[str] = Field(default_factory=list)
    refused: dict[str, str] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    done_keys: list[str] = Field(default_factory=list)  # changes already made, for retries
    # Erasure: where earlier copies of the person's records may be (S3: the objects, whose
    # noncurrent versions holding the person are deleted), those already cleared, and how
    # many copies went. Recorded before anything changes, so a retry still clears them.
    copies: list[str] = Field(default_factory=list)
    copies_cleared: list[str] = Field(default_factory=list)
    copies_erased: int = 0
    failure: str | None = None  # why the store failed (names store and object, no personal data)
    # Read again after the change: what still differs from what should be there (words, no
    # values), and the keys to change again when ops retry. Empty once verified.
    remaining: list[str] = Field(default_factory=list)
    recheck_keys: list[str] = Field(default_factory=list)
    verified_at: str | None = None
    at: str


def key_text(key: dict[str, Any]) -> str:
    """A record key as text, to remember which records a retried step already changed."""
    return "|".join(f"{name}={key[name]}" for name in sorted(key))


class Remaining(BaseModel):
    """A record that, read again after the change, is not as the right requires."""

    key: dict[str, Any]
    why: str  # in words, naming fields, never their values


def what_remains(
    store: Store,
    request_type: RequestType,
    plan: Plan,
    after: list[Found],
    details: dict[str, Any],
) -> list[Remaining]:
    """Completed means verified: compare the store, read again through every lookup, with what
    the right requires. After an erasure only the records kept with their legal reason may
    still be found; after a rectification every allowed correction must be in place; after a
    flag (restriction, objection, consent, profiling) every record must carry it."""
    remaining: list[Remaining] = []
    if request_type is RequestType.ERASURE:
        held = {key_text(a.key) for a in plan.actions if a.kind is ActionKind.KEEP}
        for record in after:
            if key_text(record.key) not in held:
                remaining.append(
                    Remaining(key=record.key, why="still found after erasure, with no legal hold")
                )
        return remaining
    if request_type is RequestType.RECTIFICATION:
        corrections: dict[str, Any] = details.get("corrections", {})
        allowed = {f: v for f, v in corrections.items() if f in store.rectifiable}
        for record in after:
            wrong = sorted(
                f for f, v in allowed.items() if f in record.data and record.data[f] != v
            )
            if wrong:
                remaining.append(
                    Remaining(key=record.key, why=f"not corrected: {', '.join(wrong)}")
                )
        return remaining
    flag = flag_for(store, request_type)
    if flag is None:
        return remaining
    undo = request_type is RequestType.LIFT_RESTRICTION
    for record in after:
        value = record.data.get(flag.attribute)
        if (value == flag.value) is undo:
            state = "still set" if undo else "not set"
            remaining.append(Remaining(key=record.key, why=f"{flag.attribute} {state}"))
    return remaining


def describe_remaining(store_name: str, request_type: RequestType, found: list[Remaining]) -> str:
    """What remains, for ops: the store, how many records and why (no values)."""
    reasons: dict[str, int] = {}
    for item in found:
        reasons[item.why] = reasons.get(item.why, 0) + 1
    words = "; ".join(
        f"{count} record{'' if count == 1 else 's'} {why}" for why, count in sorted(reasons.items())
    )
    return f"{store_name}: read again after the {request_type}, {words}"
