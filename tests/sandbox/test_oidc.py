"""``AssumeRoleWithWebIdentity`` with GitHub Actions tokens: the sandbox signs tokens for
given claims, and a role's trust policy is evaluated on the claims AWS exposes (``sub``,
``aud``, ``job_workflow_ref``, ``environment``, ``ref``, ``repository`` …).

These are the trust policies docs/ci.md prints and issue 17 needs proven: only the
workflow file on main may assume the plan role, only the production environment the apply
role. Before, moto issued a session of any role for any token.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from reconciler.sandbox.config import SandboxConfig
from reconciler.sandbox.declared import OidcProvider
from reconciler.sandbox.iam.oidc import github_claims
from tests.sandbox.conftest import DEV, OWNER, REGION

REPO = "octo-org/model-cards"
HOST = "token.actions.githubusercontent.com"
PROVIDER = f"arn:aws:iam::{OWNER}:oidc-provider/{HOST}"
PLAN_WORKFLOW = f"{REPO}/.github/workflows/plan.yml@refs/heads/main"


def trust(condition: dict[str, Any], provider: str = PROVIDER) -> str:
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": provider},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": condition,
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


PLAN_TRUST = {
    "StringEquals": {f"{HOST}:aud": "sts.amazonaws.com", f"{HOST}:job_workflow_ref": PLAN_WORKFLOW},
    "StringLike": {f"{HOST}:sub": f"repo:{REPO}:*"},
}
APPLY_TRUST = {
    "StringEquals": {
        f"{HOST}:aud": "sts.amazonaws.com",
        f"{HOST}:sub": f"repo:{REPO}:environment:production",
        f"{HOST}:environment": "production",
        f"{HOST}:repository": REPO,
    }
}


@pytest.fixture
def github(sandbox: Any) -> Any:
    """The card account's IAM OIDC provider for GitHub, as users create it."""
    sandbox.client("iam", OWNER).create_open_id_connect_provider(
        Url=f"https://{HOST}", ClientIDList=["sts.amazonaws.com"]
    )
    return sandbox


def role(sandbox: Any, name: str, condition: dict[str, Any], account: str = OWNER) -> str:
    provider = f"arn:aws:iam::{account}:oidc-provider/{HOST}"
    return str(
        sandbox.client("iam", account).create_role(
            RoleName=name, AssumeRolePolicyDocument=trust(condition, provider)
        )["Role"]["Arn"]
    )


def assume(sandbox: Any, role_arn: str, token: str) -> dict[str, Any]:
    sts = boto3.client("sts", endpoint_url=sandbox.endpoint, region_name=REGION)
    result: dict[str, Any] = sts.assume_role_with_web_identity(
        RoleArn=role_arn, RoleSessionName="gha", WebIdentityToken=token
    )
    return result


