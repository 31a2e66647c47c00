"""Every command that reports something prints JSON of the shape docs/formats.md documents:
the JSON Schemas in docs/schemas/ are valid schemas, and the output of each reporting command,
run through the real CLI (against the sandbox where it reads AWS), validates against its
schema.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from reconciler.plan.actions import Action
from reconciler.reports.drift_kinds import drift_kind
from tests.conftest import PROJECT_ROOT
from tests.test_drift_import_pull import dev_edit

SCHEMAS = PROJECT_ROOT / "docs" / "schemas"
CARD = "Customer-Churn-Model-Card"
Cli = Callable[..., Any]


def _schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8"))
    return loaded


@cache
def _registry() -> Registry:
    resources = [Resource.from_contents(_schema(p.name.split(".")[0])) for p in _paths()]
    return Registry().with_resources((r.id(), r) for r in resources if r.id())  # type: ignore[misc]


def _paths() -> list[Path]:
    return sorted(SCHEMAS.glob("*.schema.json"))


def conforms(name: str, text: str) -> dict[str, Any]:
    """The parsed output, after checking it against ``docs/schemas/<name>.schema.json``."""
    body: dict[str, Any] = json.loads(text)
    validator = Draft202012Validator(_schema(name), registry=_registry())
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]
    assert not problems, f"{name}: " + "; ".join(problems)
    return body


@pytest.mark.parametrize("path", _paths(), ids=lambda p: p.name)
def test_each_schema_is_valid_and_documented(path: Path) -> None:
    Draft202012Validator.check_schema(json.loads(path.read_text("utf-8")))
    assert f"schemas/{path.name}" in (PROJECT_ROOT / "docs" / "formats.md").read_text("utf-8")


def test_the_schemas_know_every_action_and_drift_kind() -> None:
    actions = _schema("plan")["$defs"]["change"]["properties"]["action"]["enum"]
    assert actions == [a.value for a in Action]
    kinds = set(_schema("drift")["properties"]["items"]["items"]["properties"]["kind"]["enum"])
    assert {drift_kind(a)[0] for a in Action} <= kinds


def test_validate(cli: Cli, example_repo: Path) -> None:
    assert conforms(
        "validate", cli("validate", "--repo", str(example_repo), "--format", "json").stdout
    )["valid"]
    card = example_repo / "cards" / f"{CARD}.yaml"
    card.write_text(card.read_text("utf-8").replace("status: Draft", "status: Done"), "utf-8")
    body = conforms(
        "validate", cli("validate", "--repo", str(example_repo), "--format", "json").stdout
    )
    assert body["problems"][0]["code"] == "schema"


@pytest.mark.parametrize("role", ["plan", "apply", "verify", "consumer-guard"])
def test_iam_policy(cli: Cli, role: str) -> None:
    more = ["--account", "prod"] if role == "consumer-guard" else []
    result = cli(
        "iam-policy", "--role", role, *more, "--repo", str(PROJECT_ROOT), "--format", "json"
    )
    body = conforms("iam-policy", result.stdout)
    bare = cli("iam-policy", "--role", role, *more, "--repo", str(PROJECT_ROOT)).stdout
    assert (body["role"], body["policy"]) == (role, json.loads(bare))


def test_graph_from_git(cli: Cli) -> None:
    result = cli("graph", "--repo", str(PROJECT_ROOT), "--format", "json")
    assert conforms("graph", result.stdout)["source"] == "git"


def test_the_lifecycle_reports(
    cli: Cli, example_repo: Path, card_account_env: str, aws: Callable[..., Any], tmp_path: Path
) -> None:
    repo = str(example_repo)
    out = tmp_path / "plan.json"
    plan = cli("plan", "--repo", repo, "--format", "json", "--out", str(out))
    assert conforms("plan", plan.stdout)["has_changes"]
    assert conforms("plan", out.read_text("utf-8"))["options"] == {"prune": False, "adopt": False}
    applied = cli("apply", "--repo", repo, "--auto-approve", "--force", "--format", "json")
    assert conforms("report", applied.stdout)["kind"] == "apply"
    verified = cli("verify", "--repo", repo, "--format", "json")
    assert conforms("report", verified.stdout)["consumers"]
    assert conforms("graph", cli("graph", "--repo", repo, "--format", "json", "--live").stdout)
    dev_edit(aws, model_owner="dev-team")
    drift = conforms("drift", cli("drift", "--repo", repo, "--format", "json").stdout)
    assert drift["items"][0]["edits"]
    pulled = conforms("written", cli("pull", CARD, "--repo", repo, "--format", "json").stdout)
    assert (pulled["command"], pulled["valid"], len(pulled["written"])) == ("pull", True, 1)


def test_import(
    cli: Cli, example_repo: Path, card_account_env: str, aws: Callable[..., Any]
) -> None:
    aws("sagemaker").create_model_card(
        ModelCardName="Fraud-Card", ModelCardStatus="Draft", Content="{}"
    )
    result = cli("import", "--all", "--repo", str(example_repo), "--format", "json")
    assert result.exit_code == 0, result.stderr
    body = conforms("written", result.stdout)
    assert (body["command"], body["written"], body["valid"]) == (
        "import",
        ["cards/Fraud-Card.yaml"],
        True,
    )
