"""How much load `rightsflow local` holds: N requests left waiting for their codes, then a sample
carried to the end.

For each N (default 100 and 1,000) the script starts a fresh local stack in a child process
(demo data seeded, as `rightsflow local` runs), submits N distinct requests through the HTTP
API at a given concurrency, each with an Idempotency-Key, and repeats some of them with the same
key and body. It then waits until every request is waiting for its verification code (its
e-mail sent, its legal clock's Wait running), verifies a sample end to end (code from the
outbox, `POST /verify`, status `completed`), and checks that nothing was lost or doubled: every
request is readable, each has exactly one execution and one code e-mail, and every repeat got
the first answer.

It prints, per N: intake requests/s, POST latency percentiles, the time until all requests
were waiting, the stack process's peak RSS and peak thread count (sampled from /proc), and
last: `open requests held: N, peak MB: X, threads: T, intake req/s: R` for the largest N.
Targets at N = 1,000 on 2 cores (issue 19): intake >= 20 requests/s with p99 < 1 s, peak RSS
< 1.5 GB, threads < 200, nothing lost or doubled.

    .venv/bin/python benchmarks/local_load.py                 # N = 100 and 1,000
    .venv/bin/python benchmarks/local_load.py --n 300 --concurrency 10 --repeats 100
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import socket
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import boto3
import requests

ROOT = Path(__file__).resolve().parents[1]
CODE_LINE = re.compile(r"verification code: (\d{6})")
REQUEST_ID = re.compile(r"\b(req-[0-9a-f]{32})\b")
REGION = "eu-west-1"


# ----------------------------------------------------------------------------- the stack
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serve_stack(connection: Connection, aws_port: int, log_path: str) -> None:
    """Child process: `rightsflow local` as the CLI runs it, until the parent says stop."""
    # The stack is imported here, in the child only: the parent stays a plain HTTP client.
    import warnings  # noqa: PLC0415

    from rightsflow.local import services  # noqa: PLC0415
    from rightsflow.local.stack import StackOptions  # noqa: PLC0415

    warnings.filterwarnings("ignore")
    # Every function logs each step: the figures are what this script prints, and what the
    # stack writes goes to a file the parent names if anything goes wrong.
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    # The local gateway enforces the template's API throttling (ApiThrottlingRateLimit, 50 a
    # second by default) as API Gateway would: set out of the way, as in the tests, since what
    # is measured here is the local runtime, not the throttle.
    options = StackOptions(
        template_path=ROOT / "template.yaml",
        parameters={"ApiThrottlingRateLimit": "100000", "ApiThrottlingBurstLimit": "100000"},
    )
    with services.running(options, port=0, aws_port=aws_port) as running:
        connection.send({"api": running.api_url, "aws": running.aws_endpoint})
        connection.recv()


class StackProcess:
    """The local stack in a process of its own, so that its RSS and threads are its own."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._parent, child = context.Pipe()
        self.aws_port = _free_port()
        self.log_path = tempfile.mkstemp(prefix="local_load-stack-", suffix=".log")[1]
        self.process = context.Process(
            target=_serve_stack, args=(child, self.aws_port, self.log_path), daemon=True
        )

    def __enter__(self) -> StackProcess:
        self.process.start()
        if not self._parent.poll(300):
            raise RuntimeError("the local stack did not start within 300 s")
        urls = self._parent.recv()
        self.api: str = urls["api"]
        self.aws: str = urls["aws"]
        return self

    def __exit__(self, *_: object) -> None:
        self._parent.send("stop")
        self.process.join(60)
        if self.process.is_alive():
            self.process.terminate()

    @property
    def pid(self) -> int:
        assert self.process.pid is not None
        return self.process.pid


@dataclass
class Sampler:
    """Peak RSS and thread count of a process, read from /proc every `every` seconds."""

    pid: int
    every: float = 0.2
    peak_rss_kb: int = 0
    peak_threads: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def sample(self) -> None:
        try:
            status = Path(f"/proc/{self.pid}/status").read_text()
        except OSError:
            return
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        self.peak_rss_kb = max(self.peak_rss_kb, int(fields["VmHWM"].split()[0]))
        self.peak_threads = max(self.peak_threads, int(fields["Threads"]))

    def stop(self) -> None:
        self.sample()
        self._stop.set()


# ----------------------------------------------------------------------------- the load
@dataclass
class Submitted:
    body: dict[str, Any]
    key: str
    receipt: dict[str, Any]
    seconds: float


def _post(session: requests.Session, api: str, body: dict[str, Any], key: str) -> Submitted:
    started = time.perf_counter()
    while True:
        answer = session.post(
            f"{api}/requests", json=body, headers={"Idempotency-Key": key}, timeout=120
        )
        if answer.status_code != 409:  # the first one with this key still in flight
            break
        time.sleep(float(answer.headers.get("Retry-After", "1")))
    seconds = time.perf_counter() - started
    if answer.status_code != 202:
        raise RuntimeError(f"POST /requests answered {answer.status_code}: {answer.text[:200]}")
    return Submitted(body, key, answer.json(), seconds)


