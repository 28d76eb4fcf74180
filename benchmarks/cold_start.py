"""Cold import of every Lambda function, against the floor of boto3 + Powertools Logger alone.

Builds every function and layer of template.yaml as `sam build` does (the same `make` targets in
layers/Makefile, for this machine's architecture so that the wheels import here), then imports
each function's handler in a fresh, isolated Python of the runtime's version (3.12) whose path
holds only that function's package and its layers, with the function's environment from the
template and the network refused. The baseline imports boto3 and makes a Powertools Logger from
the same shared layer. Runs alternate between the functions and the baseline; each figure is the
median of --runs imports, as wall-clock time and as the CPU time of the importing process. The
ratio on the last line is of CPU time: an import does almost no I/O, so on an idle machine (and
in Lambda) the two agree, while wall-clock time swings with whatever else runs on a shared one.

Two reference rows show what the libraries cost before any of our code: the baseline plus one
pydantic model, and plus Powertools' HTTP resolver with validation (the HTTP functions' floor).
It also prints each package's size (unzipped and zipped, per built folder, as `sam build` writes
them), the import time of the worst function and the baseline when the bytecode is taken away
(which shows the shipped .pyc are what Python loads), and every function with DetailedTracing on
(the X-Ray SDK layer attached). A handler imports the platform and its settings; its services and
domain load with its first events (README, "Cold start"): a second table shows each function's
import followed by every module its handler imports inside its functions, so that what a cold
start leaves for the first event is in view too. The last line is the ratio of the worst
function's import to the baseline with the template's default parameters.

    .venv/bin/python benchmarks/cold_start.py [--runs 7] [--keep DIR]
"""

from __future__ import annotations

import argparse
import ast
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from rightsflow.local.packages import (
    BuiltFunction,
    build_packages,
    find_python,
    host_architecture,
    import_handler,
    runtime_version,
)
from rightsflow.local.template import load_template

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "template.yaml"
BASELINE = "baseline (boto3 + Logger)"
BASELINE_CODE = (
    "import boto3\nfrom aws_lambda_powertools import Logger\nlogger = Logger(service='baseline')"
)
# What any function of this design pays before its own code: the libraries it is built on.
REFERENCES = {
    "reference: + one pydantic model": "import pydantic\nclass M(pydantic.BaseModel):\n x: int",
    "reference: + HTTP resolver": (
        "import pydantic\nfrom aws_lambda_powertools.event_handler import APIGatewayHttpResolver\n"
        "APIGatewayHttpResolver(enable_validation=True)"
    ),
}


Timing = tuple[float, float]  # median wall-clock ms, median CPU ms


def _medians(
    python: Path,
    functions: dict[str, BuiltFunction],
    baseline: BuiltFunction,
    runs: int,
    *,
    with_references: bool = False,
) -> dict[str, Timing]:
    references = REFERENCES if with_references else {}
    samples: dict[str, list[Timing]] = {name: [] for name in [BASELINE, *references, *functions]}
    for _ in range(runs):
        for name, values in samples.items():
            if name == BASELINE:
                result = import_handler(python, baseline, code=BASELINE_CODE)
            elif name in references:
                code = f"{BASELINE_CODE}\n{references[name]}"
                result = import_handler(python, baseline, code=code)
            else:
                result = import_handler(python, functions[name])
            if not result.ok:
                sys.exit(f"{name} does not import from its package:\n{result.output}")
            values.append((result.milliseconds, result.cpu_milliseconds))
    return {
        name: (
            statistics.median(wall for wall, _ in values),
            statistics.median(cpu for _, cpu in values),
        )
        for name, values in samples.items()
    }


def _table(medians: dict[str, Timing]) -> str:
    floor_wall, floor_cpu = medians[BASELINE]
    lines = [f"{'function':<32} {'wall ms':>8} {'x base':>7} {'CPU ms':>8} {'x base':>7}"]
    for name, (wall, cpu) in sorted(medians.items(), key=lambda item: item[1]):
        lines.append(
            f"{name:<32} {wall:>8.0f} {wall / floor_wall:>7.2f} {cpu:>8.0f} {cpu / floor_cpu:>7.2f}"
        )
    return "\n".join(lines)


def _deferred_imports(function: BuiltFunction) -> str:
    """The import statements inside the handler module's functions (what its first events load),
    as code that runs them after importing the handler."""
    module, _, _ = function.handler.rpartition(".")
    source = (function.task_root / f"{module.replace('.', '/')}.py").read_text(encoding="utf-8")
    statements = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            statements += [
                ast.unparse(inner)
                for inner in ast.walk(node)
                if isinstance(inner, ast.Import | ast.ImportFrom)
            ]
    return "\n".join([f"import {module}", *dict.fromkeys(statements)])


