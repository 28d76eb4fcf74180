"""The Distributed Map as AWS runs it, added to moto's ASL interpreter for the local stack.

moto 5.2's interpreter (ported from LocalStack) runs a Map whose ItemProcessor is
`"Mode": "DISTRIBUTED"`, reads items with an ItemReader and keeps map runs (ListMapRuns,
DescribeMapRun), but lacks what a Distributed Map over a bucket needs. Added here, without
touching moto's files (the same way as rightsflow.local.asl_scheduler), so that one state
machine file runs unchanged locally and in AWS:

- **ItemBatcher** (`MaxItemsPerBatch`, `MaxInputBytesPerBatch`, their `Path` forms and
  `BatchInput`): moto's grammar does not know the field. It is taken out of the definition
  before moto parses it and put back on the parsed Map; each child execution then gets
  `{"Items": [...], "BatchInput": {...}}`, its items each through the ItemSelector first.
- **ToleratedFailureCount / ToleratedFailurePercentage**: moto parses them and ignores them
  (a failed child execution was swallowed and the map run succeeded). Here a map run whose
  failed items exceed the threshold fails with `States.ExceedToleratedFailureThreshold`, and
  with neither given any failed item fails it, as in AWS. (moto's grammar also refuses a
  whole-number percentage such as `5`; it is read as `5.0`.)
- **ItemReader `s3:listObjectsV2`**: every page of the listing (moto read the first 1,000
  keys only, and failed on an empty prefix), each item as AWS gives it
  (`Etag`, `Key`, `LastModified` in epoch seconds, `Size`, `StorageClass`).
- **ResultWriter `s3:putObject`**: its Parameters read from the Map state's input (moto read
  them from the Map's output), and the files AWS writes under `<Prefix>/<map run id>/`:
  `SUCCEEDED_0.json` and `FAILED_0.json` (each child execution's `Input`, `Output` or
  `Error` and `Cause`, status and dates) and `manifest.json` listing them (moto wrote an
  empty manifest).
- ListMapRuns and DescribeMapRun answer for an execution that has not begun to run yet
  (moto failed with an AttributeError until its worker had parsed the definition).
- Map run counts as DescribeMapRun shows them: items and child executions counted as such
  (total and pending from the start, then running, succeeded, failed), and each worker takes
  its jobs in a loop (moto recursed once per job, so a long map run overflowed the stack).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any, Final, cast
from unittest import mock

from moto.stepfunctions.parser.api import (
    HistoryEventType,
    MapRunFailedEventDetails,
    ResourceNotFound,
)
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
    FailureEventException,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import (
    StatesErrorName,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
    StatesErrorNameType,
)
from moto.stepfunctions.parser.asl.component.common.timeouts.timeout import EvalTimeoutError
from moto.stepfunctions.parser.asl.component.state.exec.state_map.item_reader.eval import (
    resource_eval_s3 as reader_s3,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration import (
    distributed_iteration_component as distributed,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.itemprocessor import (
    distributed_item_processor_worker as distributed_worker,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.iterator import (
    distributed_iterator_worker as distributed_iterator,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.job import (
    Job,
    JobPool,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.max_concurrency import (
    DEFAULT_MAX_CONCURRENCY_VALUE,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.result_writer.resource_eval import (
    resource_eval_s3 as writer_s3,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.result_writer.result_writer_decl import (
    ResultWriter,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.state_map import StateMap
from moto.stepfunctions.parser.asl.component.state.exec.state_parallel.state_parallel import (
    StateParallel,
)
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
from moto.stepfunctions.parser.asl.eval.program_state import ProgramError, ProgramStopped
from moto.stepfunctions.parser.asl.eval.states import ItemData, MapData
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.asl.utils.encoding import to_json_str
from moto.stepfunctions.parser.asl.utils.json_path import extract_json
from moto.stepfunctions.parser.models import StepFunctionsParserBackend

SETTINGS: Final = "_rightsflow_distributed"  # on a DistributedItemProcessor: DistributedSettings
MAX_BATCH_BYTES: Final = 262_144  # AWS's limit on a batch's input (256 KiB)
THRESHOLD_CAUSE: Final = "The specified tolerated failure threshold was exceeded"


@dataclass(frozen=True)
class ItemBatcher:
    """A Map's ItemBatcher as the definition gives it."""

    max_items: int | None = None
    max_items_path: str | None = None
    max_bytes: int | None = None
    max_bytes_path: str | None = None
    batch_input: Any = None  # moto's Parameters component for BatchInput, parsed once

    def limits(self, state_input: Any) -> tuple[int | None, int]:
        """(items per batch or None, bytes per batch) for this state input."""
        items = self.max_items
        if self.max_items_path is not None:
            items = int(extract_json(self.max_items_path, state_input))
        size = self.max_bytes
        if self.max_bytes_path is not None:
            size = int(extract_json(self.max_bytes_path, state_input))
        return items, min(size or MAX_BATCH_BYTES, MAX_BATCH_BYTES)


