"""Finding a person across the data stores the data map declares.

Identity resolution starts from the e-mail the person proved control of: the records found by
that e-mail say which phone numbers and account numbers are the person's, and those reach the
stores keyed by them. Nothing a request merely claims is used to find data."""

from __future__ import annotations

from collections.abc import Mapping

from rightsflow.domain.data_map import DataMap, Identifier
from rightsflow.domain.identity import Identity, normalise_email
from rightsflow.domain.verification import OnFile, normalise_account_number, normalise_phone
from rightsflow.integration.registry import PrivacyRegistry
from rightsflow.integration.stores import SqlReach, StoreConnector, connector_for

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

    def resolve(self, email: str) -> Identity:
        identity = Identity(email=normalise_email(email))
        by_email = Identity(email=identity.email)
        for name, store in self.data_map.stores.items():
            if Identifier.EMAIL not in store.lookup or not store.second_identifiers:
                continue
            for found in self.connector(name).find(by_email):
                for identifier, attribute in store.second_identifiers.items():
                    value = found.data.get(attribute)
                    if value:
                        identity = identity.with_found(identifier, str(value))
        if self.registry is not None:
            for name, values in self.registry.held_identifiers(identity.email).items():
                if name.startswith(HELD_ROWS):
                    identity = identity.with_held_rows(name.removeprefix(HELD_ROWS), values)
                    continue
                for value in values:
                    identity = identity.with_found(Identifier(name), value)
        return identity

    def second_identifiers_on_file(self, email: str) -> OnFile:
        identity = self.resolve(email)
        return OnFile(
            frozenset(normalise_phone(phone) for phone in identity.phones),
            frozenset(normalise_account_number(account) for account in identity.account_numbers),
        )
