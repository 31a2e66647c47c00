"""iam.scope: the ARN patterns and conditions of one card account that every policy
statement is built from, and the printed form of a statement."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reconciler.desired.model import Ownership
from reconciler.iam.scope import Scope, statement
from tests.unit.builders import DEV, PROD, TEST, example, with_share

GIT = example()
S = Scope.for_state(GIT)


def test_the_scope_of_the_example_repository() -> None:
    assert (S.partition, S.region, S.account) == ("aws", "us-east-1", "111111111111")
    assert (S.tag_key, S.tag_value, S.source_tag_key) == (
        "managed-by",
        "reconciler",
        "reconciler-source",
    )
    assert S.principals == (DEV, TEST, PROD), "as RAM has them: IDs, sorted, once each"
    assert S.external, "churn-dev allows principals outside the Organization"
    assert S.card_names == ("Customer-Churn-Model-Card",)
    assert S.share_names == ("churn-dev", "churn-prod", "churn-test")


def test_only_what_git_declares_is_adopted() -> None:
    assert S.declared_cards == [
        "arn:aws:sagemaker:us-east-1:111111111111:model-card/Customer-Churn-Model-Card"
    ]
    assert S.declared_share() == {
        "StringEquals": {"ram:ResourceShareName": ["churn-dev", "churn-prod", "churn-test"]}
    }


def test_a_repository_whose_shares_stay_inside_the_organization_is_not_external() -> None:
    inside = with_share(GIT, "churn-dev", allow_external_principals=False)
    assert not Scope.for_state(inside).external


def test_the_partition_follows_the_region_and_the_tag_keys_reconciler_yaml() -> None:
    config = replace(
        GIT.config,
        region="cn-north-1",
        ownership=Ownership(tag_key="owner", source_tag_key="source"),
    )
    scope = Scope.for_state(replace(GIT, config=config))
    assert (scope.partition, scope.tag_key, scope.source_tag_key) == ("aws-cn", "owner", "source")
    assert scope.cards == "arn:aws-cn:sagemaker:cn-north-1:111111111111:model-card/*"


@pytest.mark.parametrize(
    ("pattern", "arn"),
    [
        (S.cards, "arn:aws:sagemaker:us-east-1:111111111111:model-card/*"),
        (S.packages, "arn:aws:sagemaker:us-east-1:111111111111:model-package/*"),
        (S.shares, "arn:aws:ram:us-east-1:111111111111:resource-share/*"),
        (S.permissions, "arn:aws:ram:us-east-1:111111111111:permission/*"),
        (S.keys, "arn:aws:kms:us-east-1:111111111111:key/*"),
        (S.arn("iam", "role/R", region="", account="2"), "arn:aws:iam::2:role/R"),
    ],
    ids=["cards", "packages", "shares", "permissions", "keys", "another-region-and-account"],
)
def test_arn_patterns(pattern: str, arn: str) -> None:
    assert pattern == arn


def test_the_aws_managed_permissions_are_global_and_sorted() -> None:
    assert S.aws_permissions == [
        "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCards",
        "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCardsAllowExport",
    ]


def test_ownership_conditions() -> None:
    assert S.owned() == {"StringEquals": {"aws:ResourceTag/managed-by": "reconciler"}}
    assert S.tagged_request(**{"k": "v"}) == {
        "StringEquals": {"aws:RequestTag/managed-by": "reconciler", "k": "v"}
    }
    assert S.untagged() == {"Null": {"aws:ResourceTag/managed-by": "true"}}


def test_adoption_tags_an_untagged_resource_with_the_ownership_tags_and_nothing_else() -> None:
    assert S.adoption() == {
        "StringEquals": {"aws:RequestTag/managed-by": "reconciler"},
        "Null": {"aws:ResourceTag/managed-by": "true"},
        "ForAllValues:StringEquals": {"aws:TagKeys": ["managed-by", "reconciler-source"]},
    }


@pytest.mark.parametrize(
    ("principals", "condition"),
    [
        pytest.param((), {"Null": {"ram:Principal": "true"}}, id="no-share-names-one"),
        pytest.param(
            (DEV, PROD),
            {"ForAllValues:StringEquals": {"ram:Principal": [DEV, PROD]}},
            id="those-git-names",
        ),
    ],
)
def test_sharing_only_with_declared_principals(
    principals: tuple[str, ...], condition: dict[str, object]
) -> None:
    assert replace(S, principals=principals).declared_principals() == condition


@pytest.mark.parametrize(
    ("external", "if_exists", "condition"),
    [
        pytest.param(True, False, {}, id="some-share-allows-it"),
        pytest.param(
            False, False, {"Bool": {"ram:RequestedAllowsExternalPrincipals": "false"}}, id="none"
        ),
        pytest.param(
            False,
            True,
            {"BoolIfExists": {"ram:RequestedAllowsExternalPrincipals": "false"}},
            id="none-on-a-change-that-may-not-say",
        ),
    ],
)
def test_opening_a_share_to_outside_principals(
    external: bool, if_exists: bool, condition: dict[str, object]
) -> None:
    assert replace(S, external=external).external_sharing(if_exists=if_exists) == condition


def test_keys_only_through_sagemaker_for_the_accounts_model_cards() -> None:
    assert S.via_sagemaker() == {
        "StringEquals": {"kms:ViaService": "sagemaker.us-east-1.amazonaws.com"},
        "StringLike": {"kms:EncryptionContext:aws:sagemaker:model-card-arn": S.cards},
    }


STATEMENTS = [
    pytest.param(
        statement("Read", ["b:B", "a:A"], "*"),
        {"Sid": "Read", "Effect": "Allow", "Action": ["a:A", "b:B"], "Resource": "*"},
        id="actions-sorted-one-resource-as-text",
    ),
    pytest.param(
        statement("Read", ["a:A"], ["arn:1"]),
        {"Sid": "Read", "Effect": "Allow", "Action": ["a:A"], "Resource": "arn:1"},
        id="a-list-of-one-resource-as-text",
    ),
    pytest.param(
        statement("Read", ["a:A"], ["arn:2", "arn:1"], {"Null": {"k": "true"}}),
        {
            "Sid": "Read",
            "Effect": "Allow",
            "Action": ["a:A"],
            "Resource": ["arn:1", "arn:2"],
            "Condition": {"Null": {"k": "true"}},
        },
        id="several-resources-sorted-with-a-condition",
    ),
    pytest.param(
        statement("Read", ["a:A"], "*", {}),
        {"Sid": "Read", "Effect": "Allow", "Action": ["a:A"], "Resource": "*"},
        id="an-empty-condition-is-left-out",
    ),
]


@pytest.mark.parametrize(("made", "printed"), STATEMENTS)
def test_statement(made: dict[str, object], printed: dict[str, object]) -> None:
    assert made == printed