@dataclass(frozen=True)
class DistributedSettings:
    """What a Distributed Map declares that moto does not act on."""

    batcher: ItemBatcher | None = None
    count_given: bool = False  # ToleratedFailureCount(Path) is declared
    percentage_given: bool = False  # ToleratedFailurePercentage(Path) is declared


# ---------------------------------------------------------------------- parsing
def _take_out(definition: str) -> tuple[str, dict[tuple[str, ...], DistributedSettings]] | None:
    """The definition without what moto's grammar refuses, and each Distributed Map's
    settings by its path (state names; a Parallel's branch by its number). None when there
    is no Distributed Map."""
    if '"DISTRIBUTED"' not in definition:
        return None
    document = json.loads(definition)
    found: dict[tuple[str, ...], DistributedSettings] = {}

    def walk(states: dict[str, Any], path: tuple[str, ...], language: str) -> None:
        for name, state in states.items():
            here = (*path, name)
            if not isinstance(state, dict):
                continue
            state_language = state.get("QueryLanguage", language)
            if state.get("Type") == "Parallel":
                for number, branch in enumerate(state.get("Branches", [])):
                    walk(branch.get("States", {}), (*here, str(number)), state_language)
            if state.get("Type") != "Map":
                continue
            processor = state.get("ItemProcessor") or state.get("Iterator") or {}
            mode = processor.get("ProcessorConfig", {}).get("Mode")
            if mode == "DISTRIBUTED":
                found[here] = _settings(here, state, state_language)
            walk(processor.get("States", {}), here, state_language)

    walk(document.get("States", {}), (), document.get("QueryLanguage", "JSONPath"))
    return json.dumps(document), found


def _settings(path: tuple[str, ...], state: dict[str, Any], language: str) -> DistributedSettings:
    percentage = state.get("ToleratedFailurePercentage")
    if isinstance(percentage, int) and not isinstance(percentage, bool):
        state["ToleratedFailurePercentage"] = float(percentage)
    batcher = state.pop("ItemBatcher", None)
    if batcher is not None and language != "JSONPath":
        raise NotImplementedError(
            f"{'/'.join(path)}: an ItemBatcher in a {language} state is not run locally yet"
        )
    if batcher is not None and "Iterator" in state:
        raise NotImplementedError(f"{'/'.join(path)}: ItemBatcher needs an ItemProcessor")
    return DistributedSettings(
        batcher=_batcher(batcher) if batcher is not None else None,
        count_given=any(k in state for k in ("ToleratedFailureCount", "ToleratedFailureCountPath")),
        percentage_given=any(
            k in state for k in ("ToleratedFailurePercentage", "ToleratedFailurePercentagePath")
        ),
    )


def _batcher(declared: dict[str, Any]) -> ItemBatcher:
    known = {
        "MaxItemsPerBatch",
        "MaxItemsPerBatchPath",
        "MaxInputBytesPerBatch",
        "MaxInputBytesPerBatchPath",
        "BatchInput",
    }
    unknown = set(declared) - known
    if unknown:
        raise ValueError(f"ItemBatcher: unknown field(s) {', '.join(sorted(unknown))}")
    if not set(declared) & (known - {"BatchInput"}):
        raise ValueError("ItemBatcher: give MaxItemsPerBatch or MaxInputBytesPerBatch")
    batch_input = None
    if "BatchInput" in declared:
        # BatchInput is a payload template like a Pass state's Parameters: moto parses it so.
        carrier = json.dumps(
            {
                "StartAt": "BatchInput",
                "States": {
                    "BatchInput": {
                        "Type": "Pass",
                        "Parameters": declared["BatchInput"],
                        "End": True,
                    }
                },
            }
        )
        program: Any = _ORIGINAL_PARSE(carrier)[0]
        batch_input = program.states.states["BatchInput"].parameters
    return ItemBatcher(
        max_items=declared.get("MaxItemsPerBatch"),
        max_items_path=declared.get("MaxItemsPerBatchPath"),
        max_bytes=declared.get("MaxInputBytesPerBatch"),
        max_bytes_path=declared.get("MaxInputBytesPerBatchPath"),
        batch_input=batch_input,
    )


