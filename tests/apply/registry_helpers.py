"""What the Model Registry scenarios share: a training pipeline's registrations, a
registry file, and the plan and live versions read through the CLI and plain boto3."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.apply.helpers import OWNER, Aws, Cli
from tests.test_output_schemas import conforms

GROUP = "Churn-Models"
DRAFT_CARD = {"model_overview": {"model_creator": "pipeline"}}


def register(aws: Aws, versions: int = 3) -> list[str]:
    """A training pipeline's registrations: each version with a Draft card."""
    sm = aws("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName=GROUP, ModelPackageGroupDescription="churn")
    card = {"ModelCardContent": json.dumps(DRAFT_CARD), "ModelCardStatus": "Draft"}
    return [
        sm.create_model_package(ModelPackageGroupName=GROUP, ModelCard=card)["ModelPackageArn"]
        for _ in range(versions)
    ]


def declare(repo: Path, text: str) -> None:
    (repo / "registry").mkdir(exist_ok=True)
    (repo / "registry" / f"{GROUP}.yaml").write_text(f"name: {GROUP}\n" + text)


def plan(cli: Cli, repo: Path) -> tuple[int, dict[str, Any]]:
    result = cli("plan", "--repo", str(repo), "--format", "json")
    return result.exit_code, conforms("plan", result.stdout)


def described(aws: Aws, arn: str) -> dict[str, Any]:
    found: dict[str, Any] = aws("sagemaker").describe_model_package(ModelPackageName=arn)
    return found


REVIEWED = """tags: {team: churn}
versions:
  - version: 2
    approval: PendingManualApproval
    stage: {name: QA, status: InProgress}
    card:
      status: PendingReview
      content:
        model_overview: {model_creator: pipeline}
        intended_uses: {risk_rating: Low, intended_uses: Weekly scoring}
"""


def group_arn() -> str:
    """The ARN SageMaker gives the group (its name in lower case)."""
    return f"arn:aws:sagemaker:us-east-1:{OWNER}:model-package-group/{GROUP.lower()}"
