"""RAM resource shares: create, read with filters and paging, update, delete, tag, tokens."""

from __future__ import annotations

import pytest

from reconciler.sandbox.errors import AwsError
from tests.sandbox.conftest import DEV, OWNER, RamWorld, card_arn


def _code(exc: pytest.ExceptionInfo[AwsError]) -> str:
    return exc.value.code


def test_create_returns_full_share_with_defaults(world: RamWorld) -> None:
    share = world.as_(OWNER)("CreateResourceShare", name="cards", resourceArns=[card_arn("churn")])
    body = share["resourceShare"]
    assert body["name"] == "cards" and body["owningAccountId"] == OWNER
    assert body["allowExternalPrincipals"] is True and body["status"] == "ACTIVE"
    assert body["featureSet"] == "STANDARD" and body["tags"] == []
    assert body["resourceShareArn"].startswith(f"arn:aws:ram:us-east-1:{OWNER}:resource-share/")
    assert isinstance(body["creationTime"], float) and "clientToken" in share


@pytest.mark.parametrize(
    ("arn", "code"),
    [
        ("not-an-arn", "MalformedArnException"),
        ("arn:aws:ec2:us-east-1:111111111111:subnet/subnet-1", "MalformedArnException"),
        (card_arn("missing"), "UnknownResourceException"),
        (card_arn("churn", account=DEV), "UnknownResourceException"),
    ],
)
def test_create_rejects_bad_resources(world: RamWorld, arn: str, code: str) -> None:
    with pytest.raises(AwsError) as exc:
        world.as_(OWNER)("CreateResourceShare", name="x", resourceArns=[arn])
    assert _code(exc) == code and exc.value.status == 400
    assert world.as_(OWNER)("GetResourceShares", resourceOwner="SELF")["resourceShares"] == []


@pytest.mark.parametrize("principal", ["*", "12345", "arn:aws:iam::222222222222:role/x", OWNER])
def test_create_rejects_bad_principals(world: RamWorld, principal: str) -> None:
    with pytest.raises(AwsError) as exc:
        world.as_(OWNER)("CreateResourceShare", name="x", principals=[principal])
    assert _code(exc) == "InvalidParameterException"


def test_get_shares_filters(world: RamWorld) -> None:
    call = world.as_(OWNER)
    a = call("CreateResourceShare", name="a", tags=[{"key": "managed-by", "value": "gitops"}])
    call("CreateResourceShare", name="b", tags=[{"key": "managed-by", "value": "hand"}])
    arn_a = a["resourceShare"]["resourceShareArn"]

    def names(**filters: object) -> list[str]:
        found = call("GetResourceShares", resourceOwner="SELF", **filters)["resourceShares"]
        return [s["name"] for s in found]

    assert names() == ["a", "b"]
    assert names(name="b") == ["b"]
    assert names(resourceShareArns=[arn_a]) == ["a"]
    assert names(tagFilters=[{"tagKey": "managed-by", "tagValues": ["gitops"]}]) == ["a"]
    assert names(tagFilters=[{"tagKey": "managed-by"}]) == ["a", "b"]
    assert names(resourceShareStatus="DELETED") == []
    assert (
        names(permissionArn="arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCards") == []
    )


def test_tag_filters_with_other_accounts_is_refused(world: RamWorld) -> None:
    with pytest.raises(AwsError) as exc:
        world.as_(DEV)(
            "GetResourceShares",
            resourceOwner="OTHER-ACCOUNTS",
            tagFilters=[{"tagKey": "k", "tagValues": ["v"]}],
        )
    assert _code(exc) == "InvalidParameterException"
    assert "OTHER-ACCOUNTS and tagFilters" in exc.value.message


def test_paging_and_token_errors(world: RamWorld) -> None:
    call = world.as_(OWNER)
    for i in range(5):
        call("CreateResourceShare", name=f"s{i}")
    first = call("GetResourceShares", resourceOwner="SELF", maxResults=2)
    assert [s["name"] for s in first["resourceShares"]] == ["s0", "s1"]
    rest = call(
        "GetResourceShares", resourceOwner="SELF", maxResults=3, nextToken=first["nextToken"]
    )
    assert [s["name"] for s in rest["resourceShares"]] == ["s2", "s3", "s4"]
    assert "nextToken" not in rest
    with pytest.raises(AwsError) as exc:
        call("GetResourceShares", resourceOwner="SELF", nextToken="garbage")
    assert _code(exc) == "InvalidNextTokenException"
    with pytest.raises(AwsError) as exc:
        call("GetResourceShares", resourceOwner="SELF", maxResults=501)
    assert _code(exc) == "InvalidParameterException"


