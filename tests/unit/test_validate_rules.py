"""validate.rules: every rule of every subject runs, each problem is placed on the value
(or key) at fault, and one run reports every problem of every file."""

from __future__ import annotations

import inspect

import pytest

from reconciler.common.diagnostics import Position, Severity
from reconciler.validate.rules import RULES, cards, config, run_rules, shares, targets
from reconciler.validate.rules.base import at
from tests.unit.builders import ROOT, document, rule_input


def rules_of(module: object) -> set[object]:
    """The module's functions that take the repository (``RuleInput``) and nothing else."""
    found = set()
    for _, function in inspect.getmembers(module, inspect.isfunction):
        parameters = list(inspect.signature(function).parameters.values())
        if function.__module__ == module.__name__ and [p.annotation for p in parameters] == [
            "RuleInput"
        ]:
            found.add(function)
    return found


@pytest.mark.parametrize("module", [cards, config, shares, targets], ids=lambda m: m.__name__)
def test_every_rule_of_every_subject_is_run(module: object) -> None:
    assert rules_of(module), "the search finds the rules"
    assert rules_of(module) <= set(RULES)


def test_the_example_repository_breaks_no_rule() -> None:
    files = {
        f"{folder}/{path.name}": path.read_text(encoding="utf-8")
        for folder in ("cards", "shares")
        for path in sorted((ROOT / folder).glob("*.yaml"))
    }
    assert run_rules(rule_input(files)) == []


def test_one_run_reports_the_problems_of_every_rule_and_file() -> None:
    data = rule_input(
        {
            "cards/A.yaml": "name: B\nstatus: Draft\ncontent: {}\ntags: {aws:x: y}\n",
            "shares/s.yaml": "name: s\nprincipals: [nobody]\ncards: {}\npermission: p\n",
        }
    )
    codes = sorted(d.code for d in run_rules(data))
    assert codes == [
        "empty-share",
        "file-name",
        "principal",
        "tags",
        "unknown-permission",
    ]


DOC = document("cards/A.yaml", "name: A\ntags:\n  team: ml\n  cost: x\n")


@pytest.mark.parametrize(
    ("path", "key", "json_path", "position"),
    [
        pytest.param(("tags", "cost"), False, "$.tags.cost", Position(4, 9), id="a-value"),
        pytest.param(("tags", "cost"), True, "$.tags.cost", Position(4, 3), id="its-key"),
        pytest.param(
            ("tags", "owner"), False, "$.tags.owner", Position(3, 3), id="absent-its-parent"
        ),
        pytest.param(("nothing", 3), True, "$.nothing[3]", Position(1, 1), id="absent-the-top"),
    ],
)
def test_a_diagnostic_is_placed_on_the_value_or_key_at_fault(
    path: tuple[str | int, ...], key: bool, json_path: str, position: Position
) -> None:
    found = at(DOC, path, "message", "code", key=key)
    assert (found.file, found.path, found.position) == ("cards/A.yaml", json_path, position)
    assert (found.message, found.code, found.severity) == ("message", "code", Severity.ERROR)
