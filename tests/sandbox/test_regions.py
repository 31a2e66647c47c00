"""Model cards and RAM shares are regional and per account, as in AWS: the same name may
exist in two regions of one account and in two accounts of one region, and each account
and region lists, searches, describes and shares only its own."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

A, B = "111111111111", "222222222222"
REGIONS = ("us-east-1", "eu-west-1")


def owner(name: str) -> str:
    return json.dumps({"model_overview": {"model_owner": name}})


def test_cards_are_per_account_and_per_region(sandbox: Any) -> None:
    for account in (A, B):
        for region in REGIONS:
            client = sandbox.client("sagemaker", account=account, region=region)
            client.create_model_card(
                ModelCardName="Same", Content=owner(f"{account}-{region}"), ModelCardStatus="Draft"
            )
    for account in (A, B):
        for region in REGIONS:
            client = sandbox.client("sagemaker", account=account, region=region)
            card = client.describe_model_card(ModelCardName="Same")
            assert json.loads(card["Content"]) == json.loads(owner(f"{account}-{region}"))
            assert card["ModelCardArn"] == f"arn:aws:sagemaker:{region}:{account}:model-card/Same"
            listed = client.list_model_cards()["ModelCardSummaries"]
            assert [c["ModelCardArn"] for c in listed] == [card["ModelCardArn"]]
            found = client.search(Resource="ModelCard")["Results"]
            assert [r["ModelCard"]["ModelCardArn"] for r in found] == [card["ModelCardArn"]]


def test_a_card_of_another_region_is_not_found_by_arn(sandbox: Any) -> None:
    eu = sandbox.client("sagemaker", account=A, region="eu-west-1")
    arn = eu.create_model_card(ModelCardName="Eu", Content=owner("x"), ModelCardStatus="Draft")[
        "ModelCardArn"
    ]
    us = sandbox.client("sagemaker", account=A, region="us-east-1")
    with pytest.raises(ClientError) as caught:
        us.describe_model_card(ModelCardName=arn)
    assert caught.value.response["Error"]["Code"] == "ResourceNotFound"
    with pytest.raises(ClientError):
        us.describe_model_card(ModelCardName="Eu")


def test_shares_are_per_region(sandbox: Any) -> None:
    eu = sandbox.client("ram", account=A, region="eu-west-1")
    eu.create_resource_share(name="regional")
    us = sandbox.client("ram", account=A, region="us-east-1")
    assert us.get_resource_shares(resourceOwner="SELF")["resourceShares"] == []
    (share,) = eu.get_resource_shares(resourceOwner="SELF")["resourceShares"]
    assert share["resourceShareArn"].startswith(f"arn:aws:ram:eu-west-1:{A}:")


def test_cloudtrail_history_is_per_account_and_region(sandbox: Any) -> None:
    eu = sandbox.client("ram", account=A, region="eu-west-1")
    eu.create_resource_share(name="regional")

    def share_events(account: str, region: str) -> list[str]:
        trail = sandbox.client("cloudtrail", account=account, region=region)
        events = trail.lookup_events()["Events"]
        return [e["EventName"] for e in events if e["EventName"] == "CreateResourceShare"]

    assert share_events(A, "eu-west-1") == ["CreateResourceShare"]
    assert share_events(A, "us-east-1") == []
    assert share_events(B, "eu-west-1") == []
