"""Identity policies on RAM calls: condition keys, resource types, dependent SageMaker actions."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from reconciler.sandbox.config import SandboxConfig
from tests.sandbox.conftest import DEV, OWNER, REGION, allow, deny

SHARES = f"arn:aws:ram:{REGION}:{OWNER}:resource-share/*"
RESOURCE_POLICY = [
    "sagemaker:PutResourcePolicy",
    "sagemaker:GetResourcePolicy",
    "sagemaker:DeleteResourcePolicy",
]
MANAGER = allow(["ram:*", *RESOURCE_POLICY])


def denied(call, **kwargs) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    assert caught.value.response["Error"]["Code"] == "AccessDeniedException"
    return str(caught.value.response["Error"]["Message"])


@pytest.fixture
def card(account) -> str:
    return account(OWNER).sagemaker.create_model_card(
        ModelCardName="churn", Content="{}", ModelCardStatus="Draft"
    )["ModelCardArn"]


def test_create_share_of_a_card_needs_put_resource_policy(role, card, account) -> None:
    scoped = role(allow("ram:*"))
    message = denied(
        scoped.ram.create_resource_share, name="s", resourceArns=[card], principals=[DEV]
    )
    assert message.endswith(
        "perform: sagemaker:PutResourcePolicy on resource: * because no identity-based "
        "policy allows the sagemaker:PutResourcePolicy action"
    )
    assert account(OWNER).ram.get_resource_shares(resourceOwner="SELF")["resourceShares"] == []
    scoped.ram.create_resource_share(name="empty", principals=[DEV])  # no card: no policy


def test_get_resource_policy_is_needed_unless_switched_off(sandbox, role, card) -> None:
    scoped = role(allow(["ram:*", "sagemaker:PutResourcePolicy"]))
    message = denied(scoped.ram.create_resource_share, name="s", resourceArns=[card])
    assert "sagemaker:GetResourcePolicy" in message
    sandbox.configure(SandboxConfig(iam_ram_needs_get_resource_policy=False))
    scoped.ram.create_resource_share(name="s", resourceArns=[card])


def test_taking_a_card_out_needs_delete_resource_policy(role, card) -> None:
    scoped = role(allow(["ram:*", "sagemaker:PutResourcePolicy", "sagemaker:GetResourcePolicy"]))
    arn = scoped.ram.create_resource_share(name="s", resourceArns=[card])["resourceShare"][
        "resourceShareArn"
    ]
    message = denied(
        scoped.ram.disassociate_resource_share, resourceShareArn=arn, resourceArns=[card]
    )
    assert "sagemaker:DeleteResourcePolicy" in message
    message = denied(scoped.ram.delete_resource_share, resourceShareArn=arn)
    assert "sagemaker:DeleteResourcePolicy" in message


def test_principal_condition_limits_share_targets(role, card) -> None:
    only_dev = allow(
        "ram:CreateResourceShare",
        condition={"ForAllValues:StringEquals": {"ram:Principal": [DEV]}},
    )
    scoped = role(only_dev, allow(RESOURCE_POLICY))
    scoped.ram.create_resource_share(name="ok", resourceArns=[card], principals=[DEV])
    denied(
        scoped.ram.create_resource_share,
        name="no",
        resourceArns=[card],
        principals=[DEV, "333333333333"],
    )


def test_requested_allows_external_principals_counts_the_default(role) -> None:
    scoped = role(
        MANAGER,
        deny(
            "ram:CreateResourceShare",
            condition={"Bool": {"ram:RequestedAllowsExternalPrincipals": "true"}},
        ),
    )
    message = denied(scoped.ram.create_resource_share, name="implicit-true")
    assert "with an explicit deny in an identity-based policy" in message
    denied(scoped.ram.create_resource_share, name="true", allowExternalPrincipals=True)
    scoped.ram.create_resource_share(name="internal", allowExternalPrincipals=False)


def test_list_permission_versions_has_no_resource_type(role) -> None:
    scoped = role(allow("ram:ListPermissionVersions", "arn:aws:ram::aws:permission/*"))
    permission = "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCards"
    message = denied(scoped.ram.list_permission_versions, permissionArn=permission)
    assert "ram:ListPermissionVersions on resource: * because" in message
    wide = role(allow("ram:ListPermissionVersions"), name="Wide")
    assert wide.ram.list_permission_versions(permissionArn=permission)["permissions"]


def test_resource_tag_condition_guards_owned_shares(role, account) -> None:
    admin = account(OWNER).ram
    owned = admin.create_resource_share(name="a", tags=[{"key": "managed-by", "value": "rec"}])
    other = admin.create_resource_share(name="b")
    scoped = role(
        allow(
            "ram:UpdateResourceShare",
            SHARES,
            condition={"StringEquals": {"aws:ResourceTag/managed-by": "rec"}},
        )
    )
    scoped.ram.update_resource_share(
        resourceShareArn=owned["resourceShare"]["resourceShareArn"], name="a2"
    )
    denied(
        scoped.ram.update_resource_share,
        resourceShareArn=other["resourceShare"]["resourceShareArn"],
        name="b2",
    )


def test_request_tags_on_create_share(role) -> None:
    scoped = role(
        allow(
            "ram:CreateResourceShare",
            condition={"StringEquals": {"aws:RequestTag/managed-by": "rec"}},
        )
    )
    denied(scoped.ram.create_resource_share, name="untagged")
    scoped.ram.create_resource_share(name="t", tags=[{"key": "managed-by", "value": "rec"}])


def test_accepting_an_invitation_can_be_limited_to_an_owner(sandbox, role, card, account) -> None:
    account(OWNER).ram.create_resource_share(name="s", resourceArns=[card], principals=[DEV])
    sandbox.advance(sandbox.config.association_delay_seconds + 1)
    scoped = role(
        allow(
            ["ram:GetResourceShareInvitations", "ram:AcceptResourceShareInvitation"],
            condition={"StringEqualsIfExists": {"ram:ShareOwnerAccountId": "999999999999"}},
        ),
        account=DEV,
    )
    invitation = scoped.ram.get_resource_share_invitations()["resourceShareInvitations"][0]
    arn = invitation["resourceShareInvitationArn"]
    message = denied(scoped.ram.accept_resource_share_invitation, resourceShareInvitationArn=arn)
    assert f"on resource: {arn} because" in message
    assert (
        account(DEV).ram.get_resource_share_invitations()["resourceShareInvitations"][0]["status"]
        == "PENDING"
    )


def test_customer_managed_permission_by_its_type(role) -> None:
    template = '{"Effect": "Allow", "Action": ["sagemaker:DescribeModelCard"]}'
    scoped = role(
        allow(
            "ram:CreatePermission",
            condition={"StringEquals": {"ram:PermissionResourceType": "sagemaker:ModelCard"}},
        )
    )
    scoped.ram.create_permission(
        name="ReadOnly", resourceType="sagemaker:ModelCard", policyTemplate=template
    )
    message = denied(
        scoped.ram.create_permission,
        name="Tagged",
        resourceType="sagemaker:ModelCard",
        policyTemplate=template,
        tags=[{"key": "k", "value": "v"}],
    )
    assert "ram:TagResource" in message
