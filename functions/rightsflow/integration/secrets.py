"""Secrets from AWS Secrets Manager, read once per cold start."""

from __future__ import annotations

from functools import cache

import boto3

from rightsflow.integration import aws


@cache
def secret_value(secret_id: str) -> str:
    try:
        answer = boto3.client("secretsmanager").get_secret_value(SecretId=secret_id)
    except Exception as error:
        raise aws.as_transient(error, "reading a secret") from error
    return str(answer["SecretString"])
