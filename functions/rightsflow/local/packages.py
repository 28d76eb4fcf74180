"""The template's Lambda packages built as `sam build` builds them, and their handlers imported as
Lambda imports them: for the cold-start benchmark and the packaging tests (no SAM, no Docker).

Building: every function and layer says `Metadata: {BuildMethod: makefile, ContextPath: ...}`;
like SAM, its CodeUri or ContentUri is copied to a scratch folder, where `make build-<LogicalId>`
runs with ARTIFACTS_DIR set. PYTHON and ARCH choose the interpreter and the wheels' platform
(the template deploys arm64; here the packages are built for this machine, to be imported).

Importing: a fresh interpreter of the runtime's Python version, isolated (`-I -S -B`: no
site-packages, no PYTHON* variables, no bytecode written), whose path holds only the function's
package (Lambda's /var/task) and its layers (/opt/python) before the standard library, with the
function's environment from the template (every reference replaced by a plausible name or ARN)
and Lambda's own variables. Sockets refuse to connect, so an import that reaches the network
fails, naming what it tried.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rightsflow.local.template import SAM_FUNCTION, SAM_LAYER, Conditions, LocalTemplate

ACCOUNT = "123456789012"
REGION = "eu-west-1"
RUNTIME_PREFIX = "python"
_ARN_TYPES = {
    "AWS::StepFunctions::StateMachine": "states:{region}:{account}:stateMachine:{name}",
    "AWS::SNS::Topic": "sns:{region}:{account}:{name}",
    "AWS::SecretsManager::Secret": "secretsmanager:{region}:{account}:secret:{name}-AbCdEf",
    "AWS::Lambda::LayerVersion": "lambda:{region}:{account}:layer:{name}:1",
    "AWS::Lambda::Function": "lambda:{region}:{account}:function:{name}",
    "AWS::DynamoDB::Table": "dynamodb:{region}:{account}:table/{name}",
    "AWS::SQS::Queue": "sqs:{region}:{account}:{name}",
    "AWS::KMS::Key": "kms:{region}:{account}:key/{name}",
    "AWS::S3::Bucket": "s3:::{name}",
    "AWS::Serverless::Function": "lambda:{region}:{account}:function:{name}",
    "AWS::Serverless::StateMachine": "states:{region}:{account}:stateMachine:{name}",
    "AWS::Serverless::LayerVersion": "lambda:{region}:{account}:layer:{name}:1",
}
# What Ref gives for these types is their ARN (for the rest, a name).
_REF_IS_ARN = frozenset(
    {
        "AWS::StepFunctions::StateMachine",
        "AWS::SNS::Topic",
        "AWS::SecretsManager::Secret",
        "AWS::Lambda::LayerVersion",
        "AWS::Serverless::StateMachine",
        "AWS::Serverless::LayerVersion",
    }
)


class PackagingError(Exception):
    """A package could not be built or imported; the message says which and why."""


@dataclass(frozen=True)
class BuiltFunction:
    """A function's package and what Lambda would put on its path and in its environment."""

    logical_id: str
    task_root: Path
    handler: str
    layer_roots: tuple[Path, ...]
    environment: dict[str, str]

    @property
    def path(self) -> list[str]:
        """sys.path before the standard library: /var/task, then the layers' python/ folders,
        the last attached first (a later layer's files cover an earlier one's in /opt)."""
        return [str(self.task_root), *(str(root / "python") for root in reversed(self.layer_roots))]


@dataclass(frozen=True)
class ImportResult:
    """Whether the import worked, its wall-clock and CPU time, and what the interpreter said."""

    ok: bool
    milliseconds: float
    cpu_milliseconds: float
    output: str


def runtime_version(template: LocalTemplate) -> str:
    """The Python version of the template's Lambda runtime ("3.12" for python3.12)."""
    runtime = str(template.sam.get("Globals", {}).get("Function", {}).get("Runtime", ""))
    if not runtime.startswith(RUNTIME_PREFIX):
        raise PackagingError(f"Globals.Function.Runtime {runtime!r} is not a Python runtime")
    return runtime.removeprefix(RUNTIME_PREFIX)


