"""diff.replicas and load.targets on built states: what a hub plans for each replica, and
how a repository's state is cut into targets."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from reconciler.common.arns import Arns
from reconciler.common.names import REPLICA_OF, REPLICA_VERSION
from reconciler.common.status import CardStatus
from reconciler.desired.model import Config, DesiredState, ReplicaSpec, TargetSpec
from reconciler.desired.targets import for_target, selected, waves
from reconciler.diff.replicas import diff_replicas, replica_tags
from reconciler.live.model import LiveCard, LiveState
from reconciler.normalize.state import normalise
from reconciler.plan.model import Action, Reason
from reconciler.plan.payloads import ReplicateCard
from tests.unit.builders import example

HUB = TargetSpec(
    name="hub", region="us-east-1", card_account_id="111111111111", path=("targets", "hub")
)
EU = TargetSpec(
    name="eu", region="eu-west-1", card_account_id="555555555555", hub="hub", path=("targets", "eu")
)
ARNS = Arns("aws", "us-east-1", "111111111111")
SOURCE = "arn:aws:sagemaker:eu-west-1:555555555555:model-card/Risk"
CONTENT = {"model_overview": {"model_owner": "eu"}}
REPLICA = ReplicaSpec(
    name="eu-Risk", spoke="eu", source_arn=SOURCE, source_version=2, status="Draft", content=CONTENT
)


def hub_state(*replicas: ReplicaSpec, spoke: TargetSpec = EU) -> DesiredState:
    config = replace(example().config, targets={"hub": HUB, "eu": spoke}, target="hub")
    return replace(
        example(), config=config, cards={}, shares={}, replicas={r.name: r for r in replicas}
    )


def live_replica(version: int = 2, **changes: Any) -> LiveCard:
    tags = replica_tags(replace(REPLICA, source_version=version), example().config.ownership)
    card = LiveCard(
        name="eu-Risk",
        arn=ARNS.card("eu-Risk"),
        status="Draft",
        version=1,
        content=CONTENT,
        tags=tags,
    )
    return replace(card, **changes)


def plan(state: DesiredState, *cards: LiveCard, prune: bool = False) -> list[tuple[Action, Reason]]:
    live = LiveState(cards={c.name: c for c in cards}, shares={}, permissions={})
    part = diff_replicas(normalise(state, live), ARNS.card, prune)
    return [(c.action, c.reason) for c in part.changes]


@pytest.mark.parametrize(
    ("live", "expected"),
    [
        ((), [(Action.REPLICATE_CARD, Reason.SOURCE_NEW)]),
        ((live_replica(),), []),
        (
            (live_replica(version=1, content={"x": 1}),),
            [(Action.REPLICATE_CARD, Reason.SOURCE_UPDATED)],
        ),
        ((live_replica(content={"x": 1}),), [(Action.REPLICATE_CARD, Reason.REPLICA_EDITED)]),
        ((live_replica(status="PendingReview"),), [(Action.REPLICATE_CARD, Reason.SOURCE_STATUS)]),
    ],
    ids=["new", "in-step", "newer-version", "edited-in-hub", "new-status"],
)
def test_each_replica_case(
    live: tuple[LiveCard, ...], expected: list[tuple[Action, Reason]]
) -> None:
    assert plan(hub_state(REPLICA), *live) == expected


def test_a_new_replica_is_created_with_its_provenance_in_tags() -> None:
    live = LiveState(cards={}, shares={}, permissions={})
    (change,) = diff_replicas(normalise(hub_state(REPLICA), live), ARNS.card, False).changes
    assert isinstance(change.payload, ReplicateCard) and change.payload.create is not None
    assert change.payload.create.content == CONTENT
    assert change.payload.create.tags[REPLICA_OF] == SOURCE
    assert change.payload.create.tags[REPLICA_VERSION] == "2"


def test_a_replica_whose_source_is_gone_is_deleted_only_with_prune() -> None:
    assert plan(hub_state(), live_replica()) == []
    assert plan(hub_state(), live_replica(), prune=True) == [
        (Action.DELETE_CARD, Reason.SOURCE_GONE)
    ]


def test_an_unmanaged_card_under_the_replica_name_is_a_plan_error() -> None:
    live = LiveState(cards={"eu-Risk": live_replica(tags={})}, shares={}, permissions={})
    part = diff_replicas(normalise(hub_state(REPLICA), live), ARNS.card, False)
    assert not part.changes
    assert [e.file for e in part.errors] == ["reconciler.yaml"]


def test_a_repository_without_targets_is_its_own_only_target() -> None:
    state = example()
    assert for_target(state, "default") is state
    assert selected(state.config, None) == ["default"]


def test_hubs_run_after_the_other_targets() -> None:
    config: Config = replace(example().config, targets={"hub": HUB, "eu": EU})
    assert waves(config) == (("eu",), ("hub",))
    assert selected(config, None) == ["eu", "hub"]
    assert EU.replica_of("Risk") == "eu-Risk" and EU.replica_source("eu-Risk") == "Risk"


# -- what review decides about a replica -------------------------------------------------


def test_a_replica_held_below_its_spoke_status_says_why() -> None:
    held = replace(REPLICA, source_status=CardStatus.APPROVED)
    live = LiveState(cards={}, shares={}, permissions={})
    (change,) = diff_replicas(normalise(hub_state(held), live), ARNS.card, False).changes
    assert "held at Draft" in change.detail and "Approved" in change.detail


def test_an_encrypted_spoke_card_needs_the_hub_key_named_and_is_never_downgraded() -> None:
    encrypted = replace(REPLICA, source_kms_key_id="arn:aws:kms:eu-west-1:555555555555:key/k")
    live = LiveState(cards={}, shares={}, permissions={})
    part = diff_replicas(normalise(hub_state(encrypted), live), ARNS.card, False)
    assert not part.changes
    (error,) = part.errors
    assert "replica_kms_key_id" in error.message and error.file == "reconciler.yaml"
    keyed = hub_state(encrypted, spoke=replace(EU, replica_kms_key_id="alias/hub-cards"))
    (change,) = diff_replicas(normalise(keyed, live), ARNS.card, False).changes
    assert isinstance(change.payload, ReplicateCard) and change.payload.create is not None
    assert change.payload.create.kms_key_id == "alias/hub-cards"


def test_a_name_two_spoke_cards_claim_holds_back_only_those_replicas() -> None:
    other = replace(REPLICA, source_arn=SOURCE.replace("Risk", "Other"))
    fine = replace(REPLICA, name="eu-Fine", source_arn=SOURCE.replace("Risk", "Fine"))
    state = replace(hub_state(fine), replica_conflicts={"eu-Risk": (REPLICA, other)})
    live = LiveState(cards={"eu-Risk": live_replica()}, shares={}, permissions={})
    part = diff_replicas(normalise(state, live), ARNS.card, True)
    assert [(c.address.name, c.action) for c in part.changes] == [
        ("eu-Fine", Action.REPLICATE_CARD)
    ]
    (error,) = part.errors
    assert SOURCE in error.message and other.source_arn in error.message


def test_a_replica_status_change_follows_the_lifecycle() -> None:
    live = LiveState(
        cards={"eu-Risk": live_replica(status=CardStatus.APPROVED)}, shares={}, permissions={}
    )
    part = diff_replicas(normalise(hub_state(REPLICA), live), ARNS.card, False)
    assert not part.changes
    (error,) = part.errors
    assert "Approved → Draft is not an allowed transition" in error.message
