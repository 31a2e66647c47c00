"""The cross-account story told with boto3 alone: share a card, accept, use it, lose it.

Accounts: 111111111111 owns the cards; 222222222222 (dev) and 444444444444 (prod) use
them; 555555555555 is never shared anything. No reconciler code is involved.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from reconciler.sandbox.config import Organization, SandboxConfig

OWNER, DEV, PROD, STRANGER = "111111111111", "222222222222", "444444444444", "555555555555"
FIRST = json.dumps({"model_overview": {"model_description": "churn v1"}})
SECOND = json.dumps({"model_overview": {"model_description": "churn v2, edited by dev"}})
READ_ONLY = json.dumps(
    {
        "Effect": "Allow",
        "Action": ["sagemaker:DescribeModelCard", "sagemaker:ListModelCardVersions"],
    }
)


def code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def create_card(aws: Any) -> str:
    made = aws("sagemaker", OWNER).create_model_card(
        ModelCardName="churn", Content=FIRST, ModelCardStatus="Draft"
    )
    return str(made["ModelCardArn"])


def share_with(aws: Any, sandbox: Any, account: str, card: str, **extra: Any) -> str:
    made = aws("ram", OWNER).create_resource_share(
        name=f"cards-{account}",
        resourceArns=[card],
        principals=[account],
        allowExternalPrincipals=True,
        **extra,
    )
    sandbox.advance(1)  # past association_delay_seconds
    return str(made["resourceShare"]["resourceShareArn"])


def accept_invitation(aws: Any, account: str, share: str) -> str:
    ram = aws("ram", account)
    found = ram.get_resource_share_invitations(resourceShareArns=[share])
    invitation = found["resourceShareInvitations"][0]
    assert invitation["status"] == "PENDING" and invitation["senderAccountId"] == OWNER
    ram.accept_resource_share_invitation(
        resourceShareInvitationArn=invitation["resourceShareInvitationArn"]
    )
    return str(invitation["resourceShareInvitationArn"])


def denied(call: Any, **params: Any) -> str:
    with pytest.raises(ClientError) as exc:
        call(**params)
    return code(exc)


def test_dev_accepts_an_invitation_and_edits_the_card(sandbox: Any, aws: Any) -> None:
    card = create_card(aws)
    share = share_with(aws, sandbox, DEV, card)
    dev = aws("sagemaker", DEV)
    assert denied(dev.describe_model_card, ModelCardName=card) == "AccessDeniedException"
    accept_invitation(aws, DEV, share)

    assert dev.describe_model_card(ModelCardName=card)["Content"] == FIRST
    dev.update_model_card(ModelCardName=card, Content=SECOND)

    owner = aws("sagemaker", OWNER)
    latest = owner.describe_model_card(ModelCardName="churn")
    assert (latest["ModelCardVersion"], latest["Content"]) == (2, SECOND)
    assert f"::{DEV}:" in latest["LastModifiedBy"]["IamIdentity"]["Arn"]
    versions = owner.list_model_card_versions(ModelCardName="churn")["ModelCardVersionSummaryList"]
    assert sorted(v["ModelCardVersion"] for v in versions) == [1, 2]


def test_prod_with_a_read_only_permission_cannot_update(sandbox: Any, aws: Any) -> None:
    card = create_card(aws)
    permission = aws("ram", OWNER).create_permission(
        name="ModelCardReadOnly", resourceType="sagemaker:ModelCard", policyTemplate=READ_ONLY
    )["permission"]["arn"]
    share = share_with(aws, sandbox, PROD, card, permissionArns=[permission])
    accept_invitation(aws, PROD, share)

    prod = aws("sagemaker", PROD)
    assert prod.describe_model_card(ModelCardName=card)["ModelCardStatus"] == "Draft"
    assert prod.list_model_card_versions(ModelCardName=card)["ModelCardVersionSummaryList"]
    assert denied(prod.update_model_card, ModelCardName=card, Content=SECOND) == (
        "AccessDeniedException"
    )


def test_inside_an_organization_no_invitation_is_needed(sandbox: Any, aws: Any) -> None:
    sandbox.configure(
        SandboxConfig(
            organization=Organization(management_account=OWNER, members=frozenset({DEV, PROD}))
        )
    )
    card = create_card(aws)
    share_with(aws, sandbox, DEV, card)
    invitations = aws("ram", DEV).get_resource_share_invitations()["resourceShareInvitations"]
    assert invitations == []
    assert aws("sagemaker", DEV).describe_model_card(ModelCardName=card)["ModelCardName"] == "churn"


def test_an_account_outside_the_share_is_denied(sandbox: Any, aws: Any) -> None:
    card = create_card(aws)
    accept_invitation(aws, DEV, share_with(aws, sandbox, DEV, card))
    stranger = aws("sagemaker", STRANGER)
    assert denied(stranger.describe_model_card, ModelCardName=card) == "AccessDeniedException"
    assert (
        aws("ram", STRANGER).get_resource_shares(resourceOwner="OTHER-ACCOUNTS")["resourceShares"]
        == []
    )


def test_access_ends_with_disassociation(sandbox: Any, aws: Any) -> None:
    card = create_card(aws)
    share = share_with(aws, sandbox, DEV, card)
    accept_invitation(aws, DEV, share)
    aws("ram", OWNER).disassociate_resource_share(resourceShareArn=share, principals=[DEV])
    dev = aws("sagemaker", DEV)
    assert denied(dev.describe_model_card, ModelCardName=card) == "AccessDeniedException"


def test_rejected_or_expired_invitations_grant_nothing(sandbox: Any, aws: Any) -> None:
    card = create_card(aws)
    dev_share = share_with(aws, sandbox, DEV, card)
    invitation = aws("ram", DEV).get_resource_share_invitations(resourceShareArns=[dev_share])[
        "resourceShareInvitations"
    ][0]["resourceShareInvitationArn"]
    aws("ram", DEV).reject_resource_share_invitation(resourceShareInvitationArn=invitation)
    dev = aws("sagemaker", DEV)
    assert denied(dev.describe_model_card, ModelCardName=card) == "AccessDeniedException"

    prod_share = share_with(aws, sandbox, PROD, card)
    sandbox.advance(sandbox.config.invitation_ttl_seconds)
    prod_ram = aws("ram", PROD)
    late = prod_ram.get_resource_share_invitations(resourceShareArns=[prod_share])[
        "resourceShareInvitations"
    ][0]
    assert late["status"] == "EXPIRED"
    assert denied(
        prod_ram.accept_resource_share_invitation,
        resourceShareInvitationArn=late["resourceShareInvitationArn"],
    ) == ("ResourceShareInvitationExpiredException")
    prod = aws("sagemaker", PROD)
    assert denied(prod.describe_model_card, ModelCardName=card) == "AccessDeniedException"
