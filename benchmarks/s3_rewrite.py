"""Erasing one person's record in S3 objects of 1 MB, 50 MB and 500 MB, in bounded memory.

For each format an S3 store may hold (JSON lines plain and gzip, Parquet) and each size, an
object is generated in a temporary folder (the sizes are of the records as JSON lines; the gzip
and Parquet objects hold the same records, so they are smaller as stored), uploaded to a moto
server running in its own process (so that the server's memory is not counted), and one
person's record, in the middle of it, is filed in the object index. Then a fresh Python process
does what fulfilment does, with the product's own S3 connector: finds the person through the
index (reading the object through, record by record) and anonymises their record (a streamed
rewrite, a multipart upload beyond 8 MiB). That process reports its wall-clock seconds and its
peak resident memory (VmHWM); afterwards it reads the object once more to check that the
person is gone and that every other record is as it was (not timed).

Parquet objects are written with row groups of 65,536 rows (about 10 MB), as data lakes write
them in row groups: reading and rewriting hold one row group at a time, never the object.

    .venv/bin/python benchmarks/s3_rewrite.py [--sizes 1,50,500] [--formats jsonl,jsonl.gz,parquet]

Prints a table of size, format, seconds and peak MB, and last
`peak memory ratio (largest / smallest object): X.XX` (the largest, over the formats, of the
peak memory for the largest object divided by the peak for the smallest).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REGION = "eu-west-1"
BUCKET = "sms-log-benchmark"
TABLE = "object-index-benchmark"
STORE = "acme_sms_log"
PERSON_PHONE = "+442079460000"
ROW_GROUP_ROWS = 65_536
FORMATS = ("jsonl", "jsonl.gz", "parquet")
WORDS = (
    *("points", "join", "stop", "reply", "offer", "weekend", "voucher", "store", "balance"),
    *("code", "welcome", "thanks", "order", "delivery", "tomorrow", "today", "confirm"),
    *("cancel", "update", "account", "win", "free", "member", "club"),
)


# ---------------------------------------------------------------------------- the objects
def _records(megabytes: int, seed: int) -> Iterator[dict[str, Any]]:
    """SMS log records (about 150 bytes each as JSON) adding up to `megabytes` of JSON lines,
    the person's in the middle."""
    rng = random.Random(seed)  # noqa: S311 - made-up benchmark data
    target = megabytes * 1_000_000
    written = 0
    person_at = target // 2
    placed = False
    while written < target:
        record = {
            "phone": f"+1617{rng.randrange(10**7):07d}",
            "carrier": rng.choice(("O2", "EE", "Vodafone", "Three")),
            "direction": rng.choice(("inbound", "outbound")),
            "content": " ".join(rng.choice(WORDS) for _ in range(rng.randrange(4, 12))),
            "sent_at": f"2026-10-{rng.randrange(1, 29):02d}T{rng.randrange(24):02d}:00:00Z",
        }
        if not placed and written >= person_at:
            record = {**record, "phone": PERSON_PHONE, "content": "POINTS 1815"}
            placed = True
        written += len(json.dumps(record)) + 1
        yield record


def generate(folder: Path, kind: str, megabytes: int) -> Path:
    """Write the object to a file, streaming (never the whole object in memory)."""
    path = folder / f"{megabytes}mb.{kind}"
    if kind == "parquet":
        import pyarrow as pa  # noqa: PLC0415
        import pyarrow.parquet as pq  # noqa: PLC0415

        schema = pa.schema(
            [
                (name, pa.string())
                for name in ("phone", "carrier", "direction", "content", "sent_at")
            ]
        )
        with pq.ParquetWriter(path, schema, compression="snappy") as writer:
            batch: list[dict[str, Any]] = []
            for record in _records(megabytes, seed=megabytes):
                batch.append(record)
                if len(batch) == ROW_GROUP_ROWS:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    batch = []
            if batch:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
        return path
    opener: Any = gzip.open if kind.endswith(".gz") else open
    with opener(path, "wb") as out:
        lines: list[bytes] = []
        for record in _records(megabytes, seed=megabytes):
            lines.append(json.dumps(record).encode() + b"\n")
            if len(lines) == 10_000:
                out.write(b"".join(lines))
                lines = []
        out.write(b"".join(lines))
    return path


# ---------------------------------------------------------------------------- the server
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _environment(endpoint: str) -> dict[str, str]:
    return {
        **os.environ,
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "benchmark",
        "AWS_SECRET_ACCESS_KEY": "benchmark",
        "AWS_DEFAULT_REGION": REGION,
        "PYTHONPATH": str(ROOT / "functions"),
    }


