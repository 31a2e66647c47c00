"""Condition operators and wildcards, table-driven, plus ownership-tag conditions end to end."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from reconciler.sandbox.iam.conditions import Condition
from reconciler.sandbox.iam.patterns import arn_matches
from tests.sandbox.conftest import OWNER, REGION, allow

CARD = f"arn:aws:sagemaker:{REGION}:{OWNER}:model-card/churn"
CONTEXT = {
    "aws:resourcetag/managed-by": ("reconciler",),
    "aws:tagkeys": ("managed-by", "team"),
    "aws:principalarn": (f"arn:aws:iam::{OWNER}:role/Scoped",),
    "ram:requestedallowsexternalprincipals": ("false",),
    "count": ("5",),
    "when": ("2026-01-02T00:00:00Z",),
}


def holds(operator: str, key: str, *values: str) -> bool:
    return Condition(operator, key.lower(), values).holds(CONTEXT)


@pytest.mark.parametrize(
    ("operator", "key", "values", "expected"),
    [
        ("StringEquals", "aws:ResourceTag/managed-by", ("reconciler",), True),
        ("StringEquals", "aws:ResourceTag/managed-by", ("Reconciler",), False),
        ("StringEquals", "aws:ResourceTag/managed-by", ("x", "reconciler"), True),  # ORed
        ("StringNotEquals", "aws:ResourceTag/managed-by", ("other",), True),
        ("StringNotEquals", "aws:ResourceTag/managed-by", ("reconciler",), False),
        ("StringEqualsIgnoreCase", "aws:ResourceTag/managed-by", ("RECONCILER",), True),
        ("StringNotEqualsIgnoreCase", "aws:ResourceTag/managed-by", ("RECONCILER",), False),
        ("StringLike", "aws:ResourceTag/managed-by", ("recon*",), True),
        ("StringLike", "aws:ResourceTag/managed-by", ("reconcile?",), True),
        ("StringLike", "aws:ResourceTag/managed-by", ("Recon*",), False),
        ("StringNotLike", "aws:ResourceTag/managed-by", ("terraform*",), True),
        ("ArnEquals", "aws:PrincipalArn", (f"arn:aws:iam::{OWNER}:role/Scoped",), True),
        ("ArnLike", "aws:PrincipalArn", ("arn:aws:iam::*:role/Sc*",), True),
        ("ArnNotEquals", "aws:PrincipalArn", ("arn:aws:iam::*:role/Other",), True),
        ("ArnNotLike", "aws:PrincipalArn", ("arn:aws:iam::*:role/*",), False),
        ("Bool", "ram:RequestedAllowsExternalPrincipals", ("false",), True),
        ("Bool", "ram:RequestedAllowsExternalPrincipals", ("true",), False),
        ("NumericEquals", "count", ("5",), True),
        ("NumericNotEquals", "count", ("5",), False),
        ("NumericLessThan", "count", ("6",), True),
        ("NumericLessThanEquals", "count", ("5",), True),
        ("NumericGreaterThan", "count", ("5",), False),
        ("NumericGreaterThanEquals", "count", ("5",), True),
        ("NumericEquals", "count", ("five",), False),
        ("DateLessThan", "when", ("2026-06-01T00:00:00Z",), True),
        ("Null", "aws:ResourceTag/managed-by", ("false",), True),
        ("Null", "aws:ResourceTag/owner", ("true",), True),
        ("Null", "aws:ResourceTag/owner", ("false",), False),
        # a key absent from the context: false, except for negated operators (AWS's rule)
        ("StringEquals", "aws:ResourceTag/owner", ("x",), False),
        ("StringNotEquals", "aws:ResourceTag/owner", ("x",), True),
        ("ArnNotLike", "aws:SourceArn", ("arn:*",), True),
        ("StringEqualsIfExists", "aws:ResourceTag/owner", ("x",), True),
        ("StringEqualsIfExists", "aws:ResourceTag/managed-by", ("x",), False),
        # multivalued keys and set operators
        ("ForAllValues:StringEquals", "aws:TagKeys", ("managed-by", "team", "x"), True),
        ("ForAllValues:StringEquals", "aws:TagKeys", ("managed-by",), False),
        ("ForAllValues:StringEquals", "aws:TagKeys/absent", ("x",), True),  # empty set
        ("ForAnyValue:StringEquals", "aws:TagKeys", ("team",), True),
        ("ForAnyValue:StringEquals", "aws:TagKeys/absent", ("x",), False),
        ("ForAnyValue:StringNotEquals", "aws:TagKeys", ("team",), True),
        ("ForAllValues:StringNotEquals", "aws:TagKeys", ("team",), False),
        ("ForAnyValue:StringLike", "aws:TagKeys", ("tea*",), True),
        ("StringEquals", "aws:TagKeys", ("team",), True),  # no qualifier: any value
        ("StringNotEquals", "aws:TagKeys", ("team",), False),  # ... and none may match
    ],
)
def test_condition_operators(operator: str, key: str, values: tuple[str, ...], expected) -> None:
    assert holds(operator, key, *values) is expected


def test_unknown_operators_are_recognised() -> None:
    assert not Condition("StringSortOf", "k", ("v",)).known()
    assert not Condition("ForSome:StringEquals", "k", ("v",)).known()
    assert Condition("ForAnyValue:ArnLikeIfExists", "k", ("v",)).known()


@pytest.mark.parametrize(
    ("pattern", "arn", "expected"),
    [
        ("*", "*", True),
        ("*", CARD, True),
        ("arn:aws:sagemaker:*:*:model-card/*", "*", False),
        ("arn:aws:sagemaker:*:*:model-card/*", CARD, True),
        ("arn:aws:sagemaker:us-east-?:*:model-card/churn", CARD, True),
        ("arn:aws:sagemaker:*:*:model-card/Churn", CARD, False),
        ("arn:aws:sagemaker:*:*:model-card/ch?rn", CARD, True),
        ("arn:aws:sagemaker:us-*-1:*:*", CARD, True),
        ("arn:aws:sagemaker:*", CARD, True),  # a trailing * runs past the colons
        ("arn:aws:sage*:us-east-1:111111111111:model-card/churn", CARD, True),
        ("arn:aws:sagemaker:us-ea?t-1:111111111111:model-card/*/x", CARD, False),
    ],
)
def test_arn_patterns(pattern: str, arn: str, expected: bool) -> None:
    assert arn_matches(pattern, arn) is expected


OWNED = {"StringEquals": {"aws:ResourceTag/managed-by": "reconciler"}}


@pytest.fixture
def cards(account) -> None:
    sm = account(OWNER).sagemaker
    for name, tags in (("owned", [{"Key": "managed-by", "Value": "reconciler"}]), ("other", [])):
        sm.create_model_card(ModelCardName=name, Content="{}", ModelCardStatus="Draft", Tags=tags)


@pytest.mark.parametrize(
    ("condition", "owned", "other"),
    [
        (OWNED, True, False),
        ({"StringNotEquals": {"aws:ResourceTag/managed-by": "reconciler"}}, False, True),
        ({"StringEqualsIgnoreCase": {"aws:ResourceTag/managed-by": "RECONCILER"}}, True, False),
        ({"StringLike": {"aws:ResourceTag/managed-by": "recon*"}}, True, False),
        ({"StringNotLike": {"aws:ResourceTag/managed-by": "recon*"}}, False, True),
        ({"Null": {"aws:ResourceTag/managed-by": "false"}}, True, False),
        ({"StringEqualsIfExists": {"aws:ResourceTag/managed-by": "reconciler"}}, True, True),
        ({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Scoped"}}, True, True),
        ({"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Scoped"}}, False, False),
        ({"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}, False, False),
        ({"Bool": {"aws:ResourceTag/managed-by": "true"}}, False, False),
        ({"NumericLessThan": {"aws:ResourceTag/managed-by": "3"}}, False, False),
    ],
)
def test_ownership_tag_conditions_on_cards(role, cards, condition, owned, other) -> None:
    scoped = role(allow("sagemaker:DescribeModelCard", condition=condition))
    for name, expected in (("owned", owned), ("other", other)):
        if expected:
            scoped.sagemaker.describe_model_card(ModelCardName=name)
            continue
        with pytest.raises(ClientError) as caught:
            scoped.sagemaker.describe_model_card(ModelCardName=name)
        assert caught.value.response["Error"]["Code"] == "AccessDeniedException"


def test_request_tags_on_create_card_also_need_add_tags(role) -> None:
    tagged = {"StringEquals": {"aws:RequestTag/managed-by": "reconciler"}}
    keys = {"ForAllValues:StringEquals": {"aws:TagKeys": ["managed-by"]}}
    scoped = role(
        allow("sagemaker:CreateModelCard", condition=tagged),
        allow(
            "sagemaker:AddTags",
            condition={**keys, "StringEquals": {"sagemaker:TaggingAction": "CreateModelCard"}},
        ),
    )
    sm = scoped.sagemaker
    ours = [{"Key": "managed-by", "Value": "reconciler"}]
    with pytest.raises(ClientError):  # no tag: aws:RequestTag/managed-by is absent
        sm.create_model_card(ModelCardName="a", Content="{}", ModelCardStatus="Draft")
    with pytest.raises(ClientError) as caught:  # an extra key fails ForAllValues on AddTags
        sm.create_model_card(
            ModelCardName="b",
            Content="{}",
            ModelCardStatus="Draft",
            Tags=[*ours, {"Key": "team", "Value": "x"}],
        )
    assert "sagemaker:AddTags" in caught.value.response["Error"]["Message"]
    sm.create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft", Tags=ours)
