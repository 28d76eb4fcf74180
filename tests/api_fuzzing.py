"""Property-based fuzzing of the HTTP API from its own OpenAPI document (schemathesis): every
operation of the people's, Brands' and ops' APIs, with valid and invalid inputs, bounded in
examples and time. Used by the test suite and by benchmarks/fuzz_apis.py."""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.result import Err

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@dataclass
class Figures:
    """What the fuzzer sent to one API and what came back."""

    operations: int = 0
    requests: int = 0
    server_errors: int = 0
    undocumented_statuses: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    # Requests sent per operation ("POST /requests"): every operation of the document is listed,
    # so one the time bound starved shows as 0.
    by_operation: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def _documented(operation: Any) -> set[str]:
    return {str(code) for code in operation.definition.raw.get("responses", {})}


def _explore(
    strategy: Any,
    *,
    max_examples: int,
    deadline: float,
    base_url: str,
    session: requests.Session,
    headers: dict[str, str],
    found: Figures,
) -> None:
    """Send up to `max_examples` cases drawn from `strategy` and check each answer."""

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        if time.monotonic() > deadline:
            return
        response = case.call(base_url=base_url, session=session, headers=headers)
        found.requests += 1
        found.by_operation[f"{case.operation.method.upper()} {case.operation.path}"] += 1
        found.statuses[response.status_code] += 1
        if response.status_code >= 500:
            found.server_errors += 1
        if str(response.status_code) not in _documented(case.operation):
            found.undocumented_statuses += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (Failure, FailureGroup) as failure:
            found.failures.append(
                f"{case.method} {case.formatted_path} -> {response.status_code}: "
                f"{' '.join(str(failure).split())[:400]}"
            )

    # An operation without input has nothing to make invalid: its valid cases were sent.
    with contextlib.suppress(Unsatisfiable):
        run()


def fuzz(
    base_url: str,
    credentials: dict[str, dict[str, str]],
    *,
    max_examples: int = 8,
    seconds: float = 180.0,
    path_parameters: dict[str, dict[str, str]] | None = None,
) -> dict[str, Figures]:
    """Fuzz every operation of `base_url`'s /openapi.json, by tag (People, Brands, Ops), with
    the headers `credentials[tag]`; `max_examples` per operation and generation mode, within
    about `seconds` overall. Returns the figures per API."""
    document = requests.get(f"{base_url}/openapi.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(document)
    figures: dict[str, Figures] = {}
    operations = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):  # the document itself is wrong: that is a failure too
            raise AssertionError(f"the OpenAPI document is invalid: {result.err()}")
        operations.append(result.ok())
    deadline = time.monotonic() + seconds
    session = requests.Session()
    for operation in operations:
        tag = (operation.definition.raw.get("tags") or ["untagged"])[0]
        found = figures.setdefault(tag, Figures())
        found.operations += 1
        found.by_operation[f"{operation.method.upper()} {operation.path}"] += 0
        headers = credentials.get(tag, {})
        fixed = (path_parameters or {}).get(tag)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if time.monotonic() > deadline:
                break
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)
            _explore(
                strategy,
                max_examples=max_examples,
                deadline=deadline,
                base_url=base_url,
                session=session,
                headers=headers,
                found=found,
            )
    return figures


def summary(figures: dict[str, Figures]) -> list[str]:
    """The figures in lines a person reads, ending with the one line that counts."""
    lines = []
    for tag, found in sorted(figures.items()):
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(found.statuses.items()))
        lines.append(
            f"{tag} API: {found.operations} operations, {found.requests} requests sent, "
            f"server errors: {found.server_errors}, undocumented statuses: "
            f"{found.undocumented_statuses}, failed checks: {len(found.failures)} ({statuses})"
        )
    total = sum(f.requests for f in figures.values())
    errors = sum(f.server_errors for f in figures.values())
    undocumented = sum(f.undocumented_statuses for f in figures.values())
    lines.append(
        f"fuzzed: {total} requests, server errors: {errors}, undocumented statuses: {undocumented}"
    )
    return lines
