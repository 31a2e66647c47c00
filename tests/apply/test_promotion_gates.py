"""Promotion gates, as the example's reconciler.yaml declares them: a card that does not
hold what Approved requires is never approved, by any flag; what it lacks shows on its
status line in validate and plan; the evaluation the pipeline writes live (an ignored path)
counts; a reviewed exception lets one requirement through, which the plan names; and the
plan of a change to the gates names the card it lets through."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.apply.helpers import CARD, Aws, Cli, apply, live_content, set_status

SEED = re.compile(r"  evaluation_details:.*?(?=  additional_information:)", re.S)


def unevaluated(repo: Path) -> None:
    """The example card without the holdout evaluation it seeds (its training pipeline has
    not run yet)."""
    card = repo / "cards" / f"{CARD}.yaml"
    text, found = SEED.subn("", card.read_text())
    assert found == 1
    card.write_text(text)


def evaluation(auc: float) -> list[dict[str, object]]:
    metric = {"name": "auc", "type": "number", "value": auc}
    group = {"name": "quality", "metric_data": [metric]}
    return [{"name": "holdout", "metric_groups": [group]}]


def status_of(aws: Aws) -> str:
    return str(aws("sagemaker").describe_model_card(ModelCardName=CARD)["ModelCardStatus"])


def test_a_card_without_its_evaluation_is_not_approved_even_with_force(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    """The attack: promote straight to Approved before the pipeline wrote an evaluation
    (the example leaves evaluation_details to live state). Nothing changes, and --force
    does not help."""
    unevaluated(repo)
    assert apply(cli, repo, "--force")[0] == 0
    set_status(repo, "PendingReview")
    assert apply(cli, repo)[0] == 0
    set_status(repo, "Approved")
    planned = cli("plan", "--repo", str(repo), "--format", "json")
    assert planned.exit_code == 1
    (error,) = json.loads(planned.stdout)["errors"]
    assert (error["file"], error["line"], error["code"]) == (f"cards/{CARD}.yaml", 3, "gate")
    assert "requires 'holdout-auc'" in error["message"] and "found nothing" in error["message"]
    code, report, _ = apply(cli, repo, "--force")
    assert code == 1 and report["steps"] == []
    assert status_of(aws) == "PendingReview"


def test_the_evaluation_written_live_lets_the_card_through_and_the_plan_says_so(
    cli: Cli, applied: Path, aws: Aws
) -> None:
    set_status(applied, "PendingReview")
    apply(cli, applied)
    content = {**live_content(aws), "evaluation_details": evaluation(0.72)}
    aws("sagemaker").update_model_card(ModelCardName=CARD, Content=json.dumps(content))
    set_status(applied, "Approved")
    low = json.loads(cli("plan", "--repo", str(applied), "--format", "json").stdout)
    assert "found 0.72" in low["errors"][0]["message"]
    content["evaluation_details"] = evaluation(0.91)  # the pipeline's better model
    aws("sagemaker").update_model_card(ModelCardName=CARD, Content=json.dumps(content))
    plan = json.loads(cli("plan", "--repo", str(applied), "--format", "json").stdout)
    assert plan["errors"] == []
    (status,) = [c for c in plan["changes"] if c["action"] == "update_status"]
    assert status["detail"].endswith(
        "gates held: risk-rated, not-high-risk, intended-use, owned, holdout-auc"
    )
    code, _, stderr = apply(cli, applied)
    assert code == 0, stderr
    assert status_of(aws) == "Approved"


def test_validate_shows_the_unmet_gate_on_the_status_line_and_an_exception_passes_it(
    cli: Cli, example_repo: Path
) -> None:
    card = example_repo / "cards" / f"{CARD}.yaml"
    card.write_text(
        card.read_text()
        .replace("status: Draft", "status: Approved")
        .replace("risk_rating: Low", "risk_rating: High")
    )
    result = cli("validate", "--repo", str(example_repo), "--format", "json")
    assert result.exit_code == 0  # a warning: plan holds the card back
    (warning,) = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "gate"]
    assert (warning["line"], warning["severity"]) == (3, "warning")
    assert "'not-high-risk'" in warning["message"] and "found 'High'" in warning["message"]
    with card.open("a") as f:
        f.write("gate_exceptions:\n  not-high-risk: approved by the credit committee\n")
    result = cli("validate", "--repo", str(example_repo), "--format", "json")
    assert [p for p in json.loads(result.stdout)["problems"] if p["code"] == "gate"] == []
    with card.open("a") as f:
        f.write("  no-such-gate: a typo\n")
    result = cli("validate", "--repo", str(example_repo), "--format", "json")
    assert result.exit_code == 1
    (typo,) = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "gate-exception"]
    assert "no requirement 'no-such-gate'" in typo["message"]


def test_the_plan_of_a_change_to_the_gates_names_the_card_it_lets_through(
    cli: Cli, applied: Path, aws: Aws, tmp_path: Path
) -> None:
    base = tmp_path / "base-reconciler.yaml"
    base.write_text((applied / "reconciler.yaml").read_text())
    set_status(applied, "PendingReview")
    apply(cli, applied)
    content = {**live_content(aws), "evaluation_details": evaluation(0.72)}
    aws("sagemaker").update_model_card(ModelCardName=CARD, Content=json.dumps(content))
    set_status(applied, "Approved")
    config = applied / "reconciler.yaml"
    config.write_text(config.read_text().replace("at_least: 0.80", "at_least: 0.70"))

    planned = cli("plan", "--repo", str(applied), "--format", "json", "--gates-base", str(base))
    plan = json.loads(planned.stdout)
    assert plan["errors"] == [], planned.stderr
    (line,) = [w for w in plan["warnings"] if "lifecycle.requirements" in w]
    assert f"lets card '{CARD}' be Approved" in line
    assert (
        "'holdout-auc' (evaluation_details[name=holdout]" in line and ">= 0.8), found 0.72" in line
    )
    markdown = cli(
        "plan", "--repo", str(applied), "--format", "markdown", "--gates-base", str(base)
    )
    assert f"> ⚠️ cards/{CARD}.yaml: the change to lifecycle.requirements lets card" in (
        markdown.stdout
    )

    base.write_text("version: 1\nlifecycle: [not, a, mapping]\n")
    refused = cli("plan", "--repo", str(applied), "--gates-base", str(base))
    assert refused.exit_code == 1 and f"{base}:2:" in refused.stderr
