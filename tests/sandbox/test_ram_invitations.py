"""RAM invitations: what the receiver sees, accept, reject, expiry, leaving a share."""

from __future__ import annotations

import pytest

from reconciler.sandbox.errors import AwsError
from tests.sandbox.conftest import DEV, OWNER, PROD, RamWorld, card_arn


def _invite(world: RamWorld) -> tuple[str, str]:
    """Share "churn" with DEV; return (share ARN, invitation ARN)."""
    share = world.as_(OWNER)(
        "CreateResourceShare", name="cards", principals=[DEV], resourceArns=[card_arn("churn")]
    )["resourceShare"]["resourceShareArn"]
    world.settle()
    found = world.as_(DEV)("GetResourceShareInvitations")["resourceShareInvitations"]
    assert len(found) == 1
    return share, found[0]["resourceShareInvitationArn"]


def _principal_status(world: RamWorld) -> str:
    rows = world.as_(OWNER)("GetResourceShareAssociations", associationType="PRINCIPAL")
    return str(rows["resourceShareAssociations"][0]["status"])


def test_receiver_sees_pending_invitation(world: RamWorld) -> None:
    share, arn = _invite(world)
    invitation = world.as_(DEV)("GetResourceShareInvitations", resourceShareArns=[share])[
        "resourceShareInvitations"
    ][0]
    assert invitation["status"] == "PENDING" and invitation["senderAccountId"] == OWNER
    assert invitation["receiverAccountId"] == DEV and invitation["resourceShareName"] == "cards"
    assert world.as_(OWNER)("GetResourceShareInvitations")["resourceShareInvitations"] == []
    pending = world.as_(DEV)("ListPendingInvitationResources", resourceShareInvitationArn=arn)
    assert [r["arn"] for r in pending["resources"]] == [card_arn("churn")]


def test_accept_brings_the_share_into_force(world: RamWorld) -> None:
    share, arn = _invite(world)
    accepted = world.as_(DEV)(
        "AcceptResourceShareInvitation", resourceShareInvitationArn=arn, clientToken="accept-1"
    )
    assert accepted["resourceShareInvitation"]["status"] == "ACCEPTED"
    assert _principal_status(world) == "ASSOCIATED"
    shares = world.as_(DEV)("GetResourceShares", resourceOwner="OTHER-ACCOUNTS")["resourceShares"]
    assert [s["resourceShareArn"] for s in shares] == [share]
    replay = world.as_(DEV)(
        "AcceptResourceShareInvitation", resourceShareInvitationArn=arn, clientToken="accept-1"
    )
    assert replay == accepted
    with pytest.raises(AwsError) as exc:
        world.as_(DEV)("AcceptResourceShareInvitation", resourceShareInvitationArn=arn)
    assert exc.value.code == "ResourceShareInvitationAlreadyAcceptedException"


def test_reject_disassociates_the_principal(world: RamWorld) -> None:
    _, arn = _invite(world)
    world.as_(DEV)("RejectResourceShareInvitation", resourceShareInvitationArn=arn)
    assert _principal_status(world) == "DISASSOCIATED"
    with pytest.raises(AwsError) as exc:
        world.as_(DEV)("AcceptResourceShareInvitation", resourceShareInvitationArn=arn)
    assert exc.value.code == "ResourceShareInvitationAlreadyRejectedException"


def test_invitation_expires_and_principal_is_disassociated(world: RamWorld) -> None:
    _, arn = _invite(world)
    world.clock.advance(12 * 3600)
    status = world.as_(DEV)("GetResourceShareInvitations")["resourceShareInvitations"][0]["status"]
    assert status == "EXPIRED"
    row = world.as_(OWNER)("GetResourceShareAssociations", associationType="PRINCIPAL")[
        "resourceShareAssociations"
    ][0]
    assert row["status"] == "DISASSOCIATED" and "expired" in row["statusMessage"]
    for operation in ("AcceptResourceShareInvitation", "ListPendingInvitationResources"):
        with pytest.raises(AwsError) as exc:
            world.as_(DEV)(operation, resourceShareInvitationArn=arn)
        assert exc.value.code == "ResourceShareInvitationExpiredException"


def test_reassociating_after_expiry_sends_a_new_invitation(world: RamWorld) -> None:
    share, old = _invite(world)
    world.clock.advance(12 * 3600)
    world.as_(OWNER)("AssociateResourceShare", resourceShareArn=share, principals=[DEV])
    found = world.as_(DEV)("GetResourceShareInvitations")["resourceShareInvitations"]
    assert {i["status"] for i in found if i["resourceShareInvitationArn"] != old} == {"PENDING"}


def test_only_the_receiver_can_see_or_answer(world: RamWorld) -> None:
    _, arn = _invite(world)
    for account in (OWNER, PROD):
        with pytest.raises(AwsError) as exc:
            world.as_(account)("AcceptResourceShareInvitation", resourceShareInvitationArn=arn)
        assert exc.value.code == "ResourceShareInvitationArnNotFoundException"
    with pytest.raises(AwsError) as exc:
        world.as_(PROD)("GetResourceShareInvitations", resourceShareInvitationArns=[arn])
    assert exc.value.code == "ResourceShareInvitationArnNotFoundException"
    with pytest.raises(AwsError) as exc:
        world.as_(DEV)("AcceptResourceShareInvitation", resourceShareInvitationArn="nope")
    assert exc.value.code == "MalformedArnException"


def test_owner_withdrawing_a_pending_principal_removes_the_invitation(world: RamWorld) -> None:
    share, _ = _invite(world)
    world.as_(OWNER)("DisassociateResourceShare", resourceShareArn=share, principals=[DEV])
    assert world.as_(DEV)("GetResourceShareInvitations")["resourceShareInvitations"] == []


def test_receiver_can_leave_but_not_change_a_share(world: RamWorld) -> None:
    share, arn = _invite(world)
    world.as_(DEV)("AcceptResourceShareInvitation", resourceShareInvitationArn=arn)
    with pytest.raises(AwsError) as exc:
        world.as_(DEV)(
            "DisassociateResourceShare", resourceShareArn=share, resourceArns=[card_arn("churn")]
        )
    assert exc.value.code == "OperationNotPermittedException"
    world.as_(DEV)("DisassociateResourceShare", resourceShareArn=share, principals=[DEV])
    world.settle()
    assert _principal_status(world) == "DISASSOCIATED"


def test_max_results_uses_invalid_max_results(world: RamWorld) -> None:
    with pytest.raises(AwsError) as exc:
        world.as_(DEV)("GetResourceShareInvitations", maxResults=1000)
    assert exc.value.code == "InvalidMaxResultsException"
