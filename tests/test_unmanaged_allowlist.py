"""`unmanaged.cards` in reconciler.yaml: cards a team keeps outside git on purpose are not
reported by drift or plan, and `import --all` passes them by, through the real CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., Any]


@pytest.fixture
def repo(cli: Cli, example_repo: Path, card_account_env: str, aws: Callable[..., Any]) -> Path:
    config = example_repo / "reconciler.yaml"
    config.write_text(config.read_text() + 'unmanaged:\n  cards: ["Legacy-*"]\n')
    result = cli("apply", "--repo", str(example_repo), "--auto-approve", "--force", "--no-verify")
    assert result.exit_code == 0, result.stdout + result.stderr
    sagemaker = aws("sagemaker")
    for name in ("Legacy-Fraud-Card", "Legacy-Credit-Card", "Shadow-Card"):
        sagemaker.create_model_card(ModelCardName=name, Content="{}", ModelCardStatus="Draft")
    return example_repo


def test_drift_and_plan_leave_out_the_listed_cards(cli: Cli, repo: Path) -> None:
    drift = cli("drift", "--repo", str(repo), "--format", "json")
    assert drift.exit_code == 2
    items = json.loads(drift.stdout)["items"]
    assert [(i["address"], i["kind"]) for i in items] == [("card.Shadow-Card", "unmanaged")]
    plan = json.loads(cli("plan", "--repo", str(repo), "--format", "json").stdout)
    assert [u["name"] for u in plan["unmanaged"]] == ["Shadow-Card"]


def test_import_all_passes_the_listed_cards_by(cli: Cli, repo: Path) -> None:
    result = cli("import", "--all", "--repo", str(repo))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (repo / "cards").iterdir()) == [
        "Customer-Churn-Model-Card.yaml",
        "Shadow-Card.yaml",
    ]
    named = cli("import", "Legacy-Fraud-Card", "--repo", str(repo))
    assert named.exit_code == 1
    assert "kept out of git by reconciler.yaml (unmanaged.cards: 'Legacy-*')" in named.stderr
    drift = cli("drift", "--repo", str(repo))
    assert "Legacy" not in drift.stdout and "unmanaged" not in drift.stdout
