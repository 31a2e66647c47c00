"""The demo's accounts, and what the copied example repository and the sandbox are given
before the first step: the audit trail's bucket and model package (declared in
reconciler.yaml and the card), and roles holding exactly what `iam-policy` prints, the
card account acting as the apply role."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reconciler.cli.demo.checks import expect
from reconciler.iam.policy import policy_document
from reconciler.run.pipeline import load_valid

CARD_ACCOUNT, DEV, TEST, PROD = "111111111111", "222222222222", "333333333333", "444444444444"
CARD = "Customer-Churn-Model-Card"
ADMIN = "SandboxAdmin"
APPLY_ROLE, READER_ROLE = "ReconcilerApply", "ModelCardReader"
EXPORT_BUCKET = "model-card-exports"
PACKAGE_GROUP = "customer-churn"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{CARD_ACCOUNT}:root"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def audit_trail(sandbox: Any, repo: Path) -> str:
    """A bucket for the PDFs and a model package awaiting approval, which reconciler.yaml
    and the card declare; the package's ARN."""
    sandbox.client("s3", CARD_ACCOUNT, ADMIN).create_bucket(Bucket=EXPORT_BUCKET)
    sagemaker = sandbox.client("sagemaker", CARD_ACCOUNT, ADMIN)
    sagemaker.create_model_package_group(ModelPackageGroupName=PACKAGE_GROUP)
    package = sagemaker.create_model_package(ModelPackageGroupName=PACKAGE_GROUP)
    package_arn: str = package["ModelPackageArn"]
    with (repo / "reconciler.yaml").open("a", encoding="utf-8") as config:
        config.write(
            f"exports: {{bucket: {EXPORT_BUCKET}, prefix: model-cards}}\n"
            "registry: {sync_approval: true}\n"
        )
    with (repo / "cards" / f"{CARD}.yaml").open("a", encoding="utf-8") as card:
        card.write(f"  model_package_details:\n    model_package_arn: {package_arn}\n")
    return package_arn


def least_privilege(sandbox: Any, repo: Path) -> None:
    """The apply role in the card account and a reader role in each target account, each
    holding its `iam-policy`; then reconciler.yaml has the card account act as the apply
    role, which the sandbox holds to its policy."""
    state = load_valid(repo)
    roles = [(CARD_ACCOUNT, APPLY_ROLE, "apply")]
    roles += [(account, READER_ROLE, "verify") for account in (DEV, TEST, PROD)]
    for account, name, role in roles:
        iam = sandbox.client("iam", account, ADMIN)
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))
        iam.put_role_policy(
            RoleName=name,
            PolicyName="reconciler",
            PolicyDocument=json.dumps(policy_document(role, state)),
        )
    _act_as_apply_role(repo / "reconciler.yaml")


def _act_as_apply_role(config: Path) -> None:
    anchor = f'  id: "{CARD_ACCOUNT}"'
    text = config.read_text(encoding="utf-8")
    expect(anchor in text, "reconciler.yaml names the card account")
    role_arn = f"arn:aws:iam::{CARD_ACCOUNT}:role/{APPLY_ROLE}"
    config.write_text(text.replace(anchor, f'{anchor}\n  role_arn: "{role_arn}"', 1))
