"""What the tests of shared model package groups share: the owner's group with one
version, and a RAM share of it that a consumer account accepts."""

from __future__ import annotations

from typing import Any

from tests.sandbox.conftest import DEV, OWNER

GROUP = "churn-models"
GROUP_TYPE = "sagemaker:ModelPackageGroup"
READ = "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelPackageGroup"
REGISTER = READ + "AllowRegister"
DEPLOY = READ + "AllowDeploy"
READS = [
    "sagemaker:DescribeModelPackage",
    "sagemaker:DescribeModelPackageGroup",
    "sagemaker:ListModelPackages",
]


def owner_group(aws: Any, account: str = OWNER, name: str = GROUP) -> tuple[str, str]:
    """A group of ``account`` with one version: (group ARN, version ARN)."""
    sm = aws("sagemaker", account)
    group = sm.create_model_package_group(ModelPackageGroupName=name)["ModelPackageGroupArn"]
    version = sm.create_model_package(ModelPackageGroupName=name)["ModelPackageArn"]
    return str(group), str(version)


def share_group(
    aws: Any,
    sandbox: Any,
    group: str,
    permission: str = READ,
    *,
    owner: str = OWNER,
    consumer: str = DEV,
) -> str:
    """Share ``group`` of ``owner`` with ``consumer`` under ``permission``; the consumer
    accepts the invitation. The share's ARN."""
    share = aws("ram", owner).create_resource_share(
        name="groups", resourceArns=[group], principals=[consumer], permissionArns=[permission]
    )["resourceShare"]["resourceShareArn"]
    sandbox.advance(1)
    ram = aws("ram", consumer)
    (invitation,) = [
        i
        for i in ram.get_resource_share_invitations()["resourceShareInvitations"]
        if i["resourceShareArn"] == share
    ]
    ram.accept_resource_share_invitation(
        resourceShareInvitationArn=invitation["resourceShareInvitationArn"]
    )
    sandbox.advance(1)
    return str(share)


def versions(aws: Any, group: str, account: str = OWNER) -> list[str]:
    """The ARNs of the group's versions, as its owner lists them."""
    listed = aws("sagemaker", account).list_model_packages(ModelPackageGroupName=group)
    return [v["ModelPackageArn"] for v in listed["ModelPackageSummaryList"]]
