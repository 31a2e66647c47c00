"""live.replicas: what status a hub's replica takes from its spoke card. A spoke's API
user (or a RAM consumer of the spoke with UpdateModelCard) must not decide what the hub
shares: only a status git reviewed, or one the spoke target trusts, reaches the replica.
And what the hub must hold, read from its spokes' live cards (stubbed SageMaker): every
card of a spoke that can be replicated, under the spoke's replica name; a name two spoke
cards claim is held back with both."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest

from reconciler.common.content import content_json
from reconciler.common.status import CardStatus
from reconciler.desired.model import CardSpec, TargetSpec
from reconciler.live.model import LiveCard
from reconciler.live.replicas import read_replicas, replicas_of, source_cards
from tests.unit.builders import example
from tests.unit.stubs import Call, card_arn, described, stubbed_client

SPOKE = TargetSpec(name="eu", region="eu-west-1", card_account_id="555555555555", hub="hub")
ARN = "arn:aws:sagemaker:eu-west-1:555555555555:model-card/Risk"
DRAFT, REVIEW, APPROVED, ARCHIVED = (
    CardStatus.DRAFT,
    CardStatus.PENDING_REVIEW,
    CardStatus.APPROVED,
    CardStatus.ARCHIVED,
)


def spoke_card(status: CardStatus, kms_key_id: str | None = None) -> LiveCard:
    return LiveCard(
        name="Risk",
        arn=ARN,
        status=status,
        version=3,
        content={"model_overview": {"model_owner": "eu"}},
        tags={},
        kms_key_id=kms_key_id,
    )


def in_git(status: CardStatus) -> dict[str, CardSpec]:
    return {"Risk": CardSpec(name="Risk", status=status, content={}, file="cards/Risk.yaml")}


@pytest.mark.parametrize(
    ("live", "expected"),
    [
        pytest.param(APPROVED, DRAFT, id="approved-through-the-api-is-held-at-draft"),
        pytest.param(REVIEW, DRAFT, id="pending-review-is-held-at-draft"),
        pytest.param(DRAFT, DRAFT, id="draft-stays-draft"),
        pytest.param(ARCHIVED, DRAFT, id="archived-is-held-too"),
    ],
)
def test_a_card_git_does_not_declare_is_held_at_the_ceiling(
    live: CardStatus, expected: CardStatus
) -> None:
    (replica,) = replicas_of(SPOKE, [spoke_card(live)], {})
    assert replica.status is expected
    assert replica.source_status is live


def test_the_ceiling_is_configurable_and_lower_statuses_pass() -> None:
    spoke = replace(SPOKE, replica_status_ceiling=REVIEW)
    assert replicas_of(spoke, [spoke_card(APPROVED)], {})[0].status is REVIEW
    assert replicas_of(spoke, [spoke_card(DRAFT)], {})[0].status is DRAFT


def test_a_card_git_declares_takes_the_status_git_reviewed() -> None:
    """The spoke's live status may be an API edit made since (drift in the spoke): the hub
    holds the reviewed status, never the edit."""
    (replica,) = replicas_of(SPOKE, [spoke_card(APPROVED)], in_git(REVIEW))
    assert replica.status is REVIEW
    (approved,) = replicas_of(SPOKE, [spoke_card(APPROVED)], in_git(APPROVED))
    assert approved.status is APPROVED


def test_a_spoke_that_trusts_live_status_passes_it_on() -> None:
    spoke = replace(SPOKE, trust_live_status=True)
    assert replicas_of(spoke, [spoke_card(APPROVED)], {})[0].status is APPROVED


def test_the_source_key_is_recorded_for_the_diff_to_decide() -> None:
    (replica,) = replicas_of(SPOKE, [spoke_card(DRAFT, kms_key_id="arn:aws:kms:k")], {})
    assert replica.source_kms_key_id == "arn:aws:kms:k"


# -- reading the spokes ---------------------------------------------------------------------

EU = replace(SPOKE, region="eu-west-1")
AP = TargetSpec(name="ap", region="ap-south-1", card_account_id="666666666666", hub="hub")
HUB = TargetSpec(name="hub", region="us-east-1", card_account_id="111111111111")
HUB_STATE = replace(
    example(),
    config=replace(example().config, targets={"hub": HUB, "eu": EU, "ap": AP}, target="hub"),
)


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


def test_the_hub_holds_a_replica_of_every_card_of_each_spoke() -> None:
    calls = [listed("Risk"), card("Risk"), listed("Churn"), card("Churn")]  # ap, then eu
    with stubbed_client("sagemaker", *calls) as client:
        found, conflicts = read_replicas(
            HUB_STATE, {"eu": spoke_session(client), "ap": spoke_session(client)}
        )
    assert conflicts == {}
    assert {n: (r.spoke, r.source_arn) for n, r in found.items()} == {
        "ap-Risk": ("ap", card_arn("Risk")),
        "eu-Churn": ("eu", card_arn("Churn")),
    }


def test_a_replica_name_two_spoke_cards_claim_is_held_back_with_both() -> None:
    targets = {
        "hub": HUB,
        "eu": replace(EU, replica_name="{card}"),
        "ap": replace(AP, replica_name="{card}"),
    }
    state = replace(HUB_STATE, config=replace(HUB_STATE.config, targets=targets))
    calls = [listed("Churn", "Risk"), card("Churn"), card("Risk"), listed("Churn"), card("Churn")]
    with stubbed_client("sagemaker", *calls) as client:
        found, conflicts = read_replicas(
            state, {"eu": spoke_session(client), "ap": spoke_session(client)}
        )
    assert list(found) == ["Risk"]
    assert {n: [r.spoke for r in claims] for n, claims in conflicts.items()} == {
        "Churn": ["ap", "eu"]
    }
