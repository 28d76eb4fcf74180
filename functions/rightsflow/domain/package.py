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


def store_details(data_map: DataMap, store_name: str, records: StoreRecords) -> dict[str, Any]:
    """The Art. 15(1) facts about one store: purposes, categories, recipients, retention, source
    (and, for a SQL store, how many rows of each table)."""
    store = data_map.stores[store_name]
    tables = (
        {"tables": {t: len(r) for t, r in records.items()}} if isinstance(records, dict) else {}
    )
    return {
        "store": store_name,
        "description": store.description,
        "records": _count(records),
        **tables,
        "controller": "us" if store.brand is None else f"Brand {store.brand} (we process for it)",
        "purposes": store.purposes,
        "categories_of_personal_data": store.categories,
        "legal_basis": store.legal_basis,
        "recipients": [data_map.recipients[name].description for name in store.recipients],
        "retention": store.retention,
        "source": store.source,
    }


def _readme(request_type: RequestType, request_id: str, details: list[dict[str, Any]]) -> str:
    title = (
        "Your personal data (data portability, GDPR Art. 20)"
        if request_type is RequestType.PORTABILITY
        else "A copy of your personal data (right of access, GDPR Art. 15)"
    )
    lines = [
        title,
        "=" * len(title),
        "",
        f"Request: {request_id}",
        "",
        "For each place we keep data about you there are two files with the same records:",
        "<store>.json (a JSON array of objects) and <store>.csv (one row per record, one column",
        "per field; lists and objects are JSON-encoded). A database of several tables has a",
        "folder <store>/ with the two files for each table: <store>/<table>.json and .csv.",
        "details.json says, for each place, why we hold the data, what kinds of data, on what",
        "legal basis, who receives it, how long it is kept and where it came from.",
        "",
    ]
    for entry in details:
        tables = entry.get("tables", {})
        lines += [
            f"{entry['store']}: {entry['description']} ({entry['records']} records)",
            *(f"  table {table}: {count} records" for table, count in tables.items()),
            f"  purposes:   {'; '.join(entry['purposes'])}",
            f"  data:       {', '.join(entry['categories_of_personal_data'])}",
            f"  basis:      {entry['legal_basis']}",
            f"  recipients: {', '.join(entry['recipients']) or 'none'}",
            f"  retention:  {entry['retention']}",
            f"  source:     {entry['source']}",
            "",
        ]
    return "\n".join(lines)


def build_package(
    data_map: DataMap,
    request_type: RequestType,
    request_id: str,
    records_by_store: Mapping[str, StoreRecords],
) -> bytes:
    details = [
        store_details(data_map, name, records) for name, records in sorted(records_by_store.items())
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, text: str) -> None:
            archive.writestr(zipfile.ZipInfo(name, _FIXED_TIME), text)

        add("README.txt", _readme(request_type, request_id, details))
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
