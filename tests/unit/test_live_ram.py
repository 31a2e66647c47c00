"""live.ram: the card account's model card shares and customer-managed permissions.

Which shares are read (managed, named by git, or holding a model card) and what each
holds are read from the sandbox, since the reader makes its calls concurrently; how
names are kept apart and which actions a policy template allows are pure tables.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from reconciler.common.errors import ReconcilerError
from reconciler.desired.model import Ownership
from reconciler.live.model import LiveAssociation, LiveShare
from reconciler.live.ram import by_name, policy_actions, read_permissions, read_shares
from reconciler.sandbox import Sandbox
from tests.unit.builders import DEV, MANAGED, TEST, owned
from tests.unit.stubs import Call, stubbed_client

Aws = Callable[..., Any]
OWN = Ownership()
ACTIONS = ["sagemaker:DescribeModelCard", "sagemaker:ListModelCardVersions"]


def ram_tags(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in tags.items()]


def card(aws: Aws, name: str) -> str:
    return str(
        aws("sagemaker").create_model_card(
            ModelCardName=name, ModelCardStatus="Draft", Content="{}"
        )["ModelCardArn"]
    )


def share(aws: Aws, name: str, tags: dict[str, str], **members: Any) -> str:
    created = aws("ram").create_resource_share(
        name=name, tags=ram_tags(tags), permissionArns=[MANAGED], **members
    )
    return str(created["resourceShare"]["resourceShareArn"])


def test_managed_declared_and_card_holding_shares_are_read_and_no_other(
    aws: Aws, sandbox: Sandbox
) -> None:
    churn = card(aws, "Churn")
    share(aws, "ours", owned("shares/ours.yaml"), principals=[TEST])
    share(aws, "named-in-git", {}, allowExternalPrincipals=False)
    share(aws, "holding", {"team": "ml"}, resourceArns=[churn], principals=[DEV])
    share(aws, "other", {})
    gone = share(aws, "deleted", owned("shares/deleted.yaml"))
    aws("ram").delete_resource_share(resourceShareArn=gone)
    sandbox.advance(5)

    found = read_shares(aws("ram"), OWN, frozenset({"named-in-git"}), workers=2)

    assert sorted(found) == ["holding", "named-in-git", "ours"]
    holding = found["holding"]
    assert holding.resources == (LiveAssociation(entity=churn, status="ASSOCIATED"),)
    assert [p.entity for p in holding.principals] == [DEV]
    assert holding.permission_arns == (MANAGED,)
    assert (holding.status, holding.tags, holding.permission_outdated) == (
        "ACTIVE",
        {"team": "ml"},
        False,
    )
    assert found["named-in-git"].allow_external_principals is False
    assert found["ours"].allow_external_principals is True  # RAM's default


def test_a_share_left_on_an_older_permission_version_is_outdated(
    aws: Aws, sandbox: Sandbox
) -> None:
    ram = aws("ram")
    policy = json.dumps({"Effect": "Allow", "Action": ACTIONS})
    arn = ram.create_permission(
        name="read-only", resourceType="sagemaker:ModelCard", policyTemplate=policy
    )["permission"]["arn"]
    ram.create_resource_share(name="prod", permissionArns=[arn], tags=ram_tags(owned("x")))
    assert not read_shares(ram, OWN)["prod"].permission_outdated
    ram.create_permission_version(permissionArn=arn, policyTemplate=policy)
    read = read_shares(ram, OWN)["prod"]
    assert (read.permission_arns, read.permission_outdated) == ((arn,), True)


def test_customer_managed_permissions_are_read_with_their_actions(aws: Aws) -> None:
    ram = aws("ram")
    policy = {"Effect": "Allow", "Action": list(reversed(ACTIONS))}
    ram.create_permission(
        name="read-only",
        resourceType="sagemaker:ModelCard",
        policyTemplate=json.dumps(policy),
        tags=ram_tags({"managed-by": "reconciler"}),
    )
    (found,) = read_permissions(ram).values()
    assert (found.name, found.version, found.actions) == ("read-only", "1", tuple(ACTIONS))
    assert found.tags == {"managed-by": "reconciler"}


def test_a_refused_listing_says_which_call_was_refused() -> None:
    refused = Call(
        service="ram",
        method="list_permissions",
        params={"resourceType": "sagemaker:ModelCard", "permissionType": "CUSTOMER_MANAGED"},
        error="AccessDeniedException",
    )
    with stubbed_client("ram", refused) as ram, pytest.raises(ReconcilerError) as failed:
        read_permissions(ram)
    assert failed.value.message.startswith(
        "AWS refused listing customer-managed RAM permissions: AccessDeniedException"
    )


def live(name: str, arn: str, managed: bool) -> LiveShare:
    tags = owned("shares/x.yaml") if managed else {}
    return LiveShare(
        name=name, arn=arn, status="ACTIVE", allow_external_principals=False, tags=tags
    )


def test_shares_are_keyed_by_name_and_a_managed_one_keeps_a_name_several_have() -> None:
    shares = [live("dup", "arn:b", False), live("dup", "arn:c", True), live("dup", "arn:a", False)]
    shares.append(live("solo", "arn:d", False))
    found = by_name(shares, OWN)
    assert {k: s.arn for k, s in found.items()} == {
        "dup": "arn:c",
        "dup (arn:a)": "arn:a",
        "dup (arn:b)": "arn:b",
        "solo": "arn:d",
    }


def test_of_several_unmanaged_shares_of_one_name_the_first_arn_keeps_it() -> None:
    found = by_name([live("dup", "arn:b", False), live("dup", "arn:a", False)], OWN)
    assert {k: s.arn for k, s in found.items()} == {"dup": "arn:a", "dup (arn:b)": "arn:b"}


POLICIES = [
    pytest.param({"Effect": "Allow", "Action": ["a", "b"]}, ["a", "b"], id="one-statement"),
    pytest.param({"Action": "a"}, ["a"], id="one-action-allowed-by-default"),
    pytest.param(
        {"Statement": [{"Effect": "Allow", "Action": ["a"]}, {"Effect": "Deny", "Action": ["b"]}]},
        ["a"],
        id="a-denied-action-is-not-allowed",
    ),
    pytest.param(
        {"Statement": {"Effect": "Allow", "Action": "a"}}, ["a"], id="one-statement-not-a-list"
    ),
    pytest.param(
        {"Statement": ["junk", {"Action": ["a"]}]}, ["a"], id="a-statement-that-is-no-mapping"
    ),
    pytest.param([1, 2], [], id="no-policy-object"),
]


@pytest.mark.parametrize(("policy", "actions"), POLICIES)
def test_policy_actions(policy: Any, actions: list[str]) -> None:
    assert list(policy_actions(json.dumps(policy))) == actions


@pytest.mark.parametrize("template", ["", "{not json"], ids=["empty", "not-json"])
def test_a_template_that_is_not_a_policy_allows_nothing(template: str) -> None:
    assert list(policy_actions(template)) == []
