"""The local stack: template.yaml deployed into moto by moto's CloudFormation, run in-process."""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import time
import warnings
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core.config import DefaultConfig
from moto.core.models import DEFAULT_ACCOUNT_ID

from rightsflow.local import (
    asl_distributed_map,
    asl_scheduler,
    execution_stop,
    moto_lock,
    moto_scaling,
    s3_notifications,
)
from rightsflow.local.lambda_runtime import LocalRuntime
from rightsflow.local.moto_fixes import (
    fail_states_report_states_errors,
    multipart_uploads_complete_if_match,
    state_machines_created_where_they_run,
)
from rightsflow.local.template import LOCAL_CODE_BUCKET, LocalTemplate, load_template

STACK_NAME = "rightsflow-local"
_ALREADY_THERE = ("BucketAlreadyOwnedByYou", "AlreadyExistsException")
DEFAULT_REGION = "eu-west-1"
MOTO_CONFIG: DefaultConfig = {"stepfunctions": {"execute_state_machine": True}}


def default_template_path() -> Path:
    """template.yaml of the checkout this package was installed from, else of the current folder."""
    checkout = Path(__file__).resolve().parents[3] / "template.yaml"
    return checkout if checkout.exists() else Path.cwd() / "template.yaml"


@dataclass
class StackOptions:
    template_path: Path = field(default_factory=default_template_path)
    parameters: dict[str, str] = field(default_factory=dict)
    # Extra environment for every function, e.g. settings only the local stack uses.
    function_environment: dict[str, str] = field(default_factory=dict)
    region: str = DEFAULT_REGION
    # Secrets that exist before the stack (as a database's credentials do in AWS): parameter
    # name -> secret value; each is created in moto and the parameter set to its ARN.
    secrets: dict[str, str] = field(default_factory=dict)
    # The SQL stores' database (SQLAlchemy URL), for the demo data.
    database_url: str | None = None


