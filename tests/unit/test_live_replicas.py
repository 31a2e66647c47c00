"""live.replicas: what a hub must hold, read from its spokes' live cards (stubbed
SageMaker): every card of a spoke that can be replicated, under the spoke's replica name,
with its content, status and the source ARN and version. Two spoke cards under one
replica name are refused."""

from __future__ import annotations

from dataclasses import asdict, replace
from types import SimpleNamespace
from typing import Any

import pytest

from reconciler.common.content import content_json
from reconciler.common.errors import ReconcilerError
from reconciler.common.status import CardStatus
from reconciler.desired.model import ReplicaSpec, TargetSpec
from reconciler.live.replicas import read_replicas, replicas_of, source_cards
from tests.unit.builders import example
from tests.unit.stubs import Call, card_arn, described, stubbed_client

EU = TargetSpec(name="eu", region="eu-west-1", card_account_id="555555555555", hub="hub")
AP = TargetSpec(name="ap", region="ap-south-1", card_account_id="666666666666", hub="hub")
HUB = TargetSpec(name="hub", region="us-east-1", card_account_id="111111111111")
CONFIG = replace(example().config, targets={"hub": HUB, "eu": EU, "ap": AP}, target="hub")


def listed(*names: str) -> Call:
    summaries = [
        {
            "ModelCardName": n,
            "ModelCardArn": card_arn(n),
            "ModelCardStatus": "Draft",
            "CreationTime": 1,
        }
        for n in names
    ]
    return Call(
        service="sagemaker",
        method="list_model_cards",
        params={"MaxResults": 100},
        response={"ModelCardSummaries": summaries},
    )


def card(name: str, content: Any = None, status: str = "Approved", **more: Any) -> Call:
    raw = content if isinstance(content, str) else content_json(content or {"n": name})
    response = described(name, {}, Content=raw, ModelCardStatus=status, ModelCardVersion=4, **more)
    return Call(
        service="sagemaker",
        method="describe_model_card",
        params={"ModelCardName": name},
        response=response,
    )


def spoke_session(client: Any) -> Any:
    """What the reader uses of a spoke's session: its SageMaker client, one worker (so the
    stubbed calls come in order)."""
    return SimpleNamespace(client=lambda _: client, settings=SimpleNamespace(max_workers=1))


def test_every_readable_card_of_the_spoke_is_a_source_except_those_being_deleted() -> None:
    calls = [
        listed("B", "A", "C", "D"),
        card("A"),
        card("B", "not json"),  # nothing can be replicated from it
        card("C", ModelCardProcessingStatus="DeletePending"),
        card("D", status="Draft", ModelCardProcessingStatus="DeleteCompleted"),
    ]
    with stubbed_client("sagemaker", *calls) as client:
        found = source_cards(client, workers=8)
    assert [(c.name, c.status, c.version) for c in found] == [
        ("A", CardStatus.APPROVED, 4),
        ("D", CardStatus.DRAFT, 4),
    ]
    assert all(c.tags == {} for c in found), "tags are not read: they are not replicated"


def test_a_spoke_without_cards_has_no_source() -> None:
    with stubbed_client("sagemaker", listed()) as client:
        assert source_cards(client, workers=8) == []


def test_each_source_card_is_a_replica_under_the_spokes_replica_name() -> None:
    with stubbed_client("sagemaker", listed("Churn"), card("Churn")) as client:
        (source,) = source_cards(client, workers=1)
    named = replace(EU, replica_name="{card}-from-{spoke}")
    assert [asdict(r) for r in replicas_of(EU, [source])] == [
        asdict(
            ReplicaSpec(
                name="eu-Churn",
                spoke="eu",
                source_arn=card_arn("Churn"),
                source_version=4,
                status=CardStatus.APPROVED,
                content={"n": "Churn"},
            )
        )
    ]
    assert [r.name for r in replicas_of(named, [source])] == ["Churn-from-eu"]


def test_the_hub_holds_a_replica_of_every_card_of_each_spoke() -> None:
    calls = [listed("Risk"), card("Risk"), listed("Churn"), card("Churn")]  # ap, then eu
    with stubbed_client("sagemaker", *calls) as client:
        found = read_replicas(CONFIG, {"eu": spoke_session(client), "ap": spoke_session(client)})
    assert {n: (r.spoke, r.source_arn) for n, r in found.items()} == {
        "ap-Risk": ("ap", card_arn("Risk")),
        "eu-Churn": ("eu", card_arn("Churn")),
    }


def test_two_spoke_cards_under_one_replica_name_are_refused() -> None:
    config = replace(
        CONFIG,
        targets={
            "hub": HUB,
            "eu": replace(EU, replica_name="{card}"),
            "ap": replace(AP, replica_name="{card}"),
        },
    )
    calls = [listed("Churn"), card("Churn"), listed("Churn"), card("Churn")]
    with (
        stubbed_client("sagemaker", *calls) as client,
        pytest.raises(ReconcilerError) as refused,
    ):
        read_replicas(config, {"eu": spoke_session(client), "ap": spoke_session(client)})
    assert "would both be replicated as 'Churn' in hub 'hub'" in refused.value.message
    assert refused.value.hint == "give target 'eu' another replica_name in reconciler.yaml"
