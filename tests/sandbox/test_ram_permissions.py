"""RAM permissions: AWS-managed ones, customer-managed ones, and a share's permission."""

from __future__ import annotations

import json

import pytest

from reconciler.sandbox.config import SandboxConfig
from reconciler.sandbox.errors import AwsError
from tests.sandbox.conftest import DEV, OWNER, RamWorld, card_arn

DEFAULT = "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCards"
EXPORT = "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCardsAllowExport"
READ_ONLY = json.dumps(
    {
        "Effect": "Allow",
        "Action": ["sagemaker:DescribeModelCard", "sagemaker:ListModelCardVersions"],
    }
)


def _create(world: RamWorld, name: str = "ReadOnly", template: str = READ_ONLY) -> str:
    made = world.as_(OWNER)(
        "CreatePermission", name=name, resourceType="sagemaker:ModelCard", policyTemplate=template
    )
    return str(made["permission"]["arn"])


def test_managed_permissions_listed_case_insensitively(world: RamWorld) -> None:
    found = world.as_(OWNER)("ListPermissions", resourceType="SAGEMAKER:modelcard")["permissions"]
    assert [(p["arn"], p["isResourceTypeDefault"]) for p in found] == [
        (DEFAULT, True),
        (EXPORT, False),
    ]
    first = found[0]
    assert first["version"] == "1" and first["defaultVersion"] is True
    assert first["permissionType"] == "AWS_MANAGED" and first["status"] == "ATTACHABLE"
    types = world.as_(OWNER)("ListResourceTypes")["resourceTypes"]
    assert {
        "resourceType": "sagemaker:ModelCard",
        "serviceName": "sagemaker",
        "resourceRegionScope": "REGIONAL",
    } in types
    assert sorted(t["resourceType"] for t in types) == sorted(SandboxConfig().ram_resource_types)


def test_get_permission_returns_the_policy(world: RamWorld) -> None:
    detail = world.as_(OWNER)("GetPermission", permissionArn=EXPORT)["permission"]
    actions = json.loads(detail["permission"])["Action"]
    assert "sagemaker:CreateModelCardExportJob" in actions and len(actions) == 5
    with pytest.raises(AwsError) as exc:
        world.as_(OWNER)("GetPermission", permissionArn="arn:aws:ram::aws:permission/Nope")
    assert exc.value.code == "UnknownResourceException"


def test_customer_managed_permission_lifecycle(world: RamWorld) -> None:
    arn = _create(world)
    assert arn == f"arn:aws:ram:us-east-1:{OWNER}:permission/ReadOnly"
    mine = world.as_(OWNER)("ListPermissions", permissionType="CUSTOMER_MANAGED")["permissions"]
    assert [p["permissionType"] for p in mine] == ["CUSTOMER_MANAGED"]
    assert world.as_(DEV)("ListPermissions", permissionType="CUSTOMER_MANAGED")["permissions"] == []
    with pytest.raises(AwsError) as exc:
        _create(world)
    assert (exc.value.code, exc.value.status) == ("PermissionAlreadyExistsException", 409)
    world.as_(OWNER)("CreatePermissionVersion", permissionArn=arn, policyTemplate=READ_ONLY)
    versions = world.as_(OWNER)("ListPermissionVersions", permissionArn=arn)["permissions"]
    assert [(v["version"], v["defaultVersion"]) for v in versions] == [("1", False), ("2", True)]
    assert world.as_(OWNER)("DeletePermission", permissionArn=arn)["permissionStatus"] == "DELETED"


@pytest.mark.parametrize(
    ("template", "code"),
    [
        ("{not json", "MalformedPolicyTemplateException"),
        (
            json.dumps({"Effect": "Deny", "Action": "sagemaker:DescribeModelCard"}),
            "MalformedPolicyTemplateException",
        ),
        (
            json.dumps(
                {"Effect": "Allow", "Action": "sagemaker:DescribeModelCard", "Resource": "*"}
            ),
            "MalformedPolicyTemplateException",
        ),
        (json.dumps({"Effect": "Allow", "Action": ["s3:GetObject"]}), "InvalidPolicyException"),
        (
            json.dumps({"Effect": "Allow", "Action": ["sagemaker:DeleteModelCard"]}),
            "InvalidPolicyException",
        ),
    ],
)
def test_policy_template_is_checked(world: RamWorld, template: str, code: str) -> None:
    with pytest.raises(AwsError) as exc:
        _create(world, template=template)
    assert exc.value.code == code


def test_permission_in_use_cannot_be_deleted(world: RamWorld) -> None:
    arn = _create(world)
    world.as_(OWNER)(
        "CreateResourceShare", name="s", permissionArns=[arn], resourceArns=[card_arn("churn")]
    )
    with pytest.raises(AwsError) as exc:
        world.as_(OWNER)("DeletePermission", permissionArn=arn)
    assert exc.value.code == "OperationNotPermittedException"


def test_share_gets_default_permission_and_replace_is_explicit(world: RamWorld) -> None:
    call = world.as_(OWNER)
    share = call("CreateResourceShare", name="s", resourceArns=[card_arn("churn")])[
        "resourceShare"
    ]["resourceShareArn"]
    listed = call("ListResourceSharePermissions", resourceShareArn=share)["permissions"]
    assert [p["arn"] for p in listed] == [DEFAULT]
    with pytest.raises(AwsError) as exc:
        call("AssociateResourceSharePermission", resourceShareArn=share, permissionArn=EXPORT)
    assert exc.value.code == "InvalidParameterException"
    call(
        "AssociateResourceSharePermission",
        resourceShareArn=share,
        permissionArn=EXPORT,
        replace=True,
    )
    listed = call("ListResourceSharePermissions", resourceShareArn=share)["permissions"]
    assert [p["arn"] for p in listed] == [EXPORT]
    found = call("GetResourceShares", resourceOwner="SELF", permissionArn=EXPORT)["resourceShares"]
    assert len(found) == 1
    world.settle()
    with pytest.raises(AwsError) as exc:
        call("DisassociateResourceSharePermission", resourceShareArn=share, permissionArn=EXPORT)
    assert exc.value.code == "InvalidStateTransitionException"


def test_one_permission_per_type_on_create(world: RamWorld) -> None:
    with pytest.raises(AwsError) as exc:
        world.as_(OWNER)("CreateResourceShare", name="s", permissionArns=[DEFAULT, EXPORT])
    assert exc.value.code == "InvalidParameterException"


def test_other_accounts_permission_cannot_be_attached(world: RamWorld) -> None:
    arn = _create(world)
    with pytest.raises(AwsError) as exc:
        world.as_(DEV)("CreateResourceShare", name="s", permissionArns=[arn])
    assert exc.value.code == "UnknownResourceException"
