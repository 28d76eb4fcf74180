"""Parquet objects, read and rewritten one row group at a time (through pyarrow, imported here
only: the functions that never meet a Parquet object never load it).

A record's ordinal is its row number in the object. Reading goes batch by batch; a rewrite
writes every row group again in order, with the file's schema (and its metadata), compression
and format version: row groups without a changed row are copied value for value, and in the
others only the changed rows' values differ. An erased row is removed (a Parquet reader has no
notion of an empty slot), so later ordinals move: the object's own notification re-indexes it,
and a connector checks a record still is what it read before changing it."""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import cache
from typing import IO, TYPE_CHECKING, Any, Final

from rightsflow.integration.stores.formats.records import (
    Record,
    Unreadable,
    Unwritable,
    same_content,
)

if TYPE_CHECKING:
    import pyarrow as pa

BATCH_ROWS: Final = 4096
# What a Parquet object is read from and written to: a file, or an S3 object as one.
BinaryFile = IO[bytes] | io.RawIOBase


class Keep:
    """What a rewrite's decision returns for a row it leaves as it is."""


KEEP: Final = Keep()
Decision = dict[str, Any] | None | Keep  # new values, None (remove the row) or KEEP


def plain(value: Any) -> Any:
    """A Parquet value as JSON can hold it (dates and times in ISO 8601, decimals as text,
    bytes as base64), as fulfilment reports and compares records."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


class Parquet:
    """The Parquet format of an S3 store (`kind: s3_parquet`)."""

    encoding = "utf-8"  # of its string columns, by Parquet's definition

    def _open(self, source: BinaryFile) -> Any:
        _arrow()
        import pyarrow.parquet as pq  # noqa: PLC0415 - only where Parquet is met

        try:
            return pq.ParquetFile(source, pre_buffer=False)
        except Exception as error:  # pyarrow raises ArrowInvalid, OSError...
            raise Unreadable(f"not a valid Parquet file: {_first_line(error)}") from None

    def records(self, source: BinaryFile) -> Iterator[Record]:
        """Every row as a record, in order, a batch at a time."""
        parquet = self._open(source)
        ordinal = 0
        try:
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS, use_threads=False):
                for row in rows_of(batch):
                    yield Record(ordinal, ordinal, ordinal + 1, plain(row))
                    ordinal += 1
        except Unreadable:
            raise
        except Exception as error:
            raise Unreadable(f"row {ordinal} cannot be read: {_first_line(error)}") from None

    def rewrite(
        self,
        source: BinaryFile,
        sink: BinaryFile,
        targets: set[int],
        decide: Callable[[int, dict[str, Any]], Decision],
    ) -> int:
        """Write the object again into `sink`, asking `decide` about each target row; returns
        how many rows changed. Raises Unwritable when a new value does not fit its column."""
        import pyarrow as pa  # noqa: PLC0415
        import pyarrow.parquet as pq  # noqa: PLC0415

        parquet = self._open(source)
        metadata = parquet.metadata
        schema = parquet.schema_arrow
        compression: dict[str, str] = {}
        if metadata.num_row_groups:
            group = metadata.row_group(0)
            for index in range(group.num_columns):
                column = group.column(index)
                codec = str(column.compression).lower()
                compression[column.path_in_schema] = "none" if codec == "uncompressed" else codec
        writer = pq.ParquetWriter(
            sink,
            schema,
            compression=compression or "snappy",
            version=str(metadata.format_version),
            write_statistics=True,
        )
        changed = 0
        offset = 0
        try:
            for number in range(metadata.num_row_groups):
                table = parquet.read_row_group(number, use_threads=False)
                rows = table.num_rows
                hits = sorted(t - offset for t in targets if offset <= t < offset + rows)
                if hits:
                    table, count = _changed(pa, table, offset, hits, decide)
                    changed += count
                if table.num_rows:
                    writer.write_table(table, row_group_size=table.num_rows)
                offset += rows
        finally:
            writer.close()
        return changed


def _changed(
    pa: Any,
    table: pa.Table,
    offset: int,
    hits: list[int],
    decide: Callable[[int, dict[str, Any]], Decision],
) -> tuple[pa.Table, int]:
    keep = [True] * table.num_rows
    updates: dict[str, dict[int, Any]] = {}
    count = 0
    for row in hits:
        before = plain(rows_of(table.slice(row, 1))[0])
        decision = decide(offset + row, before)
        if isinstance(decision, Keep):
            continue
        count += 1
        if decision is None:
            keep[row] = False
            continue
        for name, value in decision.items():
            if name not in before:
                raise Unwritable(f"the object has no column {name!r}")
            if not same_content(value, before[name]):
                updates.setdefault(name, {})[row] = value
    for name, values in updates.items():
        # Only the changed rows' values are made anew; every other value of the column is
        # taken as it is (never through Python, which cannot hold every Arrow value).
        import pyarrow.compute as pc  # noqa: PLC0415

        index = table.schema.get_field_index(name)
        field = table.schema.field(index)
        mask = [False] * table.num_rows
        new: list[Any] = [None] * table.num_rows
        for row, value in values.items():
            mask[row], new[row] = True, _fitted(pa, field, value)
        column = pc.if_else(pa.array(mask), pa.array(new, type=field.type), table.column(index))
        table = table.set_column(index, field, column)
    if not all(keep):
        table = table.filter(pa.array(keep))
    return table, count


def _fitted(pa: Any, field: Any, value: Any) -> Any:
    """A new value as its column holds it: a blanked value of a column that is not text is
    null; text is cast to the column's type."""
    if value is None:
        return None
    if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
        return str(value)
    if value == "":
        if not field.nullable:
            raise Unwritable(f"column {field.name!r} cannot be blanked: it may not be null")
        return None
    try:
        return pa.scalar(value).cast(field.type).as_py()
    except Exception:
        raise Unwritable(
            f"column {field.name!r} ({field.type}) cannot hold the new value"
        ) from None


