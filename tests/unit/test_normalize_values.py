"""normalize.values: content at dotted paths. ``without_paths`` removes what a card's
``ignore:`` leaves outside git (and the sections that leaves empty); ``with_live_values``
carries live values over at those paths; ``kept_live`` is what an update writes."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from reconciler.normalize.values import kept_live, with_live_values, without_paths

CONTENT: dict[str, Any] = {
    "model_overview": {"model_owner": "ana", "model_creator": "team"},
    "evaluation_details": [{"name": "auc", "value": 0.9}],
    "intended_uses": {"risk_rating": "Low"},
}
OWNER = "model_overview.model_owner"


def without(*keys: str) -> dict[str, Any]:
    return {k: v for k, v in CONTENT.items() if k not in keys}


REMOVED = [
    pytest.param((), CONTENT, id="no-path"),
    pytest.param(("evaluation_details",), without("evaluation_details"), id="a-top-level-key"),
    pytest.param(
        (OWNER,),
        {**CONTENT, "model_overview": {"model_creator": "team"}},
        id="a-leaf-keeps-its-siblings",
    ),
    pytest.param(
        ("intended_uses.risk_rating",),
        without("intended_uses"),
        id="a-section-left-empty-goes-too",
    ),
    pytest.param(
        (OWNER, "model_overview.model_creator"),
        without("model_overview"),
        id="a-section-emptied-by-two-paths",
    ),
    pytest.param(("model_overview.nothing",), CONTENT, id="a-leaf-that-is-not-there"),
    pytest.param(("absent.deeper.leaf",), CONTENT, id="a-parent-that-is-not-there"),
    pytest.param(("evaluation_details.name",), CONTENT, id="a-path-through-a-list-is-not-followed"),
    pytest.param(("intended_uses.risk_rating.more",), CONTENT, id="a-path-through-a-text-value"),
]


@pytest.mark.parametrize(("paths", "expected"), REMOVED)
def test_without_paths(paths: tuple[str, ...], expected: dict[str, Any]) -> None:
    before = copy.deepcopy(CONTENT)
    assert without_paths(CONTENT, paths) == expected
    assert before == CONTENT, "the card's content is never changed in place"


def test_an_empty_section_git_declares_is_kept_when_no_removal_empties_it() -> None:
    content = {"a": {}, "b": {"c": 1}}
    assert without_paths(content, ("b.c",)) == {"a": {}}


def test_removing_a_nested_leaf_empties_every_parent_up_to_one_that_holds_more() -> None:
    content = {"a": {"b": {"c": {"d": 1}}, "keep": 2}}
    assert without_paths(content, ("a.b.c.d",)) == {"a": {"keep": 2}}


LIVE: dict[str, Any] = {
    "model_overview": {"model_owner": "bob", "model_creator": "other"},
    "evaluation_details": [{"name": "auc", "value": 0.7}],
    "business_details": {"line_of_business": "x"},
}

CARRIED = [
    pytest.param((), CONTENT, id="no-path-nothing-carried"),
    pytest.param(
        ("evaluation_details",),
        {**CONTENT, "evaluation_details": LIVE["evaluation_details"]},
        id="a-live-list-replaces-gits",
    ),
    pytest.param(
        (OWNER,),
        {**CONTENT, "model_overview": {"model_owner": "bob", "model_creator": "team"}},
        id="a-leaf-leaves-its-siblings-as-git-has-them",
    ),
    pytest.param(
        ("business_details.line_of_business",),
        {**CONTENT, "business_details": {"line_of_business": "x"}},
        id="parents-git-lacks-are-made",
    ),
    pytest.param(("intended_uses.risk_rating",), CONTENT, id="live-lacks-it-git-keeps-its-value"),
    pytest.param(("model_overview.model_owner.x",), CONTENT, id="live-has-text-on-the-way"),
]


@pytest.mark.parametrize(("paths", "expected"), CARRIED)
def test_with_live_values(paths: tuple[str, ...], expected: dict[str, Any]) -> None:
    before = copy.deepcopy(LIVE)
    found = with_live_values(CONTENT, LIVE, paths)
    assert found == expected
    assert before == LIVE


def test_carried_values_are_copies_and_the_result_is_in_canonical_key_order() -> None:
    found = with_live_values({"b": 1, "a": {"z": 1, "y": 2}}, LIVE, ("evaluation_details",))
    assert list(found) == ["a", "b", "evaluation_details"]
    assert list(found["a"]) == ["y", "z"]
    found["evaluation_details"][0]["value"] = 0
    assert LIVE["evaluation_details"][0]["value"] == 0.7


def test_an_update_without_ignored_paths_writes_gits_content_itself() -> None:
    assert kept_live(CONTENT, LIVE, ()) is CONTENT


@pytest.mark.parametrize(
    ("live", "expected"),
    [
        pytest.param(
            LIVE, {**CONTENT, "evaluation_details": LIVE["evaluation_details"]}, id="live"
        ),
        pytest.param(without("evaluation_details"), without("evaluation_details"), id="none-live"),
    ],
)
def test_an_update_writes_the_live_value_at_an_ignored_path_never_gits_seed(
    live: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert kept_live(CONTENT, live, ("evaluation_details",)) == expected