def _with_first_event_loading(
    python: Path, functions: dict[str, BuiltFunction], baseline: BuiltFunction, runs: int
) -> dict[str, Timing]:
    """Median (wall, CPU) ms of each handler's import followed by its deferred imports."""
    samples: dict[str, list[Timing]] = {BASELINE: [], **{name: [] for name in functions}}
    for _ in range(runs):
        for name, values in samples.items():
            if name == BASELINE:
                result = import_handler(python, baseline, code=BASELINE_CODE)
            else:
                function = functions[name]
                result = import_handler(python, function, code=_deferred_imports(function))
            if not result.ok:
                sys.exit(f"{name}: its deferred imports fail from its package:\n{result.output}")
            values.append((result.milliseconds, result.cpu_milliseconds))
    return {
        name: (
            statistics.median(wall for wall, _ in values),
            statistics.median(cpu for _, cpu in values),
        )
        for name, values in samples.items()
    }


def _without_bytecode(function: BuiltFunction, scratch: Path) -> BuiltFunction:
    """A copy of the function's package and layers with every .pyc removed."""
    roots = []
    for root in (function.task_root, *function.layer_roots):
        copy = scratch / root.name
        if not copy.exists():
            shutil.copytree(root, copy, ignore=shutil.ignore_patterns("__pycache__"))
        roots.append(copy)
    return BuiltFunction(
        function.logical_id, roots[0], function.handler, tuple(roots[1:]), function.environment
    )


def _sizes(build_dir: Path) -> str:
    completed = subprocess.run(  # noqa: S603 - our own build script
        [sys.executable, str(ROOT / "layers" / "build.py"), "sizes", str(build_dir)],
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.rstrip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    arguments = parser.parse_args()

    template = load_template(TEMPLATE)
    version = runtime_version(template)
    python = find_python(version)
    if python is None:
        sys.exit(f"Python {version} (the Lambda runtime's) is needed: none found")
    arch = host_architecture()
    with tempfile.TemporaryDirectory() as scratch:
        out = arguments.keep or Path(scratch) / "build"
        if out.exists():
            shutil.rmtree(out)
        print(f"Building {len(template.functions)} functions and their layers ({arch})...")
        functions = build_packages(template, out, python, arch)
        print(_sizes(out))

        any_function = next(iter(functions.values()))
        shared_only = [root for root in any_function.layer_roots if root.name == "SharedLayer"]
        empty_task_root = Path(scratch) / "baseline"
        empty_task_root.mkdir()
        baseline = BuiltFunction(
            "Baseline", empty_task_root, "", tuple(shared_only), any_function.environment
        )
        print(f"\nCold import, median of {arguments.runs} runs (Python {version}, {arch}):")
        medians = _medians(python, functions, baseline, arguments.runs, with_references=True)
        print(_table(medians))
        worst = max(functions, key=lambda name: medians[name][1])

        bare = Path(scratch) / "without-bytecode"
        source_only = _medians(
            python,
            {worst: _without_bytecode(functions[worst], bare)},
            _without_bytecode(baseline, bare),
            max(3, arguments.runs // 2),
        )
        print("\nThe same without the shipped bytecode (compiled at every cold start):")
        for name, (wall, _) in source_only.items():
            print(f"{name:<32} {wall:>8.0f} ms wall (with bytecode {medians[name][0]:.0f} ms)")

        traced_template = load_template(TEMPLATE, {"DetailedTracing": "true"})
        print("\nWith DetailedTracing=true (X-Ray SDK layer attached, Tracer on):")
        traced = build_packages(traced_template, out, python, arch, reuse=True)
        table = _sizes(out).splitlines()
        print("\n".join([table[0], *(line for line in table if line.startswith("TracingLayer"))]))
        print(_table(_medians(python, traced, baseline, max(3, arguments.runs // 2))))

        print(
            f"\nImport, then what the handler imports with its first events (median of "
            f"{arguments.runs}; the import alone in brackets):"
        )
        loaded = _with_first_event_loading(python, functions, baseline, arguments.runs)
        floor_cpu = loaded[BASELINE][1]
        print(f"{'function':<32} {'CPU ms':>8} {'x base':>7} {'(import CPU ms)':>16}")
        for name, (_, cpu) in sorted(loaded.items(), key=lambda item: item[1][1]):
            print(f"{name:<32} {cpu:>8.0f} {cpu / floor_cpu:>7.2f} {medians[name][1]:>16.0f}")

    (wall, cpu), (floor_wall, floor_cpu) = medians[worst], medians[BASELINE]
    print(f"\nworst function: {worst} (wall-clock ratio {wall / floor_wall:.2f})")
    print(f"cold import ratio (worst function / baseline): {cpu / floor_cpu:.2f}")


if __name__ == "__main__":
    main()
