"""template.yaml and the state machine definition: valid, least-privilege, and no silent failure."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint

from rightsflow.local.template import LocalTemplate
from rightsflow.local.template import load_template as read_template
from tests.conftest import ROOT, TEMPLATE

STATE_MACHINES = sorted((ROOT / "statemachine").glob("*.asl.json"))


@functools.cache
def _read(path: Path, parameters: tuple[tuple[str, str], ...]) -> LocalTemplate:
    return read_template(path, dict(parameters))


def load_template(path: Path, parameters: dict[str, str] | None = None) -> LocalTemplate:
    """The template as the local stack reads it, read once per module for each set of parameter
    values: these tests only read it, and each reading takes a second on a busy machine."""
    return _read(path, tuple(sorted((parameters or {}).items())))


def _task_states(states: dict[str, Any], caught_by: str | None = None) -> dict[str, Any]:
    """Every Task state, with `_caught_by` set where an enclosing Map catches its failures."""
    found: dict[str, Any] = {}
    for name, state in states.items():
        if state["Type"] == "Task":
            found[name] = {**state, "_caught_by": caught_by}
        for branch in state.get("Branches", []):
            found.update(_task_states(branch["States"]))
        if "ItemProcessor" in state:
            catches = [rule["Next"] for rule in state.get("Catch", [])]
            found.update(_task_states(state["ItemProcessor"]["States"], ",".join(catches)))
    return found


def test_template_passes_cfn_lint_with_no_errors() -> None:
    regions = ["us-east-1", "eu-west-1", "eu-central-1"]
    matches = lint(TEMPLATE.read_text(), config=ManualArgs(regions=regions))
    errors = [m for m in matches if m.rule.id.startswith("E")]
    assert errors == [], "\n".join(str(m) for m in errors)


def test_template_transforms_with_the_sam_translator() -> None:
    template = load_template(TEMPLATE)
    types = {resource["Type"] for resource in template.cloudformation["Resources"].values()}
    assert "AWS::StepFunctions::StateMachine" in types
    assert "AWS::ApiGatewayV2::Api" in types
    assert set(template.functions) >= {"IntakeApiFunction", "RecordIntakeFunction"}


def test_the_state_machine_is_standard_and_comes_from_the_asl_file() -> None:
    template = load_template(TEMPLATE)
    machine = template.sam["Resources"]["RightsRequestStateMachine"]["Properties"]
    assert machine["Type"] == "STANDARD"
    assert (ROOT / machine["DefinitionUri"]).exists()


def _statements(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Policy statements, with both branches of a conditional (Fn::If) one."""
    found = []
    for statement in statements:
        if "Fn::If" in statement:
            found += _statements([b for b in statement["Fn::If"][1:] if "Action" in b])
        else:
            found.append(statement)
    return found


def test_no_function_policy_grants_a_wildcard_action() -> None:
    template = load_template(TEMPLATE)
    for logical_id, resource in template.cloudformation["Resources"].items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        for policy in resource["Properties"].get("Policies", []):
            for statement in _statements(policy["PolicyDocument"]["Statement"]):
                actions = statement["Action"]
                actions = actions if isinstance(actions, list) else [actions]
                for action in actions:
                    assert action != "*", logical_id
                    assert not str(action).endswith(":*"), (logical_id, action)


def test_every_function_runs_python_3_12() -> None:
    template = load_template(TEMPLATE)
    for resource in template.resources_of_type("AWS::Lambda::Function").values():
        assert resource["Properties"]["Runtime"] == "python3.12"


# Where failures go: ops, or (for a recipient that cannot be told) a report of it; a backfill
# is run by ops from a terminal (rightsflow ops index), whom its failure is shown with reason.
HAND_OVER_STATES = {"ParkForOps", "ReportClockFailure", "RecordUnreachable", "BackfillFailed"}