def test_update_changes_only_given_members(world: RamWorld) -> None:
    call = world.as_(OWNER)
    arn = call("CreateResourceShare", name="a", allowExternalPrincipals=False)["resourceShare"][
        "resourceShareArn"
    ]
    world.clock.advance(5)
    renamed = call("UpdateResourceShare", resourceShareArn=arn, name="b")["resourceShare"]
    assert renamed["name"] == "b" and renamed["allowExternalPrincipals"] is False
    assert renamed["lastUpdatedTime"] > renamed["creationTime"]
    opened = call("UpdateResourceShare", resourceShareArn=arn, allowExternalPrincipals=True)
    assert opened["resourceShare"]["name"] == "b"


def test_update_refuses_closing_a_share_with_external_principals(world: RamWorld) -> None:
    call = world.as_(OWNER)
    arn = call("CreateResourceShare", name="a", principals=[DEV])["resourceShare"][
        "resourceShareArn"
    ]
    with pytest.raises(AwsError) as exc:
        call("UpdateResourceShare", resourceShareArn=arn, allowExternalPrincipals=False)
    assert _code(exc) == "OperationNotPermittedException"


def test_non_owner_and_other_region_cannot_touch_a_share(world: RamWorld) -> None:
    arn = world.as_(OWNER)("CreateResourceShare", name="a")["resourceShare"]["resourceShareArn"]
    for call in (world.as_(DEV), world.as_(OWNER, "eu-west-1")):
        with pytest.raises(AwsError) as exc:
            call("UpdateResourceShare", resourceShareArn=arn, name="mine")
        assert _code(exc) == "UnknownResourceException"
        with pytest.raises(AwsError):
            call("DeleteResourceShare", resourceShareArn=arn)
    assert (
        world.as_(OWNER, "eu-west-1")("GetResourceShares", resourceOwner="SELF")["resourceShares"]
        == []
    )


def test_delete_keeps_share_listed_as_deleted(world: RamWorld) -> None:
    call = world.as_(OWNER)
    arn = call("CreateResourceShare", name="a", resourceArns=[card_arn("churn")], principals=[DEV])[
        "resourceShare"
    ]["resourceShareArn"]
    assert call("DeleteResourceShare", resourceShareArn=arn)["returnValue"] is True
    listed = call("GetResourceShares", resourceOwner="SELF", resourceShareStatus="DELETED")
    assert [s["status"] for s in listed["resourceShares"]] == ["DELETED"]
    assocs = call("GetResourceShareAssociations", associationType="RESOURCE")
    assert {a["status"] for a in assocs["resourceShareAssociations"]} == {"DISASSOCIATED"}
    with pytest.raises(AwsError) as exc:
        call("DeleteResourceShare", resourceShareArn=arn)
    assert _code(exc) == "InvalidStateTransitionException"
    with pytest.raises(AwsError) as exc:
        call("AssociateResourceShare", resourceShareArn=arn, principals=[DEV])
    assert _code(exc) == "InvalidStateTransitionException"


def test_tags_merge_remove_and_limit(world: RamWorld) -> None:
    call = world.as_(OWNER)
    arn = call("CreateResourceShare", name="a", tags=[{"key": "a", "value": "1"}])["resourceShare"][
        "resourceShareArn"
    ]
    call("TagResource", resourceShareArn=arn, tags=[{"key": "b", "value": "2"}])
    call("UntagResource", resourceShareArn=arn, tagKeys=["a"])
    share = call("GetResourceShares", resourceOwner="SELF")["resourceShares"][0]
    assert share["tags"] == [{"key": "b", "value": "2"}]
    with pytest.raises(AwsError) as exc:
        call(
            "TagResource",
            resourceShareArn=arn,
            tags=[{"key": f"k{i}", "value": "v"} for i in range(50)],
        )
    assert _code(exc) == "TagLimitExceededException"


def test_client_token_replays_and_mismatches(world: RamWorld) -> None:
    call = world.as_(OWNER)
    first = call("CreateResourceShare", name="a", clientToken="t-1")
    again = call("CreateResourceShare", name="a", clientToken="t-1")
    assert again == first and first["clientToken"] == "t-1"
    assert len(call("GetResourceShares", resourceOwner="SELF")["resourceShares"]) == 1
    with pytest.raises(AwsError) as exc:
        call("CreateResourceShare", name="b", clientToken="t-1")
    assert _code(exc) == "IdempotentParameterMismatchException"


def test_unimplemented_operation_says_so(world: RamWorld) -> None:
    with pytest.raises(AwsError) as exc:
        world.as_(OWNER)("GetResourcePolicies", resourceArns=[card_arn("churn")])
    assert "does not implement" in exc.value.message