class LocalStack:
    """A deployed stack: its resources, its outputs and the clients that reach it."""

    def __init__(self, options: StackOptions, template: LocalTemplate, runtime: LocalRuntime):
        self.options = options
        self.template = template
        self.runtime = runtime
        self.stack_name = STACK_NAME
        self.physical_ids: dict[str, str] = {}
        self.outputs: dict[str, str] = {}
        self.parameters: dict[str, str] = {}
        self.notifications: s3_notifications.Delivery | None = None

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    @contextmanager
    def running(cls, options: StackOptions | None = None) -> Iterator[LocalStack]:
        """Deploy the template into a fresh in-process moto; everything is gone on exit."""
        options = options or StackOptions()
        # Locally the stack knows its own queue of bucket events (s3_notifications): a store
        # with events pending is not read as complete, so no settle time need stand for it.
        options.parameters.setdefault("IndexSettleSeconds", "0")
        _local_credentials(options.region)
        _quiet_known_gaps()
        with ExitStack() as stack:
            stack.enter_context(mock_aws(config=MOTO_CONFIG))
            stack.enter_context(state_machines_created_where_they_run())
            stack.enter_context(moto_lock.installed())
            stack.enter_context(moto_scaling.installed())
            stack.enter_context(asl_scheduler.installed())
            stack.enter_context(execution_stop.installed())
            stack.enter_context(asl_distributed_map.installed())
            stack.enter_context(multipart_uploads_complete_if_match())
            stack.enter_context(fail_states_report_states_errors())
            notifications = stack.enter_context(s3_notifications.installed())
            runtime = stack.enter_context(
                LocalRuntime(extra_environment=_function_environment(options)).installed()
            )
            template = load_template(options.template_path, options.parameters)
            local = cls(options, template, runtime)
            local.notifications = notifications
            local._deploy()
            yield local

    @property
    def account_id(self) -> str:
        return DEFAULT_ACCOUNT_ID

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=self.options.region)  # type: ignore[call-overload]

    # ------------------------------------------------------------------ lookups
    def resource(self, logical_id: str) -> str:
        """The physical id (name or ARN, as CloudFormation's Ref gives it) of a template resource."""
        return self.physical_ids[logical_id]

    @property
    def state_machine_arn(self) -> str:
        return self.outputs["StateMachineArn"]

    # ------------------------------------------------------------------ deployment
    def _deploy(self) -> None:
        secretsmanager = self.client("secretsmanager")
        for parameter, value in self.options.secrets.items():
            self.options.parameters[parameter] = secretsmanager.create_secret(
                Name=f"{STACK_NAME}-{parameter}-{secrets.token_hex(4)}", SecretString=value
            )["ARN"]
        s3 = self.client("s3")
        _tolerate_existing(
            s3.create_bucket,
            Bucket=LOCAL_CODE_BUCKET,
            CreateBucketConfiguration={"LocationConstraint": self.options.region},
        )
        for key, body in self.template.code_zips.items():
            s3.put_object(Bucket=LOCAL_CODE_BUCKET, Key=key, Body=body)

        cloudformation = self.client("cloudformation")
        existing = {stack["StackName"] for stack in cloudformation.list_stacks()["StackSummaries"]}
        suffix = 2
        while self.stack_name in existing:  # another stack already runs in this moto
            self.stack_name = f"{STACK_NAME}-{suffix}"
            suffix += 1
        cloudformation.create_stack(
            StackName=self.stack_name,
            TemplateBody=json.dumps(self.template.cloudformation),
            Parameters=[
                {"ParameterKey": key, "ParameterValue": value}
                for key, value in self.options.parameters.items()
            ],
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
        )
        described = cloudformation.describe_stacks(StackName=self.stack_name)["Stacks"][0]
        if described["StackStatus"] != "CREATE_COMPLETE":
            raise RuntimeError(f"local stack did not deploy: {described['StackStatus']}")
        self.outputs = {
            item["OutputKey"]: item["OutputValue"] for item in described.get("Outputs", [])
        }
        self.parameters = {
            item["ParameterKey"]: item["ParameterValue"] for item in described.get("Parameters", [])
        }
        for resource in cloudformation.describe_stack_resources(StackName=self.stack_name)[
            "StackResources"
        ]:
            if "PhysicalResourceId" in resource:  # resources moto skips have none
                self.physical_ids[resource["LogicalResourceId"]] = resource["PhysicalResourceId"]
        for logical_id, source in self.template.functions.items():
            self.runtime.register(self.physical_ids[logical_id], source)
        self._provide_what_moto_skips()

    def _provide_what_moto_skips(self) -> None:
        """moto's CloudFormation skips SES identities and Secrets Manager secrets; create them
        from the template's own words, under the names the stack's Refs resolved to."""
        self._apply_bucket_settings()
        self._apply_table_settings()
        self._apply_event_invoke_configs()
        sesv2 = self.client("sesv2")
        for resource in self.template.resources_of_type("AWS::SES::EmailIdentity").values():
            identity = self.resolve(resource["Properties"]["EmailIdentity"])
            _tolerate_existing(sesv2.create_email_identity, EmailIdentity=identity)
        secretsmanager = self.client("secretsmanager")
        for logical_id, resource in self.template.resources_of_type(
            "AWS::SecretsManager::Secret"
        ).items():
            generate = resource["Properties"].get("GenerateSecretString", {})
            length = int(generate.get("PasswordLength", 32))
            name = f"{self.stack_name}-{logical_id}"
            arn = secretsmanager.create_secret(
                Name=name, SecretString=secrets.token_urlsafe(length)[:length]
            )["ARN"]
            self.physical_ids[logical_id] = arn
            self.runtime.extra_environment.update(
                {
                    variable: arn
                    for variable, value in self._variables_referring_to(logical_id).items()
                }
            )

    def _apply_bucket_settings(self) -> None:
        """moto's CloudFormation creates a bucket with its encryption and tags only. Versioning
        changes what an overwrite or a delete leaves behind, so the template's settings are
        applied here, and a setting the local stack cannot apply stops it: local must not
        hide what AWS would do."""
        s3 = self.client("s3")
        # Policies first: S3 accepts a bucket's access logging only into a bucket whose policy
        # lets the logging service write.
        for resource in self.template.resources_of_type("AWS::S3::BucketPolicy").values():
            properties = self._resolved(resource["Properties"])
            s3.put_bucket_policy(
                Bucket=properties["Bucket"], Policy=json.dumps(properties["PolicyDocument"])
            )
        for logical_id, resource in self.template.resources_of_type("AWS::S3::Bucket").items():
            bucket = self.physical_ids[logical_id]
            for name, value in self._resolved(resource.get("Properties", {})).items():
                if name in _BUCKET_SETTINGS_MOTO_APPLIES:
                    continue
                if name == "LoggingConfiguration":
                    s3.put_bucket_logging(
                        Bucket=bucket,
                        BucketLoggingStatus={
                            "LoggingEnabled": {
                                "TargetBucket": value["DestinationBucketName"],
                                "TargetPrefix": value.get("LogFilePrefix", ""),
                            }
                        },
                    )
                elif name == "OwnershipControls":
                    s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls=value)
                elif name == "VersioningConfiguration":
                    s3.put_bucket_versioning(
                        Bucket=bucket, VersioningConfiguration={"Status": value["Status"]}
                    )
                elif name == "LifecycleConfiguration":
                    s3.put_bucket_lifecycle_configuration(
                        Bucket=bucket,
                        LifecycleConfiguration={
                            "Rules": [_lifecycle_rule(logical_id, rule) for rule in value["Rules"]]
                        },
                    )
                elif name == "PublicAccessBlockConfiguration":
                    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=value)
                elif name == "NotificationConfiguration":
                    self.apply_notifications(logical_id)
                else:
                    raise NotImplementedError(
                        f"{logical_id}.{name}: the local stack does not apply this bucket "
                        "setting yet; teach rightsflow.local.stack to, so local runs match AWS"
                    )

    def _apply_table_settings(self) -> None:
        """moto's CloudFormation skips a table's time to live and point-in-time recovery."""
        dynamodb = self.client("dynamodb")
        for logical_id, resource in self.template.resources_of_type("AWS::DynamoDB::Table").items():
            table = self.physical_ids[logical_id]
            properties = resource.get("Properties", {})
            ttl = properties.get("TimeToLiveSpecification")
            if ttl and ttl.get("Enabled"):
                dynamodb.update_time_to_live(
                    TableName=table,
                    TimeToLiveSpecification={
                        "Enabled": True,
                        "AttributeName": ttl["AttributeName"],
                    },
                )
            recovery = properties.get("PointInTimeRecoverySpecification", {})
            if recovery.get("PointInTimeRecoveryEnabled"):
                dynamodb.update_continuous_backups(
                    TableName=table,
                    PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
                )

    def _apply_event_invoke_configs(self) -> None:
        """moto's CloudFormation skips AWS::Lambda::EventInvokeConfig (SAM's EventInvokeConfig):
        apply it, so that an asynchronous event failing every attempt (an S3 notification)
        reaches the on-failure destination (the dead-letter queue) as it would in AWS."""
        lambda_client = self.client("lambda")
        for resource in self.template.resources_of_type("AWS::Lambda::EventInvokeConfig").values():
            properties = self._resolved(resource["Properties"])
            settings = {
                name: properties[name]
                for name in (
                    "MaximumRetryAttempts",
                    "MaximumEventAgeInSeconds",
                    "DestinationConfig",
                )
                if name in properties
            }
            lambda_client.put_function_event_invoke_config(
                FunctionName=properties["FunctionName"], **settings
            )

    def _variables_referring_to(self, logical_id: str) -> dict[str, Any]:
        """Function environment variables that are `!Ref <logical_id>`."""
        found: dict[str, Any] = {}
        for resource in self.template.resources_of_type("AWS::Lambda::Function").values():
            variables = resource["Properties"].get("Environment", {}).get("Variables", {})
            for name, value in variables.items():
                if value == {"Ref": logical_id}:
                    found[name] = value
        return found

    def apply_notifications(self, logical_id: str) -> None:
        """Turn a bucket's event notifications on as template.yaml declares them (at start-up,
        or again after a test turned them off to stand for a bucket not yet onboarded)."""
        resource = self.template.cloudformation["Resources"][logical_id]
        value = self._resolved(resource["Properties"]["NotificationConfiguration"])
        self.client("s3").put_bucket_notification_configuration(
            Bucket=self.physical_ids[logical_id],
            NotificationConfiguration=_notifications(logical_id, value),
        )

    def drain_notifications(self, timeout: float = 60.0) -> None:
        """Wait until every S3 notification so far has reached its function (the object
        indexer): an object written now is findable once this returns."""
        if self.notifications is not None:
            self.notifications.drain(timeout)

    def secret(self, logical_id: str) -> str:
        answer = self.client("secretsmanager").get_secret_value(SecretId=self.resource(logical_id))
        return str(answer["SecretString"])

    def _resolved(self, value: Any) -> Any:
        """`value` with the intrinsic functions of bucket settings and policies resolved: Ref,
        Fn::GetAtt of a bucket's Arn and Fn::Sub over those; others stop the local stack."""
        if isinstance(value, list):
            return [self._resolved(item) for item in value]
        if not isinstance(value, dict):
            return value
        if set(value) == {"Ref"}:
            pseudo = {"AWS::AccountId": self.account_id, "AWS::Partition": "aws"}
            return pseudo.get(value["Ref"]) or self.resolve(value)
        if set(value) == {"Fn::GetAtt"}:
            target, attribute = value["Fn::GetAtt"]
            return self._attribute(target, attribute)
        if set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):

            def substitute(match: re.Match[str]) -> str:
                name, _, attribute = match.group(1).partition(".")
                if attribute:
                    return str(self._attribute(name, attribute))
                return str(self._resolved({"Ref": name}))

            return re.sub(r"\$\{([A-Za-z0-9_:.]+)\}", substitute, value["Fn::Sub"])
        if any(key.startswith("Fn::") for key in value):
            raise NotImplementedError(f"the local stack does not resolve {sorted(value)} yet")
        return {key: self._resolved(item) for key, item in value.items()}

    def _attribute(self, logical_id: str, attribute: str) -> str:
        kind = self.template.cloudformation["Resources"].get(logical_id, {}).get("Type")
        if kind == "AWS::S3::Bucket" and attribute == "Arn":
            return f"arn:aws:s3:::{self.physical_ids[logical_id]}"
        if kind == "AWS::Lambda::Function" and attribute == "Arn":
            return (
                f"arn:aws:lambda:{self.options.region}:{self.account_id}:function:"
                f"{self.physical_ids[logical_id]}"
            )
        if kind == "AWS::SQS::Queue" and attribute == "Arn":
            name = str(self.physical_ids[logical_id]).rstrip("/").rsplit("/", 1)[-1]
            return f"arn:aws:sqs:{self.options.region}:{self.account_id}:{name}"
        raise NotImplementedError(f"the local stack does not resolve {logical_id}.{attribute} yet")

    def resolve(self, value: Any) -> Any:
        """Resolve the intrinsic functions the local stack needs: Ref to parameters and resources."""
        if isinstance(value, dict) and set(value) == {"Ref"}:
            name = value["Ref"]
            if name in self.parameters:
                return self.parameters[name]
            if name == "AWS::Region":
                return self.options.region
            return self.physical_ids[name]
        return value