def find_python(version: str) -> Path | None:
    """An interpreter of `version` ("3.12"): PYTHON<version without dot> in the environment,
    `python<version>` on the PATH, or a pyenv installation."""
    variable = os.environ.get(f"PYTHON{version.replace('.', '')}")
    candidates = [Path(variable)] if variable else []
    on_path = shutil.which(f"python{version}")
    if on_path:
        candidates.append(Path(on_path))
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates += sorted(pyenv.glob(f"{version}.*/bin/python{version}"), reverse=True)
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        candidates.append(Path(sys.executable))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            completed = subprocess.run(  # noqa: S603 - an interpreter we found
                [str(candidate), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True,
                text=True,
                check=False,
            )
            if completed.stdout.strip() == version:
                return candidate
    return None


def host_architecture() -> str:
    """This machine's Lambda architecture name, for wheels that import here."""
    return "arm64" if platform.machine().lower() in {"aarch64", "arm64"} else "x86_64"


def build_packages(
    template: LocalTemplate,
    out: Path,
    python: Path,
    arch: str,
    function_ids: list[str] | None = None,
    *,
    reuse: bool = False,
) -> dict[str, BuiltFunction]:
    """Build the functions (all, or `function_ids`) and the layers they use into out/<LogicalId>;
    with `reuse`, a package already in `out` (from an earlier build of the same sources) stays."""
    chosen = function_ids if function_ids is not None else sorted(template.functions)
    layer_ids = sorted({layer for name in chosen for layer in template.functions[name].layer_ids})
    for logical_id in [*layer_ids, *chosen]:
        if reuse and (out / logical_id).is_dir():
            continue
        _make(template, logical_id, out / logical_id, python=python, arch=arch)
    return {
        name: BuiltFunction(
            logical_id=name,
            task_root=out / name,
            handler=template.functions[name].handler,
            layer_roots=tuple(out / layer for layer in template.functions[name].layer_ids),
            environment=function_environment(template, name),
        )
        for name in chosen
    }


def _make(
    template: LocalTemplate, logical_id: str, artifacts: Path, *, python: Path, arch: str
) -> None:
    resource: dict[str, Any] = template.sam["Resources"][logical_id]
    metadata = resource.get("Metadata", {})
    if metadata.get("BuildMethod") != "makefile" or "ContextPath" not in metadata:
        raise PackagingError(
            f"{logical_id}: needs Metadata BuildMethod: makefile and ContextPath: layers "
            "(README, Deploying)"
        )
    properties = resource.get("Properties", {})
    uri = properties.get("CodeUri" if resource["Type"] == SAM_FUNCTION else "ContentUri")
    if resource["Type"] not in {SAM_FUNCTION, SAM_LAYER} or not isinstance(uri, str):
        raise PackagingError(f"{logical_id}: not a function or layer with a local folder")
    base = template.path.parent
    makefile = (base / metadata["ContextPath"] / "Makefile").resolve()
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "source"
        shutil.copytree(
            base / uri, source, ignore=shutil.ignore_patterns(".aws-sam", ".git", "__pycache__")
        )
        artifacts.mkdir(parents=True, exist_ok=True)
        completed = subprocess.run(  # noqa: S603 - make, as sam build runs it
            ["make", "--no-print-directory", "-f", str(makefile), f"build-{logical_id}"],  # noqa: S607
            cwd=source,
            env={
                **os.environ,
                "ARTIFACTS_DIR": str(artifacts),
                "PYTHON": str(python),
                "ARCH": arch,
            },
            capture_output=True,
            text=True,
            check=False,
        )
    if completed.returncode != 0:
        raise PackagingError(
            f"building {logical_id} failed:\n{completed.stdout}{completed.stderr}".rstrip()
        )


def function_environment(template: LocalTemplate, logical_id: str) -> dict[str, str]:
    """The function's environment as the template sets it, every reference made a plausible
    name or ARN, plus what Lambda sets itself."""
    resources: dict[str, Any] = template.cloudformation["Resources"]
    resource = resources[logical_id]
    properties = resource["Properties"]
    name = f"rightsflow-{logical_id}"
    resolver = _Placeholders(
        template.cloudformation["Resources"], template.sam, template.parameters
    )
    variables = properties.get("Environment", {}).get("Variables", {})
    environment = {key: str(resolver.value(value)) for key, value in variables.items()}
    return {
        **environment,
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "ASIAEXAMPLEEXAMPLE00",
        "AWS_SECRET_ACCESS_KEY": "example",
        "AWS_SESSION_TOKEN": "example",
        "AWS_LAMBDA_FUNCTION_NAME": name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(properties.get("MemorySize", 128)),
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{name}",
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{properties.get('Runtime', 'python3.12')}",
        "LAMBDA_TASK_ROOT": "/var/task",
        "LAMBDA_RUNTIME_DIR": "/var/runtime",
        "_HANDLER": str(properties.get("Handler", "")),
        "TZ": ":UTC",
        "LANG": "en_US.UTF-8",
        "PATH": "/var/lang/bin:/usr/local/bin:/usr/bin/:/bin",
    }


def state_machine_definitions(sam: dict[str, Any], base: Path) -> dict[str, str]:
    """Each state machine's definition (logical id -> JSON text) as Step Functions receives it:
    DefinitionUri read (or Definition written out) and every DefinitionSubstitutions placeholder
    replaced by a plausible value of what it refers to (a function's ARN, a table's name...)."""
    resolver = _Placeholders(sam.get("Resources", {}), sam)
    definitions: dict[str, str] = {}
    for logical_id, resource in sam.get("Resources", {}).items():
        if resource.get("Type") not in {"AWS::Serverless::StateMachine"}:
            continue
        properties = resource.get("Properties", {})
        if isinstance(properties.get("DefinitionUri"), str):
            text = (base / properties["DefinitionUri"]).read_text(encoding="utf-8")
        elif "Definition" in properties:
            text = json.dumps(properties["Definition"], indent=2)
        else:
            continue
        values = {
            name: str(resolver.value(value))
            for name, value in (properties.get("DefinitionSubstitutions") or {}).items()
        }
        definitions[logical_id] = _substitute(text, values)
    return definitions


def _substitute(text: str, values: dict[str, str]) -> str:
    """Replace each ${Name} with values[Name]; others (none, if the template is right) stay."""
    return re.sub(
        r"\$\{([A-Za-z0-9_]+)\}", lambda match: values.get(match.group(1), match.group(0)), text
    )


class _Placeholders:
    """Resolves intrinsic functions to plausible values: parameters to their defaults, resources
    to names or ARNs shaped as their type's."""

    def __init__(
        self, resources: dict[str, Any], sam: dict[str, Any], given: dict[str, str] | None = None
    ) -> None:
        self.resources = resources
        self.parameters = {
            name: str((given or {}).get(name, declared.get("Default", "")))
            for name, declared in sam.get("Parameters", {}).items()
        }
        self.conditions = Conditions(sam, given or {})

    def value(self, expression: Any) -> Any:
        if isinstance(expression, list):
            return [self.value(item) for item in expression]
        if not isinstance(expression, dict) or len(expression) != 1:
            return expression
        (function, argument), *_ = expression.items()
        if function == "Ref":
            return self._ref(argument)
        if function == "Fn::GetAtt":
            target, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
            return self._attribute(target, attribute)
        if function == "Fn::Sub":
            text, variables = (argument, {}) if isinstance(argument, str) else argument
            return self._substitute(text, {k: self.value(v) for k, v in variables.items()})
        if function == "Fn::Join":
            separator, parts = argument
            return separator.join(str(part) for part in self.value(parts))
        if function == "Fn::If":
            condition, when_true, when_false = argument
            return self.value(when_true if self.conditions.holds(condition) else when_false)
        if function == "Fn::Select":
            index, items = argument
            return self.value(items)[int(index)]
        raise PackagingError(f"cannot stand in for {function} in a function's environment")

    def _ref(self, name: str) -> str:
        pseudo = {
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT,
            "AWS::Partition": "aws",
            "AWS::StackName": "rightsflow",
            "AWS::URLSuffix": "amazonaws.com",
        }
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        kind = self.resources.get(name, {}).get("Type", "")
        return self._arn(name, kind) if kind in _REF_IS_ARN else f"rightsflow-{name}"

    def _attribute(self, name: str, attribute: str) -> str:
        kind = self.resources.get(name, {}).get("Type", "")
        if attribute == "Arn":
            return self._arn(name, kind)
        return f"rightsflow-{name}-{attribute}"

    def _arn(self, name: str, kind: str) -> str:
        pattern = _ARN_TYPES.get(kind, "{service}:{region}:{account}:{name}")
        service = kind.split("::")[1].lower() if "::" in kind else "unknown"
        return "arn:aws:" + pattern.format(
            service=service, region=REGION, account=ACCOUNT, name=f"rightsflow-{name}"
        )

    def _substitute(self, text: str, variables: Mapping[str, Any]) -> str:
        def replace(match: Any) -> str:
            reference = match.group(1)
            if reference in variables:
                return str(variables[reference])
            if "." in reference and not reference.startswith("AWS::"):
                target, attribute = reference.split(".", 1)
                return self._attribute(target, attribute)
            return self._ref(reference)

        return re.sub(r"\$\{([A-Za-z0-9_:.]+)\}", replace, text)


# Run by the isolated interpreter: no network, import the handler, say how long it took, then
# leave without finalising the interpreter, as Lambda's runtime never finalises it (its process
# is frozen, then killed): pyarrow's thread pool may abort a finalising interpreter now and then
# ("terminate called without an active exception", apache/arrow#34314), after all work is done.
_IMPORT_PROGRAM = """
import json, os, socket, sys, time
def refuse(*args, **kwargs):
    raise OSError("network reached at import: " + repr(args[:2]))
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
path, module, attribute = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
sys.path[:0] = path
started, cpu_started = time.perf_counter(), time.process_time()
if module:
    handler = getattr(__import__(module, fromlist=[attribute]), attribute)
else:
    exec(attribute)
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
print("IMPORT-MS", elapsed * 1000, cpu * 1000)
sys.stdout.flush()
sys.stderr.flush()
os._exit(0)
"""


def import_handler(
    python: Path, function: BuiltFunction, code: str | None = None, timeout: float = 120
) -> ImportResult:
    """Import the function's handler (or run `code` instead) in a fresh isolated interpreter."""
    module, _, attribute = function.handler.rpartition(".")
    arguments = [json.dumps(function.path), module, attribute] if code is None else []
    if code is not None:
        arguments = [json.dumps(function.path), "", code]
    completed = subprocess.run(  # noqa: S603 - the runtime's interpreter, our own program
        [str(python), "-I", "-S", "-B", "-c", _IMPORT_PROGRAM, *arguments],
        env=function.environment,
        cwd=function.task_root,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = completed.stdout + completed.stderr
    for line in completed.stdout.splitlines():
        if line.startswith("IMPORT-MS ") and completed.returncode == 0:
            _, wall, cpu = line.split()
            return ImportResult(True, float(wall), float(cpu), output)
    return ImportResult(False, float("nan"), float("nan"), output)


def main(argv: list[str] | None = None) -> int:
    """`python -m rightsflow.local.packages state-machines TEMPLATE OUT`: write each state
    machine's definition, substitutions applied, to OUT/<LogicalId>.asl.json (for validators)."""
    import argparse  # noqa: PLC0415 - only the command line needs it

    from samtranslator.yaml_helper import yaml_parse  # noqa: PLC0415

    parser = argparse.ArgumentParser(description=main.__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    machines = commands.add_parser("state-machines")
    machines.add_argument("template", type=Path)
    machines.add_argument("out", type=Path)
    arguments = parser.parse_args(argv)
    sam = yaml_parse(arguments.template.read_text(encoding="utf-8"))
    arguments.out.mkdir(parents=True, exist_ok=True)
    definitions = state_machine_definitions(sam, arguments.template.resolve().parent)
    for logical_id, text in definitions.items():
        (arguments.out / f"{logical_id}.asl.json").write_text(text, encoding="utf-8")
        print(arguments.out / f"{logical_id}.asl.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
