"""iam.trust: each workflow role trusts one workflow file on the default branch, and that
file is the one, among the repository's workflows, that assumes the role."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from reconciler.iam.trust import GitHubRepository, WorkflowRole, trust_policy

REPO = GitHubRepository(name="acme/model-cards")
WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"
VARIABLE = {
    WorkflowRole.PLAN: "RECONCILER_PLAN_ROLE_ARN",
    WorkflowRole.DRIFT: "RECONCILER_DRIFT_ROLE_ARN",
    WorkflowRole.APPLY: "RECONCILER_APPLY_ROLE_ARN",
    WorkflowRole.ACCEPTANCE: "RECONCILER_ACCEPTANCE_ROLE_ARN",
}


def conditions(role: WorkflowRole) -> dict[str, str]:
    policy = trust_policy(role, REPO, partition="aws", account_id="111111111111")
    (statement,) = policy["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Principal"] == {
        "Federated": ("arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com")
    }
    assert set(statement["Condition"]) == {"StringEquals"}, "exact values, no wildcards"
    found: dict[str, str] = statement["Condition"]["StringEquals"]
    return found


@pytest.mark.parametrize("role", list(WorkflowRole), ids=lambda r: r.value)
def test_each_role_trusts_its_workflow_file_on_the_default_branch_only(role: WorkflowRole) -> None:
    found = conditions(role)
    key = "token.actions.githubusercontent.com"
    assert found[f"{key}:aud"] == "sts.amazonaws.com"
    assert found[f"{key}:job_workflow_ref"] == (
        f"acme/model-cards/.github/workflows/{role.workflow}@refs/heads/main"
    )
    assert "pull_request" not in json.dumps(found)
    assert "*" not in json.dumps(found)


def test_plan_and_drift_name_the_default_branch_and_apply_its_environment() -> None:
    sub = "token.actions.githubusercontent.com:sub"
    assert conditions(WorkflowRole.PLAN)[sub] == "repo:acme/model-cards:ref:refs/heads/main"
    assert conditions(WorkflowRole.DRIFT)[sub] == "repo:acme/model-cards:ref:refs/heads/main"
    assert conditions(WorkflowRole.ACCEPTANCE)[sub] == "repo:acme/model-cards:ref:refs/heads/main"
    apply = conditions(WorkflowRole.APPLY)
    assert apply[sub] == "repo:acme/model-cards:environment:production"
    assert apply["token.actions.githubusercontent.com:ref"] == "refs/heads/main"


def test_another_default_branch_is_named_in_every_condition() -> None:
    trunk = GitHubRepository(name="acme/model-cards", default_branch="trunk")
    text = json.dumps(trust_policy(WorkflowRole.PLAN, trunk, partition="aws", account_id="1"))
    assert "refs/heads/trunk" in text and "refs/heads/main" not in text


@pytest.mark.parametrize("role", list(WorkflowRole), ids=lambda r: r.value)
def test_the_trusted_file_is_the_workflow_that_assumes_the_role(role: WorkflowRole) -> None:
    """The role's variable appears in its trusted file and in no other workflow: a role
    assumed anywhere else would fail, and a trusted file that assumes another role would
    hold more than its job needs."""
    users = [
        p.name for p in sorted(WORKFLOWS.glob("*.yml")) if VARIABLE[role] in p.read_text("utf-8")
    ]
    assert users == [role.workflow]
    document = yaml.safe_load((WORKFLOWS / role.workflow).read_text("utf-8"))
    assert document["jobs"], role.workflow