def refused(sandbox: Any, role_arn: str, token: str) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        assume(sandbox, role_arn, token)
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def test_the_plan_workflow_on_main_assumes_the_plan_role(github: Any) -> None:
    plan = role(github, "ReconcilerPlan", PLAN_TRUST)
    token = github.oidc_token(github_claims(REPO, workflow="plan.yml"))
    result = assume(github, plan, token)
    assert (
        result["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{OWNER}:assumed-role/ReconcilerPlan/gha"
    )
    assert result["SubjectFromWebIdentityToken"] == f"repo:{REPO}:ref:refs/heads/main"
    assert result["Provider"] == f"https://{HOST}" and result["Audience"] == "sts.amazonaws.com"
    creds = result["Credentials"]
    who = boto3.client(
        "sts",
        endpoint_url=github.endpoint,
        region_name=REGION,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    ).get_caller_identity()
    assert who["Arn"] == result["AssumedRoleUser"]["Arn"]


@pytest.mark.parametrize(
    "claims",
    [
        github_claims(REPO, workflow="evil.yml"),  # another workflow file
        github_claims(REPO, workflow="plan.yml", ref="refs/heads/feature"),  # another branch
        {
            **github_claims(REPO, workflow="plan.yml"),
            "sub": "repo:someone/else:ref:refs/heads/main",
        },
        {**github_claims(REPO, workflow="plan.yml"), "aud": "https://github.com/octo-org"},
    ],
    ids=["other-workflow", "other-branch", "other-repository", "other-audience"],
)
def test_only_the_plan_workflow_on_main_assumes_the_plan_role(github: Any, claims: Any) -> None:
    plan = role(github, "ReconcilerPlan", PLAN_TRUST)
    code, message = refused(github, plan, github.oidc_token(claims))
    if claims["aud"] != "sts.amazonaws.com":
        assert (code, message) == ("InvalidIdentityToken", "Incorrect token audience")
    else:
        assert (code, message) == (
            "AccessDenied",
            "Not authorized to perform sts:AssumeRoleWithWebIdentity",
        )


def test_only_the_production_environment_assumes_the_apply_role(github: Any) -> None:
    apply = role(github, "ReconcilerApply", APPLY_TRUST)
    production = github_claims(REPO, workflow="apply.yml", environment="production")
    assume(github, apply, github.oidc_token(production))
    for claims in (
        github_claims(REPO, workflow="apply.yml"),  # no environment: sub names the branch
        github_claims(REPO, workflow="apply.yml", environment="staging"),
        github_claims(REPO, event_name="pull_request", ref="refs/pull/7/merge"),
    ):
        assert refused(github, apply, github.oidc_token(claims))[0] == "AccessDenied"


def test_the_ref_claim_is_a_condition_key(github: Any) -> None:
    main_only = role(github, "MainOnly", {"StringEquals": {f"{HOST}:ref": "refs/heads/main"}})
    assume(github, main_only, github.oidc_token(github_claims(REPO)))
    tag = github_claims(REPO, ref="refs/tags/v1")
    assert refused(github, main_only, github.oidc_token(tag))[0] == "AccessDenied"


def test_a_claim_aws_does_not_expose_is_a_loud_error(github: Any) -> None:
    condition = {"StringEquals": {f"{HOST}:workflow_ref": PLAN_WORKFLOW}}
    code, message = refused(
        github, role(github, "R", condition), github.oidc_token(github_claims(REPO))
    )
    assert code == "SandboxCannotEvaluateCondition"
    assert f"{HOST}:workflow_ref" in message and "trust policy of" in message


def test_a_token_the_sandbox_did_not_sign_is_invalid(github: Any) -> None:
    plan = role(github, "ReconcilerPlan", PLAN_TRUST)
    token = github.oidc_token(github_claims(REPO, workflow="plan.yml"))
    header, payload, signature = token.split(".")
    forged = ".".join(
        (header, payload, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB"))
    )
    assert refused(github, plan, forged)[0] == "InvalidIdentityToken"


def test_an_expired_token_is_refused(github: Any) -> None:
    plan = role(github, "ReconcilerPlan", PLAN_TRUST)
    token = github.oidc_token(github_claims(REPO, workflow="plan.yml"), lifetime=60)
    github.advance(61)
    code, message = refused(github, plan, token)
    assert code == "ExpiredTokenException" and message.startswith("Token expired")


def test_an_account_without_the_provider_refuses_the_token(sandbox: Any) -> None:
    plan = role(sandbox, "ReconcilerPlan", PLAN_TRUST)
    code, message = refused(
        sandbox, plan, sandbox.oidc_token(github_claims(REPO, workflow="plan.yml"))
    )
    assert code == "InvalidIdentityToken"
    assert message == f"No OpenIDConnect provider found in your account for https://{HOST}"


def test_a_provider_declared_in_the_accounts_file_counts(sandbox: Any) -> None:
    sandbox.configure(SandboxConfig(oidc_providers=(OidcProvider(accounts=(DEV,)),)))
    plan = role(sandbox, "ReconcilerPlan", PLAN_TRUST, account=DEV)
    assume(sandbox, plan, sandbox.oidc_token(github_claims(REPO, workflow="plan.yml")))


def test_a_role_that_does_not_exist_is_not_authorized(github: Any) -> None:
    token = github.oidc_token(github_claims(REPO))
    code, _ = refused(github, f"arn:aws:iam::{OWNER}:role/Nope", token)
    assert code == "AccessDenied"