# Bucket properties moto's CloudFormation applies itself, or that change nothing locally.
_BUCKET_SETTINGS_MOTO_APPLIES = frozenset({"BucketName", "BucketEncryption", "Tags"})

# Lifecycle rule parts that CloudFormation and the S3 API spell the same way.
_LIFECYCLE_AS_IS = {"NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload"}


def _lifecycle_rule(logical_id: str, rule: dict[str, Any]) -> dict[str, Any]:
    """A CloudFormation lifecycle rule as the S3 API takes it; a part not translated stops
    the local stack rather than being dropped."""
    translated: dict[str, Any] = {
        "ID": rule.get("Id", ""),
        "Status": rule["Status"],
        "Filter": {"Prefix": rule.get("Prefix", "")},
    }
    expiration: dict[str, Any] = {}
    for part, value in rule.items():
        if part in {"Id", "Status", "Prefix"}:
            continue
        if part == "ExpirationInDays":
            expiration["Days"] = int(value)
        elif part == "ExpiredObjectDeleteMarker":
            expiration["ExpiredObjectDeleteMarker"] = value
        elif part == "NoncurrentVersionExpirationInDays":
            translated["NoncurrentVersionExpiration"] = {"NoncurrentDays": value}
        elif part in _LIFECYCLE_AS_IS:
            translated[part] = value
        else:
            raise NotImplementedError(
                f"{logical_id}.LifecycleConfiguration: rule part {part} is not applied locally"
            )
    if expiration:
        translated["Expiration"] = expiration
    return translated