def rows_of(data: Any) -> list[dict[str, Any]]:
    """A record batch's (or table's) rows as Python values. Nanosecond timestamps and times
    are read at nanosecond precision without pandas (pyarrow's own conversion asks for it):
    as ISO 8601 text with nine fractional digits where they are not whole microseconds (as
    `plain` writes the others), nanosecond durations as seconds."""
    import pyarrow as pa  # noqa: PLC0415

    names = data.schema.names
    columns: list[list[Any]] = []
    for index, field in enumerate(data.schema):
        column = data.column(index)
        unit = getattr(field.type, "unit", None)
        if unit == "ns" and pa.types.is_timestamp(field.type):
            columns.append(_nano_timestamps(pa, column, field.type.tz))
        elif unit == "ns" and pa.types.is_time64(field.type):
            columns.append(_nano_times(pa, column))
        elif unit == "ns" and pa.types.is_duration(field.type):
            columns.append(_nano_durations(column))
        else:
            columns.append(column.to_pylist())
    return [
        {name: columns[index][row] for index, name in enumerate(names)}
        for row in range(data.num_rows)
    ]


def _nanos(column: Any) -> list[int | None]:
    import pyarrow as pa  # noqa: PLC0415

    values: list[int | None] = column.cast(pa.int64()).to_pylist()
    return values


def _nano_timestamps(pa: Any, column: Any, tz: str | None) -> list[Any]:
    nanos = _nanos(column)
    micros = pa.array(
        [None if n is None else n // 1000 for n in nanos], type=pa.timestamp("us", tz=tz)
    ).to_pylist()
    return [
        _with_nanos(m.isoformat(timespec="microseconds"), 26, n % 1000)
        if n is not None and n % 1000
        else m
        for n, m in zip(nanos, micros, strict=True)
    ]


def _nano_times(pa: Any, column: Any) -> list[Any]:
    nanos = _nanos(column)
    micros = pa.array(
        [None if n is None else n // 1000 for n in nanos], type=pa.time64("us")
    ).to_pylist()
    return [
        _with_nanos(m.isoformat(timespec="microseconds"), 15, n % 1000)
        if n is not None and n % 1000
        else m
        for n, m in zip(nanos, micros, strict=True)
    ]


def _nano_durations(column: Any) -> list[Any]:
    return [
        None
        if n is None
        else (n / 1e9 if n % 1000 else dt.timedelta(microseconds=n // 1000).total_seconds())
        for n in _nanos(column)
    ]


def _with_nanos(iso: str, at: int, nanos: int) -> str:
    """ISO 8601 text with microseconds, given its three further digits at `at`."""
    return f"{iso[:at]}{nanos:03d}{iso[at:]}"


@cache
def _arrow() -> None:
    """Arrow allocates through the C library's malloc here: its default pool (mimalloc) keeps
    what a row group freed for later, so a rewrite's peak grew with each row group it passed
    through (measured on 50 MB: 147 MB peak, against 118 MB with malloc); with malloc the peak
    stays that of one row group, whatever the object's size."""
    import pyarrow as pa  # noqa: PLC0415

    pa.set_memory_pool(pa.system_memory_pool())


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0][:200]
