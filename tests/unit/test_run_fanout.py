"""run.fanout: one command for each selected target, in two waves (every target that is
not a hub, then the hubs), each on its own part of the desired state; a target that fails
is reported as failed and the others go on. Opening a target (its AWS sessions) is
replaced here by a value that records what it was given."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from reconciler.common.errors import ReconcilerError
from reconciler.desired.model import DesiredState, TargetSpec
from reconciler.run import fanout
from reconciler.run.fanout import TargetResult, for_each_target
from reconciler.run.pipeline import RunSettings
from tests.unit.builders import CARD, example, with_card


def target(name: str, account: str, hub: str | None = None) -> TargetSpec:
    return TargetSpec(
        name=name, region="eu-west-1", card_account_id=account, hub=hub, path=("targets", name)
    )


TARGETS = {
    "hub": target("hub", "111111111111"),
    "eu": target("eu", "555555555555", hub="hub"),
    "ap": target("ap", "666666666666", hub="hub"),
}
STATE = with_card(
    replace(example(), config=replace(example().config, targets=TARGETS)), targets=("eu",)
)
SETTINGS = RunSettings(repo=Path("."))


@dataclass(frozen=True)
class Opened:
    """What ``open_target`` was given."""

    state: DesiredState
    settings: RunSettings

    @property
    def name(self) -> str:
        return self.state.config.target


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Targets open without AWS; the names of those opened."""
    names: list[str] = []
    lock = threading.Lock()

    def open_target(state: DesiredState, settings: RunSettings) -> Opened:
        if state.config.target == "broken":
            raise ReconcilerError("the credentials are for another account")
        with lock:
            names.append(state.config.target)
        return Opened(state, settings)

    monkeypatch.setattr(fanout, "open_target", open_target)
    return names


def test_each_target_runs_on_its_own_part_of_the_state(opened: list[str]) -> None:
    def work(found: Any) -> tuple[str, str, list[str], str | None]:
        return (
            found.state.config.card_account_id,
            found.state.config.region,
            sorted(found.state.cards),
            found.settings.target,
        )

    results = for_each_target(STATE, SETTINGS, ["eu", "ap"], work)
    assert [(r.name, r.value) for r in results] == [
        ("ap", ("666666666666", "eu-west-1", [], "ap")),
        ("eu", ("555555555555", "eu-west-1", [CARD], "eu")),
    ]
    assert [(r.account, r.error) for r in results] == [
        ("666666666666", None),
        ("555555555555", None),
    ]


def test_hubs_run_after_every_other_target_has_finished(opened: list[str]) -> None:
    finished: list[str] = []
    lock = threading.Lock()

    def work(found: Any) -> list[str]:
        with lock:
            seen = list(finished)
            finished.append(found.name)
        return seen

    results = {r.name: r.value for r in for_each_target(STATE, SETTINGS, None, work)}
    assert sorted(results["hub"] or []) == ["ap", "eu"], "the hub saw both spokes done"
    assert "hub" not in (results["ap"] or []) + (results["eu"] or [])


def test_results_come_in_run_order_whatever_order_the_names_are_given(opened: list[str]) -> None:
    results = for_each_target(STATE, SETTINGS, ["hub", "eu"], lambda found: found.name)
    assert [r.name for r in results] == ["eu", "hub"]
    assert sorted(opened) == ["eu", "hub"], "targets not named are not opened"


def test_a_failing_target_is_reported_and_the_others_go_on(opened: list[str]) -> None:
    def work(found: Any) -> str:
        if found.name == "eu":
            raise ReconcilerError("AWS refused")
        return "done"

    results = for_each_target(STATE, SETTINGS, None, work)
    assert [(r.name, r.value, str(r.error) if r.error else None) for r in results] == [
        ("ap", "done", None),
        ("eu", None, "AWS refused"),
        ("hub", "done", None),
    ]


def test_a_target_that_cannot_be_opened_is_reported_with_its_account(opened: list[str]) -> None:
    targets = {**TARGETS, "broken": target("broken", "777777777777")}
    state = replace(STATE, config=replace(STATE.config, targets=targets))
    (result,) = for_each_target(state, SETTINGS, ["broken"], lambda found: "never")
    assert result == TargetResult(
        name="broken", account="777777777777", region="eu-west-1", error=result.error
    )
    assert str(result.error) == "the credentials are for another account"


def test_an_unknown_target_is_refused_before_any_target_is_opened(opened: list[str]) -> None:
    with pytest.raises(ReconcilerError, match="unknown target 'hubb'"):
        for_each_target(STATE, SETTINGS, ["eu", "hubb"], lambda found: None)
    assert opened == []


def test_a_failure_that_is_no_reconciler_error_is_not_swallowed(opened: list[str]) -> None:
    def work(found: Any) -> None:
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        for_each_target(STATE, SETTINGS, ["eu"], work)
