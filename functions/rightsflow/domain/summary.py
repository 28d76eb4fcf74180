"""What the closing e-mail says was found, done and kept in each store, in plain words and in the
person's language."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rightsflow.domain.data_map import DataMap, Store
from rightsflow.domain.fulfilment import StoreOutcome, held_reason, holds_data, refused_in
from rightsflow.domain.language import SOURCE_LANGUAGE, Words, words
from rightsflow.domain.lifecycle import RequestType
from rightsflow.domain.requests import RightsRequest


def _done(say: Words, request_type: RequestType, count: int) -> str:
    """What a flag-setting right did in a store, with how many records it reached."""
    if request_type is RequestType.RESTRICTION:
        return say.ngettext(
            "processing restricted (%(count)d record)",
            "processing restricted (%(count)d records)",
            count,
        )
    if request_type is RequestType.LIFT_RESTRICTION:
        return say.ngettext(
            "restriction lifted (%(count)d record)", "restriction lifted (%(count)d records)", count
        )
    if request_type is RequestType.OBJECTION:
        return say.ngettext(
            "marketing stopped (%(count)d record)", "marketing stopped (%(count)d records)", count
        )
    if request_type is RequestType.WITHDRAW_CONSENT:
        return say.ngettext(
            "consent withdrawn (%(count)d record)", "consent withdrawn (%(count)d records)", count
        )
    if request_type is RequestType.AUTOMATED_DECISION:
        return say.ngettext(
            "excluded from profiling and automated decisions (%(count)d record)",
            "excluded from profiling and automated decisions (%(count)d records)",
            count,
        )
    return say.ngettext("done (%(count)d record)", "done (%(count)d records)", count)


def _kept(say: Words, store: Store, reasons: list[str]) -> str:
    """The reasons records were kept, in the person's language: a legal hold or a reason to
    keep everything, of the store or of one of its tables, as the data map states them."""
    english = words(SOURCE_LANGUAGE)
    rules = [store.rules_for(table) for table in [None, *store.tables()]]
    holds = [r.erasure.legal_hold for r in rules if r.erasure.legal_hold is not None]
    written = set()
    for reason in reasons:
        hold = next((h for h in holds if held_reason(h, english) == reason), None)
        written.add(held_reason(hold, say) if hold is not None else say.translate(reason))
    return "; ".join(sorted(written))


def _store_line(
    say: Words, data_map: DataMap, request_type: RequestType, outcome: StoreOutcome
) -> str:
    store = data_map.stores[outcome.store]
    parts: list[str] = []
    if request_type in {RequestType.ACCESS, RequestType.PORTABILITY}:
        parts.append(
            say.ngettext(
                "%(count)d record included in your copy",
                "%(count)d records included in your copy",
                outcome.found,
            )
        )
    elif request_type is RequestType.ERASURE:
        if outcome.changes.get("delete"):
            parts.append(
                say.ngettext(
                    "%(count)d record deleted",
                    "%(count)d records deleted",
                    outcome.changes["delete"],
                )
            )
        if outcome.changes.get("anonymise"):
            parts.append(
                say.ngettext(
                    "%(count)d record anonymised",
                    "%(count)d records anonymised",
                    outcome.changes["anonymise"],
                )
            )
        if outcome.copies_erased:
            parts.append(
                say.ngettext(
                    "%(count)d earlier version of the files that held your data deleted",
                    "%(count)d earlier versions of the files that held your data deleted",
                    outcome.copies_erased,
                )
            )
        if outcome.kept:
            parts.append(
                say.ngettext(
                    "%(count)d record kept (%(reasons)s)",
                    "%(count)d records kept (%(reasons)s)",
                    outcome.kept,
                    reasons=_kept(say, store, outcome.kept_reasons),
                )
            )
    elif request_type is RequestType.RECTIFICATION:
        if outcome.changed:
            parts.append(
                say.ngettext(
                    "%(count)d record corrected", "%(count)d records corrected", outcome.changed
                )
            )
        parts += [
            say.gettext("not changed: %(reason)s", reason=refused_in(say, store, field, reason))
            for field, reason in outcome.refused.items()
        ]
    elif outcome.changed:
        parts.append(_done(say, request_type, outcome.changed))
    parts += [say.translate(note) for note in outcome.notes]
    if not parts:
        parts.append(say.gettext("nothing needed changing"))
    # One line per store: where, then each thing done there.
    return "- " + say.gettext(
        "%(place)s: %(outcomes)s.",
        place=say.translate(store.description),
        outcomes="; ".join(parts),
    )


def fulfilment_summary(
    data_map: DataMap,
    request_type: RequestType,
    outcomes: list[StoreOutcome],
    *,
    package_page: str | None = None,
    package_until: str | None = None,
    time_zone: str | None = None,
    copy_number: int | None = None,
    brand_notes: list[str] | None = None,
    scope_lines: list[str] | None = None,
    language: str = SOURCE_LANGUAGE,
) -> str:
    """What the closing e-mail says was found, done and kept, store by store, in `language`.
    `scope_lines` say what the request covered, where that was less than every store;
    `brand_notes` what Brands decide (both already in `language`); `package_page` is where to
    download a package, until `package_until` (ISO 8601, told in `time_zone`: the zone the
    person's place reads times in, `RightsRequest.reading_zone`; UTC without one)."""
    say = words(language)
    found = [o for o in outcomes if holds_data(o)]
    lines = list(scope_lines or [])
    if not found and not brand_notes:
        if scope_lines:
            return "\n".join(
                [*lines, say.gettext("We found no data about you there, so nothing was changed.")]
            )
        return say.gettext(
            "We searched every place we keep personal data and found none about you."
        )
    lines.append(
        say.ngettext(
            "We found data about you in %(count)d place:",
            "We found data about you in %(count)d places:",
            len(found),
        )
    )
    lines += [
        _store_line(say, data_map, request_type, o) for o in sorted(found, key=lambda o: o.store)
    ]
    if brand_notes:
        lines += ["", *brand_notes]
    if package_page and package_until:
        lines += [
            "",
            say.gettext(
                "Your data is ready to download (a zip of JSON and CSV files, with what we do "
                "with it and why). Open your request's page and choose Download; it asks for the "
                "status token you were given when you made the request: %(url)s",
                url=package_page,
            ),
            say.gettext(
                "You can download it until %(until)s; then we delete it.",
                until=say.moment(package_until, time_zone),
            ),
        ]
        if copy_number and copy_number > 1:
            lines.append(
                say.gettext(
                    "This is copy number %(number)d of your data; we may charge a reasonable fee "
                    "for further copies.",
                    number=copy_number,
                )
            )
    return "\n".join(lines)


def opt_out_summary(record: RightsRequest) -> str:
    """What an opt-out's closing e-mail says: the same whether or not we hold data about the
    person, so that it reveals nothing to whoever made the request."""
    say = words(record.language)
    given = [say.gettext("your e-mail address")]
    if record.phone:
        given.append(say.gettext("phone number"))
    if record.account_number:
        given.append(say.gettext("account number"))
    values = {
        "identifiers": say.join(given),
        "since": say.moment(record.opt_out_applied_at or record.received_at, record.reading_zone),
    }
    if record.type is RequestType.LIMIT_SENSITIVE_PI:
        return say.gettext(
            "We recorded your limit on the use of your sensitive personal information in our "
            "privacy register for the identifiers you gave us (%(identifiers)s). It applies "
            "since %(since)s to all processing linked to them.",
            **values,
        )
    if record.type is RequestType.OPT_OUT_TARGETED_ADVERTISING:
        return say.gettext(
            "We recorded your opt-out of targeted advertising in our privacy register for the "
            "identifiers you gave us (%(identifiers)s). It applies since %(since)s to all "
            "processing linked to them.",
            **values,
        )
    if record.type is RequestType.OPT_OUT_PROFILING:
        return say.gettext(
            "We recorded your opt-out of profiling in our privacy register for the identifiers "
            "you gave us (%(identifiers)s). It applies since %(since)s to all processing linked "
            "to them.",
            **values,
        )
    return say.gettext(
        "We recorded your opt-out of the sale and sharing of your personal information in our "
        "privacy register for the identifiers you gave us (%(identifiers)s). It applies since "
        "%(since)s to all processing linked to them.",
        **values,
    )


def backup_note(
    data_map: DataMap,
    request_type: RequestType,
    outcomes: list[StoreOutcome],
    now: datetime,
    time_zone: str | None = None,
    *,
    language: str = SOURCE_LANGUAGE,
) -> list[str]:
    """When the copies in backups of data erased or corrected age out: per kind of backup, the
    date (in `time_zone`, the person's reading zone) by which the last copy taken before the
    change is gone."""
    if request_type not in {RequestType.ERASURE, RequestType.RECTIFICATION}:
        return []
    windows: dict[str, int] = {}
    for outcome in outcomes:
        backup = data_map.stores[outcome.store].backup
        removed = backup.erasure_removes and request_type is RequestType.ERASURE
        if outcome.changed and backup.window_days > 0 and not removed:
            windows[backup.kind] = max(windows.get(backup.kind, 0), backup.window_days)
    if not windows:
        return []
    say = words(language)
    lines = [
        "",
        say.gettext("Copies of the data we erased remain in backups for a while, then age out:")
        if request_type is RequestType.ERASURE
        else say.gettext(
            "Copies of your data as it was before the correction remain in backups for a "
            "while, then age out:"
        ),
    ]
    for kind, days in sorted(windows.items(), key=lambda item: item[1]):
        gone = (now + timedelta(days=days)).astimezone(ZoneInfo(time_zone or "UTC"))
        lines.append(
            "- "
            + say.ngettext(
                "%(kind)s: kept %(count)d day, so the last such copy is gone by %(date)s.",
                "%(kind)s: kept %(count)d days, so the last such copy is gone by %(date)s.",
                days,
                kind=say.translate(kind),
                date=say.day(gone),
            )
        )
    return lines