def _notifications(logical_id: str, value: dict[str, Any]) -> dict[str, Any]:
    """A bucket's CloudFormation NotificationConfiguration as the S3 API takes it; a kind of
    notification not translated stops the local stack rather than being dropped."""
    translated: dict[str, Any] = {}
    for kind, entries in value.items():
        if kind != "LambdaConfigurations":
            raise NotImplementedError(
                f"{logical_id}.NotificationConfiguration.{kind} is not applied locally yet"
            )
        translated["LambdaFunctionConfigurations"] = [
            {
                "LambdaFunctionArn": entry["Function"],
                "Events": [entry["Event"]],
                **(
                    {
                        "Filter": {
                            "Key": {
                                "FilterRules": [
                                    {"Name": rule["Name"], "Value": rule["Value"]}
                                    for rule in entry["Filter"]["S3Key"]["Rules"]
                                ]
                            }
                        }
                    }
                    if "Filter" in entry
                    else {}
                ),
            }
            for entry in entries
        ]
    return translated


def _tolerate_existing(create: Any, **arguments: Any) -> None:
    """Create something shared by every stack in this moto, unless an earlier stack did."""
    try:
        create(**arguments)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in _ALREADY_THERE:
            raise


class _SkippedResourceNotes(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("No Moto CloudFormation support for")


def _quiet_known_gaps() -> None:
    """moto says, for every resource type it skips, what this module already handles."""
    moto_logger = logging.getLogger("moto")
    if not any(isinstance(f, _SkippedResourceNotes) for f in moto_logger.filters):
        moto_logger.addFilter(_SkippedResourceNotes())
    # The ASL interpreter logs every Fail state and caught error with a dump of the whole
    # program; the execution history already says what happened, in its own words.
    logging.getLogger("moto.stepfunctions.parser").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", message="Tried to parse AWS::", category=UserWarning)


def _local_credentials(region: str) -> None:
    """moto needs credentials and a region, never real ones; and its Wait state compares UTC
    timestamps with the local clock, so the local clock is UTC."""
    os.environ["TZ"] = "UTC"
    time.tzset()
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": region,
    }.items():
        os.environ[key] = value
    os.environ.pop("AWS_PROFILE", None)


def _function_environment(options: StackOptions) -> dict[str, str]:
    return {
        "AWS_DEFAULT_REGION": options.region,
        "POWERTOOLS_TRACE_DISABLED": "true",
        **options.function_environment,
    }
