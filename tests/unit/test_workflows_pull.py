"""workflows.pull: live content edits of managed cards written back into their YAML
files, only the values that changed, comments kept; ignored paths stay as git has them.
Each case is a copy of the example repository, a live state built by hand, and the plan
run between them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reconciler.cli.demo import copy_example
from reconciler.desired.model import DesiredState
from reconciler.diff.compose import PlanOptions
from reconciler.live.model import LiveState
from reconciler.run.pipeline import compare
from reconciler.run.repository import load_repository
from reconciler.workflows.pull import PullResult, pull_live
from tests.apply.test_promotion_gates import unevaluated
from tests.unit.builders import CARD, CARD_FILE, ROOT, applied, edited, live_card, live_with

EVALUATION = {"evaluation_details": [{"name": "auc", "evaluation_observation": "0.91"}]}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_example(ROOT, tmp_path)


def state_of(repo: Path) -> DesiredState:
    state = load_repository(repo).state
    assert state is not None
    return state


def pull(repo: Path, live: LiveState, names: list[str], everything: bool = False) -> PullResult:
    return pull_live(compare(state_of(repo), live, PlanOptions()), repo, names, everything)


def live_content(repo: Path, **changes: Any) -> LiveState:
    """The example as applied, with its card's live content edited at dotted paths."""
    live = applied(state_of(repo))
    content: Any = live.cards[CARD].content
    for dotted, value in changes.items():
        content = edited(content, dotted.replace("__", "."), value)
    return live_card(live, content=content)


def test_a_live_edit_is_written_into_the_card_file_and_nothing_else_changes(repo: Path) -> None:
    before = (repo / CARD_FILE).read_text(encoding="utf-8")
    live = live_content(repo, model_overview__model_owner="bob")
    result = pull(repo, live, [CARD])
    assert result == PullResult(written=[f"{CARD_FILE}: 1 field from live version 1"])
    after = (repo / CARD_FILE).read_text(encoding="utf-8")
    assert after == before.replace("model_owner: model-owner", "model_owner: bob")
    assert compare(state_of(repo), live, PlanOptions()).plan.changes == ()


def test_live_values_at_ignored_paths_are_never_pulled(repo: Path) -> None:
    before = (repo / CARD_FILE).read_text(encoding="utf-8")
    live = live_content(repo, model_overview__model_owner="bob", **EVALUATION)
    pull(repo, live, [CARD])
    after = (repo / CARD_FILE).read_text(encoding="utf-8")
    assert "0.91" not in after  # git keeps its own seed of the ignored path
    assert after == before.replace("model_owner: model-owner", "model_owner: bob")


def test_a_seed_git_sets_at_an_ignored_path_is_kept(repo: Path) -> None:
    unevaluated(repo)
    card = repo / CARD_FILE
    seed = "  evaluation_details:\n    - name: seed\n"
    card.write_text(card.read_text(encoding="utf-8") + seed, encoding="utf-8")
    live = live_content(repo, model_overview__model_owner="bob", **EVALUATION)
    pull(repo, live, [CARD])
    assert card.read_text(encoding="utf-8").endswith(seed)
    assert "model_owner: bob" in card.read_text(encoding="utf-8")


def unmanaged(repo: Path) -> LiveState:
    live = live_content(repo, model_overview__model_owner="bob")
    return live_card(live, tags={"team": "churn"})


CASES = [
    pytest.param(
        lambda repo: applied(state_of(repo)),
        [CARD],
        "live content already matches git",
        id="in-sync",
    ),
    pytest.param(
        lambda repo: live_with(applied(state_of(repo)), without=(CARD,)),
        [CARD],
        "not in the account",
        id="gone",
    ),
    pytest.param(unmanaged, [CARD], "not managed by the reconciler", id="unmanaged"),
    pytest.param(
        lambda repo: applied(state_of(repo)),
        ["Fraud"],
        "not declared in git (use `reconciler import` for new cards)",
        id="not-in-git",
    ),
]


@pytest.mark.parametrize(("make_live", "names", "why"), CASES)
def test_a_card_that_is_not_pulled_says_why(
    repo: Path, make_live: Any, names: list[str], why: str
) -> None:
    before = (repo / CARD_FILE).read_text(encoding="utf-8")
    result = pull(repo, make_live(repo), names)
    (name,) = names
    nothing_to_do = why == "live content already matches git"
    assert (result.skipped if nothing_to_do else result.failed) == [f"{name}: {why}"]
    assert result.written == []
    assert (repo / CARD_FILE).read_text(encoding="utf-8") == before


def test_pulling_every_card_skips_those_it_cannot_pull_rather_than_failing(repo: Path) -> None:
    result = pull(repo, unmanaged(repo), [], everything=True)
    assert result == PullResult(skipped=[f"{CARD}: not managed by the reconciler"])
