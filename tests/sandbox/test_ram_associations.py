"""RAM associations: timed statuses, filters, limits, the Organization, SELF/OTHER views."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.sandbox.config import Organization, SandboxConfig
from reconciler.sandbox.errors import AwsError
from tests.sandbox.conftest import DEV, OTHER, OWNER, PROD, RamWorld, card_arn, make_world

ORG_ARN = "arn:aws:organizations::111111111111:organization/o-sandbox0001"
OU_ARN = "arn:aws:organizations::111111111111:ou/o-sandbox0001/ou-sb01-prod0001"


def _share(world: RamWorld, **params: Any) -> str:
    made = world.as_(OWNER)("CreateResourceShare", name="cards", **params)
    return str(made["resourceShare"]["resourceShareArn"])


def _statuses(world: RamWorld, kind: str, **filters: Any) -> dict[str, str]:
    found = world.as_(OWNER)("GetResourceShareAssociations", associationType=kind, **filters)
    return {a["associatedEntity"]: a["status"] for a in found["resourceShareAssociations"]}


def test_resource_association_settles_after_delay(world: RamWorld) -> None:
    _share(world, resourceArns=[card_arn("churn")])
    assert _statuses(world, "RESOURCE") == {card_arn("churn"): "ASSOCIATING"}
    world.settle()
    assert _statuses(world, "RESOURCE") == {card_arn("churn"): "ASSOCIATED"}


def test_association_status_is_a_real_filter(world: RamWorld) -> None:
    arn = _share(world, resourceArns=[card_arn("churn")])
    world.settle()
    world.as_(OWNER)(
        "AssociateResourceShare", resourceShareArn=arn, resourceArns=[card_arn("fraud")]
    )
    assert _statuses(world, "RESOURCE", associationStatus="ASSOCIATED") == {
        card_arn("churn"): "ASSOCIATED"
    }
    assert _statuses(world, "RESOURCE", resourceArn=card_arn("fraud")) == {
        card_arn("fraud"): "ASSOCIATING"
    }
    with pytest.raises(AwsError) as exc:
        _statuses(world, "PRINCIPAL", resourceArn=card_arn("churn"))
    assert exc.value.code == "InvalidParameterException"


def test_disassociate_passes_through_disassociating(world: RamWorld) -> None:
    arn = _share(world, resourceArns=[card_arn("churn")])
    world.settle()
    out = world.as_(OWNER)(
        "DisassociateResourceShare", resourceShareArn=arn, resourceArns=[card_arn("churn")]
    )
    assert out["resourceShareAssociations"][0]["status"] == "DISASSOCIATING"
    world.settle()
    assert _statuses(world, "RESOURCE") == {card_arn("churn"): "DISASSOCIATED"}
    with pytest.raises(AwsError) as exc:
        world.as_(OWNER)(
            "DisassociateResourceShare", resourceShareArn=arn, resourceArns=[card_arn("churn")]
        )
    assert exc.value.code == "UnknownResourceException"


def test_disassociate_while_associating_is_refused(world: RamWorld) -> None:
    arn = _share(world, resourceArns=[card_arn("churn")])
    with pytest.raises(AwsError) as exc:
        world.as_(OWNER)(
            "DisassociateResourceShare", resourceShareArn=arn, resourceArns=[card_arn("churn")]
        )
    assert exc.value.code == "InvalidStateTransitionException"


def test_at_most_100_resources_per_call(world: RamWorld) -> None:
    arn = _share(world)
    many = [card_arn(f"c{i}") for i in range(101)]
    with pytest.raises(AwsError) as exc:
        world.as_(OWNER)("AssociateResourceShare", resourceShareArn=arn, resourceArns=many)
    assert exc.value.code == "ResourceShareLimitExceededException"
    assert exc.value.message == "You can associate up to 100 resources per call."


def test_external_principal_needs_allow_external(world: RamWorld) -> None:
    arn = _share(world, allowExternalPrincipals=False)
    with pytest.raises(AwsError) as exc:
        world.as_(OWNER)("AssociateResourceShare", resourceShareArn=arn, principals=[DEV])
    assert exc.value.code == "OperationNotPermittedException"
    assert "can only be shared within your AWS Organization" in exc.value.message


def test_external_principal_waits_for_invitation(world: RamWorld) -> None:
    _share(world, resourceArns=[card_arn("churn")], principals=[DEV])
    world.settle()
    rows = world.as_(OWNER)("GetResourceShareAssociations", associationType="PRINCIPAL")
    row = rows["resourceShareAssociations"][0]
    assert (row["status"], row["external"]) == ("ASSOCIATING", True)
    assert (
        world.as_(DEV)("GetResourceShares", resourceOwner="OTHER-ACCOUNTS")["resourceShares"] == []
    )


def test_org_member_gets_access_without_invitation(org_world: RamWorld) -> None:
    _share(
        org_world, resourceArns=[card_arn("churn")], principals=[DEV], allowExternalPrincipals=False
    )
    org_world.settle()
    row = org_world.as_(OWNER)("GetResourceShareAssociations", associationType="PRINCIPAL")[
        "resourceShareAssociations"
    ][0]
    assert (row["status"], row["external"]) == ("ASSOCIATED", False)
    assert org_world.as_(DEV)("GetResourceShareInvitations")["resourceShareInvitations"] == []
    seen = org_world.as_(DEV)("ListResources", resourceOwner="OTHER-ACCOUNTS")["resources"]
    assert [(r["arn"], r["type"]) for r in seen] == [(card_arn("churn"), "sagemaker:ModelCard")]


def test_org_and_ou_principals(org_world: RamWorld) -> None:
    _share(org_world, resourceArns=[card_arn("churn")], principals=[OU_ARN])
    org_world.settle()
    prod = org_world.as_(PROD)("ListResources", resourceOwner="OTHER-ACCOUNTS")["resources"]
    dev = org_world.as_(DEV)("ListResources", resourceOwner="OTHER-ACCOUNTS")["resources"]
    assert len(prod) == 1 and dev == []
    principals = org_world.as_(PROD)("ListPrincipals", resourceOwner="OTHER-ACCOUNTS")
    assert [p["id"] for p in principals["principals"]] == [OU_ARN]
    with pytest.raises(AwsError) as exc:
        _share(
            org_world, principals=["arn:aws:organizations::111111111111:ou/o-sandbox0001/ou-x-1"]
        )
    assert exc.value.code == "UnknownResourceException"


def test_org_principal_refused_without_org_or_sharing() -> None:
    no_sharing = Organization(
        management_account=OWNER, members=frozenset({DEV}), ram_sharing_enabled=False
    )
    for config in (SandboxConfig(), SandboxConfig(organization=no_sharing)):
        world = make_world(config)
        with pytest.raises(AwsError) as exc:
            _share(world, principals=[ORG_ARN])
        assert exc.value.code == "OperationNotPermittedException"


def test_enable_sharing_turns_org_sharing_on() -> None:
    org = Organization(
        management_account=OWNER, members=frozenset({DEV}), ram_sharing_enabled=False
    )
    world = make_world(SandboxConfig(organization=org))
    with pytest.raises(AwsError):
        world.as_(DEV)("EnableSharingWithAwsOrganization")
    assert world.as_(OWNER)("EnableSharingWithAwsOrganization")["returnValue"] is True
    _share(world, principals=[ORG_ARN])


def test_list_resources_and_principals_self_side(world: RamWorld) -> None:
    arn = _share(world, resourceArns=[card_arn("churn"), card_arn("fraud")], principals=[DEV, PROD])
    world.settle()
    call = world.as_(OWNER)
    resources = call(
        "ListResources",
        resourceOwner="SELF",
        resourceType="SageMaker:ModelCard",
        resourceArns=[card_arn("fraud")],
    )["resources"]
    assert [(r["arn"], r["resourceShareArn"], r["status"]) for r in resources] == [
        (card_arn("fraud"), arn, "AVAILABLE")
    ]
    assert call("ListResources", resourceOwner="SELF", principal=OTHER)["resources"] == []
    page = call("ListPrincipals", resourceOwner="SELF", maxResults=1)
    assert [p["id"] for p in page["principals"]] == [DEV]
    rest = call("ListPrincipals", resourceOwner="SELF", nextToken=page["nextToken"])
    assert [p["id"] for p in rest["principals"]] == [PROD]
    with pytest.raises(AwsError) as exc:
        call("ListResources", resourceOwner="SELF", resourceType="ec2:Subnet")
    assert exc.value.code == "InvalidResourceTypeException"


def test_deleted_card_leaves_shares(world: RamWorld) -> None:
    _share(world, resourceArns=[card_arn("churn")])
    world.settle()
    world.service.on_resource_deleted(card_arn("churn"))
    assert _statuses(world, "RESOURCE") == {card_arn("churn"): "DISASSOCIATED"}


def test_reset_forgets_everything(world: RamWorld) -> None:
    _share(world)
    world.service.reset()
    assert world.as_(OWNER)("GetResourceShares", resourceOwner="SELF")["resourceShares"] == []
