"""boto3 clients, made once per process and shared, with retries suited to Lambda."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from rightsflow.domain.errors import StoreUnavailable

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_lambda import LambdaClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_ssm import SSMClient
    from mypy_boto3_stepfunctions import SFNClient

_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 3}, connect_timeout=5, read_timeout=20
)

TRANSIENT_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "Throttling",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "TooManyRequestsException",
    }
)


@cache
def _client(service: str) -> Any:
    return boto3.client(service, config=_CONFIG)  # type: ignore[call-overload]


def dynamodb() -> DynamoDBClient:
    client: DynamoDBClient = _client("dynamodb")
    return client


# Invoking the SQL stores function (timeout 60 s): wait longer than it may run, and never
# retry here, which could run a transaction twice at once; the state machine retries instead.
_INVOKE_CONFIG = Config(retries={"mode": "standard", "max_attempts": 1}, read_timeout=75)


@cache
def lambda_() -> LambdaClient:
    client: LambdaClient = boto3.client("lambda", config=_INVOKE_CONFIG)
    return client


def s3() -> S3Client:
    client: S3Client = _client("s3")
    return client


def sesv2() -> SESV2Client:
    client: SESV2Client = _client("sesv2")
    return client


def sns() -> SNSClient:
    client: SNSClient = _client("sns")
    return client


def ssm() -> SSMClient:
    client: SSMClient = _client("ssm")
    return client


def stepfunctions() -> SFNClient:
    client: SFNClient = _client("stepfunctions")
    return client


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def as_transient(error: Exception, what: str) -> Exception:
    """Turn an AWS failure that is worth retrying into StoreUnavailable; leave the rest alone."""
    if isinstance(error, BotoCoreError) or (
        isinstance(error, ClientError) and error_code(error) in TRANSIENT_CODES
    ):
        return StoreUnavailable(f"{what}: {type(error).__name__}")
    return error
