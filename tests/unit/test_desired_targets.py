"""desired.targets: each target's part of the desired state (its cards and shares, its
region and card account), and the targets a run works on, hubs after the others."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reconciler.common.errors import ReconcilerError
from reconciler.desired.model import Config, TargetSpec
from reconciler.desired.targets import belongs, bound, for_target, selected, waves
from tests.unit.builders import CARD, example, with_card, with_share


def target(name: str, hub: str | None = None) -> TargetSpec:
    return TargetSpec(
        name=name,
        region=f"{name}-region-1",
        card_account_id=f"account-of-{name}",
        card_role_arn=f"role-{name}",
        hub=hub,
        path=("targets", name),
    )


TARGETS = {
    t.name: t for t in (target("hub"), target("eu1", "hub"), target("ap1", "hub"), target("us1"))
}
CONFIG: Config = replace(example().config, targets=TARGETS, target="ap1")
STATE = with_share(
    with_card(replace(example(), config=CONFIG), targets=("eu1", "us1")),
    "churn-prod",
    targets=("us1",),
)


@pytest.mark.parametrize(
    ("targets", "name", "belongs_there"),
    [
        ((), "eu1", True),
        (("eu1",), "eu1", True),
        (("eu1", "us1"), "us1", True),
        (("eu1",), "us1", False),
    ],
    ids=["every-target", "its-target", "one-of-its-targets", "another-target"],
)
def test_belongs(targets: tuple[str, ...], name: str, belongs_there: bool) -> None:
    card = replace(example().cards[CARD], targets=targets)
    assert belongs(card, name) is belongs_there


def test_a_targets_configuration_is_its_region_card_account_and_role() -> None:
    found = bound(CONFIG, TARGETS["eu1"])
    assert (found.target, found.region, found.card_account_id, found.card_role_arn) == (
        "eu1",
        "eu1-region-1",
        "account-of-eu1",
        "role-eu1",
    )
    assert (found.accounts, found.permissions, found.targets) == (
        CONFIG.accounts,
        CONFIG.permissions,
        CONFIG.targets,
    )


@pytest.mark.parametrize(
    ("name", "cards", "shares"),
    [
        ("eu1", [CARD], ["churn-dev", "churn-test"]),
        ("us1", [CARD], ["churn-dev", "churn-prod", "churn-test"]),
        ("hub", [], ["churn-dev", "churn-test"]),
    ],
)
def test_a_target_holds_what_names_it_and_what_names_no_target(
    name: str, cards: list[str], shares: list[str]
) -> None:
    found = for_target(STATE, name)
    assert (sorted(found.cards), sorted(found.shares)) == (cards, shares)
    assert found.config.target == name


def test_a_repository_without_targets_is_its_only_targets_state_unchanged() -> None:
    assert for_target(example(), "anything") is example()


@pytest.mark.parametrize(
    ("names", "order"),
    [
        pytest.param(None, ["ap1", "eu1", "us1", "hub"], id="every-target-hubs-last"),
        pytest.param([], ["ap1", "eu1", "us1", "hub"], id="none-named-is-every-target"),
        pytest.param(["hub", "eu1"], ["eu1", "hub"], id="named-in-run-order"),
        pytest.param(["us1", "us1"], ["us1"], id="named-twice-runs-once"),
    ],
)
def test_selected(names: list[str] | None, order: list[str]) -> None:
    assert selected(CONFIG, names) == order


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("eu2", "name a target of reconciler.yaml: did you mean 'eu1'?"),
        ("mars", "name a target of reconciler.yaml: known: ap1, eu1, hub, us1"),
    ],
    ids=["close-to-one", "far-from-all"],
)
def test_an_unknown_target_is_refused_with_the_known_ones(name: str, hint: str) -> None:
    with pytest.raises(ReconcilerError) as refused:
        selected(CONFIG, ["eu1", name])
    assert (refused.value.message, refused.value.hint) == (f"unknown target '{name}'", hint)


def test_waves_put_every_hub_after_every_other_target() -> None:
    assert waves(CONFIG) == (("ap1", "eu1", "us1"), ("hub",))
    assert waves(replace(CONFIG, targets={})) == ((), ())
