"""Opt-outs: applied to the privacy register at once, for exactly the identifiers a request
gives, without asking who the person is (Cal. Code Regs. tit. 11 § 7060(b); the state laws).
Nothing here looks the person up, so no answer can reveal whether we know them."""

from __future__ import annotations

import uuid

from pydantic import BaseModel

from rightsflow.domain.audit import audit_event
from rightsflow.domain.canonical import canonical_or_none, identifier_hash, region_of
from rightsflow.domain.clock import utc_now
from rightsflow.domain.data_map import Identifier, load_data_map
from rightsflow.domain.deadlines import place_for
from rightsflow.domain.lifecycle import RequestType
from rightsflow.domain.requests import GpcSignal
from rightsflow.integration.registry import (
    PROFILING_OPT_OUT,
    SALE_SHARING_OPT_OUT,
    SENSITIVE_PI_LIMITED,
    TARGETED_ADVERTISING_OPT_OUT,
    PrivacyRegistry,
)
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.observability import logger, metrics

# What each opt-out makes every processing job honour.
REGISTER_FLAG: dict[RequestType, str] = {
    RequestType.OPT_OUT_SALE_SHARING: SALE_SHARING_OPT_OUT,
    RequestType.LIMIT_SENSITIVE_PI: SENSITIVE_PI_LIMITED,
    RequestType.OPT_OUT_TARGETED_ADVERTISING: TARGETED_ADVERTISING_OPT_OUT,
    RequestType.OPT_OUT_PROFILING: PROFILING_OPT_OUT,
}


def identifiers_given(
    email: str | None, phone: str | None, account_number: str | None, jurisdiction: str
) -> list[tuple[Identifier, str]]:
    """The identifiers a request names, in canonical form, as register keys (hashes only)."""
    given: list[tuple[Identifier, str]] = []
    forms = load_data_map().identifiers
    for identifier, raw in (
        (Identifier.EMAIL, email),
        (Identifier.PHONE, phone),
        (Identifier.ACCOUNT_NUMBER, account_number),
    ):
        value = canonical_or_none(
            identifier, raw, region=region_of(jurisdiction), account_form=forms.account_number
        )
        if value:
            given.append((identifier, identifier_hash(value)))
    return given


def apply_opt_out(
    registry: PrivacyRegistry, request_type: RequestType, identifiers: list[tuple[Identifier, str]]
) -> str:
    """Record the opt-out for every identifier given; returns the register flag set. Setting a
    flag already set changes nothing, so a retry is harmless."""
    flag = REGISTER_FLAG[request_type]
    registry.set_flag_on(identifiers, flag, True)
    return flag


class GpcRecorded(BaseModel):
    """The answer to `POST /gpc`: the same whether or not we know the person."""

    recorded: str
    identifiers: int
    jurisdiction: str
    regime: str


def record_gpc(registry: PrivacyRegistry, store: RequestsStore, signal: GpcSignal) -> GpcRecorded:
    """Honour a GPC signal at once for the identifiers given, and keep an audit event of it
    (identifier kinds only). Nothing is sent to anyone: a signal can name any address."""
    identifiers = identifiers_given(
        str(signal.email) if signal.email else None,
        signal.phone,
        signal.account_number,
        signal.jurisdiction,
    )
    flag = apply_opt_out(registry, RequestType.OPT_OUT_SALE_SHARING, identifiers)
    place = place_for(signal.jurisdiction)
    regime = place.regime.code if place is not None else "fallback"
    signal_id = f"gpc-{uuid.uuid4().hex}"
    store.record_event(
        audit_event(
            signal_id,
            "gpc_opt_out_recorded",
            "intake",
            utc_now(),
            detail={
                "register_flag": flag,
                "identifiers": [kind for kind, _ in identifiers],
                "jurisdiction": signal.jurisdiction,
                "regime": regime,
            },
        )
    )
    metrics.add_metric(name="GpcOptOuts", unit="Count", value=1)
    logger.info("GPC opt-out recorded", extra={"signal_id": signal_id})
    return GpcRecorded(
        recorded=RequestType.OPT_OUT_SALE_SHARING.value,
        identifiers=len(identifiers),
        jurisdiction=signal.jurisdiction,
        regime=regime,
    )