def _put_back(program: Any, found: dict[tuple[str, ...], DistributedSettings]) -> None:
    """Hang each Distributed Map's settings on its parsed iteration component."""

    def walk(states: Any, path: tuple[str, ...]) -> None:
        for name, state in states.states.items():
            here = (*path, name)
            if isinstance(state, StateMap):
                component = state.iteration_component
                if here in found:
                    setattr(component, SETTINGS, found[here])
                walk(component._states, here)
            elif isinstance(state, StateParallel):
                for number, branch in enumerate(state.branches.programs):
                    walk(branch.states, (*here, str(number)))

    walk(program.states, ())


_ORIGINAL_PARSE = AmazonStateLanguageParser.parse


_TAKEN: dict[str, tuple[str, dict[tuple[str, ...], DistributedSettings]] | None] = {}


def _parse(definition: str) -> Any:
    if definition not in _TAKEN:  # a definition's settings are parsed once (BatchInput too)
        _TAKEN[definition] = _take_out(definition)
    taken = _TAKEN[definition]
    if taken is None:
        return _CURRENT_PARSE(definition)
    plain, found = taken
    program, tree = _CURRENT_PARSE(plain)
    _put_back(program, found)
    return program, tree


_CURRENT_PARSE = _ORIGINAL_PARSE  # the parse in place when this was installed (cached or not)


# ---------------------------------------------------------------------- a map run
def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _selected(env: Any, eval_input: Any, items: list[Any]) -> list[Any]:
    """Each item through the Map's ItemSelector (or Parameters), as AWS does before batching."""
    selector = eval_input.item_selector or eval_input.parameters
    if selector is None:
        return items
    state_input = env.states.get_input()
    context = env.states.context_object.context_object_data
    chosen = []
    for index, item in enumerate(items):
        context["Map"] = MapData(Item=ItemData(Index=index, Value=item))
        chosen.append(_evaluated(env, selector, state_input))
    context.pop("Map", None)
    return chosen


def _evaluated(env: Any, template: Any, state_input: Any) -> Any:
    """A payload template (Parameters, ItemSelector, BatchInput) evaluated over the state's
    input (moto's paths read the top of the evaluation stack)."""
    env.stack.append(state_input)
    template.eval(env)
    value = env.stack.pop()
    env.stack.pop()
    return value


def _batches(env: Any, batcher: ItemBatcher, items: list[Any]) -> list[dict[str, Any]]:
    state_input = env.states.get_input()
    batch_input = None
    if batcher.batch_input is not None:
        batch_input = _evaluated(env, batcher.batch_input, state_input)
    most_items, most_bytes = batcher.limits(state_input)
    overhead = len(to_json_str({"Items": [], "BatchInput": batch_input}))
    batches: list[dict[str, Any]] = []
    current: list[Any] = []
    size = overhead
    for item in items:
        item_size = len(to_json_str(item)) + 1
        full = most_items is not None and len(current) >= most_items
        if current and (full or size + item_size > most_bytes):
            batches.append(_batch(current, batch_input))
            current, size = [], overhead
        current.append(item)
        size += item_size
    if current:
        batches.append(_batch(current, batch_input))
    return batches


def _batch(items: list[Any], batch_input: Any) -> dict[str, Any]:
    batch: dict[str, Any] = {"Items": items}
    if batch_input is not None:
        batch["BatchInput"] = batch_input
    return batch


