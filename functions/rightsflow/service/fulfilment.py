"""Fulfilment: find the person in every store the data map lists, carry out the right in each
(one Map iteration per store), then assemble what the person gets back."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from rightsflow.domain.audit import audit_event
from rightsflow.domain.clock import from_iso, to_iso, utc_now
from rightsflow.domain.data_map import DataMap, ErasureAction, Identifier
from rightsflow.domain.errors import (
    FulfilmentUnverified,
    ObjectUnreadable,
    OutOfScope,
    StoresNotFulfilled,
    explanation,
)
from rightsflow.domain.fulfilment import (
    Action,
    ActionKind,
    Found,
    OutcomeStatus,
    Plan,
    StoreOutcome,
    describe_remaining,
    erasure_reaches,
    holds_data,
    key_digest,
    key_text,
    plan_for,
    store_applies,
    what_remains,
)
from rightsflow.domain.identity import Identity
from rightsflow.domain.index_settling import require_settled
from rightsflow.domain.language import words
from rightsflow.domain.lifecycle import OPT_OUTS, RequestType
from rightsflow.domain.linking import (
    SET_ASIDE_REASON,
    links_from,
    names_someone_else,
    split_found,
)
from rightsflow.domain.notices import lift_restriction_notice
from rightsflow.domain.package import build_package, records_for_package
from rightsflow.domain.requests import Channel, RightsRequest
from rightsflow.domain.routing import BrandPart, BrandPartStatus, brand_notes
from rightsflow.domain.scope import Scope, ScopeKind
from rightsflow.domain.summary import backup_note, fulfilment_summary, opt_out_summary
from rightsflow.domain.timescale import TimeScale
from rightsflow.integration.directory import HELD_ROWS, Directory
from rightsflow.integration.mailer import Mailer
from rightsflow.integration.outcomes_store import OutcomesStore
from rightsflow.integration.registry import (
    PROFILING_OPT_OUT,
    RESTRICTED,
    SUPPRESSED,
    PrivacyRegistry,
)
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.results_bucket import PACKAGE_KEPT_DAYS, ResultsBucket
from rightsflow.integration.stores import StoreConnector
from rightsflow.observability import logger, metrics
from rightsflow.service.changes import record_change
from rightsflow.service.opt_outs import apply_opt_out, identifiers_given

COMPONENT = "Fulfilment"
READS = {RequestType.ACCESS, RequestType.PORTABILITY}


@dataclass
class Fulfilment:
    requests: RequestsStore
    directory: Directory
    outcomes: OutcomesStore
    registry: PrivacyRegistry
    results: ResultsBucket
    mailer: Mailer
    # Where the person follows the request (and downloads a package), and the legal clock's pace.
    gdpr_page_url: str = ""
    scale: TimeScale = field(default_factory=TimeScale)
    min_package_seconds: float = 0.0  # on the wall clock, whatever the scale (local only)
    # An S3 store's index is read no earlier than this after receipt (IndexSettleSeconds).
    index_settle_seconds: float = 0.0

    @property
    def data_map(self) -> DataMap:
        return self.directory.data_map

    # ------------------------------------------------------------------ PlanFulfilment
    def plan(self, request_id: str) -> dict[str, Any]:
        record = self.requests.get(request_id)
        reason = self._review_reason(record)
        if reason is not None:
            record_change(
                self.requests,
                request_id,
                action="objection_needs_review",
                component=COMPONENT,
                updates={"attention_reason": reason},
            )
            return {"review": True, "stores": []}
        if record.planned_stores is not None and record.resolved_identity is not None:
            # A re-driven request goes on with the plan it started with: the records that
            # linked the person to some stores may already be erased.
            return {"review": False, "stores": record.planned_stores}
        if record.type in OPT_OUTS:
            return self._opt_out(record)
        scope = self._scope(record)
        in_scope = scope.readable(self.data_map)
        for name in in_scope:
            if name in self.data_map.object_stores():
                # S3 delivers the bucket's events asynchronously: where the person is found is
                # read from its index once the events of objects written before receipt are in.
                require_settled(
                    name, from_iso(record.received_at), utc_now(), self.index_settle_seconds
                )
        resolution = self.directory.resolution(record.email, stores=in_scope)
        identity = resolution.identity
        # The person's stores within the request's scope: where they are found. Routing splits
        # these by controller, so a Brand is only involved when it holds data about the person.
        stores = [
            name
            for name in in_scope
            if store_applies(self.data_map.stores[name], record.type)
            and any(identity.values(i) for i in self.data_map.stores[name].lookup)
            and self._holds_the_person(name, identity, record.type)
        ]
        record = record_change(
            self.requests,
            request_id,
            action="data_located",
            component=COMPONENT,
            updates={
                "resolved_identity": identity.model_dump(mode="json"),
                "planned_stores": stores,
            },
            detail={
                "stores": stores,
                "scope": scope.kind,
                "searched": in_scope,
                # Linked values another person's record holds too: they find nothing (ops see
                # how many of each kind, never the values).
                **({"contested": resolution.contested} if resolution.contested else {}),
            },
        )
        if scope.includes_ours:  # our privacy register records our own processing only
            self._register_before(record, identity)
        return {"review": False, "stores": stores}

    def _opt_out(self, record: RightsRequest) -> dict[str, Any]:
        """An opt-out touches no store and looks nobody up: the register, for the identifiers
        given (intake applied it already where it could; setting it again changes nothing)."""
        identifiers = identifiers_given(
            record.email, record.phone, record.account_number, record.jurisdiction
        )
        flag = apply_opt_out(self.registry, record.type, identifiers)
        record_change(
            self.requests,
            record.request_id,
            action="opt_out_applied",
            component=COMPONENT,
            updates={
                "planned_stores": [],
                "resolved_identity": {"identifiers_given": [kind for kind, _ in identifiers]},
                "opt_out_applied_at": record.opt_out_applied_at or _now(),
            },
            detail={"register_flag": flag, "identifiers": [kind for kind, _ in identifiers]},
        )
        return {"review": False, "stores": []}

    def _holds_the_person(
        self, store_name: str, identity: Identity, request_type: RequestType
    ) -> bool:
        connector = self.directory.connector(store_name)
        store = self.data_map.stores[store_name]
        try:
            if split_found(store, connector.find(identity), identity)[0]:
                return True
        except ObjectUnreadable:
            # The index places the person there, in a record that cannot be read: the store is
            # in the plan, and its own step fails naming the object while the others go on.
            return True
        # Erasure also reaches older copies where the current records are gone already.
        return request_type is RequestType.ERASURE and bool(connector.copies(identity))

    def _scope(self, record: RightsRequest) -> Scope:
        return record.effective_scope(list(self.data_map.stores))

    @staticmethod
    def _review_reason(record: RightsRequest) -> str | None:
        if record.reviewed_by_ops:
            return None
        if record.type is RequestType.OBJECTION and record.details.get("processing"):
            return (
                "objection to processing other than direct marketing: ops must weigh whether "
                "compelling legitimate grounds override it (GDPR Art. 21(1))"
            )
        if record.type is RequestType.RECTIFICATION and "corrections" not in record.details:
            return "the correction was described in words: ops apply it by hand, then approve"
        return None

    def _register_before(self, record: RightsRequest, identity: Identity) -> None:
        """What processing must honour at once, before the stores are even touched."""
        if record.type is RequestType.RESTRICTION:
            self.registry.set_flag(identity, RESTRICTED, True)
        elif record.type in {RequestType.OBJECTION, RequestType.WITHDRAW_CONSENT}:
            self.registry.set_flag(identity, SUPPRESSED, True)
        elif record.type is RequestType.AUTOMATED_DECISION:
            self.registry.set_flag(identity, PROFILING_OPT_OUT, True)
        elif record.type is RequestType.LIFT_RESTRICTION and record.lift_notice_sent_at is None:
            # The person is told before the restriction is lifted (GDPR Art. 18(3)).
            notice = lift_restriction_notice(record.language, request_id=record.request_id)
            self.mailer.send(record.email, notice)
            record_change(
                self.requests,
                record.request_id,
                action="lift_notice_sent",
                component=COMPONENT,
                updates={"lift_notice_sent_at": to_iso(utc_now())},
            )

    # ------------------------------------------------------------------ FulfilStore (Map)
    def fulfil_store(self, request_id: str, store_name: str) -> dict[str, Any]:
        previous = self.outcomes.get(request_id, store_name)
        if previous is not None and previous.status is OutcomeStatus.DONE:
            return {"store": store_name, "status": "already done"}
        if previous is not None:  # failed or interrupted before: go on from what was done
            previous.status, previous.failure = OutcomeStatus.IN_PROGRESS, None
        record = self.requests.get(request_id)
        scope = self._scope(record)
        reads = record.type in READS
        if not (scope.may_read if reads else scope.may_change)(self.data_map, store_name):
            raise OutOfScope(
                f"{store_name}: outside this request's scope ({scope.kind}"
                f"{f' of {scope.brand}' if scope.brand else ''}): not "
                f"{'read' if reads else 'changed'}"
            )
        identity = Identity.model_validate(record.resolved_identity)
        if previous is not None and previous.entry_rows:
            # A retry: the entry rows found the first time may no longer carry the e-mail.
            identity = identity.with_held_rows(store_name, set(previous.entry_rows))
        connector = self.directory.connector(store_name)
        store = self.data_map.stores[store_name]
        if store_name in self.data_map.object_stores():
            # S3 delivers the bucket's events asynchronously: read its index once they are in.
            require_settled(
                store_name, from_iso(record.received_at), utc_now(), self.index_settle_seconds
            )
        found, others = split_found(store, connector.find(identity), identity)
        outcome = previous or StoreOutcome(
            store=store_name, status=OutcomeStatus.IN_PROGRESS, found=len(found), at=_now()
        )
        if others:
            self._set_aside(request_id, store_name, outcome, len(others))
        if reads:
            self.results.put_records(request_id, store_name, records_for_package(found))
            outcome.found = len(found)
        else:
            plan = plan_for(self.data_map.stores[store_name], record.type, found, record.details)
            self._remember_former(record, store_name, found, plan)
            outcome = self._change(
                record, store_name, found, plan=plan, outcome=outcome, connector=connector
            )
            self._verify(
                record,
                store_name,
                identity=identity,
                plan=plan,
                outcome=outcome,
                connector=connector,
            )
        outcome.status = OutcomeStatus.DONE
        outcome.at = _now()
        # Only a retry needs to know which records were changed: none comes after done.
        outcome.done_keys, outcome.recheck_keys = [], []
        self.outcomes.put(request_id, outcome)
        self.requests.record_event(
            audit_event(
                request_id,
                "store_fulfilled",
                f"FulfilStore:{store_name}",
                utc_now(),
                detail={
                    "store": store_name,
                    "found": outcome.found,
                    "changed": outcome.changed,
                    "kept": outcome.kept,
                    "refused": sorted(outcome.refused),
                },
            )
        )
        return {"store": store_name, "status": "done"}

    def _change(
        self,
        record: RightsRequest,
        store_name: str,
        found: list[Found],
        *,
        plan: Plan,
        outcome: StoreOutcome,
        connector: StoreConnector,
    ) -> StoreOutcome:
        store = self.data_map.stores[store_name]
        outcome.refused = plan.refused
        outcome.notes = plan.notes
        identity = Identity.model_validate(record.resolved_identity)
        erases = (
            record.type is RequestType.ERASURE and store.erasure.action is not ErasureAction.KEEP
        )
        # Where the person's records are (S3: the objects), noted before anything changes: once
        # they are changed, the index no longer leads there. Erasure clears their older copies,
        # and every change is verified by reading them again.
        copies = sorted(set(outcome.copies) | set(connector.copies(identity)))
        if copies != outcome.copies:
            outcome.copies = copies
            self.outcomes.put(record.request_id, outcome)
        sql = store.sql
        if sql is not None:
            entry = {json.dumps(f.key, sort_keys=True) for f in found if f.table == sql.table}
            if not entry <= set(outcome.entry_rows):
                outcome.entry_rows = sorted(entry | set(outcome.entry_rows))
                self.outcomes.put(record.request_id, outcome)
        done = set(outcome.done_keys)
        # Changes made before, which reading the store again showed not to have taken: made
        # again (the store forgot them), counted once.
        again = set(outcome.recheck_keys)
        salt = record.request_id

        def among(keys: set[str], action: Action) -> bool:
            # Outcomes written before keys were digested hold the key text itself.
            return (
                key_digest(action.key, salt, action.table) in keys
                or key_text(action.key, action.table) in keys
            )

        kept_reasons = [a.reason or "kept" for a in plan.actions if a.kind is ActionKind.KEEP]
        pending = [
            action
            for action in plan.actions
            if action.kind is not ActionKind.KEEP
            and (not among(done, action) or among(again, action))
        ]

        def applied(actions: Sequence[Action]) -> None:
            # Remember each change as it is made: a retry after a failure goes on from here
            # and never changes a record twice.
            for action in actions:
                if among(done, action):
                    continue  # made again after a check: counted the first time
                done.add(key_digest(action.key, salt, action.table))
                outcome.changes[action.kind] = outcome.changes.get(action.kind, 0) + 1
            outcome.done_keys = sorted(done)
            outcome.changed = len(done)
            self.outcomes.put(record.request_id, outcome)

        connector.apply(pending, applied)
        if erases:
            for where in outcome.copies:
                if where in outcome.copies_cleared:
                    continue
                outcome.copies_erased += connector.erase_copies(
                    where,
                    identity,
                    lambda data: (
                        erasure_reaches(store, data)
                        and not names_someone_else(store, data, identity)
                    ),
                )
                outcome.copies_cleared = sorted({*outcome.copies_cleared, where})
                self.outcomes.put(record.request_id, outcome)
        outcome.kept = len(kept_reasons)
        outcome.kept_reasons = kept_reasons
        outcome.found = max(outcome.found, len(found))
        if kept_reasons:
            self._keep_findable(record, store_name, found)
        return outcome

    def _set_aside(
        self, request_id: str, store_name: str, outcome: StoreOutcome, count: int
    ) -> None:
        """Records that a secondary identifier led to, but that name another person's e-mail:
        left alone, and said so where ops look (the audit trail, a metric), never to the
        person."""
        if outcome.set_aside == count:
            return  # said already (a retried step)
        outcome.set_aside = count
        self.outcomes.put(request_id, outcome)
        self.requests.record_event(
            audit_event(
                request_id,
                "records_set_aside",
                f"FulfilStore:{store_name}",
                utc_now(),
                detail={"store": store_name, "count": count, "why": SET_ASIDE_REASON},
            )
        )
        metrics.add_metric(name="RecordsSetAside", unit="Count", value=count)
        logger.warning(
            "records of someone else set aside",
            extra={"request_id": request_id, "store": store_name, "count": count},
        )

    def _remember_former(
        self, record: RightsRequest, store_name: str, found: list[Found], plan: Plan
    ) -> None:
        """A correction that replaces a linking identifier (a phone in an acme profile) keeps
        the old value with the person: records written under it (SMS lines to the old number)
        stay theirs, and later requests must still find them. Recorded before the change."""
        store = self.data_map.stores[store_name]
        links = links_from(store)
        if record.type is not RequestType.RECTIFICATION or not links:
            return
        before = {key_text(f.key): f.data for f in found}
        for identifier, attribute in links.items():
            former = {
                value
                for action in plan.actions
                if action.kind is ActionKind.UPDATE and attribute in action.set
                if (
                    value := self.directory.canonical_found(
                        store, identifier, before.get(key_text(action.key), {}).get(attribute)
                    )
                )
                and value
                != self.directory.canonical_found(store, identifier, action.set[attribute])
            }
            if former:
                self.registry.remember_former(record.email, str(identifier), former)

    def _verify(
        self,
        record: RightsRequest,
        store_name: str,
        *,
        identity: Identity,
        plan: Plan,
        outcome: StoreOutcome,
        connector: StoreConnector,
    ) -> None:
        """Completed means verified: read the store again through every lookup, and the objects
        noted before the change themselves (not only the index the change updated); what remains
        must be exactly what the right leaves there (records held with their legal reason,
        corrected values, flags set), else the store fails naming itself and what remains (the
        request parks once the other stores are done), and ops' retry changes those records
        again."""
        store = self.data_map.stores[store_name]
        if outcome.entry_rows:
            # A SQL store's rows hang off the entry rows, whose e-mail an erasure blanks: read
            # again from those same rows (by key), so what was left beneath them is seen.
            identity = identity.with_held_rows(store_name, set(outcome.entry_rows))
        after = split_found(store, connector.recheck(identity, outcome.copies), identity)[0]
        remaining = what_remains(store, record.type, plan, after, record.details)
        if remaining:
            explained = describe_remaining(store_name, record.type, remaining)
            outcome.remaining = [explained]
            outcome.recheck_keys = sorted(
                {key_digest(item.key, record.request_id, item.table) for item in remaining}
            )
            outcome.verified_at = None
            self.outcomes.put(record.request_id, outcome)
            metrics.add_metric(name="FulfilmentUnverified", unit="Count", value=1)
            raise FulfilmentUnverified(explained)
        outcome.remaining = []
        outcome.recheck_keys = []
        outcome.verified_at = _now()

    def _keep_findable(self, record: RightsRequest, store_name: str, found: list[Found]) -> None:
        """Held records keyed by an identifier other than e-mail must stay reachable; so must a
        SQL store's kept rows, through the entry rows they hang off (whose e-mail is erased)."""
        store = self.data_map.stores[store_name]
        if store.sql is not None:
            keys = {json.dumps(f.key, sort_keys=True) for f in found if f.table == store.sql.table}
            if keys:
                self.registry.remember_held(record.email, HELD_ROWS + store_name, keys)
            return
        for identifier, lookup in store.lookup.items():
            if identifier is Identifier.EMAIL:
                continue
            values = {
                value
                for f in found
                if (
                    value := self.directory.canonical_found(
                        store, identifier, f.data.get(lookup.attribute)
                    )
                )
            }
            if values:
                self.registry.remember_held(record.email, str(identifier), values)

    # ------------------------------------------------------------------ RecordStoreFailure
    def record_failure(
        self, request_id: str, store_name: str, error: dict[str, Any]
    ) -> dict[str, Any]:
        """One store failed past its retries: keep what it did, note why, and let the other
        stores go on. AssembleResult then parks the request naming it; ops' retry finishes
        it from here."""
        outcome = self.outcomes.get(request_id, store_name) or StoreOutcome(
            store=store_name, status=OutcomeStatus.FAILED, at=_now()
        )
        if outcome.status is OutcomeStatus.DONE:  # pragma: no cover - a late duplicate
            return {"store": store_name, "status": "already done"}
        outcome.status = OutcomeStatus.FAILED
        outcome.failure = failure_reason(store_name, error)
        outcome.at = _now()
        self.outcomes.put(request_id, outcome)
        self.requests.record_event(
            audit_event(
                request_id,
                "store_failed",
                f"FulfilStore:{store_name}",
                utc_now(),
                detail={"store": store_name, "error": str(error.get("Error", "Unknown"))},
            )
        )
        logger.warning("store failed", extra={"request_id": request_id, "store": store_name})
        return {"store": store_name, "status": "failed"}

    # ------------------------------------------------------------------ AssembleResult
    def assemble(self, request_id: str, stores: list[str]) -> dict[str, Any]:
        record = self.requests.get(request_id)
        if record.type in OPT_OUTS:
            record_change(
                self.requests,
                request_id,
                action="fulfilment_assembled",
                component=COMPONENT,
                updates={"result_summary": opt_out_summary(record)},
            )
            return {"request_id": request_id}
        outcomes = {o.store: o for o in self.outcomes.all(request_id)}
        missing = [s for s in stores if outcomes.get(s) is None or outcomes[s].status != "done"]
        if missing:
            raise StoresNotFulfilled(
                "; ".join(
                    (outcomes[s].failure if s in outcomes else None) or f"{s}: not fulfilled"
                    for s in missing
                )
            )
        identity = Identity.model_validate(record.resolved_identity)
        updates: dict[str, Any] = {}
        package_until = record.package_available_until
        copy_number = None
        if record.type in READS and record.package_key is None:
            records = {s: self.results.get_records(request_id, s) for s in stores}
            records = {s: r for s, r in records.items() if r}
            package = build_package(
                self.data_map, record.type, request_id, records, record.language
            )
            key = f"packages/{request_id}/{record.type}.zip"
            self.results.put_package(key, package)
            legal_now = self.scale.to_legal(utc_now(), from_iso(record.received_at))
            kept_days = float(PACKAGE_KEPT_DAYS)
            if self.scale.day_seconds is not None:
                kept_days = max(kept_days, self.min_package_seconds / self.scale.day_seconds)
            package_until = to_iso(legal_now + timedelta(days=kept_days))
            copy_number = self.registry.count_copy(identity, key)
            updates.update(
                package_key=key, package_available_until=package_until, copy_number=copy_number
            )
            metrics.add_metric(name="PackagesDelivered", unit="Count", value=1)
        scope = self._scope(record)
        if record.type is RequestType.LIFT_RESTRICTION and scope.includes_ours:
            self.registry.set_flag(identity, RESTRICTED, False)
        done = [outcomes[s] for s in stores]
        summary = fulfilment_summary(
            self.data_map,
            record.type,
            done,
            package_page=(
                f"{self.gdpr_page_url}?"
                + urlencode({"request_id": request_id, "lang": record.language})
                if package_until
                else None
            ),
            package_until=package_until,
            time_zone=record.reading_zone,
            copy_number=copy_number or record.copy_number,
            brand_notes=brand_notes(
                self.data_map,
                {b: BrandPart.model_validate(p) for b, p in record.brand_parts.items()},
                record.language,
                found={o.store for o in done if holds_data(o)},
            ),
            scope_lines=self._scope_lines(record, scope),
            language=record.language,
        )
        backups = backup_note(
            self.data_map,
            record.type,
            done,
            utc_now(),
            record.reading_zone,
            language=record.language,
        )
        lines = [summary, *backups]
        if record.type is RequestType.ERASURE:
            lines += self._delete_packages(record)
        if record.type is RequestType.RECTIFICATION and "corrections" not in record.details:
            by_hand = words(record.language).gettext(
                "Our privacy team applied the correction you described by hand."
            )
            lines.insert(0, by_hand)
        summary = "\n".join(lines)
        # Refused in part (fields that may not change, records kept under a legal hold, a Brand
        # that declined): a decision the person may appeal where the law allows.
        parts = [BrandPart.model_validate(p) for p in record.brand_parts.values()]
        if any(outcomes[s].refused or outcomes[s].kept for s in stores) or any(
            part.status is BrandPartStatus.DECLINED for part in parts
        ):
            updates["declined_in_part"] = True
        record_change(
            self.requests,
            request_id,
            action="fulfilment_assembled",
            component=COMPONENT,
            updates={**updates, "result_summary": summary},
            detail={"stores": len(stores)},
        )
        if record.type in READS:  # the package holds them now: no working copy is kept
            self.results.delete_results(request_id, stores)
        logger.info("fulfilment assembled", extra={"request_id": request_id, "stores": len(stores)})
        return {"request_id": request_id}

    def _delete_packages(self, record: RightsRequest) -> list[str]:
        """An erasure also deletes the copies of the person's data we prepared for them to
        download (earlier access or portability packages), rather than keeping them for their
        remaining days; their requests then answer that the package is gone. Says so for the
        closing notice."""
        keys = self.registry.packages_of(record.email)
        for key in sorted(keys):
            self.results.delete(key)
            earlier = key.split("/")[1] if key.count("/") >= 2 else None
            if earlier and earlier != record.request_id:
                record_change(
                    self.requests,
                    earlier,
                    action="package_deleted_by_erasure",
                    component=COMPONENT,
                    updates={"package_available_until": _now()},
                    detail={"erasure": record.request_id},
                )
        if keys:
            self.registry.forget_packages(record.email, keys)
            self.requests.record_event(
                audit_event(
                    record.request_id,
                    "packages_deleted",
                    COMPONENT,
                    utc_now(),
                    detail={"packages": len(keys)},
                )
            )
            return [
                "",
                words(record.language).ngettext(
                    "We also deleted the copy of your data that we had prepared for you to "
                    "download after an earlier request.",
                    "We also deleted the %(count)d copies of your data that we had prepared for "
                    "you to download after earlier requests.",
                    len(keys),
                ),
            ]
        return []

    def _scope_lines(self, record: RightsRequest, scope: Scope) -> list[str]:
        """What the person is told a request covered, when it was not every store."""
        if scope.kind is ScopeKind.EVERY_STORE:
            return []
        say = words(record.language)
        lines = []
        brands = self.data_map.brands
        if record.channel is Channel.BRAND_API and record.brand in brands:
            lines.append(
                say.gettext(
                    "%(brand)s asked us to act on your data, as we process it for %(brand)s.",
                    brand=brands[record.brand].name,
                )
            )
        places = "; ".join(
            say.translate(self.data_map.stores[s].description)
            for s in scope.stores
            if s in self.data_map.stores
        )
        if scope.kind is ScopeKind.OUR_STORES:
            lines.append(
                say.gettext(
                    "This request covered only the data we hold for ourselves (%(places)s). Data "
                    "we process for other companies was not part of it: to ask about that, make "
                    "a request yourself on our privacy page.",
                    places=places,
                )
            )
        else:
            brand = brands[scope.brand].name if scope.brand in brands else str(scope.brand)
            lines.append(
                say.gettext(
                    "This request covered only the data we process for %(brand)s (%(places)s). "
                    "Data we hold for ourselves or for other companies was not part of it: to "
                    "ask about that, make a request yourself on our privacy page.",
                    brand=brand,
                    places=places,
                )
            )
        lines.append("")
        return lines


def _now() -> str:
    return to_iso(utc_now())


def failure_reason(store_name: str, error: dict[str, Any]) -> str:
    """Why a store failed, for ops: the message of our own explained errors (they name stores,
    objects and records, never personal data), else only the error's name."""
    name = str(error.get("Error", "Unknown"))
    return explanation(name, str(error.get("Cause", ""))) or f"{store_name}: failed with {name}"
