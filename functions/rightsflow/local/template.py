"""Reading template.yaml and turning it into the CloudFormation that moto deploys locally.

Only what moto cannot take as it is gets changed: code locations (functions' CodeUri, layers'
ContentUri) become zips in a local bucket and each state machine's DefinitionUri becomes its
definition, with DefinitionSubstitutions resolved by CloudFormation's own Fn::Sub. Everything
else is the template as written.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from samtranslator.metrics.method_decorator import MetricsMethodWrapperSingleton
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

SAM_FUNCTION = "AWS::Serverless::Function"
SAM_LAYER = "AWS::Serverless::LayerVersion"
SAM_STATE_MACHINE = "AWS::Serverless::StateMachine"
LOCAL_CODE_BUCKET = "rightsflow-local-code"


class _NoManagedPolicies:
    """SAM asks for AWS managed policy ARNs by name; locally none are needed."""

    def load(self) -> dict[str, str]:
        return {}


@dataclass(frozen=True)
class FunctionSource:
    """Where a function's code lives on disk, which handler Lambda calls, and the source folders
    (ContentUri) of the layers the template attaches to it, in the template's order.

    Locally a layer's source folder stands for its content: the shared layer's is functions/,
    which holds the rightsflow package; the dependencies a layer installs come from the project's
    virtualenv (pyproject.toml), and tests/deploy/test_lambda_packages.py imports every handler
    against the built layers themselves.
    """

    logical_id: str
    code_dir: Path
    handler: str
    layer_dirs: tuple[Path, ...] = ()
    layer_ids: tuple[str, ...] = ()


@dataclass
class LocalTemplate:
    """template.yaml as SAM wrote it, and the plain CloudFormation moto will deploy."""

    path: Path
    sam: dict[str, Any]
    cloudformation: dict[str, Any]
    functions: dict[str, FunctionSource]
    code_zips: dict[str, bytes] = field(default_factory=dict)
    # Logical id of each layer -> its source folder (ContentUri).
    layers: dict[str, Path] = field(default_factory=dict)
    # The parameter values given (the others take their defaults).
    parameters: dict[str, str] = field(default_factory=dict)

    def resources_of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        resources: dict[str, dict[str, Any]] = self.cloudformation["Resources"]
        return {key: value for key, value in resources.items() if value["Type"] == resource_type}


def _zip_directory(directory: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(directory.rglob("*")):
            if file.is_file() and "__pycache__" not in file.parts:
                archive.write(file, file.relative_to(directory))
    return buffer.getvalue()


def load_template(path: Path, parameters: dict[str, str] | None = None) -> LocalTemplate:
    """Parse and transform template.yaml for moto; `parameters` are the stack's parameter values."""
    path = path.resolve()
    sam = yaml_parse(path.read_text(encoding="utf-8"))
    local = copy.deepcopy(sam)
    globals_function = local.get("Globals", {}).get("Function", {})
    global_code_uri = globals_function.pop("CodeUri", None)
    conditions = Conditions(sam, parameters or {})

    functions: dict[str, FunctionSource] = {}
    code_zips: dict[str, bytes] = {}

    def local_code(logical_id: str, uri: Any, what: str) -> tuple[Path, dict[str, str]]:
        if not isinstance(uri, str):
            raise ValueError(f"{logical_id}: {what} must be a local folder for the local stack")
        folder = (path.parent / uri).resolve()
        key = f"{folder.name}-{hashlib.sha256(str(folder).encode()).hexdigest()[:12]}.zip"
        if key not in code_zips:
            code_zips[key] = _zip_directory(folder)
        return folder, {"Bucket": LOCAL_CODE_BUCKET, "Key": key}

    layer_dirs: dict[str, Path] = {}
    for logical_id, resource in local["Resources"].items():
        if resource["Type"] == SAM_LAYER:
            properties = resource.setdefault("Properties", {})
            layer_dirs[logical_id], properties["ContentUri"] = local_code(
                logical_id, properties.get("ContentUri"), "ContentUri"
            )
    for logical_id, resource in local["Resources"].items():
        properties = resource.setdefault("Properties", {})
        if resource["Type"] == SAM_FUNCTION:
            code_dir, properties["CodeUri"] = local_code(
                logical_id, properties.get("CodeUri", global_code_uri), "CodeUri"
            )
            layers = [
                *conditions.layer_ids(globals_function.get("Layers", [])),
                *conditions.layer_ids(properties.get("Layers", [])),
            ]
            layers = [layer for layer in layers if layer in layer_dirs]
            functions[logical_id] = FunctionSource(
                logical_id,
                code_dir,
                properties["Handler"],
                tuple(layer_dirs[layer] for layer in layers),
                tuple(layers),
            )
        elif resource["Type"] == SAM_STATE_MACHINE and isinstance(
            properties.get("DefinitionUri"), str
        ):
            definition_path = path.parent / properties.pop("DefinitionUri")
            properties["Definition"] = json.loads(definition_path.read_text(encoding="utf-8"))

    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
    cloudformation = transform(local, parameters or {}, _NoManagedPolicies())
    # The SAM translator counts its own usage in a Metrics object whose publisher, offline, is a
    # dummy; left unpublished it warns "There are unpublished metrics" when collected, in the
    # middle of whatever the stack is doing. Publish them, to that dummy: nowhere, as offline.
    MetricsMethodWrapperSingleton.get_instance().publish()
    _inline_definition_substitutions(cloudformation)
    return LocalTemplate(
        path, sam, cloudformation, functions, code_zips, layer_dirs, dict(parameters or {})
    )


