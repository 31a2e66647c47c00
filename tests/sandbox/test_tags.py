"""AddTags / ListTags / DeleteTags on model-card ARNs."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def card(aws) -> tuple:
    sm = aws("sagemaker")
    arn = sm.create_model_card(
        ModelCardName="card-a",
        Content="{}",
        ModelCardStatus="Draft",
        Tags=[{"Key": "team", "Value": "risk"}],
    )["ModelCardArn"]
    return sm, arn


def tags(sm, arn: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in sm.list_tags(ResourceArn=arn)["Tags"]}


def test_add_overwrites_and_delete_removes(card) -> None:
    sm, arn = card
    out = sm.add_tags(
        ResourceArn=arn, Tags=[{"Key": "team", "Value": "ops"}, {"Key": "tier", "Value": "1"}]
    )
    assert out["Tags"] == [{"Key": "team", "Value": "ops"}, {"Key": "tier", "Value": "1"}]
    assert tags(sm, arn) == {"team": "ops", "tier": "1"}
    sm.delete_tags(ResourceArn=arn, TagKeys=["team"])
    assert tags(sm, arn) == {"tier": "1"}


def test_card_created_without_tags_can_be_tagged(aws) -> None:
    sm = aws("sagemaker")
    arn = sm.create_model_card(ModelCardName="bare", Content="{}", ModelCardStatus="Draft")[
        "ModelCardArn"
    ]
    assert tags(sm, arn) == {}
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
    assert tags(sm, arn) == {"k": "v"}


def test_at_most_50_tags(card) -> None:
    sm, arn = card
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(49)])
    with pytest.raises(ClientError) as exc:
        sm.add_tags(ResourceArn=arn, Tags=[{"Key": "one-too-many", "Value": "v"}])
    assert exc.value.response["Error"]["Code"] == "ValidationException"


@pytest.mark.parametrize(
    "tag",
    [
        {"Key": "k" * 129, "Value": "v"},
        {"Key": "k", "Value": "v" * 257},
        {"Key": "bad#key", "Value": "v"},
        {"Key": "aws:x", "Value": "v"},
    ],
)
def test_key_and_value_limits(card, tag: dict) -> None:
    sm, arn = card
    with pytest.raises(ClientError) as exc:
        sm.add_tags(ResourceArn=arn, Tags=[tag])
    assert exc.value.response["Error"]["Code"] == "ValidationException"


def test_list_tags_pages(card) -> None:
    sm, arn = card
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(49)])
    first = sm.list_tags(ResourceArn=arn, MaxResults=50)
    assert len(first["Tags"]) == 50 and "NextToken" not in first
    pages = list(sm.get_paginator("list_tags").paginate(ResourceArn=arn))
    assert sum(len(p["Tags"]) for p in pages) == 50


def test_unknown_card_arn_is_a_validation_error(card) -> None:
    sm, arn = card
    with pytest.raises(ClientError) as exc:
        sm.list_tags(ResourceArn=arn + "x")
    assert exc.value.response["Error"]["Code"] == "ValidationException"


def test_consumer_cannot_tag_owner_card(aws, card) -> None:
    _, arn = card
    with pytest.raises(ClientError) as exc:
        aws("sagemaker", "222222222222").add_tags(
            ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}]
        )
    assert exc.value.response["Error"]["Code"] == "AccessDeniedException"
