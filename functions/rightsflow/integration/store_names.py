"""The physical names of the data map's stores, for a function that cannot be given them in its
environment (the buckets notify ObjectIndexFunction, so it may not refer to them: CloudFormation
would see a dependency cycle). The template writes them to an SSM parameter instead."""

from __future__ import annotations

import json

from rightsflow.integration import aws


def from_parameter(name: str) -> dict[str, str]:
    """The JSON object of DataStoreNamesParameter (template logical id -> physical name)."""
    try:
        value = aws.ssm().get_parameter(Name=name)["Parameter"]["Value"]
    except Exception as error:
        raise aws.as_transient(error, f"reading the parameter {name}") from error
    names = json.loads(str(value))
    if not isinstance(names, dict):
        raise ValueError(f"{name}: not a JSON object")
    return {str(key): str(physical) for key, physical in names.items()}
