"""The card account's stack: GitHub's OIDC provider (unless the account has one), the plan,
drift and apply roles, the exports bucket when reconciler.yaml has ``exports:``, and when
asked the probe and acceptance roles (``operators``).

Each role holds exactly ``policy_document(<role>)`` (`reconciler iam-policy --role <role>`)
and is trusted exactly as ``trust_policy`` prints it (`iam-policy --role <role> --trust`):
only its workflow file on the default branch, apply only from the ``production``
environment. Nothing here restates a policy. The bucket is encrypted by default with S3's
own keys (SSE-S3: the export jobs write with the apply role's credentials, and SSE-KMS
would need KMS permissions the printed policy does not hold), blocks public access,
enforces bucket ownership (no ACLs) and carries ``exports_bucket_policy``; it is retained
when the stack is deleted, since it holds the audit trail.
"""

from __future__ import annotations

from typing import Any

from reconciler.bootstrap.model import (
    BOOTSTRAPPED,
    ROLE_NAMES,
    ROLE_VARIABLES,
    BootstrapSettings,
    Template,
    logical_id,
)
from reconciler.bootstrap.operators import ACCEPTANCE, PROBE, acceptance_role, probe_role
from reconciler.bootstrap.roles import Resource, RoleSpec, arn_output, role_resources
from reconciler.common.regions import partition_for
from reconciler.desired.model import Config, DesiredState, Exports
from reconciler.iam.bucket import exports_bucket_policy
from reconciler.iam.policy import policy_document
from reconciler.iam.trust import AUDIENCE, GITHUB_ISSUER, WorkflowRole, trust_policy

PROVIDER = "GitHubOidcProvider"
BUCKET, BUCKET_POLICY = "ExportsBucket", "ExportsBucketPolicy"


def card_account_template(state: DesiredState, settings: BootstrapSettings) -> Template:
    """The stack to deploy in ``state``'s card account."""
    config = state.config
    resources: dict[str, Resource] = {}
    if settings.oidc_provider:
        resources[PROVIDER] = oidc_provider()
    for role in BOOTSTRAPPED:
        resources.update(role_resources(_role_spec(role, state, settings)))
    for spec in _before_the_first_merge(state, settings):
        resources.update(role_resources(spec))
    if config.exports is not None:
        resources.update(exports_bucket(config, config.exports))
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"Model card reconciler of {settings.github.name} in card account "
        f"{config.card_account_id}: the workflows' roles (reconciler bootstrap)",
        "Resources": resources,
        "Outputs": outputs(config, settings),
    }


def _before_the_first_merge(state: DesiredState, settings: BootstrapSettings) -> list[RoleSpec]:
    """The probe role (with operators) and the acceptance suite's role (when asked)."""
    found = [probe_role(state, settings)] if settings.operators else []
    if settings.acceptance:
        found.append(acceptance_role(state, settings))
    return found


def oidc_provider() -> Resource:
    """GitHub's OIDC provider; no thumbprint (IAM verifies GitHub's keys through trusted
    certificate authorities and ignores one given for this issuer)."""
    return {
        "Type": "AWS::IAM::OIDCProvider",
        "Properties": {"Url": f"https://{GITHUB_ISSUER}", "ClientIdList": [AUDIENCE]},
    }


def _role_spec(role: WorkflowRole, state: DesiredState, settings: BootstrapSettings) -> RoleSpec:
    config, github = state.config, settings.github
    trust = trust_policy(
        role,
        github,
        partition=partition_for(config.region),
        account_id=config.card_account_id,
    )
    return RoleSpec(
        logical_id=logical_id(role),
        name=ROLE_NAMES[role],
        trust=trust,
        printed_as=role.value,
        policy=policy_document(role.value, state),
        description=f"reconciler {role.value}: `reconciler iam-policy --role {role.value}`; "
        f"assumed only by {role.workflow} on {github.default_branch} of {github.name}",
        depends_on=PROVIDER if settings.oidc_provider else None,
    )


def exports_bucket(config: Config, exports: Exports) -> dict[str, Resource]:
    """The bucket the export jobs write PDFs to, and its policy."""
    block = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
    encryption = {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
    bucket = {
        "Type": "AWS::S3::Bucket",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "BucketName": exports.bucket,
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [encryption]},
            "PublicAccessBlockConfiguration": dict.fromkeys(block, True),
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        },
    }
    policy = {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": {"Ref": BUCKET},
            "PolicyDocument": exports_bucket_policy(config, exports),
        },
    }
    return {BUCKET: bucket, BUCKET_POLICY: policy}


def outputs(config: Config, settings: BootstrapSettings) -> dict[str, Any]:
    """Each role's ARN (for the repository variables, the probe and the acceptance suite),
    and the bucket's name."""
    found: dict[str, Any] = {}
    for role in BOOTSTRAPPED:
        described = f"{ROLE_VARIABLES[role]}: the {role.value} role"
        found.update(arn_output(logical_id(role), described))
    if settings.operators:
        found.update(arn_output(PROBE, "reconciler probe --role-arn: the probe role"))
    if settings.acceptance:
        described = "RECONCILER_ACC_CARD_ROLE_ARN: the acceptance suite's role"
        found.update(arn_output(ACCEPTANCE, described))
    if config.exports is not None:
        found["ExportsBucketName"] = {
            "Description": "The bucket of reconciler.yaml's exports",
            "Value": {"Ref": BUCKET},
        }
    return found
