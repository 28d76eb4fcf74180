"""The package an access or portability request produces: the person's records by store, as JSON
and CSV, with what GDPR Art. 15 says they must be told about each store, in one zip."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping
from typing import Any

from rightsflow.domain.data_map import DataMap
from rightsflow.domain.fulfilment import Found
from rightsflow.domain.language import SOURCE_LANGUAGE, Words, words
from rightsflow.domain.lifecycle import RequestType

_FIXED_TIME = (2000, 1, 1, 0, 0, 0)  # reproducible archives


def _csv(records: list[dict[str, Any]]) -> str:
    columns = sorted({column for record in records for column in record})
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow(
            {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in record.items()}
        )
    return buffer.getvalue()


# A store's records: a list, or (a SQL store) the rows of each table by table name.
StoreRecords = list[dict[str, Any]] | dict[str, list[dict[str, Any]]]


def records_for_package(found: list[Found]) -> StoreRecords:
    """What the package shows of the records found: their content, by table where they have
    one (a SQL store's related rows), in the order found."""
    if not any(record.table for record in found):
        return [record.data for record in found]
    by_table: dict[str, list[dict[str, Any]]] = {}
    for record in found:
        by_table.setdefault(record.table or "", []).append(record.data)
    return by_table


def _count(records: StoreRecords) -> int:
    if isinstance(records, dict):
        return sum(len(rows) for rows in records.values())
    return len(records)


def store_details(
    data_map: DataMap, store_name: str, records: StoreRecords, language: str = SOURCE_LANGUAGE
) -> dict[str, Any]:
    """The Art. 15(1) facts about one store: purposes, categories, recipients, retention, source
    (and, for a SQL store, how many rows of each table), as the data map states them, in
    `language` (the keys stay as they are: files are read by programs too)."""
    say = words(language)
    store = data_map.stores[store_name]
    tables = (
        {"tables": {t: len(r) for t, r in records.items()}} if isinstance(records, dict) else {}
    )
    controller = (
        say.gettext("us")
        if store.brand is None
        else say.gettext("Brand %(brand)s (we process for it)", brand=store.brand)
    )
    return {
        "store": store_name,
        "description": say.translate(store.description),
        "records": _count(records),
        **tables,
        "controller": controller,
        "purposes": [say.translate(purpose) for purpose in store.purposes],
        "categories_of_personal_data": [say.translate(item) for item in store.categories],
        "legal_basis": say.translate(store.legal_basis),
        "recipients": [
            say.translate(data_map.recipients[name].description) for name in store.recipients
        ],
        "retention": say.translate(store.retention),
        "source": say.translate(store.source),
    }


def _readme(
    say: Words, request_type: RequestType, request_id: str, details: list[dict[str, Any]]
) -> str:
    title = (
        say.gettext("Your personal data (data portability, GDPR Art. 20)")
        if request_type is RequestType.PORTABILITY
        else say.gettext("A copy of your personal data (right of access, GDPR Art. 15)")
    )
    lines = [
        title,
        "=" * len(title),
        "",
        say.gettext("Request: %(request_id)s", request_id=request_id),
        "",
        say.gettext(
            "For each place we keep data about you there are two files with the same records: "
            "<store>.json (a JSON array of objects) and <store>.csv (one row per record, one "
            "column per field; lists and objects are JSON-encoded). A database of several "
            "tables has a folder <store>/ with the two files for each table: "
            "<store>/<table>.json and .csv. details.json says, for each place, why we hold the "
            "data, what kinds of data, on what legal basis, who receives it, how long it is kept "
            "and where it came from."
        ),
        "",
    ]
    for entry in details:
        facts = [
            (say.gettext("purposes"), "; ".join(entry["purposes"])),
            (say.gettext("data"), say.join(entry["categories_of_personal_data"])),
            (say.gettext("basis"), entry["legal_basis"]),
            (say.gettext("recipients"), "; ".join(entry["recipients"]) or say.gettext("none")),
            (say.gettext("retention"), entry["retention"]),
            (say.gettext("source"), entry["source"]),
        ]
        width = max(len(label) for label, _ in facts) + 1
        lines.append(
            say.ngettext(
                "%(store)s: %(description)s (%(count)d record)",
                "%(store)s: %(description)s (%(count)d records)",
                entry["records"],
                store=entry["store"],
                description=entry["description"],
            )
        )
        lines += [
            "  "
            + say.ngettext(
                "table %(table)s: %(count)d record",
                "table %(table)s: %(count)d records",
                count,
                table=table,
            )
            for table, count in entry.get("tables", {}).items()
        ]
        lines += [f"  {label + ':':<{width}} {value}" for label, value in facts]
        lines.append("")
    return "\n".join(lines)


def build_package(
    data_map: DataMap,
    request_type: RequestType,
    request_id: str,
    records_by_store: Mapping[str, StoreRecords],
    language: str = SOURCE_LANGUAGE,
) -> bytes:
    """The zip for an access or portability request: README.txt and details.json (the Art. 15
    facts) in `language`, and each store's records as JSON and CSV, as they are stored."""
    details = [
        store_details(data_map, name, records, language)
        for name, records in sorted(records_by_store.items())
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, text: str) -> None:
            archive.writestr(zipfile.ZipInfo(name, _FIXED_TIME), text)

        add("README.txt", _readme(words(language), request_type, request_id, details))
        add("details.json", json.dumps(details, indent=2, ensure_ascii=False))
        for name, records in sorted(records_by_store.items()):
            files = (
                {f"{name}/{table}": rows for table, rows in records.items()}
                if isinstance(records, dict)
                else {name: records}
            )
            for path, rows in files.items():
                add(f"{path}.json", json.dumps(rows, indent=2, ensure_ascii=False, default=str))
                add(f"{path}.csv", _csv(rows))
    return buffer.getvalue()
