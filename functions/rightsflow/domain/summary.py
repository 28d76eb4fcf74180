"""What the closing e-mail says was found, done and kept in each store, in plain words."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from rightsflow.domain.data_map import DataMap
from rightsflow.domain.fulfilment import StoreOutcome
from rightsflow.domain.lifecycle import RequestType
from rightsflow.domain.notices import local_time
from rightsflow.domain.requests import RightsRequest

_DONE_WORDS = {
    RequestType.RESTRICTION: "processing restricted",
    RequestType.LIFT_RESTRICTION: "restriction lifted",
    RequestType.OBJECTION: "marketing stopped",
    RequestType.WITHDRAW_CONSENT: "consent withdrawn",
    RequestType.AUTOMATED_DECISION: "excluded from profiling and automated decisions",
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _store_line(data_map: DataMap, request_type: RequestType, outcome: StoreOutcome) -> str:
    where = data_map.stores[outcome.store].description
    parts: list[str] = []
    if request_type in {RequestType.ACCESS, RequestType.PORTABILITY}:
        parts.append(_plural(outcome.found, "record") + " included in your copy")
    elif request_type is RequestType.ERASURE:
        if outcome.changes.get("delete"):
            parts.append(_plural(outcome.changes["delete"], "record") + " deleted")
        if outcome.changes.get("anonymise"):
            parts.append(_plural(outcome.changes["anonymise"], "record") + " anonymised")
        if outcome.copies_erased:
            versions = "version" if outcome.copies_erased == 1 else "versions"
            parts.append(
                f"{outcome.copies_erased} earlier {versions} of the files that held your data "
                "deleted"
            )
        if outcome.kept:
            reasons = "; ".join(sorted(set(outcome.kept_reasons)))
            parts.append(f"{_plural(outcome.kept, 'record')} kept ({reasons})")
    elif request_type is RequestType.RECTIFICATION:
        if outcome.changed:
            parts.append(_plural(outcome.changed, "record") + " corrected")
        parts += [f"not changed: {reason}" for reason in outcome.refused.values()]
    elif outcome.changed:
        parts.append(
            f"{_DONE_WORDS.get(request_type, 'done')} ({_plural(outcome.changed, 'record')})"
        )
    parts += outcome.notes
    if not parts:
        parts.append("nothing needed changing")
    return f"- {where}: " + "; ".join(parts) + "."


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
) -> str:
    """What the closing e-mail says was found, done and kept, store by store. `scope_lines`
    say what the request covered, where that was less than every store; `package_page` is
    where to download a package, until `package_until` (ISO 8601, told in `time_zone`, the
    regime's, where the law counts the days; UTC without one)."""
    found = [o for o in outcomes if o.found or o.changed or o.kept or o.copies_erased]
    lines = list(scope_lines or [])
    if not found and not brand_notes:
        if scope_lines:
            return "\n".join([*lines, "We found no data about you there, so nothing was changed."])
        return "We searched every place we keep personal data and found none about you."
    lines.append(f"We found data about you in {_plural(len(found), 'place')}:")
    lines += [_store_line(data_map, request_type, o) for o in sorted(found, key=lambda o: o.store)]
    if brand_notes:
        lines += ["", *brand_notes]
    if package_page and package_until:
        lines += [
            "",
            "Your data is ready to download (a zip of JSON and CSV files, with what we do with it",
            "and why). Open your request's page and choose Download; it asks for the status token",
            "you were given when you made the request:",
            package_page,
            f"You can download it until {local_time(package_until, time_zone)}; then we delete it.",
        ]
        if copy_number and copy_number > 1:
            lines.append(
                f"This is copy number {copy_number} of your data; we may charge a reasonable "
                "fee for further copies."
            )
    return "\n".join(lines)


_OPT_OUT_WORDS = {
    RequestType.OPT_OUT_SALE_SHARING: "opt-out of the sale and sharing of your personal information",
    RequestType.LIMIT_SENSITIVE_PI: "limit on the use of your sensitive personal information",
    RequestType.OPT_OUT_TARGETED_ADVERTISING: "opt-out of targeted advertising",
    RequestType.OPT_OUT_PROFILING: "opt-out of profiling",
}
_OPT_OUT_WORDS_DE = {
    RequestType.OPT_OUT_SALE_SHARING: "Widerspruch gegen Verkauf und Weitergabe Ihrer Daten",
    RequestType.LIMIT_SENSITIVE_PI: "Beschränkung der Nutzung Ihrer sensiblen Daten",
    RequestType.OPT_OUT_TARGETED_ADVERTISING: "Widerspruch gegen zielgerichtete Werbung",
    RequestType.OPT_OUT_PROFILING: "Widerspruch gegen Profiling",
}
_IDENTIFIER_WORDS = {
    "en": ("your e-mail address", "phone number", "account number"),
    "de": ("Ihre E-Mail-Adresse", "Telefonnummer", "Kundennummer"),
}


def opt_out_summary(record: RightsRequest) -> str:
    """What an opt-out's closing e-mail says: the same whether or not we hold data about the
    person, so that it reveals nothing to whoever made the request."""
    language = "de" if record.language == "de" else "en"
    words = _IDENTIFIER_WORDS[language]
    given = [words[0]]
    if record.phone:
        given.append(words[1])
    if record.account_number:
        given.append(words[2])
    when = local_time(
        record.opt_out_applied_at or record.received_at, record.reading_zone, language
    )
    if language == "de":
        return (
            f"Wir haben Ihren {_OPT_OUT_WORDS_DE[record.type]} für die angegebenen Kennungen "
            f"({', '.join(given)}) in unserem Datenschutzregister erfasst. Er gilt seit {when} "
            "für jede Verarbeitung, die mit diesen Kennungen verknüpft ist."
        )
    return (
        f"We recorded your {_OPT_OUT_WORDS[record.type]} in our privacy register for the "
        f"identifiers you gave us ({', '.join(given)}). It applies since {when} to all "
        "processing linked to them."
    )


def backup_note(
    data_map: DataMap,
    request_type: RequestType,
    outcomes: list[StoreOutcome],
    now: datetime,
    time_zone: str | None = None,
) -> list[str]:
    """When the copies in backups of data erased or corrected age out: per kind of backup, the
    date (in the regime's time zone) by which the last copy taken before the change is gone."""
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
    what = (
        "the data we erased"
        if request_type is RequestType.ERASURE
        else "your data as it was before the correction"
    )
    lines = ["", f"Copies of {what} remain in backups for a while, then age out:"]
    for kind, days in sorted(windows.items(), key=lambda item: item[1]):
        gone = format_date(
            (now + timedelta(days=days)).astimezone(ZoneInfo(time_zone or "UTC")),
            "long",
            locale="en",
        )
        lines.append(f"- {kind}: kept {days} days, so the last such copy is gone by {gone}.")
    return lines
