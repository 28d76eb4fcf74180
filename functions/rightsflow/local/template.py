"""Reading template.yaml and turning it into the CloudFormation that moto deploys locally.

Only what moto cannot take as it is gets changed: code locations become zips in a local bucket
and each state machine's DefinitionUri becomes its definition, with DefinitionSubstitutions
resolved by CloudFormation's own Fn::Sub. Everything else is the template as written.
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

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

SAM_FUNCTION = "AWS::Serverless::Function"
SAM_STATE_MACHINE = "AWS::Serverless::StateMachine"
LOCAL_CODE_BUCKET = "rightsflow-local-code"


class _NoManagedPolicies:
    """SAM asks for AWS managed policy ARNs by name; locally none are needed."""

    def load(self) -> dict[str, str]:
        return {}


@dataclass(frozen=True)
class FunctionSource:
    """Where a function's code lives on disk and which handler Lambda calls."""

    logical_id: str
    code_dir: Path
    handler: str


@dataclass
class LocalTemplate:
    """template.yaml as SAM wrote it, and the plain CloudFormation moto will deploy."""

    path: Path
    sam: dict[str, Any]
    cloudformation: dict[str, Any]
    functions: dict[str, FunctionSource]
    code_zips: dict[str, bytes] = field(default_factory=dict)

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

    functions: dict[str, FunctionSource] = {}
    code_zips: dict[str, bytes] = {}
    for logical_id, resource in local["Resources"].items():
        properties = resource.setdefault("Properties", {})
        if resource["Type"] == SAM_FUNCTION:
            code_uri = properties.get("CodeUri", global_code_uri)
            if not isinstance(code_uri, str):
                raise ValueError(
                    f"{logical_id}: CodeUri must be a local folder for the local stack"
                )
            code_dir = (path.parent / code_uri).resolve()
            key = f"{code_dir.name}-{hashlib.sha256(str(code_dir).encode()).hexdigest()[:12]}.zip"
            if key not in code_zips:
                code_zips[key] = _zip_directory(code_dir)
            properties["CodeUri"] = {"Bucket": LOCAL_CODE_BUCKET, "Key": key}
            functions[logical_id] = FunctionSource(logical_id, code_dir, properties["Handler"])
        elif resource["Type"] == SAM_STATE_MACHINE and isinstance(
            properties.get("DefinitionUri"), str
        ):
            definition_path = path.parent / properties.pop("DefinitionUri")
            properties["Definition"] = json.loads(definition_path.read_text(encoding="utf-8"))

    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
    cloudformation = transform(local, parameters or {}, _NoManagedPolicies())
    _inline_definition_substitutions(cloudformation)
    return LocalTemplate(path, sam, cloudformation, functions, code_zips)


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
