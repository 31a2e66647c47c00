"""The apply role touches only what git declares or the reconciler owns: each attack is
made with exactly the printed apply policy, as the role, with the sandbox enforcing IAM.

Reproduced as found: the role could tag any untagged RAM share of the card account as
managed (adoption), then add an outside account to it (a principal-only
AssociateResourceShare carries no ram:RequestedResourceType), then delete it; the share
could hold subnets or Transit Gateways. It could likewise tag, overwrite and delete any
untagged card, and approve any model package. Adoption is now limited to the names git
declares when the policy is printed, and package approval to the packages git's cards
name; what the lifecycle needs still works (tests/test_iam_enforced.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.test_iam_enforced import OWNER, create_role, printed

Aws = Callable[..., Any]
Cli = Callable[..., Any]
OWNERSHIP = [
    {"key": "managed-by", "value": "reconciler"},
    {"key": "reconciler-source", "value": "shares/x.yaml"},
]
CARD_OWNERSHIP = [{"Key": t["key"], "Value": t["value"]} for t in OWNERSHIP]
GROUP = "churn"


def denied(call: Callable[[], Any]) -> None:
    with pytest.raises(ClientError) as raised:
        call()
    assert raised.value.response["Error"]["Code"] in {"AccessDenied", "AccessDeniedException"}


@pytest.fixture
def named_package(aws: Aws, card_account_env: str) -> str:
    found = aws("sagemaker")
    found.create_model_package_group(ModelPackageGroupName=GROUP)
    arn: str = found.create_model_package(ModelPackageGroupName=GROUP)["ModelPackageArn"]
    return arn


@pytest.fixture
def apply_role(cli: Cli, example_repo: Path, aws: Aws, named_package: str) -> str:
    """The apply role with exactly the policy printed for the example repository, whose
    card names a model package and whose registry follows it."""
    with (example_repo / "cards" / "Customer-Churn-Model-Card.yaml").open("a") as f:
        f.write(f"  model_package_details:\n    model_package_arn: {named_package}\n")
    with (example_repo / "reconciler.yaml").open("a") as f:
        f.write("registry: {sync_approval: true}\n")
    create_role(aws, OWNER, "ReconcilerApply", printed(cli, example_repo, "apply"))
    return "ReconcilerApply"


def test_a_share_git_does_not_declare_cannot_be_adopted_opened_or_deleted(
    aws: Aws, apply_role: str
) -> None:
    share = aws("ram").create_resource_share(name="payments-subnets")["resourceShare"]
    arn = share["resourceShareArn"]
    ram = aws("ram", role=apply_role)
    denied(lambda: ram.tag_resource(resourceShareArn=arn, tags=OWNERSHIP))
    denied(lambda: ram.associate_resource_share(resourceShareArn=arn, principals=["999999999999"]))
    denied(lambda: ram.update_resource_share(resourceShareArn=arn, allowExternalPrincipals=True))
    denied(lambda: ram.delete_resource_share(resourceShareArn=arn))


def test_a_share_git_declares_can_be_adopted(aws: Aws, apply_role: str) -> None:
    share = aws("ram").create_resource_share(name="churn-dev")["resourceShare"]
    ram = aws("ram", role=apply_role)
    ram.tag_resource(resourceShareArn=share["resourceShareArn"], tags=OWNERSHIP)
    tags = aws("ram").get_resource_shares(resourceOwner="SELF", name="churn-dev")
    assert {"key": "managed-by", "value": "reconciler"} in tags["resourceShares"][0]["tags"]


def test_a_card_git_does_not_declare_cannot_be_adopted_or_changed(
    aws: Aws, apply_role: str
) -> None:
    sagemaker = aws("sagemaker")
    arn = sagemaker.create_model_card(
        ModelCardName="Payments-Card", Content="{}", ModelCardStatus="Draft"
    )["ModelCardArn"]
    card = aws("sagemaker", role=apply_role)
    denied(lambda: card.add_tags(ResourceArn=arn, Tags=CARD_OWNERSHIP))
    denied(lambda: card.update_model_card(ModelCardName="Payments-Card", Content="{}"))
    denied(lambda: card.delete_model_card(ModelCardName="Payments-Card"))
    declared = sagemaker.create_model_card(
        ModelCardName="Customer-Churn-Model-Card", Content="{}", ModelCardStatus="Draft"
    )["ModelCardArn"]
    card.add_tags(ResourceArn=declared, Tags=CARD_OWNERSHIP)  # the card git declares


def test_only_the_packages_git_names_can_be_approved(
    aws: Aws, apply_role: str, named_package: str
) -> None:
    admin = aws("sagemaker")
    admin.create_model_package_group(ModelPackageGroupName="fraud")
    other = admin.create_model_package(ModelPackageGroupName="fraud")["ModelPackageArn"]
    sagemaker = aws("sagemaker", role=apply_role)
    denied(
        lambda: sagemaker.update_model_package(
            ModelPackageArn=other, ModelApprovalStatus="Approved"
        )
    )
    sagemaker.update_model_package(ModelPackageArn=named_package, ModelApprovalStatus="Approved")


STAGED = """name: churn
versions:
  - version: 1
    approval: PendingManualApproval
    stage: {name: Staging, status: InProgress}
"""


def test_the_apply_role_moves_a_version_only_to_the_stage_and_approval_git_declares(
    cli: Cli, example_repo: Path, aws: Aws, named_package: str
) -> None:
    """With the apply role's own credentials, outside any plan: the stage and approval a
    registry file declares can be set, Production and Approved (which no file names)
    cannot, and a call that only rewrites the embedded card is not narrowed."""
    (example_repo / "registry").mkdir()
    (example_repo / "registry" / f"{GROUP}.yaml").write_text(STAGED, encoding="utf-8")
    create_role(aws, OWNER, "ReconcilerApply", printed(cli, example_repo, "apply"))
    sagemaker = aws("sagemaker", role="ReconcilerApply")

    def update(**fields: Any) -> Any:
        return sagemaker.update_model_package(ModelPackageArn=named_package, **fields)

    update(ModelLifeCycle={"Stage": "Staging", "StageStatus": "InProgress"})
    update(ModelApprovalStatus="PendingManualApproval")
    update(ModelCard={"ModelCardContent": "{}", "ModelCardStatus": "Draft"})
    denied(lambda: update(ModelLifeCycle={"Stage": "Production", "StageStatus": "InProgress"}))
    denied(lambda: update(ModelLifeCycle={"Stage": "Staging", "StageStatus": "Approved"}))
    denied(lambda: update(ModelApprovalStatus="Approved"))
    lifecycle = aws("sagemaker").describe_model_package(ModelPackageName=named_package)
    assert lifecycle["ModelLifeCycle"]["Stage"] == "Staging"
    assert lifecycle["ModelApprovalStatus"] == "PendingManualApproval"