@pytest.mark.parametrize("path", STATE_MACHINES, ids=lambda p: p.name)
def test_every_task_retries_transient_errors_and_nothing_fails_silently(path: Path) -> None:
    definition = json.loads(path.read_text())
    tasks = _task_states(definition["States"])
    assert tasks
    for name, state in tasks.items():
        retried = {error for rule in state.get("Retry", []) for error in rule["ErrorEquals"]}
        assert {"Lambda.ServiceException", "Lambda.TooManyRequestsException"} <= retried, name
        if name in HAND_OVER_STATES:
            continue
        if state["_caught_by"]:
            assert state["_caught_by"] in HAND_OVER_STATES, f"{name}: its Map hands nothing to ops"
            continue
        catches = state.get("Catch", [])
        assert any(
            "States.ALL" in rule["ErrorEquals"] and rule["Next"] in HAND_OVER_STATES
            for rule in catches
        ), f"{name} has no catch-all into a hand-over to ops"


@pytest.mark.parametrize("path", STATE_MACHINES, ids=lambda p: p.name)
def test_every_substitution_in_the_definition_is_wired_in_the_template(path: Path) -> None:
    template = load_template(TEMPLATE)
    text = path.read_text()
    relative = str(path.relative_to(ROOT))
    for resource in template.sam["Resources"].values():
        properties = resource.get("Properties", {})
        if properties.get("DefinitionUri") == relative:
            for name in properties["DefinitionSubstitutions"]:
                assert f"${{{name}}}" in text
            break
    else:
        pytest.fail(f"{relative} is not used by any state machine in template.yaml")


def test_every_lambda_dependency_is_also_a_project_dependency() -> None:
    """functions/requirements.txt and layers/*/requirements.txt are what `sam build` installs;
    the project must install the same, or code that works in Lambda fails locally and in CI (or
    the other way round)."""
    import re
    import tomllib

    def names(lines: list[str]) -> set[str]:
        found = set()
        for line in lines:
            requirement = line.split("#")[0].strip()
            if requirement:
                found.add(re.split(r"[\[<>=!~ ]", requirement, maxsplit=1)[0].lower())
        return found

    shipped = [
        ROOT / "functions" / "requirements.txt",
        *(ROOT / "layers").glob("*/requirements.txt"),
    ]
    lambda_needs = {name for path in shipped for name in names(path.read_text().splitlines())}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert lambda_needs <= names(project)


# ---------------------------------------------------------------- limits, logs and keys (issue 13)
def _sam() -> dict[str, Any]:
    return dict(load_template(TEMPLATE).sam)


def test_every_log_group_expires_after_the_retention_parameter() -> None:
    resources = _sam()["Resources"]
    groups = {k: v for k, v in resources.items() if v["Type"] == "AWS::Logs::LogGroup"}
    assert groups
    for name, group in groups.items():
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}, name
    assert _sam()["Parameters"]["LogRetentionDays"]["Default"] == 90
    # Lambda would otherwise create its own group, kept forever: each function has one here.
    named = {json.dumps(g["Properties"].get("LogGroupName")) for g in groups.values()}
    for name, resource in resources.items():
        if resource["Type"] == "AWS::Serverless::Function":
            assert json.dumps({"Fn::Sub": f"/aws/lambda/${{{name}}}"}) in named, name


def test_the_http_api_keeps_an_access_log_without_personal_data() -> None:
    settings = _sam()["Resources"]["HttpApi"]["Properties"]["AccessLogSettings"]
    assert settings["DestinationArn"] == {"Fn::GetAtt": ["HttpApiAccessLogGroup", "Arn"]}
    fields = json.loads(settings["Format"])
    for wanted in ("$context.requestId", "$context.routeKey", "$context.status"):
        assert wanted in fields.values()
    assert "$context.responseLatency" in fields.values()
    for personal in ("sourceIp", "userAgent", "$context.path", "identity"):
        assert personal not in settings["Format"]


def test_every_route_is_throttled_by_parameters() -> None:
    sam = _sam()
    routes = sam["Resources"]["HttpApi"]["Properties"]["DefaultRouteSettings"]
    assert routes["ThrottlingRateLimit"] == {"Ref": "ApiThrottlingRateLimit"}
    assert routes["ThrottlingBurstLimit"] == {"Ref": "ApiThrottlingBurstLimit"}
    assert 0 < sam["Parameters"]["ApiThrottlingRateLimit"]["Default"] <= 100


