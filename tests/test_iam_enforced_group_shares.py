"""Shares of model package groups under exactly the policies `reconciler iam-policy` prints:
apply shares the groups git selects with the accounts git names, verify checks them as each
reader role, and the apply role itself can share no other group, with no other account.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from tests.test_iam_enforced import OWNER, READER, Run, create_role, edit, printed

GROUP, OTHER_GROUP = "Churn-Models", "Fraud-Models"
TEST = "333333333333"
PERMISSION = "AWSRAMPermissionSageMakerModelPackageGroup"


def arn_of(name: str) -> str:
    return f"arn:aws:sagemaker:us-east-1:{OWNER}:model-package-group/{name.lower()}"


def declare(repo: Path) -> None:
    """The group with a version awaiting approval, shared with test under read-only."""
    (repo / "registry").mkdir()
    (repo / "registry" / f"{GROUP}.yaml").write_text(
        f"name: {GROUP}\nversions:\n  - version: 1\n    approval: PendingManualApproval\n"
    )
    edit(
        repo,
        "shares/churn-test.yaml",
        "tags: {purpose: testing}",
        "tags: {purpose: testing}\nmodel_package_groups:\n"
        f"  approval: [PendingManualApproval]\n  permission: {PERMISSION}\n",
    )


def readers_hold(sandbox: Any, policy: dict[str, Any]) -> None:
    roles = tuple(
        replace(r, policies={"verify": policy}) if r.name == READER else r
        for r in sandbox.config.roles
    )
    sandbox.configure(replace(sandbox.config, roles=roles, association_delay_seconds=0.02))


def denied(call: Callable[[], Any]) -> bool:
    try:
        call()
    except ClientError as e:
        return e.response["Error"]["Code"] == "AccessDeniedException"
    return False


def test_apply_shares_only_the_selected_groups_with_declared_accounts(
    cli: Callable[..., Any],
    example_repo: Path,
    card_account_env: str,
    sandbox: Any,
    aws: Callable[..., Any],
) -> None:
    sm = aws("sagemaker")
    for name in (GROUP, OTHER_GROUP):
        sm.create_model_package_group(ModelPackageGroupName=name)
        sm.create_model_package(ModelPackageGroupName=name)
    declare(example_repo)
    readers_hold(sandbox, printed(cli, example_repo, "verify"))
    create_role(aws, OWNER, "ReconcilerApply", printed(cli, example_repo, "apply"))
    run = Run(cli, example_repo)
    result = run("ReconcilerApply", "apply", "--auto-approve", "--force", "--format", "json")
    report = json.loads(result.stdout)
    assert report["converged"], result.stderr
    test = next(c for c in report["consumers"] if c["share"] == "churn-test")
    assert (test["groups_visible"], test["ok"]) == ([GROUP], True), test

    ram = aws("ram", role="ReconcilerApply")
    share = next(
        s["resourceShareArn"]
        for s in ram.get_resource_shares(resourceOwner="SELF", name="churn-test")["resourceShares"]
    )
    tags = [{"key": "managed-by", "value": "reconciler"}]
    assert denied(
        lambda: ram.associate_resource_share(
            resourceShareArn=share, resourceArns=[arn_of(OTHER_GROUP)]
        )
    )
    assert denied(
        lambda: ram.create_resource_share(
            name="churn-test-copy",
            resourceArns=[arn_of(GROUP)],
            principals=["555555555555"],
            tags=tags,
            allowExternalPrincipals=False,
        )
    )
    assert not denied(
        lambda: ram.create_resource_share(
            name="churn-test-copy",
            resourceArns=[arn_of(GROUP)],
            principals=[TEST],
            tags=tags,
            allowExternalPrincipals=False,
        )
    )