def _map_run(self: Any, env: Any, eval_input: Any) -> None:
    """DistributedIterationComponent._map_run: batches, counts, tolerance, result records."""
    items: list[Any] = env.stack.pop()
    settings: DistributedSettings = getattr(self, SETTINGS, None) or DistributedSettings()
    record = eval_input.map_run_record
    if settings.batcher is not None:
        inputs: list[Any] = _batches(env, settings.batcher, _selected(env, eval_input, items))
        sizes = [len(batch["Items"]) for batch in inputs]
        eval_input = copy.copy(eval_input)
        eval_input.item_selector = None  # already applied, item by item
        eval_input.parameters = None
    else:
        inputs, sizes = items, [1] * len(items)
    record.item_counter.total.count(len(items))
    record.item_counter.pending.count(len(items))
    record.execution_counter.total.count(len(inputs))
    record.execution_counter.pending.count(len(inputs))

    pool = JobPool(job_program=self._get_iteration_program(), job_inputs=inputs)
    jobs: list[Job] = sorted(pool._open_jobs, key=lambda job: job.job_index)
    for job, size in zip(jobs, sizes, strict=True):
        job.rightsflow_items = size  # type: ignore[attr-defined]
    concurrency = record.max_concurrency
    workers = len(jobs) if concurrency == DEFAULT_MAX_CONCURRENCY_VALUE else concurrency
    for _ in range(min(workers, len(jobs))):
        self._launch_worker(env=env, eval_input=eval_input, job_pool=pool)
    pool.await_jobs()
    worker_exception = pool.get_worker_exception()
    if worker_exception is not None:
        raise worker_exception

    record.rightsflow_results = [_child_result(record, job) for job in jobs]
    failed = sum(
        getattr(job, "rightsflow_items", 1)
        for job in jobs
        if getattr(job, "rightsflow_status", "FAILED") != "SUCCEEDED"
    )
    if _exceeded(failed, len(items), settings, eval_input):
        error = StatesErrorNameType.StatesExceedToleratedFailureThreshold.to_name()
        raise FailureEventException(
            FailureEvent(
                env=env,
                error_name=StatesErrorName(
                    typ=StatesErrorNameType.StatesExceedToleratedFailureThreshold
                ),
                event_type=HistoryEventType.MapRunFailed,
                event_details=_map_run_failed(error, THRESHOLD_CAUSE),
            )
        )
    env.stack.append([job.job_output for job in jobs])


def _map_run_failed(error: str, cause: str) -> EventDetails:
    details: Any = {"mapRunFailedEventDetails": MapRunFailedEventDetails(error=error, cause=cause)}
    return cast("EventDetails", details)


def _exceeded(failed: int, total: int, settings: DistributedSettings, eval_input: Any) -> bool:
    if not failed:
        return False
    if not (settings.count_given or settings.percentage_given):
        return True  # nothing tolerated
    over_count = settings.count_given and failed > eval_input.tolerated_failure_count
    over_share = (
        settings.percentage_given
        and 100.0 * failed / max(total, 1) > eval_input.tolerated_failure_percentage
    )
    return bool(over_count or over_share)


def _child_result(record: Any, job: Job) -> dict[str, Any]:
    """One child execution as a ResultWriter file lists it."""
    status = getattr(job, "rightsflow_status", "FAILED")
    name = getattr(job, "rightsflow_name", uuid.uuid4().hex)
    map_run, _, _ = record.map_run_arn.rpartition(":")
    result: dict[str, Any] = {
        "ExecutionArn": f"{map_run.replace(':mapRun:', ':execution:', 1)}:{name}",
        "Input": to_json_str(job.job_input),
        "InputDetails": {"Included": True},
        "Name": name,
        "RedriveCount": 0,
        "RedriveStatus": "NOT_REDRIVABLE",
        "StartDate": getattr(job, "rightsflow_started", _now()),
        "StateMachineArn": record.map_state_machine_arn,
        "Status": status,
        "StopDate": getattr(job, "rightsflow_stopped", _now()),
    }
    if status == "SUCCEEDED":
        result |= {"Output": to_json_str(job.job_output), "OutputDetails": {"Included": True}}
    else:
        result |= {
            "Error": getattr(job, "rightsflow_error", None) or "",
            "Cause": getattr(job, "rightsflow_cause", None) or "",
        }
    return result


