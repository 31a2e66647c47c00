"""The workflow roles' trust policies (``reconciler.iam.trust``) under the sandbox's
``AssumeRoleWithWebIdentity``, with GitHub-like tokens it signs: only each role's workflow
file on the default branch assumes it, and apply only from the production environment."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from reconciler.iam.trust import GitHubRepository, WorkflowRole, trust_policy
from reconciler.sandbox.iam.oidc import github_claims

OWNER = "111111111111"
REPO = GitHubRepository(name="acme/model-cards")


@pytest.fixture
def role(sandbox: Any) -> Any:
    """``role(WorkflowRole)``: the role in the card account with its printed trust policy,
    beside the account's IAM OIDC provider for GitHub."""
    iam = sandbox.client("iam", OWNER)
    iam.create_open_id_connect_provider(
        Url="https://token.actions.githubusercontent.com", ClientIDList=["sts.amazonaws.com"]
    )

    def make(which: WorkflowRole) -> str:
        policy = trust_policy(which, REPO, partition="aws", account_id=OWNER)
        created = iam.create_role(
            RoleName=f"Reconciler-{which.value}", AssumeRolePolicyDocument=json.dumps(policy)
        )
        return str(created["Role"]["Arn"])

    return make


def assumes(sandbox: Any, role_arn: str, claims: dict[str, Any]) -> bool:
    sts = boto3.client("sts", endpoint_url=sandbox.endpoint, region_name="us-east-1")
    try:
        sts.assume_role_with_web_identity(
            RoleArn=role_arn, RoleSessionName="gha", WebIdentityToken=sandbox.oidc_token(claims)
        )
    except ClientError as e:
        assert e.response["Error"]["Code"] == "AccessDenied", e.response["Error"]
        return False
    return True


def test_only_plan_run_on_the_default_branch_assumes_the_plan_role(sandbox: Any, role: Any) -> None:
    plan = role(WorkflowRole.PLAN)
    assert assumes(sandbox, plan, github_claims(REPO.name, workflow="plan-run.yml"))
    pull_request = github_claims(
        REPO.name, workflow="plan-run.yml", ref="refs/pull/7/merge", event_name="pull_request"
    )
    assert not assumes(sandbox, plan, pull_request)  # the author's own copy of the file
    assert not assumes(sandbox, plan, github_claims(REPO.name, workflow="drift.yml"))
    feature = github_claims(REPO.name, workflow="plan-run.yml", ref="refs/heads/feature")
    assert not assumes(sandbox, plan, feature)


def test_only_the_production_environment_assumes_the_apply_role(sandbox: Any, role: Any) -> None:
    apply = role(WorkflowRole.APPLY)
    production = github_claims(REPO.name, workflow="apply.yml", environment="production")
    assert assumes(sandbox, apply, production)
    assert not assumes(sandbox, apply, github_claims(REPO.name, workflow="apply.yml"))
    staging = github_claims(REPO.name, workflow="apply.yml", environment="staging")
    assert not assumes(sandbox, apply, staging)
    elsewhere = github_claims(
        REPO.name, workflow="apply.yml", environment="production", ref="refs/heads/feature"
    )
    assert not assumes(sandbox, apply, elsewhere)


def test_only_drift_assumes_the_drift_role(sandbox: Any, role: Any) -> None:
    drift = role(WorkflowRole.DRIFT)
    assert assumes(sandbox, drift, github_claims(REPO.name, workflow="drift.yml"))
    assert not assumes(sandbox, drift, github_claims(REPO.name, workflow="plan-run.yml"))
    other = github_claims("someone/fork", workflow="drift.yml")
    assert not assumes(sandbox, drift, other)


def test_only_acceptance_on_the_default_branch_assumes_the_acceptance_role(
    sandbox: Any, role: Any
) -> None:
    """A manual run of acceptance.yml can be started on any branch; only the default
    branch's file gets the role that reaches the accounts kept for acceptance."""
    acceptance = role(WorkflowRole.ACCEPTANCE)
    assert assumes(sandbox, acceptance, github_claims(REPO.name, workflow="acceptance.yml"))
    feature = github_claims(REPO.name, workflow="acceptance.yml", ref="refs/heads/feature")
    assert not assumes(sandbox, acceptance, feature)
    assert not assumes(sandbox, acceptance, github_claims(REPO.name, workflow="drift.yml"))
