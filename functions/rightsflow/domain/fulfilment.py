"""What each right means in one store: which records are deleted, anonymised, kept (and why),
changed or flagged. Pure rules over the data map and the records found; no AWS here."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from enum import StrEnum
from itertools import combinations
from typing import Any

from pydantic import BaseModel, Field

from rightsflow.domain.data_map import ErasureAction, Flag, LegalHold, Rules, Store
from rightsflow.domain.language import N_, SOURCE_LANGUAGE, Words, words
from rightsflow.domain.lifecycle import RequestType


class Found(BaseModel):
    """One record of a person in one store: its key (to change it) and its content. In a SQL
    store, `table` says which table the row is in (its rules are that table's)."""

    key: dict[str, Any]
    data: dict[str, Any]
    table: str | None = None


class ActionKind(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"
    UPDATE = "update"
    KEEP = "keep"


class Action(BaseModel):
    kind: ActionKind
    key: dict[str, Any]
    table: str | None = None  # a SQL store's table
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


def refused_reason(
    store: Store, field: str, tables: list[str] | None = None, say: Words | None = None
) -> str:
    """Why a correction of `field` is refused in `store` (in a SQL store, in its `tables`), in
    words: English, as stored, unless `say` is another language's."""
    say = say or words(SOURCE_LANGUAGE)
    place = say.translate(store.description) + "".join(f" ({t})" for t in tables or () if t)
    return say.gettext(
        "%(field)s cannot be changed in %(place)s: it is a record of what happened, not a "
        "detail about you",
        field=field,
        place=place,
    )


def refused_in(say: Words, store: Store, field: str, stored: str) -> str:
    """A stored (English) refusal of `field`, in `say`'s language: the tables it names are
    read back from it; a reason of another shape is translated as it is."""
    for count in range(len(store.tables()) + 1):
        for tables in _subsets(store.tables(), count):
            if refused_reason(store, field, tables) == stored:
                return refused_reason(store, field, tables, say)
    return say.translate(stored)


def _subsets(items: list[str], size: int) -> list[list[str]]:
    return [sorted(chosen) for chosen in combinations(items, size)]


# What the closing e-mail says of a store that keeps no flag of its own.
NO_FLAG_OF_ITS_OWN = N_("recorded in our privacy register; this store keeps no flag of its own")


def _held(rules: Rules, record: Found) -> str | None:
    hold = rules.erasure.legal_hold
    if hold and all(str(record.data.get(k)) == v for k, v in hold.when.items()):
        return held_reason(hold)
    return None


def erasure_reaches(store: Store, data: dict[str, Any]) -> bool:
    """Whether erasure deletes or anonymises a record holding `data` (it is not kept)."""
    if store.erasure.action is ErasureAction.KEEP:
        return False
    return _held(store, Found(key={}, data=data)) is None


def erasure_plan(store: Store, records: list[Found]) -> Plan:
    """Each record by the erasure rule of its table (or of the store): delete, anonymise the
    named fields, or keep it with the reason the law gives."""
    plan = Plan()
    for record in records:
        rules = store.rules_for(record.table)
        erasure = rules.erasure
        held = _held(rules, record)
        where = {"key": record.key, "table": record.table}
        if erasure.action is ErasureAction.KEEP:
            plan.actions.append(Action(kind=ActionKind.KEEP, reason=erasure.reason, **where))
        elif held:
            plan.actions.append(Action(kind=ActionKind.KEEP, reason=held, **where))
        elif erasure.action is ErasureAction.ANONYMISE:
            if any(record.data.get(field) not in (None, "") for field in erasure.fields):
                plan.actions.append(
                    Action(kind=ActionKind.ANONYMISE, blank=erasure.fields, **where)
                )
            # else: anonymised already (kept rows still reach it): nothing left to erase
        else:
            plan.actions.append(Action(kind=ActionKind.DELETE, **where))
    return plan


def rectification_plan(store: Store, records: list[Found], corrections: dict[str, str]) -> Plan:
    """Correct the fields each record's table allows; a field held where it may not be changed
    is refused with the reason (and, in a SQL store, the table)."""
    plan = Plan()
    for field in sorted(corrections):
        refusing = sorted(
            {
                record.table or ""
                for record in records
                if field in record.data and field not in store.rules_for(record.table).rectifiable
            }
        )
        if refusing:
            plan.refused[field] = refused_reason(store, field, refusing)
    for record in records:
        allowed = store.rules_for(record.table).rectifiable
        changes = {
            f: v
            for f, v in corrections.items()
            if f in allowed and f in record.data and record.data[f] != v
        }
        if changes:
            plan.actions.append(
                Action(kind=ActionKind.UPDATE, key=record.key, table=record.table, set=changes)
            )
    return plan


def flag_plan(
    flag: Flag | None,
    records: list[Found],
    *,
    undo: bool = False,
    flag_of: Callable[[Found], Flag | None] | None = None,
) -> Plan:
    """Set (or, with undo, clear) a flag on every record that does not have it yet. `flag_of`
    gives a record's own flag where the store's tables differ (SQL); else `flag` is everyone's."""
    plan = Plan()
    for record in records:
        own = flag_of(record) if flag_of is not None else flag
        if own is None:
            continue
        if undo:
            if record.data.get(own.attribute) != own.value:
                continue
            value: Any = (not own.value) if isinstance(own.value, bool) else ""
        else:
            if record.data.get(own.attribute) == own.value:
                continue
            value = own.value
        plan.actions.append(
            Action(
                kind=ActionKind.UPDATE,
                key=record.key,
                table=record.table,
                set={own.attribute: value},
            )
        )
    return plan


def flag_for(store: Rules, request_type: RequestType) -> Flag | None:
    """The flag a right sets in a store (or in one table of a SQL store)."""
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
    return flag_plan(
        flag,
        records,
        undo=request_type is RequestType.LIFT_RESTRICTION,
        flag_of=lambda record: flag_for(store.rules_for(record.table), request_type),
    )


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
    # Changes already made, for retries (key digests: key_digest), emptied once the store is
    # done, when nothing needs them.
    done_keys: list[str] = Field(default_factory=list)
    # Where the person's records were before the change (S3: the objects), read again to
    # verify it; on erasure also where earlier copies may be (the objects' noncurrent versions
    # holding the person are deleted), those already cleared, and how many copies went.
    # Recorded before anything changes, so a retry still finds them.
    copies: list[str] = Field(default_factory=list)
    copies_cleared: list[str] = Field(default_factory=list)
    copies_erased: int = 0
    # Records found through a phone or account number that name another person's e-mail: left
    # alone, counted for ops (rightsflow.domain.linking), never shown to the person.
    set_aside: int = 0
    # A SQL store: the keys (JSON) of the person's entry rows, noted before anything changes.
    # An erasure blanks the e-mail that found them; a retry and the re-read after the change
    # follow the related rows from these same rows.
    entry_rows: list[str] = Field(default_factory=list)
    failure: str | None = None  # why the store failed (names store and object, no personal data)
    # Read again after the change: what still differs from what should be there (words, no
    # values), and the keys to change again when ops retry. Empty once verified.
    remaining: list[str] = Field(default_factory=list)
    recheck_keys: list[str] = Field(default_factory=list)
    verified_at: str | None = None
    at: str


def holds_data(outcome: StoreOutcome) -> bool:
    """Whether the person's data was found in the store when the right was carried out."""
    return bool(outcome.found or outcome.changed or outcome.kept or outcome.copies_erased)


def key_text(key: dict[str, Any], table: str | None = None) -> str:
    """A record key as text, to remember which records a retried step already changed."""
    text = "|".join(f"{name}={key[name]}" for name in sorted(key))
    return text if table is None else f"{table}:{text}"


def key_digest(key: dict[str, Any], salt: str, table: str | None = None) -> str:
    """How an outcome remembers a record it changed, for retries: a digest of its key (and a
    SQL store's table) salted with the request id, never the key itself (site leads are keyed
    by the e-mail as written, which must not outlive its erasure in the outcomes table)."""
    return "sha256:" + hashlib.sha256(f"{salt}|{key_text(key, table)}".encode()).hexdigest()


class Remaining(BaseModel):
    """A record that, read again after the change, is not as the right requires."""

    key: dict[str, Any]
    table: str | None = None  # a SQL store's table
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
    flag (restriction, objection, consent, profiling) every record must carry it. Each record
    is judged by the rules of its own table (a SQL store's related tables have theirs): an
    anonymised row may still be found (through the row it hangs off), emptied of what the rule
    blanks."""
    remaining: list[Remaining] = []
    if request_type is RequestType.ERASURE:
        held = {key_text(a.key, a.table) for a in plan.actions if a.kind is ActionKind.KEEP}
        for record in after:
            if key_text(record.key, record.table) in held:
                continue
            erasure = store.rules_for(record.table).erasure
            if erasure.action is ErasureAction.ANONYMISE:
                named = sorted(f for f in erasure.fields if record.data.get(f) not in (None, ""))
                if named:
                    remaining.append(
                        Remaining(
                            key=record.key,
                            table=record.table,
                            why=f"not anonymised: {', '.join(named)}",
                        )
                    )
                continue
            remaining.append(
                Remaining(
                    key=record.key,
                    table=record.table,
                    why="still found after erasure, with no legal hold",
                )
            )
        return remaining
    if request_type is RequestType.RECTIFICATION:
        corrections: dict[str, Any] = details.get("corrections", {})
        for record in after:
            rectifiable = store.rules_for(record.table).rectifiable
            allowed = {f: v for f, v in corrections.items() if f in rectifiable}
            wrong = sorted(
                f for f, v in allowed.items() if f in record.data and record.data[f] != v
            )
            if wrong:
                remaining.append(
                    Remaining(
                        key=record.key,
                        table=record.table,
                        why=f"not corrected: {', '.join(wrong)}",
                    )
                )
        return remaining
    undo = request_type is RequestType.LIFT_RESTRICTION
    for record in after:
        flag = flag_for(store.rules_for(record.table), request_type)
        if flag is None:
            continue
        value = record.data.get(flag.attribute)
        if (value == flag.value) is undo:
            state = "still set" if undo else "not set"
            remaining.append(
                Remaining(key=record.key, table=record.table, why=f"{flag.attribute} {state}")
            )
    return remaining


def describe_remaining(store_name: str, request_type: RequestType, found: list[Remaining]) -> str:
    """What remains, for ops: the store, how many records (of which table) and why (no
    values)."""
    reasons: dict[str, int] = {}
    for item in found:
        why = item.why if item.table is None else f"of {item.table} {item.why}"
        reasons[why] = reasons.get(why, 0) + 1
    words = "; ".join(
        f"{count} record{'' if count == 1 else 's'} {why}" for why, count in sorted(reasons.items())
    )
    return f"{store_name}: read again after the {request_type}, {words}"