# ---------------------------------------------------------------------- a child execution
def _eval_job(self: Any, env: Any, job: Job) -> None:
    """DistributedItemProcessorWorker._eval_job, with what a child execution ended as."""
    record = self._map_run_record
    size = getattr(job, "rightsflow_items", 1)
    record.item_counter.pending.offset(-size)
    record.item_counter.running.count(size)
    record.execution_counter.pending.offset(-1)
    record.execution_counter.running.count()
    job.rightsflow_name = uuid.uuid4().hex  # type: ignore[attr-defined]
    job.rightsflow_started = _now()  # type: ignore[attr-defined]
    status, error, cause, output = "FAILED", None, None, None
    try:
        env.states.context_object.context_object_data["Map"] = MapData(
            Item=ItemData(Index=job.job_index, Value=job.job_input)
        )
        env.states.reset(job.job_input)
        env.stack.append(env.states.get_input())
        self._eval_input(env_frame=env)
        job.job_program.eval(env)
        end = env.program_state()
        if isinstance(end, ProgramError):
            details = end.error or {}
            error, cause = details.get("error"), details.get("cause")
        elif isinstance(end, ProgramStopped):
            status = "ABORTED"
        else:
            status, output = "SUCCEEDED", env.states.get_input()
    except EvalTimeoutError:
        status = "TIMED_OUT"
    except FailureEventException as failure:
        error, cause = failure.extract_error_cause_pair() or (None, None)
    except Exception as unexpected:  # the child fails; the map run decides what that means
        error, cause = type(unexpected).__name__, str(unexpected)
    finally:
        record.item_counter.running.offset(-size)
        record.execution_counter.running.offset(-1)
        counter = {
            "SUCCEEDED": "succeeded",
            "ABORTED": "aborted",
            "TIMED_OUT": "timed_out",
        }.get(status, "failed")
        getattr(record.item_counter, counter).count(size)
        getattr(record.execution_counter, counter).count()
        record.item_counter.results_written.count(size)
        record.execution_counter.results_written.count()
        job.rightsflow_status = status  # type: ignore[attr-defined]
        job.rightsflow_error, job.rightsflow_cause = error, cause  # type: ignore[attr-defined]
        job.rightsflow_stopped = _now()  # type: ignore[attr-defined]
        job.job_output = output


def _eval_pool(self: Any, job: Job | None, worker_frame: Any) -> None:
    """The worker's jobs one after the other (moto recursed once per job)."""
    legacy = isinstance(self, distributed_iterator.DistributedIteratorWorker)
    while job is not None:
        job_frame = worker_frame.open_frame() if legacy else worker_frame.open_inner_frame()
        self._eval_job(env=job_frame, job=job)
        worker_frame.delete_frame(job_frame)
        if isinstance(job.job_output, Exception) or self.stopped():
            break
        next_job = self._job_pool.next_job()
        if next_job is None:
            break
        self._job_pool.close_job(job)
        job = next_job
    # The frame goes before the last job closes: the Map waits for its jobs, not its workers.
    self._env.delete_frame(worker_frame)
    if job is not None:
        self._job_pool.close_job(job)


# ---------------------------------------------------------------------- S3 reads and writes
def _list_objects_v2(env: Any, resource_runtime_part: Any, state_credentials: Any) -> None:
    """ItemReader `s3:listObjectsV2`: every object under the prefix, page after page."""
    client = reader_s3.ResourceEvalS3._get_s3_client(
        resource_runtime_part=resource_runtime_part, state_credentials=state_credentials
    )
    parameters = dict(env.stack.pop())
    items: list[dict[str, Any]] = []
    while True:
        page = client.list_objects_v2(**parameters)
        for entry in page.get("Contents", []):
            modified = entry.get("LastModified")
            items.append(
                {
                    "Etag": entry.get("ETag"),
                    "Key": entry["Key"],
                    "LastModified": int(modified.timestamp()) if modified else None,
                    "Size": entry.get("Size", 0),
                    "StorageClass": entry.get("StorageClass", "STANDARD"),
                }
            )
        token = page.get("NextContinuationToken")
        if not page.get("IsTruncated") or not token:
            break
        parameters["ContinuationToken"] = token
    env.stack.append(items)


def _write_results(self: Any, env: Any) -> None:
    """ResultWriter._eval_body: its Parameters are evaluated over the Map state's input, as in
    AWS (moto evaluated them over the Map's output, the list of child outputs)."""
    outputs = env.stack.pop()
    parameters = _evaluated(env, self.parargs, env.states.get_input())
    env.stack += [outputs, parameters]
    self.resource_eval.eval_resource(env=env)


