"""Finding a person across the data stores the data map declares.

Identity resolution starts from the e-mail the person proved control of: the records found by
that e-mail in stores the data map declares `authoritative_for_linking` say which phone numbers
and account numbers are the person's, and those reach the stores keyed by them. Nothing a
request merely claims, and nothing anyone could have typed into a form, is used to find data
(rightsflow.domain.linking). Every value found is canonicalised before it reaches another store
(a profile's `+44 20 7946 0001` reaches the SMS log keyed `+442079460001`), a national number
in the region its store declares."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from rightsflow.domain.canonical import Identifier, canonical_or_none
from rightsflow.domain.data_map import DataMap, Store
from rightsflow.domain.identity import Identity
from rightsflow.domain.linking import contests, found_value, links_from
from rightsflow.domain.verification import OnFile
from rightsflow.integration.registry import PrivacyRegistry
from rightsflow.integration.stores import SqlReach, StoreConnector, connector_for
from rightsflow.observability import logger

# A held-identifier name in the privacy register for a SQL store's kept entry rows.
HELD_ROWS = "rows:"


@dataclass(frozen=True)
class Resolution:
    """Who the person is across the stores, and what was left out for ops to see: linked
    values another person's record also holds (contested, by kind: how many)."""

    identity: Identity
    contested: dict[str, int] = field(default_factory=dict)


class Directory:
    def __init__(
        self,
        data_map: DataMap,
        physical_names: Mapping[str, str],
        signing_secret: str = "",
        registry: PrivacyRegistry | None = None,
        sql: SqlReach | None = None,
    ) -> None:
        self.data_map = data_map
        self.physical_names = physical_names
        self.signing_secret = signing_secret
        self.registry = registry
        self.sql = sql

    def connector(self, store_name: str) -> StoreConnector:
        return connector_for(
            self.data_map, store_name, self.physical_names, self.signing_secret, self.sql
        )

    def canonical_found(self, store: Store, identifier: Identifier, value: object) -> str | None:
        """A value read from one of the store's records, in canonical form (None: it names no
        one we can find); a phone without its country code is read in the store's declared
        region, or not at all."""
        return found_value(store, identifier, value, self.data_map.identifiers.account_number)

    def resolve(self, email: str, *, stores: Collection[str] | None = None) -> Identity:
        """The person as the stores know them, reading only `stores` (default: every store)."""
        return self.resolution(email, stores=stores).identity

    def resolution(self, email: str, *, stores: Collection[str] | None = None) -> Resolution:
        """The person as the stores know them (reading only `stores`, default every store):
        the proved e-mail, the phones and account numbers that authoritative records found by
        it hold, and those an earlier request recorded (kept under a legal hold, or corrected
        since); less any value another person's authoritative record holds too (contested)."""
        names = [n for n in self.data_map.stores if stores is None or n in stores]
        identity = Identity(email=email)
        by_email = Identity(email=identity.email)
        for name in names:
            store = self.data_map.stores[name]
            links = links_from(store)
            if Identifier.EMAIL not in store.lookup or not links:
                continue
            identity = self._read_identifiers(name, store, links, by_email, identity)
        rows, recorded = self._recorded(identity.email)
        for identifier, value in recorded:
            identity = identity.with_found(identifier, value)
        for store_name, keys in rows.items():
            identity = identity.with_held_rows(store_name, keys)
        return self._without_contested(identity, names)

    def _recorded(self, email: str) -> tuple[dict[str, set[str]], list[tuple[Identifier, str]]]:
        """What earlier requests tied to the person in the privacy register: a SQL store's
        entry rows that records kept under a legal hold hang off (by store), and identifiers
        (kept under a legal hold, corrected since), canonical."""
        if self.registry is None:
            return {}, []
        rows: dict[str, set[str]] = {}
        recorded = []
        for kind, values in self.registry.linked_identifiers(email).items():
            if kind.startswith(HELD_ROWS):
                rows[kind.removeprefix(HELD_ROWS)] = set(values)
                continue
            for value in values:
                held = canonical_or_none(
                    Identifier(kind), value, account_form=self.data_map.identifiers.account_number
                )
                if held:
                    recorded.append((Identifier(kind), held))
        return rows, recorded

    def _read_identifiers(
        self,
        name: str,
        store: Store,
        links: Mapping[Identifier, str],
        by_email: Identity,
        identity: Identity,
    ) -> Identity:
        unreadable = 0
        for found in self.connector(name).find(by_email):
            for identifier, attribute in links.items():
                raw = found.data.get(attribute)
                value = self.canonical_found(store, identifier, raw)
                if value:
                    identity = identity.with_found(identifier, value)
                elif raw:
                    unreadable += 1
        if unreadable:
            logger.warning(
                "identifiers in records could not be read (or national numbers with no region)",
                extra={"store": name, "count": unreadable},
            )
        return identity

    def _without_contested(self, identity: Identity, names: list[str]) -> Resolution:
        """Drop every linked value that an authoritative store also holds in another person's
        record (found by that value, naming another e-mail): it ties the data keyed by it to
        nobody in particular."""
        contested: dict[str, int] = {}
        kept = identity
        for identifier in (Identifier.PHONE, Identifier.ACCOUNT_NUMBER):
            for value in sorted(identity.values(identifier)):
                probe = Identity(email=identity.email).with_found(identifier, value)
                if any(
                    contests(self.data_map.stores[name], found.data, identity)
                    for name in names
                    if self.data_map.stores[name].authoritative_for_linking
                    and identifier in self.data_map.stores[name].lookup
                    for found in self.connector(name).find(probe)
                ):
                    kept = kept.without(identifier, value)
                    contested[str(identifier)] = contested.get(str(identifier), 0) + 1
        if contested:
            logger.warning("linked identifiers contested", extra={"contested": contested})
        return Resolution(kept, contested)

    def second_identifiers_on_file(
        self, email: str, *, stores: Collection[str] | None = None
    ) -> OnFile:
        """The phones and account numbers the records found by the e-mail hold, in every store
        (authoritative or not: a request must match what we hold wherever we hold it), read in
        each store's declared region, and those earlier requests recorded for the person;
        `OnFile.live` says whether a record in the stores (rather than only the register's
        record of one kept under a legal hold, or corrected) carries any."""
        phones: set[str] = set()
        accounts: set[str] = set()
        by_email = Identity(email=email)
        for name, store in self.data_map.stores.items():
            if stores is not None and name not in stores:
                continue
            if Identifier.EMAIL not in store.lookup or not store.second_identifiers:
                continue
            for found in self.connector(name).find(by_email):
                for identifier, attribute in store.second_identifiers.items():
                    value = self.canonical_found(store, identifier, found.data.get(attribute))
                    if value and identifier is Identifier.PHONE:
                        phones.add(value)
                    elif value and identifier is Identifier.ACCOUNT_NUMBER:
                        accounts.add(value)
        live = bool(phones or accounts)
        for identifier, value in self._recorded(email)[1]:
            (phones if identifier is Identifier.PHONE else accounts).add(value)
        return OnFile(frozenset(phones), frozenset(accounts), live=live)
