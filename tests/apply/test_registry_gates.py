"""Promotion gates hold for the model card embedded in a model version as they do for a
card of cards/: a branch that approves a version's card without what Approved requires
changes nothing, whatever the flags; validate shows it on the card's status line; a
reviewed exception in the registry file lets one requirement through. Requirements on
fields the model package card schema lacks (``model_overview.model_owner``) do not apply
to an embedded card."""

from __future__ import annotations

import json
from pathlib import Path

from tests.apply.helpers import Aws, Cli, apply
from tests.apply.registry_helpers import GROUP, declare, described, plan, register
from tests.apply.test_promotion_gates import evaluation


def approved(risk: str = "Low", auc: float | None = None, exceptions: str = "") -> str:
    """Version 1 Approved with its card Approved: intended use and risk rating, and the
    holdout evaluation when ``auc`` is given."""
    evaluated = f"        evaluation_details: {json.dumps(evaluation(auc))}\n" if auc else ""
    return (
        "versions:\n  - version: 1\n    approval: Approved\n    card:\n"
        "      status: Approved\n"
        f"{exceptions}"
        "      content:\n"
        "        model_overview: {model_creator: pipeline}\n"
        f"        intended_uses: {{risk_rating: {risk}, intended_uses: Weekly scoring}}\n"
        f"{evaluated}"
    )


def pending(repo: Path, cli: Cli) -> None:
    """The version's card in PendingReview, applied with the example: one step from
    Approved."""
    declare(
        repo,
        approved()
        .replace("status: Approved", "status: PendingReview")
        .replace("approval: Approved", "approval: PendingManualApproval"),
    )
    code, _, stderr = apply(cli, repo, "--force", "--no-verify")  # the example's dev share
    assert code == 0, stderr


def test_a_version_card_without_its_evaluation_is_not_approved_even_with_force(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    """The attack: a branch approves the version and its card before any evaluation."""
    [arn] = register(aws, versions=1)
    pending(repo, cli)
    declare(repo, approved())
    code, found = plan(cli, repo)
    assert code == 1
    (error,) = found["errors"]
    assert (error["file"], error["line"], error["code"]) == (f"registry/{GROUP}.yaml", 6, "gate")
    assert "requires 'holdout-auc'" in error["message"] and "found nothing" in error["message"]
    assert [c for c in found["changes"] if c["address"].startswith("version.")] == []
    code, report, _ = apply(cli, repo, "--force", "--no-verify")
    assert code == 1 and report["steps"] == []
    live = described(aws, arn)
    assert live["ModelApprovalStatus"] == "PendingManualApproval"
    assert live["ModelCard"]["ModelCardStatus"] == "PendingReview"


def test_an_evaluated_version_card_is_approved_and_an_exception_passes_a_high_risk(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    [arn] = register(aws, versions=1)
    pending(repo, cli)
    declare(repo, approved(risk="High", auc=0.91))
    code, found = plan(cli, repo)
    assert code == 1 and "'not-high-risk'" in found["errors"][0]["message"]
    excepted = "      gate_exceptions: {not-high-risk: approved by the credit committee}\n"
    declare(repo, approved(risk="High", auc=0.91, exceptions=excepted))
    code, found = plan(cli, repo)
    assert code == 0 and found["errors"] == [], found["errors"]
    code, _, stderr = apply(cli, repo, "--no-verify")
    assert code == 0, stderr
    assert described(aws, arn)["ModelCard"]["ModelCardStatus"] == "Approved"


def test_validate_shows_an_unmet_gate_on_the_card_s_status_line_and_a_typo_d_exception(
    cli: Cli, repo: Path
) -> None:
    declare(repo, approved())
    result = cli("validate", "--repo", str(repo), "--format", "json")
    assert result.exit_code == 0  # a warning: plan holds the version back
    gates = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "gate"]
    assert [(p["file"], p["line"], p["severity"]) for p in gates] == [
        (f"registry/{GROUP}.yaml", 6, "warning")
    ]
    declare(repo, approved(auc=0.91, exceptions="      gate_exceptions: {no-such-gate: x}\n"))
    result = cli("validate", "--repo", str(repo), "--format", "json")
    assert result.exit_code == 1
    (typo,) = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "gate-exception"]
    assert (typo["line"], "no requirement 'no-such-gate'" in typo["message"]) == (7, True)
