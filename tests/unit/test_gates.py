"""desired.gates: the requirement path syntax, the values it finds, and how a card stands
against a requirement (its tests, empty values, exceptions)."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.desired.gates import Requirement, outcome, path_problem, values_at

EVALUATION = {
    "evaluation_details": [
        {
            "name": "holdout",
            "metric_groups": [
                {
                    "name": "quality",
                    "metric_data": [{"name": "auc", "type": "number", "value": 0.91}],
                },
                {"name": "more", "metric_data": [{"name": "auc", "type": "number", "value": 0.85}]},
            ],
        },
        {"name": "train", "metric_groups": [{"metric_data": [{"name": "auc", "value": 0.99}]}]},
    ],
    "intended_uses": {"risk_rating": "Low"},
}
AUC = "evaluation_details[name=holdout].metric_groups[*].metric_data[name=auc].value"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param("intended_uses.risk_rating", ["Low"], id="keys"),
        pytest.param(AUC, [0.91, 0.85], id="selected-and-every"),
        pytest.param("evaluation_details[*].name", ["holdout", "train"], id="every"),
        pytest.param("evaluation_details[name=none].name", [], id="nothing-selected"),
        pytest.param("model_overview.model_owner", [], id="missing"),
        pytest.param("intended_uses[*]", [], id="not-a-list"),
    ],
)
def test_a_path_finds_every_value_it_names(path: str, expected: list[Any]) -> None:
    assert path_problem(path) is None
    assert values_at(EVALUATION, path) == expected


@pytest.mark.parametrize("path", ["", "a..b", "a[", "a[]", "a[name]", "a b", "$.a", "a[*]extra"])
def test_a_malformed_path_is_named(path: str) -> None:
    assert path_problem(path)


@pytest.mark.parametrize(
    ("requirement", "held", "found"),
    [
        pytest.param(
            Requirement(id="r", path="intended_uses.risk_rating"), True, "'Low'", id="set"
        ),
        pytest.param(Requirement(id="r", path="x.y"), False, "nothing", id="unset"),
        pytest.param(
            Requirement(id="r", path="intended_uses.risk_rating", none_of=("High",)),
            True,
            "'Low'",
            id="not-in",
        ),
        pytest.param(
            Requirement(id="r", path="intended_uses.risk_rating", one_of=("Medium", "High")),
            False,
            "'Low'",
            id="in-misses",
        ),
        pytest.param(Requirement(id="r", path=AUC, at_least=0.8), True, "0.91", id="every-over"),
        pytest.param(Requirement(id="r", path=AUC, at_least=0.9), False, "0.85", id="one-under"),
        pytest.param(Requirement(id="r", path=AUC, at_most=0.9), False, "0.91", id="one-over"),
        pytest.param(
            Requirement(id="r", path="intended_uses.risk_rating", at_least=1),
            False,
            "'Low'",
            id="not-a-number",
        ),
    ],
)
def test_a_requirement_holds_when_every_value_found_passes(
    requirement: Requirement, held: bool, found: str
) -> None:
    result = outcome(requirement, EVALUATION, None)
    assert (result.held, result.found) == (held, found)


def test_empty_values_and_booleans_do_not_count() -> None:
    assert not outcome(Requirement(id="r", path="a"), {"a": ""}, None).held
    assert not outcome(Requirement(id="r", path="a"), {"a": []}, None).held
    assert not outcome(Requirement(id="r", path="a", at_least=0), {"a": True}, None).held


def test_an_exception_lets_only_its_requirement_pass_and_says_why() -> None:
    high = Requirement(id="not-high", path="r", none_of=("High",))
    excepted = outcome(high, {"r": "High"}, "credit committee approval 2026-11-30")
    assert excepted.held and excepted.excepted == "credit committee approval 2026-11-30"
    assert outcome(high, {"r": "Low"}, "unused").excepted is None  # held on its own


def test_requirements_describe_themselves() -> None:
    assert Requirement(id="r", path="a.b").describe() == "a.b is set"
    both = Requirement(id="r", path="a", none_of=("High",), at_least=0.8)
    assert both.describe() == "a not in ['High'] and >= 0.8"
