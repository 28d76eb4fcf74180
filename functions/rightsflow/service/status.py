"""What a person may read about their request, given its id and the status token, and the
download of its package."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from rightsflow.domain.clock import from_iso, to_iso, utc_now
from rightsflow.domain.errors import NoPackage, PackageExpired, RequestNotFound
from rightsflow.domain.identifiers import secret_matches
from rightsflow.domain.requests import HistoryEntry, PublicView, RightsRequest
from rightsflow.domain.timescale import TimeScale
from rightsflow.integration.requests_store import RequestsStore
from rightsflow.integration.results_bucket import ResultsBucket

# A download link is made fresh on every click and works this long: long enough to start the
# download, short enough that a link forwarded or found in a history is soon worthless.
DOWNLOAD_LINK_SECONDS = 300


def _owned(store: RequestsStore, request_id: str, status_token: str | None) -> RightsRequest:
    """The record, if the token is its own; a wrong or missing token looks like an unknown id."""
    record = store.get(request_id)
    if not status_token or not secret_matches(status_token, record.status_token_hash):
        raise RequestNotFound(request_id)
    return record


def _package_kept(record: RightsRequest, scale: TimeScale) -> bool:
    if not record.package_key or not record.package_available_until:
        return False
    legal_now = scale.to_legal(utc_now(), from_iso(record.received_at))
    return legal_now <= from_iso(record.package_available_until)


def public_view(
    store: RequestsStore,
    request_id: str,
    status_token: str | None,
    scale: TimeScale | None = None,
) -> PublicView:
    """The person's view; a wrong or missing token is indistinguishable from an unknown id."""
    record = _owned(store, request_id, status_token)
    history = [
        HistoryEntry(status=event.to_status, at=event.at)
        for event in store.audit_trail(request_id)
        if event.to_status is not None
    ]
    return PublicView(
        request_id=record.request_id,
        type=record.type,
        status=record.status,
        group_id=record.group_id,
        received_at=record.received_at,
        due_at=record.due_at,
        updated_at=record.updated_at,
        history=history,
        language=record.language,
        time_zone=record.time_zone,
        reading_zone=record.reading_zone,
        package_available_until=(
            record.package_available_until if _package_kept(record, scale or TimeScale()) else None
        ),
        scope=record.scope,
    )


@dataclass(frozen=True)
class DownloadLink:
    url: str
    expires_at: str


def package_link(
    store: RequestsStore,
    results: ResultsBucket,
    request_id: str,
    status_token: str | None,
    scale: TimeScale | None = None,
) -> DownloadLink:
    """A freshly presigned link to the request's package, valid DOWNLOAD_LINK_SECONDS.

    Raises RequestNotFound (wrong token or id), NoPackage (none, or not yet), PackageExpired
    (kept for its promised time, then deleted: GDPR Art. 5(1)(e))."""
    record = _owned(store, request_id, status_token)
    if not record.package_key or not record.package_available_until:
        raise NoPackage(
            "this request has no package to download"
            + ("" if record.status.is_terminal else " yet")
        )
    if not _package_kept(record, scale or TimeScale()):
        raise PackageExpired(
            f"the package was kept until {record.package_available_until} and is deleted; "
            "make a new access request for a fresh copy"
        )
    url = results.download_link(record.package_key, DOWNLOAD_LINK_SECONDS)
    return DownloadLink(
        url=url, expires_at=to_iso(utc_now() + timedelta(seconds=DOWNLOAD_LINK_SECONDS))
    )
