"""Finding a person across the data stores the data map declares.

Identity resolution starts from the e-mail the person proved control of: the records found by
that e-mail say which phone numbers and account numbers are the person's, and those reach the
stores keyed by them. Nothing a request merely claims is used to find data. Every value found
is canonicalised before it reaches another store (a profile's `+44 20 7946 0001` reaches the
SMS log keyed `+442079460001`)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from rightsflow.domain.canonical import Identifier, canonical_or_none
from rightsflow.domain.data_map import DataMap, Store
from rightsflow.domain.identity import Identity
from rightsflow.domain.verification import OnFile
from rightsflow.integration.registry import PrivacyRegistry
from rightsflow.integration.stores import SqlReach, StoreConnector, connector_for
from rightsflow.observability import logger

# A held-identifier name in the privacy register for a SQL store's kept entry rows.
HELD_ROWS = "rows:"


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

    def canonical_found(
        self, store: Store, identifier: Identifier, value: object, region: str | None
    ) -> str | None:
        """A value read from one of the store's records, in canonical form (None: it names no
        one we can find). A phone without its country code takes the store's declared region,
        else the request's."""
        lookup = store.lookup.get(identifier)
        return canonical_or_none(
            identifier,
            value,
            region=(lookup.region if lookup else None) or region,
            account_form=self.data_map.identifiers.account_number,
        )

    def resolve(
        self,
        email: str,
        *,
        region: str | None = None,
        stores: Collection[str] | None = None,
        include_held: bool = True,
    ) -> Identity:
        """The person as the stores know them, reading only `stores` (default: every store),
        with the identifiers of their records kept under a legal hold (`include_held`)."""
        identity = Identity(email=email)
        by_email = Identity(email=identity.email)
        for name, store in self.data_map.stores.items():
            if stores is not None and name not in stores:
                continue
            if Identifier.EMAIL not in store.lookup or not store.second_identifiers:
                continue
            unreadable = 0
            for found in self.connector(name).find(by_email):
                for identifier, attribute in store.second_identifiers.items():
                    raw = found.data.get(attribute)
                    value = self.canonical_found(store, identifier, raw, region)
                    if value:
                        identity = identity.with_found(identifier, value)
                    elif raw:
                        unreadable += 1
            if unreadable:
                logger.warning(
                    "identifiers in records could not be read",
                    extra={"store": name, "count": unreadable},
                )
        if include_held:
            identity = self.with_held(identity)
        return identity

    def with_held(self, identity: Identity) -> Identity:
        """Add what the privacy register keeps findable: identifiers of records kept under a
        legal hold (their profile, which linked them, may be gone), and a SQL store's entry
        rows those records hang off."""
        if self.registry is None:
            return identity
        for name, values in self.registry.held_identifiers(identity.email).items():
            if name.startswith(HELD_ROWS):
                identity = identity.with_held_rows(name.removeprefix(HELD_ROWS), values)
                continue
            for value in values:
                held = canonical_or_none(
                    Identifier(name),
                    value,
                    account_form=self.data_map.identifiers.account_number,
                )
                if held:
                    identity = identity.with_found(Identifier(name), held)
        return identity

    def second_identifiers_on_file(
        self, email: str, *, region: str | None = None, stores: Collection[str] | None = None
    ) -> OnFile:
        """The phones and account numbers on file for the person, and whether a record other
        than one kept under a legal hold carries any (`OnFile.live`)."""
        live = self.resolve(email, region=region, stores=stores, include_held=False)
        identity = self.with_held(live)
        return OnFile(
            identity.phones,
            identity.account_numbers,
            live=bool(live.phones or live.account_numbers),
        )
