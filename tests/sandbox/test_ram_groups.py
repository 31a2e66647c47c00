"""Model package groups shared through the sandbox's RAM: the resource type and its AWS
managed permissions, the resource policy RAM writes on the group, and what a consumer
account may do with a shared group and its versions (no more than the permission grants)."""

from __future__ import annotations

import json
from dataclasses import replace

from tests.sandbox.conftest import DEV, OWNER
from tests.sandbox.shared_groups import (
    DEPLOY,
    GROUP,
    GROUP_TYPE,
    READ,
    READS,
    owner_group,
    share_group,
)
from tests.sandbox.test_registry import error_of


def test_a_consumer_cannot_approve_a_version_of_a_group_shared_read_only(aws, sandbox) -> None:
    group, version = owner_group(aws)
    share_group(aws, sandbox, group)
    consumer = aws("sagemaker", DEV)
    code, message = error_of(
        consumer.update_model_package, ModelPackageArn=version, ModelApprovalStatus="Approved"
    )
    assert code == "AccessDeniedException" and "sagemaker:UpdateModelPackage" in message
    owner = aws("sagemaker").describe_model_package(ModelPackageName=version)
    assert owner["ModelApprovalStatus"] == "PendingManualApproval"


def test_a_shared_group_is_listed_and_read_by_its_arn(aws, sandbox) -> None:
    group, version = owner_group(aws)
    consumer = aws("sagemaker", DEV)
    assert error_of(consumer.describe_model_package_group, ModelPackageGroupName=group)[0] == (
        "AccessDeniedException"
    )
    share_group(aws, sandbox, group)
    listed = consumer.list_model_package_groups(CrossAccountFilterOption="CrossAccount")
    assert [g["ModelPackageGroupArn"] for g in listed["ModelPackageGroupSummaryList"]] == [group]
    assert consumer.list_model_package_groups()["ModelPackageGroupSummaryList"] == []
    described = consumer.describe_model_package_group(ModelPackageGroupName=group)
    assert described["ModelPackageGroupName"] == GROUP
    versions = consumer.list_model_packages(ModelPackageGroupName=group)
    assert [v["ModelPackageArn"] for v in versions["ModelPackageSummaryList"]] == [version]
    assert consumer.describe_model_package(ModelPackageName=version)["ModelPackageVersion"] == 1


def test_ram_names_the_type_and_its_managed_permissions(aws, sandbox) -> None:
    group, _ = owner_group(aws)
    ram = aws("ram")
    listed = ram.list_permissions(resourceType=GROUP_TYPE)["permissions"]
    assert sorted(p["name"] for p in listed) == [
        "AWSRAMPermissionSageMakerModelPackageGroup",
        "AWSRAMPermissionSageMakerModelPackageGroupAllowDeploy",
        "AWSRAMPermissionSageMakerModelPackageGroupAllowRegister",
    ]
    assert {p["resourceType"] for p in listed} == {GROUP_TYPE}
    template = ram.get_permission(permissionArn=READ)["permission"]["permission"]
    assert sorted(json.loads(template)["Action"]) == READS
    share = share_group(aws, sandbox, group)
    resources = ram.list_resources(resourceOwner="SELF", resourceType=GROUP_TYPE)["resources"]
    assert [(r["arn"], r["type"]) for r in resources] == [(group, GROUP_TYPE)]
    assert (
        ram.list_resources(resourceOwner="SELF", resourceType="sagemaker:ModelCard")["resources"]
        == []
    )
    attached = ram.list_resource_share_permissions(resourceShareArn=share)["permissions"]
    assert [(p["arn"], p["resourceType"]) for p in attached] == [(READ, GROUP_TYPE)]


def test_ram_writes_the_groups_resource_policy(aws, sandbox) -> None:
    group, _ = owner_group(aws)
    sm = aws("sagemaker")
    assert error_of(sm.get_model_package_group_policy, ModelPackageGroupName=GROUP)[0] == (
        "ValidationException"
    )
    share_group(aws, sandbox, group)
    policy = json.loads(
        sm.get_model_package_group_policy(ModelPackageGroupName=GROUP)["ResourcePolicy"]
    )
    (statement,) = policy["Statement"]
    assert statement["Principal"] == {"AWS": [DEV]}
    assert statement["Action"] == READS
    versions = group.replace(":model-package-group/", ":model-package/") + "/*"
    assert statement["Resource"] == [group, versions]
    # botocore's ModelPackageGroupName here takes a name, not an ARN: only the owner reads it.
    consumer = aws("sagemaker", DEV)
    code, _ = error_of(consumer.get_model_package_group_policy, ModelPackageGroupName=group)
    assert code == "ValidationException"


def test_a_consumer_updates_a_version_only_when_the_permission_allows_it(aws, sandbox) -> None:
    allowing = dict(sandbox.config.ram_group_permissions)
    allowing["AWSRAMPermissionSageMakerModelPackageGroupAllowDeploy"] = (
        *READS,
        "sagemaker:UpdateModelPackage",
    )
    sandbox.configure(replace(sandbox.config, ram_group_permissions=allowing))
    group, version = owner_group(aws)
    share_group(aws, sandbox, group, DEPLOY)
    aws("sagemaker", DEV).update_model_package(
        ModelPackageArn=version, ModelApprovalStatus="Approved"
    )
    owner = aws("sagemaker").describe_model_package(ModelPackageName=version)
    assert owner["ModelApprovalStatus"] == "Approved"


def test_only_an_existing_group_of_the_owner_can_be_shared(aws) -> None:
    group, _ = owner_group(aws)
    ram = aws("ram", DEV)
    for arn in (group, group.replace(GROUP, "nope").replace(OWNER, DEV)):
        code, _ = error_of(
            ram.create_resource_share, name="theirs", resourceArns=[arn], principals=[OWNER]
        )
        assert code == "UnknownResourceException"
