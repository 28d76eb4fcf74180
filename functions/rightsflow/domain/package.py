"""The package an access or portability request produces: the person's records by store, as JSON
and CSV, with what GDPR Art. 15 says they must be told about each store, in one zip."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from rightsflow.domain.data_map import DataMap
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


def store_details(data_map: DataMap, store_name: str, count: int) -> dict[str, Any]:
    """The Art. 15(1) facts about one store: purposes, categories, recipients, retention, source."""
    store = data_map.stores[store_name]
    return {
        "store": store_name,
        "description": store.description,
        "records": count,
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
        "per field; lists and objects are JSON-encoded). details.json says, for each place, why",
        "we hold the data, what kinds of data, on what legal basis, who receives it, how long it",
        "is kept and where it came from.",
        "",
    ]
    for entry in details:
        lines += [
            f"{entry['store']}: {entry['description']} ({entry['records']} records)",
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
    records_by_store: dict[str, list[dict[str, Any]]],
) -> bytes:
    details = [
        store_details(data_map, name, len(records))
        for name, records in sorted(records_by_store.items())
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, text: str) -> None:
            archive.writestr(zipfile.ZipInfo(name, _FIXED_TIME), text)

        add("README.txt", _readme(request_type, request_id, details))
        add("details.json", json.dumps(details, indent=2, ensure_ascii=False))
        for name, records in sorted(records_by_store.items()):
            add(f"{name}.json", json.dumps(records, indent=2, ensure_ascii=False, default=str))
            add(f"{name}.csv", _csv(records))
    return buffer.getvalue()