def test_the_public_functions_have_a_reserved_concurrency_parameter() -> None:
    resources = _sam()["Resources"]
    for name in ("IntakeApiFunction", "BrandApiFunction", "EmailIntakeFunction"):
        reserved = resources[name]["Properties"]["ReservedConcurrentExecutions"]
        _condition, capped, _ = reserved["Fn::If"]
        assert capped["Ref"] in _sam()["Parameters"], name


def test_raw_received_mail_is_encrypted_with_the_data_key_like_every_store() -> None:
    bucket = _sam()["Resources"]["InboundMailBucket"]["Properties"]
    rule = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": {"Ref": "DataKey"},
    }
    policy = _sam()["Resources"]["DataKey"]["Properties"]["KeyPolicy"]["Statement"]
    assert any(s.get("Principal") == {"Service": "ses.amazonaws.com"} for s in policy)


def test_every_store_kept_as_written_streams_its_changes_to_the_identifier_indexer() -> None:
    """The data map's as_written lookups are found through our index: each such table must
    have a stream with both images, mapped to the one function that keeps the index."""
    from rightsflow.domain.data_map import load_data_map

    data_map = load_data_map()
    template = load_template(TEMPLATE)
    resources = template.sam["Resources"]
    indexer = resources["IdentifierIndexFunction"]["Properties"]
    fed_by = {
        event["Properties"]["Stream"]["Fn::GetAtt"][0]
        for event in indexer["Events"].values()
        if event["Type"] == "DynamoDB"
    }
    indexed = {store.resource for store in data_map.indexed_stores().values()}
    assert indexed, "the shipped map keeps some identifiers as written"
    assert fed_by == indexed
    for table in indexed:
        stream = resources[table]["Properties"]["StreamSpecification"]
        assert stream["StreamViewType"] == "NEW_AND_OLD_IMAGES", table
    assert data_map.identifier_index in resources