def _start_server(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    log = (folder / "moto.log").open("wb")
    server = subprocess.Popen(  # noqa: S603 - this interpreter, our own arguments
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, endpoint
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the moto server did not start") from None
            time.sleep(0.2)


def _prepare(endpoint: str) -> None:
    """The bucket and the object index, made as template.yaml makes them."""
    import boto3  # noqa: PLC0415

    sys.path.insert(0, str(ROOT / "functions"))
    from rightsflow.local.template import load_template  # noqa: PLC0415

    os.environ.update(_environment(endpoint))
    index = load_template(ROOT / "template.yaml").cloudformation["Resources"]["ObjectIndexTable"]
    boto3.client("dynamodb").create_table(
        TableName=TABLE,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=index["Properties"]["KeySchema"],
        AttributeDefinitions=index["Properties"]["AttributeDefinitions"],
    )
    boto3.client("s3").create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    from rightsflow.integration.object_index import ObjectIndex  # noqa: PLC0415

    ObjectIndex(TABLE).completeness.mark_complete(STORE)


def _upload(path: Path, key: str) -> None:
    import boto3  # noqa: PLC0415

    boto3.client("s3").upload_file(str(path), BUCKET, key)


def _person_at(path: Path, kind: str) -> int:
    """The person's record ordinal (the index names it, as the indexer would have)."""
    if kind == "parquet":
        import pyarrow.parquet as pq  # noqa: PLC0415

        offset = 0
        parquet = pq.ParquetFile(path)
        for number in range(parquet.metadata.num_row_groups):
            phones = parquet.read_row_group(number, columns=["phone"]).column(0).to_pylist()
            if PERSON_PHONE in phones:
                return offset + phones.index(PERSON_PHONE)
            offset += len(phones)
        raise RuntimeError("the person is not in the object")
    opener: Any = gzip.open if kind.endswith(".gz") else open
    with opener(path, "rb") as lines:
        for ordinal, line in enumerate(lines):
            if PERSON_PHONE.encode() in line:
                return ordinal
    raise RuntimeError("the person is not in the object")


# ---------------------------------------------------------------------------- the measured process
def _store(kind: str) -> Any:
    from rightsflow.domain.data_map import Store  # noqa: PLC0415

    return Store.model_validate(
        {
            "description": "SMS log",
            "kind": "s3_parquet" if kind == "parquet" else "s3_jsonl",
            "resource": "AcmeSmsLogBucket",
            "prefix": "sms/",
            "key": ["object_key", "record"],
            "role": "controller",
            "categories": ["phone number", "message content"],
            "purposes": ["campaigns"],
            "legal_basis": "consent",
            "retention": "13 months",
            "source": "the consumer",
            "lookup": {"phone": {"attribute": "phone"}},
            "erasure": {"action": "anonymise", "fields": ["phone", "content"]},
            "backup": {"kind": "earlier versions of the objects", "window_days": 35},
        }
    )


def worker(kind: str, key: str) -> None:
    """Find the person and anonymise their record, as fulfilment does; print the figures."""
    from rightsflow.domain.fulfilment import Action, ActionKind  # noqa: PLC0415
    from rightsflow.domain.identity import Identity  # noqa: PLC0415
    from rightsflow.integration.stores.s3_store import S3Store  # noqa: PLC0415

    person = Identity(email="ada@example.com", phones=frozenset({PERSON_PHONE}))
    store = S3Store(STORE, _store(kind), BUCKET, TABLE)
    started = time.perf_counter()
    found = store.find(person)
    actions = [
        Action(kind=ActionKind.ANONYMISE, key=record.key, blank=["phone", "content"])
        for record in found
    ]
    store.apply(actions, lambda _: None)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_mb": _peak_mb(), "found": len(found)}))


def _peak_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM, which starts afresh with the
    program: ru_maxrss survives exec, so it would report the parent's peak at the fork when
    the parent was bigger."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _checksum_without_person(kind: str, key: str, source: Path | None) -> str:
    """A digest of every record but the person's: of the generated file, or of the object as
    it is now (read in a stream)."""
    digest = hashlib.sha256()
    if kind == "parquet":
        import boto3  # noqa: PLC0415
        import pyarrow.parquet as pq  # noqa: PLC0415

        if source is None:
            local = Path(tempfile.mkstemp(suffix=".parquet")[1])
            boto3.client("s3").download_file(BUCKET, key, str(local))
        else:
            local = source
        parquet = pq.ParquetFile(local)
        for batch in parquet.iter_batches(batch_size=50_000):
            for row in batch.to_pylist():
                if row["phone"] not in (PERSON_PHONE, ""):
                    digest.update(json.dumps(row, sort_keys=True).encode())
        if source is None:
            local.unlink()
        return digest.hexdigest()
    if source is not None:
        opener: Any = gzip.open if kind.endswith(".gz") else open
        with opener(source, "rb") as lines:
            for line in lines:
                if PERSON_PHONE.encode() not in line and b'"phone": ""' not in line:
                    digest.update(line)
        return digest.hexdigest()
    import boto3  # noqa: PLC0415

    body = boto3.client("s3").get_object(Bucket=BUCKET, Key=key)["Body"]
    lines: Any = (
        gzip.GzipFile(fileobj=body) if kind.endswith(".gz") else body.iter_lines(keepends=True)
    )
    for line in lines:
        if PERSON_PHONE.encode() not in line and b'"phone": ""' not in line:
            digest.update(line)
    return digest.hexdigest()


def _measure(endpoint: str, kind: str, key: str) -> dict[str, Any]:
    answer = subprocess.run(  # noqa: S603 - this interpreter, our own arguments
        [sys.executable, __file__, "--worker", kind, key],
        env=_environment(endpoint),
        capture_output=True,
        text=True,
        check=False,
    )
    if answer.returncode != 0:
        raise RuntimeError(f"{kind} {key}: the worker failed:\n{answer.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(answer.stdout.strip().splitlines()[-1])
    return figures


# ---------------------------------------------------------------------------- the run
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,50,500", help="object sizes in MB")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--worker", nargs=2, metavar=("FORMAT", "KEY"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        worker(*arguments.worker)
        return 0
    sizes = sorted(int(size) for size in arguments.sizes.split(","))
    kinds = [kind for kind in arguments.formats.split(",") if kind]
    rows: list[tuple[int, str, float, float, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="s3-rewrite-") as folder:
        server, endpoint = _start_server(Path(folder))
        try:
            _prepare(endpoint)
            from rightsflow.domain.canonical import Identifier  # noqa: PLC0415
            from rightsflow.integration.object_index import ObjectIndex  # noqa: PLC0415

            index = ObjectIndex(TABLE)
            for kind in kinds:
                for megabytes in sizes:
                    path = generate(Path(folder), kind, megabytes)
                    stored_mb = path.stat().st_size / 1e6
                    key = f"sms/{megabytes}mb.{kind}"
                    _upload(path, key)
                    index.add(STORE, Identifier.PHONE, PERSON_PHONE, key, _person_at(path, kind))
                    before = _checksum_without_person(kind, key, path)
                    path.unlink()
                    figures = _measure(endpoint, kind, key)
                    after = _checksum_without_person(kind, key, None)
                    if figures["found"] != 1 or before != after:
                        raise RuntimeError(f"{kind} {megabytes} MB: the rewrite was not exact")
                    import boto3  # noqa: PLC0415

                    boto3.client("s3").delete_object(Bucket=BUCKET, Key=key)
                    rows.append(
                        (
                            megabytes,
                            kind,
                            stored_mb,
                            figures["seconds"],
                            figures["peak_mb"],
                            figures["seconds"] / megabytes,
                        )
                    )
                    print(
                        f"  {kind} {megabytes} MB: {figures['seconds']:.1f} s, "
                        f"{figures['peak_mb']:.0f} MB peak",
                        flush=True,
                    )
        finally:
            server.terminate()
            server.wait(timeout=30)
    print()
    print(f"{'size':>8}  {'format':<9} {'stored':>10}  {'seconds':>8}  {'peak MB':>8}  {'s/MB':>6}")
    for megabytes, kind, stored_mb, seconds, peak, per_mb in rows:
        print(
            f"{megabytes:>5} MB  {kind:<9} {stored_mb:>7.1f} MB  {seconds:>8.1f}  {peak:>8.0f}  "
            f"{per_mb:>6.3f}"
        )
    ratios = []
    for kind in kinds:
        peaks = {size: peak for size, k, _, _, peak, _ in rows if k == kind}
        if len(peaks) > 1:
            ratios.append(peaks[max(peaks)] / peaks[min(peaks)])
    print(f"peak memory ratio (largest / smallest object): {max(ratios or [1.0]):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
