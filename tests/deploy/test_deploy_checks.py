""".ci/check-deploy, which .ci/run runs on template.yaml, fails on a template that does not
validate, build, lint or pass checkov, or whose state machine is not valid ASL: each shown on a
deliberately broken copy of the repository's deployable files."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.deploy

CHECK_DEPLOY = ROOT / ".ci" / "check-deploy"
TOOLS = ROOT / ".tools"
INSTALLED = [
    TOOLS / "sam" / "bin" / "sam",
    TOOLS / "checkov" / "bin" / "checkov",
    TOOLS / "node" / "node_modules" / ".bin" / "asl-validator",
]
COPIED = ["template.yaml", "functions", "layers", "statemachine", ".cfnlintrc.yaml"]


@pytest.fixture(autouse=True)
def _tools_installed() -> None:
    missing = [str(path.relative_to(ROOT)) for path in INSTALLED if not path.exists()]
    if missing:
        pytest.skip(
            f"deployment tools not installed ({', '.join(missing)}): "
            ".ci/check-deploy installs them (.ci/run runs it before the tests)"
        )


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of what deploys: the template, the code it packages, the state machines."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source,
                tmp_path / name,
                ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", ".pytest_cache"),
            )
        else:
            shutil.copy2(source, tmp_path / name)
    return tmp_path


def check_deploy(template: Path, *checks: str) -> subprocess.CompletedProcess[str]:
    only = [argument for check in checks for argument in ("--only", check)]
    return subprocess.run(
        [str(CHECK_DEPLOY), *only, str(template)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, f"the copy no longer has {old!r}: update this test"
    path.write_text(text.replace(old, new))


def test_the_copy_passes_every_quick_check_as_it_is(checkout: Path) -> None:
    """The control: what the other tests break is all that fails there."""
    result = check_deploy(checkout / "template.yaml", "validate", "lint", "checkov", "asl")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check-deploy: all passed" in result.stdout


def test_a_template_that_does_not_validate_fails(checkout: Path) -> None:
    # GIVEN a function timeout beyond Lambda's 900 seconds
    edit(checkout / "template.yaml", "    Timeout: 30\n", "    Timeout: 9000\n")
    # WHEN the deployment checks validate it
    result = check_deploy(checkout / "template.yaml", "validate")
    # THEN they fail, saying what is wrong
    assert result.returncode != 0
    assert "FAILED: validate" in result.stdout
    assert "9000" in result.stdout + result.stderr


def test_a_template_that_does_not_build_fails(checkout: Path) -> None:
    # GIVEN layers that need little (so that the build gets to the functions quickly)...
    for requirements in ("functions/requirements.txt", "layers/tracing/requirements.txt"):
        (checkout / requirements).write_text("tzdata\n")
    # ...and a function whose folder brings its own requirements (they go into a layer)
    (checkout / "functions" / "record_intake" / "requirements.txt").write_text("requests\n")
    # WHEN the deployment checks run sam build
    result = check_deploy(checkout / "template.yaml", "build")
    # THEN the build fails, naming the function and what to do instead
    assert result.returncode != 0
    assert "FAILED: build" in result.stdout
    assert "build-RecordIntakeFunction" in result.stdout + result.stderr
    assert "dependencies go into a layer" in result.stdout + result.stderr


def test_a_template_that_does_not_lint_fails(checkout: Path) -> None:
    # GIVEN a function whose log group (with its retention) is gone
    template = checkout / "template.yaml"
    text = template.read_text()
    log_group = re.search(r"\n  RecordIntakeLogGroup:\n(?:    .*\n)+", text)
    assert log_group is not None
    template.write_text(text.replace(log_group.group(0), "\n"))
    # WHEN the deployment checks lint it
    result = check_deploy(template, "lint")
    # THEN cfn-lint's serverless rules fail it
    assert result.returncode != 0
    assert "FAILED: lint" in result.stdout
    assert "WS1004" in result.stdout


def test_a_finding_of_checkov_without_a_justification_fails(checkout: Path) -> None:
    # GIVEN a bucket whose justified skips are gone
    edit(
        checkout / "template.yaml",
        "  InboundMailBucket:\n    Type: AWS::S3::Bucket\n    Metadata:\n",
        "  InboundMailBucket:\n    Type: AWS::S3::Bucket\n    UnjustifiedMetadata:\n",
    )
    # WHEN checkov reads it
    result = check_deploy(checkout / "template.yaml", "checkov")
    # THEN the finding fails the checks
    assert result.returncode != 0
    assert "FAILED: checkov" in result.stdout
    assert "CKV_AWS_21" in result.stdout


def test_a_state_machine_that_is_not_valid_asl_fails(checkout: Path) -> None:
    # GIVEN a state machine whose first state leads to a state that does not exist
    definition = checkout / "statemachine" / "rights_request.asl.json"
    edit(definition, '"Next": "AcknowledgeReceipt"', '"Next": "NoSuchState"')
    # WHEN the definition is validated with its substitutions applied
    result = check_deploy(checkout / "template.yaml", "asl")
    # THEN the validator fails it
    assert result.returncode != 0
    assert "FAILED: asl" in result.stdout
    assert "NoSuchState" in result.stdout + result.stderr