def _put_results(env: Any, resource_runtime_part: Any, state_credentials: Any) -> None:
    """ResultWriter `s3:putObject`: the result files and their manifest."""
    parameters = env.stack.pop()
    env.stack.pop()  # the Map's own output: the result files hold it instead
    client = writer_s3.ResourceEvalS3._get_s3_client(
        resource_runtime_part=resource_runtime_part, state_credentials=state_credentials
    )
    record = env.map_run_record_pool_manager.get_all()[-1]
    bucket = parameters["Bucket"]
    prefix = parameters.get("Prefix", "")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    folder = f"{prefix}{record.map_run_arn.rsplit(':', 1)[-1]}/"
    results: list[dict[str, Any]] = getattr(record, "rightsflow_results", [])
    files: dict[str, list[dict[str, Any]]] = {"FAILED": [], "PENDING": [], "SUCCEEDED": []}
    for status in ("SUCCEEDED", "FAILED"):
        entries = [
            result
            for result in results
            if (result["Status"] == "SUCCEEDED") == (status == "SUCCEEDED")
        ]
        if not entries:
            continue
        body = json.dumps(entries).encode()
        key = f"{folder}{status}_0.json"
        client.put_object(Bucket=bucket, Key=key, Body=body)
        files[status].append({"Key": key, "Size": len(body)})
    manifest = {
        "DestinationBucket": bucket,
        "MapRunArn": record.map_run_arn,
        "ResultFiles": files,
    }
    key = f"{folder}manifest.json"
    client.put_object(Bucket=bucket, Key=key, Body=json.dumps(manifest, indent=2).encode())
    env.stack.append(
        {"MapRunArn": record.map_run_arn, "ResultWriterDetails": {"Bucket": bucket, "Key": key}}
    )


# ---------------------------------------------------------------------- the map runs API
def _runs_of(execution: Any) -> Any:
    """An execution's map run records (None before its worker has built its environment)."""
    env = getattr(getattr(execution, "exec_worker", None), "env", None)
    return env.map_run_record_pool_manager if env is not None else None


def _list_map_runs(self: Any, execution_arn: str) -> dict[str, Any]:
    runs = _runs_of(self.describe_execution(execution_arn=execution_arn))
    return {"mapRuns": [record.list_item() for record in (runs.get_all() if runs else [])]}


def _describe_map_run(self: Any, map_run_arn: str) -> dict[str, Any]:
    for execution in self._get_executions():
        runs = _runs_of(execution)
        record = runs.get(map_run_arn) if runs is not None else None
        if record is not None:
            answer: dict[str, Any] = record.describe()
            return answer
    raise ResourceNotFound(f"Map Run Does Not Exist: {map_run_arn}")


# ---------------------------------------------------------------------- installing it
_INSTALLED = 0
_UNINSTALL: ExitStack | None = None
_LOCK = threading.Lock()


@contextmanager
def installed() -> Iterator[None]:
    """Run Distributed Maps as AWS does while the block runs (blocks nest; install after
    rightsflow.local.asl_scheduler, whose parse cache this wraps)."""
    global _INSTALLED, _UNINSTALL, _CURRENT_PARSE  # noqa: PLW0603 - one patch per process
    with _LOCK:
        if _INSTALLED == 0:
            _CURRENT_PARSE = AmazonStateLanguageParser.parse
            patches = ExitStack()
            patches.enter_context(
                mock.patch.object(AmazonStateLanguageParser, "parse", staticmethod(_parse))
            )
            patches.enter_context(
                mock.patch.object(distributed.DistributedIterationComponent, "_map_run", _map_run)
            )
            for worker in (
                distributed_worker.DistributedItemProcessorWorker,
                distributed_iterator.DistributedIteratorWorker,
            ):
                patches.enter_context(mock.patch.object(worker, "_eval_job", _eval_job))
                patches.enter_context(mock.patch.object(worker, "_eval_pool", _eval_pool))
            patches.enter_context(
                mock.patch.object(
                    reader_s3.ResourceEvalS3,
                    "_handle_list_objects_v2",
                    staticmethod(_list_objects_v2),
                )
            )
            patches.enter_context(
                mock.patch.object(
                    writer_s3.ResourceEvalS3, "_handle_put_object", staticmethod(_put_results)
                )
            )
            patches.enter_context(mock.patch.object(ResultWriter, "_eval_body", _write_results))
            patches.enter_context(
                mock.patch.object(StepFunctionsParserBackend, "list_map_runs", _list_map_runs)
            )
            patches.enter_context(
                mock.patch.object(StepFunctionsParserBackend, "describe_map_run", _describe_map_run)
            )
            _UNINSTALL = patches
        _INSTALLED += 1
    try:
        yield
    finally:
        with _LOCK:
            _INSTALLED -= 1
            if _INSTALLED == 0 and _UNINSTALL is not None:
                _UNINSTALL.close()
                _UNINSTALL = None
                _CURRENT_PARSE = _ORIGINAL_PARSE
