"""live.replicas: what status a hub's replica takes from its spoke card. A spoke's API
user (or a RAM consumer of the spoke with UpdateModelCard) must not decide what the hub
shares: only a status git reviewed, or one the spoke target trusts, reaches the replica."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reconciler.common.status import CardStatus
from reconciler.desired.model import CardSpec, TargetSpec
from reconciler.live.model import LiveCard
from reconciler.live.replicas import replicas_of

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
