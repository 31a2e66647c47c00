"""diff.gates on built states: a changing card that does not hold its gates is an error
that holds it back, an unchanged one a warning, a passing status change names what it
held, and a hub replica is held to the gates of the status it would take."""

from __future__ import annotations

from dataclasses import replace

from reconciler.common.status import CardStatus
from reconciler.desired.gates import Requirement
from reconciler.desired.model import DesiredState, ReplicaSpec, TargetSpec
from reconciler.diff.compose import PlanOptions, diff_all, plan_from
from reconciler.normalize.state import normalise
from reconciler.plan.address import Address
from tests.unit.builders import ARNS, CARD, applied, example, live_card, with_card

OWNED = Requirement(id="owned", path="model_overview.model_owner")
RATED_LOW = Requirement(id="low-risk", path="intended_uses.risk_rating", one_of=("Low",))


def gated(state: DesiredState, *requirements: Requirement) -> DesiredState:
    config = replace(state.config, requirements={CardStatus.PENDING_REVIEW: requirements})
    return replace(state, config=config)


def test_a_promotion_that_misses_a_gate_is_an_error_on_the_status_line_and_held_back() -> None:
    git = gated(with_card(example(), status=CardStatus.PENDING_REVIEW), OWNED, RATED_LOW)
    content = dict(git.cards[CARD].content)
    content["intended_uses"] = {**content["intended_uses"], "risk_rating": "High"}
    git = with_card(git, content=content)
    n = normalise(git, applied(example()))
    found = diff_all(n, ARNS, PlanOptions())
    (error,) = found.errors
    assert (error.code, error.path, error.file) == ("gate", "$.status", f"cards/{CARD}.yaml")
    assert "'low-risk'" in error.message and "found 'High'" in error.message
    plan = plan_from(n, found, ARNS)
    assert [c for c in plan.changes if c.address.name == CARD] == []


def test_an_unchanged_card_out_of_its_gates_is_a_warning() -> None:
    git = gated(with_card(example(), status=CardStatus.PENDING_REVIEW), RATED_LOW)
    content = dict(git.cards[CARD].content)
    content["intended_uses"] = {**content["intended_uses"], "risk_rating": "High"}
    git = with_card(git, content=content)
    live = live_card(applied(git), status=CardStatus.PENDING_REVIEW)
    found = diff_all(normalise(git, live), ARNS, PlanOptions())
    assert found.errors == []
    assert any("'low-risk'" in w for w in found.warnings)


def test_a_status_change_that_holds_its_gates_says_which() -> None:
    git = gated(with_card(example(), status=CardStatus.PENDING_REVIEW), OWNED, RATED_LOW)
    found = diff_all(normalise(git, applied(example())), ARNS, PlanOptions())
    (status,) = [c for c in found.changes if c.action.value == "update_status"]
    assert status.detail.endswith("gates held: owned, low-risk")


def test_a_replica_is_held_to_the_gates_of_the_status_it_would_take() -> None:
    hub = TargetSpec(name="hub", region="us-east-1", card_account_id="111111111111")
    spoke = TargetSpec(name="eu", region="eu-west-1", card_account_id="555555555555", hub="hub")
    replica = ReplicaSpec(
        name="eu-Risk",
        spoke="eu",
        source_arn="arn:aws:sagemaker:eu-west-1:555555555555:model-card/Risk",
        source_version=1,
        status=CardStatus.PENDING_REVIEW,
        content={"model_overview": {}},
    )
    config = replace(example().config, targets={"hub": hub, "eu": spoke}, target="hub")
    git = gated(replace(example(), config=config, cards={}, shares={}), OWNED)
    git = replace(git, replicas={"eu-Risk": replica})
    live = replace(applied(example()), cards={}, shares={})
    n = normalise(git, live)
    found = diff_all(n, ARNS, PlanOptions())
    (error,) = found.errors
    assert error.file == "reconciler.yaml" and "replica 'eu-Risk'" in error.message
    assert found.held == {Address.card("eu-Risk")}  # the error is not on a file of its own
    assert [c for c in plan_from(n, found, ARNS).changes if c.address.name == "eu-Risk"] == []


def test_a_change_to_the_gates_names_the_cards_it_lets_through() -> None:
    """Approval by loosening the policy: the base branch let only Low-risk cards be
    PendingReview; the change drops that, and the plan says which card it lets through."""
    git = with_card(example(), status=CardStatus.PENDING_REVIEW)
    content = dict(git.cards[CARD].content)
    content["intended_uses"] = {**content["intended_uses"], "risk_rating": "Medium"}
    git = gated(with_card(git, content=content), OWNED)
    base = {CardStatus.PENDING_REVIEW: (OWNED, RATED_LOW)}
    n = normalise(git, applied(example()))
    found = diff_all(n, ARNS, PlanOptions(gates_base=base))
    assert found.errors == []
    (line,) = [w for w in found.warnings if "lifecycle.requirements" in w]
    assert line.startswith(f"cards/{CARD}.yaml: the change to lifecycle.requirements lets card")
    assert "'low-risk' (intended_uses.risk_rating in ['Low']), found 'Medium'" in line
    assert diff_all(n, ARNS, PlanOptions()).warnings == found.warnings[:-1]


def test_gates_as_the_base_has_them_name_no_card() -> None:
    git = gated(with_card(example(), status=CardStatus.PENDING_REVIEW), OWNED, RATED_LOW)
    base = {CardStatus.PENDING_REVIEW: (OWNED,)}  # the change made them stricter
    found = diff_all(normalise(git, applied(example())), ARNS, PlanOptions(gates_base=base))
    assert not [w for w in found.warnings if "lifecycle.requirements" in w]
