"""Whose records a request may use: the rules that tie an identifier, and a record found by it,
to the person who proved control of an e-mail address. Pure rules over the data map.

1. The e-mail the person proved is theirs. Other identifiers (phones, account numbers) are
   theirs only where a store the data map declares `authoritative_for_linking` holds them in a
   record found by that e-mail (a Brand's customer profile, our platform account), or where an
   earlier request of theirs recorded them (records kept under a legal hold, a number they
   corrected). A value anyone could have typed (a web form's lead) links nobody.
2. A linked value that another person's record in an authoritative store also holds (a
   switchboard, a family's shared phone) is *contested*: it ties nobody to one person, so it
   finds nothing; ops are told.
3. A record found through a phone or account number whose own e-mail is another person's is
   not the requester's, whatever led to it: it is left alone and set aside for ops, and the
   person is never told of it.
"""

from __future__ import annotations

from typing import Any

from rightsflow.domain.canonical import (
    DEFAULT_ACCOUNT_FORM,
    AccountNumberForm,
    Identifier,
    canonical_or_none,
)
from rightsflow.domain.data_map import Store
from rightsflow.domain.fulfilment import Found
from rightsflow.domain.identity import Identity

SET_ASIDE_REASON = (
    "found through a phone or account number, but the record's own e-mail is another "
    "person's: left alone"
)


def found_value(
    store: Store,
    identifier: Identifier,
    raw: object,
    account_form: AccountNumberForm = DEFAULT_ACCOUNT_FORM,
) -> str | None:
    """A value read from one of the store's records, in canonical form; None where it names
    no one we can find. A phone written without its country code is read in the region the
    store declares, never in one a requester picked; without one it is compared with nothing."""
    return canonical_or_none(
        identifier, raw, region=store.region_for(identifier), account_form=account_form
    )


def record_email(store: Store, data: dict[str, Any]) -> str | None:
    """The e-mail a record itself holds (canonical), where the store keeps one."""
    lookup = store.lookup.get(Identifier.EMAIL)
    if lookup is None:
        return None
    return canonical_or_none(Identifier.EMAIL, data.get(lookup.attribute))


def names_someone_else(store: Store, data: dict[str, Any], identity: Identity) -> bool:
    """Whether a record's own e-mail contradicts the one the person proved (rule 3). A record
    with no e-mail of its own (a log line, a transaction) contradicts nothing."""
    held = record_email(store, data)
    return held is not None and held != identity.email


def split_found(
    store: Store, found: list[Found], identity: Identity
) -> tuple[list[Found], list[Found]]:
    """The records that are the person's, and those set aside as someone else's (rule 3)."""
    theirs: list[Found] = []
    others: list[Found] = []
    for record in found:
        (others if names_someone_else(store, record.data, identity) else theirs).append(record)
    return theirs, others


def links_from(store: Store) -> dict[Identifier, str]:
    """The identifiers (attribute by identifier) whose values in this store's records link the
    person to other stores (rule 1): none unless the store is authoritative for linking."""
    return dict(store.second_identifiers) if store.authoritative_for_linking else {}


def contests(store: Store, data: dict[str, Any], identity: Identity) -> bool:
    """Whether a record of an authoritative store, found by one of the person's linked values,
    belongs to someone else and so makes that value contested (rule 2)."""
    return store.authoritative_for_linking and names_someone_else(store, data, identity)
