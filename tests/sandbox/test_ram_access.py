"""RamService.authorize: which account may do what on another account's card, and when."""

from __future__ import annotations

import json

import pytest

from reconciler.sandbox.errors import AwsError
from tests.sandbox.conftest import DEV, OTHER, OWNER, PROD, RamWorld, card_arn

DESCRIBE, UPDATE = "sagemaker:DescribeModelCard", "sagemaker:UpdateModelCard"
EXPORT = "sagemaker:CreateModelCardExportJob"


def _allowed(world: RamWorld, account: str, action: str, arn: str = card_arn("churn")) -> bool:
    try:
        world.service.authorize(account, arn, action)
    except AwsError as exc:
        assert exc.code == "AccessDeniedException" and action in exc.message
        return False
    return True


def _share_with_dev(world: RamWorld) -> tuple[str, str]:
    share = world.as_(OWNER)(
        "CreateResourceShare", name="s", principals=[DEV], resourceArns=[card_arn("churn")]
    )["resourceShare"]["resourceShareArn"]
    world.settle()
    invitation = world.as_(DEV)("GetResourceShareInvitations")["resourceShareInvitations"][0]
    return share, invitation["resourceShareInvitationArn"]


def test_access_only_after_acceptance(world: RamWorld) -> None:
    _, invitation = _share_with_dev(world)
    assert not _allowed(world, DEV, DESCRIBE)
    world.as_(DEV)("AcceptResourceShareInvitation", resourceShareInvitationArn=invitation)
    assert _allowed(world, DEV, DESCRIBE) and _allowed(world, DEV, UPDATE)
    assert _allowed(world, DEV, "SageMaker:describemodelcard")
    assert not _allowed(world, DEV, EXPORT)
    assert not _allowed(world, OTHER, DESCRIBE)
    assert not _allowed(world, DEV, DESCRIBE, card_arn("fraud"))


def test_owner_is_always_allowed(world: RamWorld) -> None:
    assert _allowed(world, OWNER, DESCRIBE)


def test_access_stops_after_disassociation(world: RamWorld) -> None:
    share, invitation = _share_with_dev(world)
    world.as_(DEV)("AcceptResourceShareInvitation", resourceShareInvitationArn=invitation)
    world.as_(OWNER)("DisassociateResourceShare", resourceShareArn=share, principals=[DEV])
    assert not _allowed(world, DEV, DESCRIBE)


def test_access_stops_after_resource_removal_and_share_deletion(world: RamWorld) -> None:
    share, invitation = _share_with_dev(world)
    world.as_(DEV)("AcceptResourceShareInvitation", resourceShareInvitationArn=invitation)
    world.as_(OWNER)("DeleteResourceShare", resourceShareArn=share)
    assert not _allowed(world, DEV, DESCRIBE)


def test_no_access_after_rejection_or_expiry(world: RamWorld) -> None:
    _, invitation = _share_with_dev(world)
    world.as_(DEV)("RejectResourceShareInvitation", resourceShareInvitationArn=invitation)
    assert not _allowed(world, DEV, DESCRIBE)
    _share_with_prod(world)
    world.clock.advance(12 * 3600)
    assert not _allowed(world, PROD, DESCRIBE)


def _share_with_prod(world: RamWorld) -> tuple[str, str]:
    share = world.as_(OWNER)(
        "CreateResourceShare", name="p", principals=[PROD], resourceArns=[card_arn("churn")]
    )["resourceShare"]["resourceShareArn"]
    world.settle()
    invitation = world.as_(PROD)("GetResourceShareInvitations")["resourceShareInvitations"][0]
    return share, invitation["resourceShareInvitationArn"]


def test_customer_managed_permission_limits_actions(world: RamWorld) -> None:
    template = json.dumps(
        {"Effect": "Allow", "Action": [DESCRIBE, "sagemaker:ListModelCardVersions"]}
    )
    permission = world.as_(OWNER)(
        "CreatePermission",
        name="ReadOnly",
        resourceType="sagemaker:ModelCard",
        policyTemplate=template,
    )["permission"]["arn"]
    world.as_(OWNER)(
        "CreateResourceShare",
        name="prod",
        principals=[PROD],
        permissionArns=[permission],
        resourceArns=[card_arn("churn")],
    )
    world.settle()
    invitation = world.as_(PROD)("GetResourceShareInvitations")["resourceShareInvitations"][0]
    world.as_(PROD)(
        "AcceptResourceShareInvitation",
        resourceShareInvitationArn=invitation["resourceShareInvitationArn"],
    )
    assert _allowed(world, PROD, DESCRIBE)
    assert not _allowed(world, PROD, UPDATE)


def test_org_access_follows_membership(org_world: RamWorld) -> None:
    org_world.as_(OWNER)(
        "CreateResourceShare",
        name="org",
        resourceArns=[card_arn("churn")],
        principals=["arn:aws:organizations::111111111111:organization/o-sandbox0001"],
    )
    assert not _allowed(org_world, DEV, DESCRIBE)  # still ASSOCIATING
    org_world.settle()
    assert _allowed(org_world, DEV, DESCRIBE) and not _allowed(org_world, OTHER, DESCRIBE)


def test_denial_names_the_caller_when_given(world: RamWorld) -> None:
    with pytest.raises(AwsError) as exc:
        world.service.authorize(
            DEV,
            card_arn("churn"),
            DESCRIBE,
            principal_arn="arn:aws:sts::222222222222:assumed-role/R/s",
        )
    assert exc.value.message.startswith("User: arn:aws:sts::222222222222:assumed-role/R/s is not")