def test_only_the_indexer_may_scan_and_only_the_tables_it_backfills() -> None:
    template = load_template(TEMPLATE)
    for logical_id, resource in template.sam["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for policy in resource["Properties"].get("Policies", []):
            for written in policy.get("Statement", []) if isinstance(policy, dict) else []:
                # A conditional statement (the SQL stores' invoke): its statement when true.
                statement = written["Fn::If"][1] if "Fn::If" in written else written
                actions = statement["Action"]
                actions = actions if isinstance(actions, list) else [actions]
                if "dynamodb:Scan" in actions:
                    assert logical_id == "IdentifierIndexFunction", logical_id


def test_the_key_and_the_secrets_outlive_the_stack_like_the_data_they_protect() -> None:
    resources = load_template(TEMPLATE).sam["Resources"]
    for logical_id in ("DataKey", "BrandSigningSecret", "VendorSigningSecret"):
        assert resources[logical_id]["DeletionPolicy"] == "Retain", logical_id
        assert resources[logical_id]["UpdateReplacePolicy"] == "Retain", logical_id
    # cfn-lint's I3011 (stateful resources without a policy) no longer names them
    matches = lint(
        TEMPLATE.read_text(), config=ManualArgs(regions=["eu-west-1"], include_checks=["I"])
    )
    flagged = {m.path[1] for m in matches if m.rule.id == "I3011"}
    assert not flagged & {"DataKey", "BrandSigningSecret", "VendorSigningSecret"}


S3_DATA_BUCKETS = ("AcmeSmsLogBucket", "JobApplicationsBucket")


def test_versioned_data_buckets_age_out_earlier_versions_and_unfinished_uploads() -> None:
    resources = load_template(TEMPLATE).sam["Resources"]
    for logical_id in S3_DATA_BUCKETS:
        properties = resources[logical_id]["Properties"]
        assert properties["VersioningConfiguration"]["Status"] == "Enabled"
        rules = properties["LifecycleConfiguration"]["Rules"]
        expiry = [
            r["NoncurrentVersionExpiration"]["NoncurrentDays"]
            for r in rules
            if "NoncurrentVersionExpiration" in r
        ]
        assert expiry == [35], logical_id  # as long as the tables' point-in-time recovery
        assert any("AbortIncompleteMultipartUpload" in r for r in rules), logical_id


def test_fulfilment_may_list_read_and_delete_versions_of_the_data_buckets_only() -> None:
    template = load_template(TEMPLATE)
    role = template.cloudformation["Resources"]["FulfilmentFunctionRole"]["Properties"]
    grants: dict[str, list[Any]] = {}
    for policy in role["Policies"]:
        for statement in _statements(policy["PolicyDocument"]["Statement"]):
            actions = (
                statement["Action"]
                if isinstance(statement["Action"], list)
                else [statement["Action"]]
            )
            for action in actions:
                grants.setdefault(action, []).extend(statement["Resource"])
    buckets = [{"Fn::GetAtt": [b, "Arn"]} for b in S3_DATA_BUCKETS]
    objects = [{"Fn::Sub": f"${{{b}.Arn}}/*"} for b in S3_DATA_BUCKETS]
    assert grants["s3:ListBucketVersions"] == buckets
    assert grants["s3:GetObjectVersion"] == objects
    assert grants["s3:DeleteObjectVersion"] == objects


def test_every_s3_store_notifies_the_object_indexer_of_its_own_objects() -> None:
    # GIVEN the data map's S3 stores and the template's S3 event sources
    from rightsflow.domain.data_map import load_data_map

    stores = load_data_map().object_stores()
    template = load_template(TEMPLATE)
    indexer = template.sam["Resources"]["ObjectIndexFunction"]["Properties"]
    declared = {}
    for name, event in indexer["Events"].items():
        if event["Type"] != "S3":
            continue
        properties = event["Properties"]
        rules = properties.get("Filter", {}).get("S3Key", {}).get("Rules", [])
        prefix = next((rule["Value"] for rule in rules if rule["Name"] == "prefix"), "")
        declared[properties["Bucket"]["Ref"]] = (prefix, sorted(properties["Events"]))
        # THEN no other filter narrows what it hears of (a suffix would miss .gz objects)
        assert [rule["Name"] for rule in rules] in ([], ["prefix"]), name
    # THEN each store's bucket notifies it of everything created or removed under its prefix,
    # and nothing else does
    assert declared == {
        store.resource: (store.prefix, ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"])
        for store in stores.values()
    }
    # AND the backfill may list exactly those buckets, and the indexer read them
    machine = template.sam["Resources"]["IndexBackfillStateMachine"]["Properties"]
    listed = {
        resource["Fn::GetAtt"][0]
        for policy in machine["Policies"]
        if "Statement" in policy
        for statement in policy["Statement"]
        if "s3:ListBucket" in statement["Action"]
        for resource in statement["Resource"]
    }
    assert listed == {store.resource for store in stores.values()}
    readable = template.sam["Resources"]["ObjectIndexReadsObjects"]["Properties"]
    objects = readable["PolicyDocument"]["Statement"][0]
    assert objects["Action"] == ["s3:GetObject", "s3:GetObjectVersion"]
    assert {r["Fn::Sub"].split(".")[0].lstrip("${") for r in objects["Resource"]} == {
        store.resource for store in stores.values()
    }


def test_the_stores_names_parameter_says_what_every_function_is_told() -> None:
    # The object indexer reads the stores' names from a parameter (the buckets notify it, so
    # its environment may not refer to them); it must hold what the other functions are given.
    template = load_template(TEMPLATE)
    told = template.sam["Globals"]["Function"]["Environment"]["Variables"]["DATA_STORES"]
    parameter = template.sam["Resources"]["DataStoreNamesParameter"]["Properties"]["Value"]
    assert json.loads(parameter["Fn::Sub"]) == json.loads(told["Fn::Sub"])


def _references(value: Any) -> set[str]:
    """The logical ids a CloudFormation value refers to (Ref, Fn::GetAtt, Fn::Sub)."""
    import re

    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= _references(item)
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref":
                found.add(str(inner))
            elif key == "Fn::GetAtt":
                found.add(str(inner[0] if isinstance(inner, list) else inner.split(".")[0]))
            elif key == "Fn::Sub":
                text = inner[0] if isinstance(inner, list) else inner
                found |= {name.split(".")[0] for name in re.findall(r"\$\{([^}!]+)\}", text)}
                found |= _references(inner[1] if isinstance(inner, list) else [])
            else:
                found |= _references(inner)
    return found


def test_the_resources_depend_on_each_other_without_a_cycle() -> None:
    # A bucket that notifies a function which refers to the bucket is a cycle CloudFormation
    # refuses to deploy (and moto's CloudFormation recursed on until it failed).
    resources = load_template(TEMPLATE).cloudformation["Resources"]
    needs = {
        name: (_references(resource.get("Properties", {})) | set(resource.get("DependsOn", [])))
        & set(resources)
        for name, resource in resources.items()
    }
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " -> ".join((*path, name))
        if name in done:
            return
        for needed in sorted(needs[name]):
            visit(needed, (*path, name))
        done.add(name)

    for name in sorted(needs):
        visit(name, ())


@pytest.mark.parametrize(
    "secret", ["", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:platform-db-AbCdEf"]
)
def test_the_sql_stores_are_deployed_or_left_out_cleanly(secret: str) -> None:
    """With the platform database's secret, the SQL stores function (in the VPC) and the right
    to invoke it exist; without it, neither does, and the template is valid both ways."""
    from samtranslator.yaml_helper import yaml_parse

    sam = yaml_parse(TEMPLATE.read_text())
    sam["Parameters"]["PlatformDatabaseSecretArn"]["Default"] = secret
    sam["Parameters"]["SqlSubnetIds"]["Default"] = "subnet-0123456789abcdef0" if secret else ""
    regions = ["eu-west-1"]
    matches = lint(json.dumps(sam), config=ManualArgs(regions=regions))
    errors = [m for m in matches if m.rule.id.startswith("E")]
    assert errors == [], "\n".join(str(m) for m in errors)
    template = load_template(TEMPLATE, {"PlatformDatabaseSecretArn": secret})
    function = template.cloudformation["Resources"]["SqlStoresFunction"]
    assert function["Condition"] == "HasSqlStores"
    assert "VpcConfig" in function["Properties"]
    fulfilment = template.cloudformation["Resources"]["FulfilmentFunction"]["Properties"]
    wired = fulfilment["Environment"]["Variables"]["SQL_STORES_FUNCTION"]
    assert wired == {"Fn::If": ["HasSqlStores", {"Ref": "SqlStoresFunction"}, ""]}


def test_an_indexing_in_progress_is_stale_exactly_after_the_indexers_timeout() -> None:
    # GIVEN template.yaml's ObjectIndexFunction (Lambda stops it at its Timeout)
    from rightsflow.integration.index_completeness import INDEXER_LONGEST_RUN_SECONDS

    indexer = load_template(TEMPLATE).sam["Resources"]["ObjectIndexFunction"]["Properties"]
    # THEN an "indexing in progress" mark reads "never finished" only once no indexer can
    # still be running, and as soon as none can
    assert indexer["Timeout"] == INDEXER_LONGEST_RUN_SECONDS


def test_the_object_indexer_may_list_and_read_versions_of_the_data_buckets_never_delete() -> None:
    # GIVEN the indexer's grants on the data buckets (apart from its role: the buckets'
    # notifications depend on the role)
    resources = load_template(TEMPLATE).cloudformation["Resources"]
    grants: dict[str, list[Any]] = {}
    for statement in resources["ObjectIndexReadsObjects"]["Properties"]["PolicyDocument"][
        "Statement"
    ]:
        actions = (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        for action in actions:
            grants.setdefault(action, []).extend(statement["Resource"])
    # THEN it may list the versions (a deleted version's object; the backfill's earlier
    # versions) and read them, and never delete one
    buckets = [{"Fn::GetAtt": [b, "Arn"]} for b in S3_DATA_BUCKETS]
    assert sorted(map(str, grants["s3:ListBucketVersions"])) == sorted(map(str, buckets))
    assert "s3:GetObjectVersion" in grants
    assert not any("Delete" in action for action in grants)
