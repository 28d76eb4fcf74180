"""Each Lambda invocation sees its own environment, log keys and metrics, while others run."""

from __future__ import annotations

import io
import json
import logging
import os
import threading

from aws_lambda_powertools import Logger, Metrics

from rightsflow.local.function_environment import variables
from rightsflow.local.invocation_state import fresh


def test_two_invocations_at_once_each_see_their_own_variables() -> None:
    # GIVEN two functions with different settings, running at the same moment
    barrier = threading.Barrier(2, timeout=30)
    seen: dict[str, tuple[str | None, str | None, str | None]] = {}

    def invoke(name: str, table: str) -> None:
        with variables({"REQUESTS_TABLE": table, "RIGHTSFLOW_TEST_ONLY_" + name: "1"}):
            barrier.wait()  # both are inside their invocation now
            seen[name] = (
                os.environ["REQUESTS_TABLE"],
                os.getenv("REQUESTS_TABLE"),
                dict(os.environ).get("RIGHTSFLOW_TEST_ONLY_" + ("B" if name == "A" else "A")),
            )
            barrier.wait()

    threads = [
        threading.Thread(target=invoke, args=("A", "table-a")),
        threading.Thread(target=invoke, args=("B", "table-b")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # THEN each read its own value, through os.environ, os.getenv and a copy alike, and never
    # the other function's variables
    assert seen == {"A": ("table-a", "table-a", None), "B": ("table-b", "table-b", None)}
    # AND outside any invocation, the process's environment is as it was
    assert "REQUESTS_TABLE" not in os.environ
    assert "RIGHTSFLOW_TEST_ONLY_A" not in os.environ


def test_an_invocation_sees_the_process_variables_and_its_changes_stay_its_own() -> None:
    # GIVEN a variable of the whole process
    os.environ["RIGHTSFLOW_TEST_PROCESS_WIDE"] = "process"
    try:
        with variables({"RIGHTSFLOW_TEST_FUNCTION": "function"}):
            # THEN an invocation sees it beside its own
            assert os.environ["RIGHTSFLOW_TEST_PROCESS_WIDE"] == "process"
            assert os.environ["RIGHTSFLOW_TEST_FUNCTION"] == "function"
            # WHEN the function changes and removes variables
            os.environ["RIGHTSFLOW_TEST_FUNCTION"] = "changed"
            del os.environ["RIGHTSFLOW_TEST_PROCESS_WIDE"]
            assert "RIGHTSFLOW_TEST_PROCESS_WIDE" not in os.environ
            assert os.environ["RIGHTSFLOW_TEST_FUNCTION"] == "changed"

        # THEN nothing of that reached the process
        assert os.environ["RIGHTSFLOW_TEST_PROCESS_WIDE"] == "process"
        assert "RIGHTSFLOW_TEST_FUNCTION" not in os.environ
    finally:
        del os.environ["RIGHTSFLOW_TEST_PROCESS_WIDE"]


def test_two_invocations_at_once_log_and_count_only_their_own() -> None:
    # GIVEN one Logger and one Metrics object, shared as rightsflow.observability shares them
    # (built inside an invocation, as a function's cold start builds them)
    stream = io.StringIO()
    with fresh():
        logger = Logger(
            service="invocation-state-test", logger_handler=logging.StreamHandler(stream)
        )
        metrics = Metrics(namespace="Test", service="invocation-state-test")
        logger.append_keys(request_id="req-cold")
        metrics.add_metric(name="Seen_req-cold", unit="Count", value=1)
    barrier = threading.Barrier(2, timeout=30)
    flushed: dict[str, list[str]] = {}

    def invoke(request_id: str) -> None:
        with fresh():
            logger.append_keys(request_id=request_id)
            metrics.add_metric(name=f"Seen_{request_id}", unit="Count", value=1)
            barrier.wait()  # both have written their keys and metrics
            logger.info("step done")
            emitted = metrics.serialize_metric_set()
            flushed[request_id] = [key for key in emitted if key.startswith("Seen_")]
            barrier.wait()

    threads = [threading.Thread(target=invoke, args=(name,)) for name in ("req-a", "req-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # THEN each invocation's log line carries its own request id, and its metrics only its own
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert sorted(line["request_id"] for line in lines) == ["req-a", "req-b"]
    # AND every line has the keys the Logger's construction set, though it was built inside
    # an invocation
    for line in lines:
        assert line["level"] == "INFO"
        assert line["service"] == "invocation-state-test"
        assert line["timestamp"]
        assert line["location"]
    assert flushed == {"req-a": ["Seen_req-a"], "req-b": ["Seen_req-b"]}


def test_metrics_recorded_outside_any_invocation_are_published_once() -> None:
    # GIVEN a metric recorded in-process, outside any invocation (as a script or test may)
    metrics = Metrics(namespace="Test", service="invocation-state-outside")
    metrics.add_metric(name="SeenOutside", unit="Count", value=1)

    # WHEN two invocations run one after the other and each publishes its metrics
    published: list[list[str]] = []
    for _ in range(2):
        with fresh():
            metrics.add_metric(name="SeenInside", unit="Count", value=1)
            emitted = metrics.serialize_metric_set()
            published.append(sorted(key for key in emitted if key.startswith("Seen")))
            metrics.clear_metrics()

    # THEN the first publishes it with its own, and the second only its own
    assert published == [["SeenInside", "SeenOutside"], ["SeenInside"]]
