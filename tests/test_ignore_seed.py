"""`ignore` as Terraform's ``ignore_changes``, through the real CLI against the sandbox.

Git sets a placeholder under an ignored path: it seeds the new card. A training pipeline
then writes its own evaluation results through the SageMaker API: plan and drift stay
empty, an apply that changes another field keeps the pipeline's value, and pull leaves
git's placeholder where it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.apply.test_promotion_gates import unevaluated

CARD = "Customer-Churn-Model-Card"
SEED = [{"name": "pending", "evaluation_observation": "Evaluation runs after training."}]
RESULTS = [{"name": "holdout-2026-11", "evaluation_observation": "AUC 0.91 on holdout."}]
Cli = Callable[..., Any]


def seeded(repo: Path) -> Path:
    """The example card, with a placeholder under its ignored evaluation_details instead
    of the holdout evaluation it seeds."""
    unevaluated(repo)
    card = repo / "cards" / f"{CARD}.yaml"
    text = card.read_text(encoding="utf-8")
    seed = (
        "  evaluation_details:\n"
        "    - name: pending\n"
        "      evaluation_observation: Evaluation runs after training.\n"
    )
    card.write_text(text.rstrip("\n") + "\n" + seed, encoding="utf-8")
    return repo


def live_content(aws: Callable[..., Any]) -> dict[str, Any]:
    card = aws("sagemaker").describe_model_card(ModelCardName=CARD)
    return json.loads(card["Content"])  # type: ignore[no-any-return]


@pytest.fixture
def created(cli: Cli, example_repo: Path, card_account_env: str) -> Path:
    repo = seeded(example_repo)
    assert cli("validate", "--repo", str(repo)).exit_code == 0
    plan = cli("plan", "--repo", str(repo))
    assert "+ $.content.evaluation_details: [" in plan.stdout  # the plan shows the seed
    result = cli("apply", "--repo", str(repo), "--auto-approve", "--force", "--no-verify")
    assert result.exit_code == 0, result.stdout + result.stderr
    return repo


def pipeline_writes_results(aws: Callable[..., Any]) -> None:
    content = live_content(aws)
    content["evaluation_details"] = RESULTS
    aws("sagemaker").update_model_card(ModelCardName=CARD, Content=json.dumps(content))


def test_git_value_seeds_the_new_card(created: Path, aws: Callable[..., Any]) -> None:
    assert live_content(aws)["evaluation_details"] == SEED


def test_live_value_is_kept_and_never_reported(
    cli: Cli, created: Path, aws: Callable[..., Any]
) -> None:
    pipeline_writes_results(aws)
    plan = cli("plan", "--repo", str(created), "--detailed-exitcode")
    assert plan.exit_code == 0, plan.stdout
    assert "No changes" in plan.stdout
    assert cli("drift", "--repo", str(created)).exit_code == 0
    card = created / "cards" / f"{CARD}.yaml"
    card.write_text(
        card.read_text().replace("risk_rating: Low", "risk_rating: Medium"), encoding="utf-8"
    )
    plan = cli("plan", "--repo", str(created), "--format", "json")
    [change] = json.loads(plan.stdout)["changes"]
    assert change["payload"]["content"]["evaluation_details"] == RESULTS
    result = cli("apply", "--repo", str(created), "--auto-approve", "--no-verify")
    assert result.exit_code == 0, result.stdout + result.stderr
    content = live_content(aws)
    assert content["evaluation_details"] == RESULTS
    assert content["intended_uses"]["risk_rating"] == "Medium"


def test_pull_leaves_the_seed_in_git(cli: Cli, created: Path, aws: Callable[..., Any]) -> None:
    pipeline_writes_results(aws)
    content = live_content(aws)
    content["intended_uses"]["risk_rating"] = "High"
    aws("sagemaker").update_model_card(ModelCardName=CARD, Content=json.dumps(content))
    assert cli("pull", CARD, "--repo", str(created)).exit_code == 0
    text = (created / "cards" / f"{CARD}.yaml").read_text(encoding="utf-8")
    assert "risk_rating: High" in text
    assert "name: pending" in text and "holdout" not in text