def _percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _wait_for(check: Any, timeout: float, every: float = 0.5) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise RuntimeError(f"gave up waiting after {timeout:.0f} s")
        time.sleep(every)


def run_load(n: int, concurrency: int, repeats: int, sample: int) -> dict[str, Any]:  # noqa: PLR0915
    with StackProcess() as stack:
        sampler = Sampler(stack.pid)
        sampler.start()
        local = threading.local()

        def session() -> requests.Session:
            if not hasattr(local, "session"):
                local.session = requests.Session()
            return local.session  # type: ignore[no-any-return]

        bodies = [
            (
                {"type": "access", "email": f"load.{i}.{uuid.uuid4().hex[:8]}@example.com"},
                f"load-{uuid.uuid4().hex}",
            )
            for i in range(n)
        ]
        # The repeats go out while the distinct requests still arrive, each a while after its
        # first (a repeat that meets its first still in flight gets a 409 and tries again).
        step = max(1, n // max(1, repeats))
        jobs: list[tuple[dict[str, Any], str, bool]] = []
        for index, (body, key) in enumerate(bodies):
            jobs.append((body, key, False))
            if repeats and index % step == step - 1 and index // step < repeats:
                earlier_body, earlier_key = bodies[index // 2]
                jobs.append((earlier_body, earlier_key, True))
        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            results = list(
                pool.map(lambda job: (_post(session(), stack.api, job[0], job[1]), job[2]), jobs)
            )
        intake_seconds = time.perf_counter() - started
        first = [submitted for submitted, repeat in results if not repeat]
        repeated = [submitted for submitted, repeat in results if repeat]
        latencies = [submitted.seconds for submitted, _ in results]
        # The first `concurrency` POSTs all wait for the intake function's cold start.
        warm = latencies[concurrency:] or latencies

        # Nothing doubled by a repeat: the same key and body answer the first receipt.
        by_key = {submitted.key: submitted.receipt for submitted in first}
        doubled = [s for s in repeated if s.receipt["request_id"] != by_key[s.key]["request_id"]]
        ids = {submitted.receipt["request_id"] for submitted in first}

        def outbox() -> list[dict[str, Any]]:
            answer = session().get(f"{stack.api}/_local/outbox", timeout=120)
            answer.raise_for_status()
            messages: list[dict[str, Any]] = answer.json()
            return messages

        def codes() -> dict[str, list[str]]:
            found: dict[str, list[str]] = {}
            for message in outbox():
                code = CODE_LINE.search(message["text"])
                request_id = REQUEST_ID.search(message["text"])
                if code and request_id and request_id.group(1) in ids:
                    found.setdefault(request_id.group(1), []).append(code.group(1))
            return found

        waiting_started = time.perf_counter()
        # The outbox is read whole: not too often, or reading it is most of what the stack does.
        _wait_for(lambda: len(codes()) >= n, timeout=max(300, n * 2.0), every=max(2, n / 100))
        all_waiting_seconds = time.perf_counter() - started
        code_mails = codes()
        settle_seconds = time.perf_counter() - waiting_started

        # Every request readable, each with one execution, and all of them still running.
        sfn = boto3.client(
            "stepfunctions",
            endpoint_url=stack.aws,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106 - the local endpoint takes any
        )
        machine = next(
            item["stateMachineArn"]
            for item in sfn.list_state_machines()["stateMachines"]
            if "index-backfill" not in item["name"]  # the rights requests' machine
        )
        executions: list[dict[str, Any]] = []
        for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=machine):
            executions.extend(page["executions"])
        execution_names = [execution["name"] for execution in executions]
        running = sum(1 for execution in executions if execution["status"] == "RUNNING")
        statuses: dict[str, int] = {}
        for submitted in first:
            view = session().get(
                f"{stack.api}/requests/{submitted.receipt['request_id']}",
                headers={"X-Request-Token": submitted.receipt["status_token"]},
                timeout=120,
            )
            status = view.json()["status"] if view.status_code == 200 else str(view.status_code)
            statuses[status] = statuses.get(status, 0) + 1
        sampler.sample()
        held_rss_kb, held_threads = sampler.peak_rss_kb, sampler.peak_threads

        # A sample carried to the end: the code from the e-mail, then the whole workflow.
        completed = 0
        sample_started = time.perf_counter()
        for submitted in first[:sample]:
            request_id = submitted.receipt["request_id"]
            answer = session().post(
                f"{stack.api}/requests/{request_id}/verify",
                json={"code": code_mails[request_id][-1]},
                timeout=120,
            )
            if answer.status_code != 200:
                continue

            def done(receipt: dict[str, Any] = submitted.receipt) -> str | None:
                view = (
                    session()
                    .get(
                        f"{stack.api}/requests/{receipt['request_id']}",
                        headers={"X-Request-Token": receipt["status_token"]},
                        timeout=120,
                    )
                    .json()
                )
                status: str = view["status"]
                return status if status in {"completed", "declined", "needs_attention"} else None

            if _wait_for(done, timeout=300) == "completed":
                completed += 1
        sample_seconds = time.perf_counter() - sample_started
        sampler.stop()

    return {
        "n": n,
        "concurrency": concurrency,
        "repeats": len(repeated),
        "intake_seconds": intake_seconds,
        "intake_rps": len(results) / intake_seconds,
        "p50": _percentile(latencies, 50),
        "p90": _percentile(latencies, 90),
        "p99": _percentile(latencies, 99),
        "max": max(latencies),
        "warm_p99": _percentile(warm, 99),
        "all_waiting_seconds": all_waiting_seconds,
        "settle_seconds": settle_seconds,
        "held_rss_mb": held_rss_kb / 1024,
        "held_threads": held_threads,
        "peak_rss_mb": sampler.peak_rss_kb / 1024,
        "peak_threads": sampler.peak_threads,
        "distinct_ids": len(ids),
        "doubled_by_repeat": len(doubled),
        "executions": len(executions),
        "distinct_executions": len(set(execution_names)),
        "running": running,
        "with_one_code_mail": sum(1 for found in code_mails.values() if len(found) == 1),
        "statuses": statuses,
        "sample": sample,
        "sample_completed": completed,
        "sample_seconds": sample_seconds,
    }


def verdict(result: dict[str, Any]) -> list[str]:
    """What was lost or doubled, in words; empty when nothing was."""
    n = result["n"]
    problems = []
    if result["distinct_ids"] != n:
        problems.append(f"{n} requests made {result['distinct_ids']} distinct ids")
    if result["doubled_by_repeat"]:
        problems.append(f"{result['doubled_by_repeat']} repeats made a second request")
    if result["executions"] != n or result["distinct_executions"] != n:
        problems.append(f"{result['executions']} executions for {n} requests")
    if result["with_one_code_mail"] != n:
        problems.append(f"{n - result['with_one_code_mail']} requests lack exactly one code")
    if result["statuses"] != {"pending_verification": n}:
        problems.append(f"statuses while waiting: {result['statuses']}")
    if result["running"] != n:
        problems.append(f"{result['running']} of {n} executions running while waiting")
    if result["sample_completed"] != result["sample"]:
        problems.append(f"{result['sample_completed']} of {result['sample']} sampled completed")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=None, help="default: N / 10")
    parser.add_argument("--sample", type=int, default=10, help="requests verified to the end")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    arguments = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.1f}")
    results = []
    for n in arguments.n:
        repeats = arguments.repeats if arguments.repeats is not None else n // 10
        result = run_load(n, arguments.concurrency, repeats, min(arguments.sample, n))
        results.append(result)
        problems = verdict(result)
        print(
            f"\nN = {n} ({result['repeats']} idempotent repeats, concurrency "
            f"{result['concurrency']}; load average now {os.getloadavg()[0]:.1f})\n"
            f"  intake:        {result['intake_rps']:.1f} requests/s "
            f"({result['intake_seconds']:.1f} s for {n + result['repeats']} POSTs)\n"
            f"  POST latency:  p50 {result['p50']:.3f} s, p90 {result['p90']:.3f} s, "
            f"p99 {result['p99']:.3f} s, max {result['max']:.3f} s\n"
            f"  (p99 without the first {result['concurrency']}, which wait for the cold start: "
            f"{result['warm_p99']:.3f} s)\n"
            f"  all waiting for their codes {result['all_waiting_seconds']:.1f} s after the "
            f"first POST\n"
            f"  while {n} wait: RSS {result['held_rss_mb']:.0f} MB, "
            f"threads {result['held_threads']}\n"
            f"  sample: {result['sample_completed']}/{result['sample']} verified and completed "
            f"in {result['sample_seconds']:.1f} s\n"
            f"  peak RSS {result['peak_rss_mb']:.0f} MB, peak threads {result['peak_threads']}\n"
            f"  lost or doubled: {'; '.join(problems) if problems else 'nothing'}"
        )
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=2))
    last = results[-1]
    print(
        f"open requests held: {last['n']}, peak MB: {last['peak_rss_mb']:.0f}, "
        f"threads: {last['peak_threads']}, intake req/s: {last['intake_rps']:.1f}"
    )
    if any(verdict(result) for result in results):
        print(f"the stack's errors, if any: {tempfile.gettempdir()}/local_load-stack-*.log")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
