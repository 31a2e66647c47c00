"""RAM over real HTTP with boto3 clients; every response is checked against botocore's model.

The ``aws`` fixture's clients raise ContractViolation on any response that breaks the
model (missing required member, wrong type, unknown member or enum value, unmodeled
error code), so each call here is also a contract test of the wire format.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from reconciler.sandbox.http.contract import error_code

OWNER, DEV = "111111111111", "222222222222"
CONTENT = json.dumps({"model_overview": {"model_description": "churn model"}})
DEFAULT = "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCards"
EXPORT = "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCardsAllowExport"


def code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def status(exc: pytest.ExceptionInfo[ClientError]) -> int:
    return int(exc.value.response["ResponseMetadata"]["HTTPStatusCode"])


@pytest.fixture
def ram(aws: Any) -> Any:
    return aws("ram", OWNER)


@pytest.fixture
def card(aws: Any) -> str:
    made = aws("sagemaker", OWNER).create_model_card(
        ModelCardName="churn", Content=CONTENT, ModelCardStatus="Draft"
    )
    return str(made["ModelCardArn"])


def test_share_lifecycle_over_http(sandbox: Any, ram: Any, card: str) -> None:
    made = ram.create_resource_share(
        name="cards",
        resourceArns=[card],
        principals=[DEV],
        clientToken="create-1",
        tags=[{"key": "managed-by", "value": "reconciler"}],
    )
    arn = made["resourceShare"]["resourceShareArn"]
    assert made["clientToken"] == "create-1"
    again = ram.create_resource_share(
        name="cards",
        resourceArns=[card],
        principals=[DEV],
        clientToken="create-1",
        tags=[{"key": "managed-by", "value": "reconciler"}],
    )
    assert again["resourceShare"]["resourceShareArn"] == arn
    sandbox.advance(1)
    assocs = ram.get_resource_share_associations(associationType="RESOURCE")
    assert [a["status"] for a in assocs["resourceShareAssociations"]] == ["ASSOCIATED"]
    updated = ram.update_resource_share(resourceShareArn=arn, name="renamed")["resourceShare"]
    assert (updated["name"], updated["allowExternalPrincipals"]) == ("renamed", True)
    deleted = ram.delete_resource_share(resourceShareArn=arn, clientToken="delete-1")
    assert deleted == {**deleted, "returnValue": True, "clientToken": "delete-1"}
    shares = ram.get_resource_shares(resourceOwner="SELF")["resourceShares"]
    assert [s["status"] for s in shares] == ["DELETED"]


def test_errors_carry_model_codes_and_statuses(ram: Any, card: str) -> None:
    template = json.dumps({"Effect": "Allow", "Action": ["sagemaker:DescribeModelCard"]})
    ram.create_permission(
        name="ReadOnly", resourceType="sagemaker:ModelCard", policyTemplate=template
    )
    with pytest.raises(ClientError) as exc:
        ram.create_permission(
            name="ReadOnly", resourceType="sagemaker:ModelCard", policyTemplate=template
        )
    assert (code(exc), status(exc)) == ("PermissionAlreadyExistsException", 409)
    missing = card.replace("churn", "missing")
    with pytest.raises(ClientError) as exc:
        ram.create_resource_share(name="x", resourceArns=[missing])
    assert (code(exc), status(exc)) == ("UnknownResourceException", 400)
    raw = ram.sandbox_responses[-1]
    assert error_code(raw.headers, raw.body) == "UnknownResourceException"
    assert "message" in json.loads(raw.body)


def test_paginators_walk_every_page(sandbox: Any, ram: Any, card: str) -> None:
    for i in range(4):
        ram.create_resource_share(name=f"s{i}", resourceArns=[card])
    sandbox.advance(1)
    pages = ram.get_paginator("get_resource_shares").paginate(
        resourceOwner="SELF", PaginationConfig={"PageSize": 3}
    )
    assert [s["name"] for p in pages for s in p["resourceShares"]] == ["s0", "s1", "s2", "s3"]
    resources = ram.get_paginator("list_resources").paginate(
        resourceOwner="SELF", PaginationConfig={"PageSize": 1}
    )
    assert len([r for p in resources for r in p["resources"]]) == 4
    with pytest.raises(ClientError) as exc:
        ram.get_resource_shares(resourceOwner="SELF", nextToken="not-a-token")
    assert code(exc) == "InvalidNextTokenException"


def test_permissions_over_http(ram: Any, card: str) -> None:
    listed = ram.list_permissions(resourceType="sagemaker:modelcard", permissionType="AWS_MANAGED")
    assert [p["arn"] for p in listed["permissions"]] == [DEFAULT, EXPORT]
    detail = ram.get_permission(permissionArn=DEFAULT)["permission"]
    assert json.loads(detail["permission"])["Action"][0] == "sagemaker:DescribeModelCard"
    share = ram.create_resource_share(name="s", resourceArns=[card])["resourceShare"]
    arn = share["resourceShareArn"]
    ram.associate_resource_share_permission(
        resourceShareArn=arn, permissionArn=EXPORT, replace=True
    )
    perms = ram.list_resource_share_permissions(resourceShareArn=arn)["permissions"]
    assert [p["arn"] for p in perms] == [EXPORT]
    types = ram.list_resource_types()["resourceTypes"]
    assert "sagemaker:ModelCard" in [t["resourceType"] for t in types]


def test_invitation_flow_over_http(sandbox: Any, aws: Any, ram: Any, card: str) -> None:
    arn = ram.create_resource_share(name="s", resourceArns=[card], principals=[DEV])[
        "resourceShare"
    ]["resourceShareArn"]
    sandbox.advance(1)
    dev = aws("ram", DEV)
    invitation = dev.get_resource_share_invitations(resourceShareArns=[arn])[
        "resourceShareInvitations"
    ][0]
    pending = dev.list_pending_invitation_resources(
        resourceShareInvitationArn=invitation["resourceShareInvitationArn"]
    )
    assert [r["arn"] for r in pending["resources"]] == [card]
    dev.accept_resource_share_invitation(
        resourceShareInvitationArn=invitation["resourceShareInvitationArn"]
    )
    received = dev.get_resource_shares(resourceOwner="OTHER-ACCOUNTS")["resourceShares"]
    assert [s["resourceShareArn"] for s in received] == [arn]
    listed = dev.list_resources(resourceOwner="OTHER-ACCOUNTS", resourceType="sagemaker:ModelCard")
    assert [r["arn"] for r in listed["resources"]] == [card]
    principals = ram.list_principals(resourceOwner="SELF")["principals"]
    assert [(p["id"], p["external"]) for p in principals] == [(DEV, True)]
    with pytest.raises(ClientError) as exc:
        dev.get_resource_shares(
            resourceOwner="OTHER-ACCOUNTS", tagFilters=[{"tagKey": "k", "tagValues": ["v"]}]
        )
    assert code(exc) == "InvalidParameterException"


def test_non_owner_cannot_change_a_share(aws: Any, ram: Any, card: str) -> None:
    arn = ram.create_resource_share(name="s", resourceArns=[card])["resourceShare"][
        "resourceShareArn"
    ]
    with pytest.raises(ClientError) as exc:
        aws("ram", DEV).delete_resource_share(resourceShareArn=arn)
    assert code(exc) == "UnknownResourceException"
