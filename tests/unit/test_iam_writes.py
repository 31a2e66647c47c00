"""iam.writes: what apply writes, each write scoped to what the reconciler owns or creates
with its ownership tag, as ``iam.policy`` records the decisions. Checked as rules over
every statement, for a repository that shares outside the Organization and one that
does not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reconciler.iam.scope import Scope, Statement
from reconciler.iam.writes import (
    CARD_CHANGES,
    RAM_CARD_POLICIES,
    SHARE_CHANGES,
    card_writes,
    permission_writes,
    share_writes,
)
from tests.unit.builders import example

OPEN = Scope.for_state(example())  # churn-dev allows external principals
CLOSED = replace(OPEN, external=False, principals=())
SCOPES = [pytest.param(OPEN, id="sharing-outside"), pytest.param(CLOSED, id="inside-only")]


def writes(s: Scope) -> list[Statement]:
    return [*card_writes(s), *permission_writes(s), *share_writes(s)]


def by_sid(s: Scope) -> dict[str, Statement]:
    found = {w["Sid"]: w for w in writes(s)}
    assert len(found) == len(writes(s)), "statement ids are unique"
    return found


def conditions(found: Statement) -> dict[str, dict[str, object]]:
    return found.get("Condition", {})


@pytest.mark.parametrize("s", SCOPES)
def test_only_actions_without_a_resource_type_are_allowed_on_star(s: Scope) -> None:
    star = {a for w in writes(s) if w["Resource"] == "*" for a in w["Action"]}
    assert star == {
        "ram:CreatePermission",
        "ram:CreateResourceShare",
        "ram:ListPermissionVersions",
        *RAM_CARD_POLICIES,
    }


@pytest.mark.parametrize("s", SCOPES)
def test_changing_an_existing_card_share_or_permission_needs_the_ownership_tag(s: Scope) -> None:
    found = by_sid(s)
    for sid, actions in [
        ("ChangeManagedModelCards", CARD_CHANGES),
        ("ChangeManagedShares", SHARE_CHANGES),
        (
            "VersionManagedPermissions",
            ("ram:CreatePermissionVersion", "ram:DeletePermissionVersion"),
        ),
        ("UnshareFromManagedShares", ("ram:DisassociateResourceShare",)),
        ("ShareModelCardsWithDeclaredPrincipals", ("ram:AssociateResourceShare",)),
    ]:
        assert found[sid]["Action"] == sorted(actions)
        assert conditions(found[sid])["StringEquals"] == s.owned()["StringEquals"], sid


@pytest.mark.parametrize("s", SCOPES)
def test_what_apply_creates_is_born_managed(s: Scope) -> None:
    found = by_sid(s)
    for sid in ("CreateManagedModelCards", "CreateManagedPermissions", "CreateManagedShares"):
        equals = conditions(found[sid])["StringEquals"]
        assert equals["aws:RequestTag/managed-by"] == "reconciler", sid
    tagging = conditions(found["TagModelCardsOnCreate"])["StringEquals"]
    assert tagging["sagemaker:TaggingAction"] == "CreateModelCard"
    permission = conditions(found["CreateManagedPermissions"])["StringEquals"]
    assert permission["ram:PermissionResourceType"] == "sagemaker:ModelCard"


@pytest.mark.parametrize("s", SCOPES)
def test_adopting_tags_only_untagged_resources_git_declares_with_the_ownership_tags(
    s: Scope,
) -> None:
    found = by_sid(s)
    card = "arn:aws:sagemaker:us-east-1:111111111111:model-card/Customer-Churn-Model-Card"
    assert (found["AdoptModelCards"]["Resource"], conditions(found["AdoptModelCards"])) == (
        card,
        s.adoption(),
    )
    shares = conditions(found["AdoptShares"])
    assert found["AdoptShares"]["Resource"] == s.shares
    assert shares["StringEquals"] == {
        **s.adoption()["StringEquals"],
        "ram:ResourceShareName": ["churn-dev", "churn-prod", "churn-test"],
    }
    assert {k: v for k, v in shares.items() if k != "StringEquals"} == {
        k: v for k, v in s.adoption().items() if k != "StringEquals"
    }
    permissions = found["TagPermissionsOnCreate"]
    assert (permissions["Resource"], conditions(permissions)) == (s.permissions, s.adoption())


def test_a_repository_that_declares_no_card_or_share_adopts_none() -> None:
    found = by_sid(replace(OPEN, card_names=(), share_names=()))
    assert "AdoptModelCards" not in found and "AdoptShares" not in found


@pytest.mark.parametrize("s", SCOPES)
def test_sharing_is_with_declared_principals_and_model_cards_only(s: Scope) -> None:
    found = by_sid(s)
    model_cards = {"ram:RequestedResourceType": "sagemaker:ModelCard"}
    for sid in ("CreateManagedShares", "ShareModelCardsWithDeclaredPrincipals"):
        condition = conditions(found[sid])
        assert condition["StringEqualsIfExists"] == model_cards, sid
        for key, value in s.declared_principals().items():
            assert condition[key] == value, sid
    assert conditions(found["UnshareFromManagedShares"])["StringEqualsIfExists"] == model_cards


def test_shares_may_be_opened_to_outside_principals_only_when_git_opens_one() -> None:
    opened, closed = by_sid(OPEN), by_sid(CLOSED)
    assert "Bool" not in conditions(opened["CreateManagedShares"])
    assert "BoolIfExists" not in conditions(opened["ChangeManagedShares"])
    false = {"ram:RequestedAllowsExternalPrincipals": "false"}
    assert conditions(closed["CreateManagedShares"])["Bool"] == false
    assert conditions(closed["ChangeManagedShares"])["BoolIfExists"] == false


def test_permissions_attached_are_the_accounts_and_the_aws_managed_ones() -> None:
    attach = by_sid(OPEN)["AttachModelCardPermissions"]
    assert attach["Resource"] == sorted([OPEN.permissions, *OPEN.aws_permissions])
    assert "Condition" not in attach, "AWS managed permissions carry no tags"