def _inline_definition_substitutions(cloudformation: dict[str, Any]) -> None:
    """moto keeps ${...} in DefinitionString as it is, and its Fn::Sub would turn the ASL's `$$`
    into `$`; so each placeholder becomes one part of an Fn::Join that CloudFormation resolves."""
    for resource in cloudformation["Resources"].values():
        if resource["Type"] != "AWS::StepFunctions::StateMachine":
            continue
        properties = resource["Properties"]
        substitutions = properties.pop("DefinitionSubstitutions", None) or {}
        definition = properties.get("DefinitionString")
        if isinstance(definition, dict) and "Fn::Join" in definition:
            separator, parts = definition["Fn::Join"]
            definition = separator.join(parts)
        if not isinstance(definition, str):
            continue
        pieces: list[Any] = []
        for index, chunk in enumerate(_PLACEHOLDER.split(definition)):
            if index % 2 == 0:
                pieces.append(chunk)
            elif chunk in substitutions:
                pieces.append(substitutions[chunk])
            else:
                raise ValueError(f"state machine definition uses ${{{chunk}}} with no substitution")
        properties["DefinitionString"] = {"Fn::Join": ["", pieces]}


_PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_]+)\}")


class Conditions:
    """The template's Conditions, evaluated for the stack's parameter values (or their defaults):
    which layers a function gets can depend on them (`!If [TracingOn, ...]`). Knows Fn::Equals,
    Fn::Not, Fn::And, Fn::Or and Condition over parameters."""

    def __init__(self, sam: dict[str, Any], parameters: dict[str, str]) -> None:
        self.definitions: dict[str, Any] = sam.get("Conditions", {})
        self.parameters = {
            name: str(parameters.get(name, declared.get("Default", "")))
            for name, declared in sam.get("Parameters", {}).items()
        }

    def holds(self, name: str) -> bool:
        return bool(self._value(self.definitions[name]))

    def layer_ids(self, layers: Any) -> list[str]:
        """Logical ids of the layers a `Layers` list names; ARNs of other stacks' layers are
        not ours to load."""
        found: list[str] = []
        for item in layers if isinstance(layers, list) else [layers]:
            value = self._value(item) if isinstance(item, dict) and "Fn::If" in item else item
            if isinstance(value, dict) and set(value) == {"Ref"} and value["Ref"] != "AWS::NoValue":
                found.append(value["Ref"])
        return found

    def _value(self, expression: Any) -> Any:
        if not isinstance(expression, dict) or len(expression) != 1:
            return expression
        (function, argument), *_ = expression.items()
        if function == "Ref" and argument in self.parameters:
            return self.parameters[argument]
        if function == "Condition":
            return self.holds(argument)
        if function == "Fn::If":
            condition, when_true, when_false = argument
            return when_true if self.holds(condition) else when_false
        if function == "Fn::Equals":
            left, right = (self._value(part) for part in argument)
            return str(left) == str(right)
        if function == "Fn::Not":
            return not self._value(argument[0])
        if function == "Fn::And":
            return all(self._value(part) for part in argument)
        if function == "Fn::Or":
            return any(self._value(part) for part in argument)
        return expression
