"""Model versions declared in registry/<group>.yaml: their embedded card, approval and
stage planned field by field and applied through UpdateModelPackage, never approved before
their card, and never touched when git does not list them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.apply.helpers import Aws, Cli, apply
from tests.apply.registry_helpers import GROUP, declare, described, plan, register
from tests.apply.test_promotion_gates import evaluation

PROMOTED = """versions:
  - version: 2
    approval: Approved
    stage: {name: Production, status: Approved}
    card:
      status: Approved
      content:
        model_overview: {model_creator: pipeline}
        intended_uses: {risk_rating: Low, intended_uses: Weekly scoring}
"""

# The training pipeline's holdout evaluation, the last line of a card's content.
HOLDOUT = f"        evaluation_details: {json.dumps(evaluation(0.91))}\n"


def test_a_version_is_not_approved_while_its_live_card_is_a_draft(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    """A branch that jumps a Draft card straight to Approved, approving the version with
    it: the lifecycle refuses the card's step, so nothing of that version is applied."""
    arns = register(aws)
    declare(repo, PROMOTED)
    code, found = plan(cli, repo)
    assert code == 1
    errors = [(e["file"], e["line"], e["code"]) for e in found["errors"]]
    assert errors == [(f"registry/{GROUP}.yaml", 7, "illegal-transition")]
    assert not [c for c in found["changes"] if c["address"].startswith("version.")]
    apply(cli, repo, "--force")
    after = described(aws, arns[1])
    assert after["ModelApprovalStatus"] == "PendingManualApproval"
    assert after["ModelCard"]["ModelCardStatus"] == "Draft"


def test_a_card_is_filled_and_promoted_then_its_version_approved(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    arns = register(aws)
    declare(
        repo,
        PROMOTED.replace(
            "status: Approved\n      content", "status: PendingReview\n      content"
        ).replace("    approval: Approved\n", "    approval: PendingManualApproval\n"),
    )
    code, found = plan(cli, repo)
    assert code == 0 and not found["errors"], found["errors"]
    [change] = [c for c in found["changes"] if c["address"].startswith("version.")]
    assert (change["address"], change["action"]) == (f"version.{GROUP}/2", "update_version")
    paths = [f["path"] for f in change["fields"]]
    assert paths == ["$.content.intended_uses", "$.card.status", "$.stage"]
    assert {u["kind"] for u in found["unmanaged"]} >= {"model_version"}
    assert {u["name"] for u in found["unmanaged"] if u["kind"] == "model_version"} == {
        f"{GROUP}/1",
        f"{GROUP}/3",
    }
    code, report, stderr = apply(cli, repo, "--force")
    assert code == 0 and report["converged"], stderr
    after = described(aws, arns[1])
    assert after["ModelCard"]["ModelCardStatus"] == "PendingReview"
    assert (
        json.loads(after["ModelCard"]["ModelCardContent"])["intended_uses"]["risk_rating"] == "Low"
    )
    assert after["ModelLifeCycle"] == {"Stage": "Production", "StageStatus": "Approved"}
    declare(repo, PROMOTED + HOLDOUT)  # what the Approved gates require of any card
    code, report, stderr = apply(cli, repo)
    assert code == 0 and report["converged"], stderr
    after = described(aws, arns[1])
    assert (after["ModelCard"]["ModelCardStatus"], after["ModelApprovalStatus"]) == (
        "Approved",
        "Approved",
    )
    for untouched in (arns[0], arns[2]):
        other = described(aws, untouched)
        assert other["ModelApprovalStatus"] == "PendingManualApproval"
        assert "LastModifiedTime" not in other


def test_a_version_or_group_git_names_but_the_account_lacks_is_a_plan_error(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    register(aws, versions=1)
    declare(repo, "versions:\n  - version: 1\n  - version: 7\n    approval: Rejected\n")
    code, found = plan(cli, repo)
    assert code == 1
    assert [(e["line"], e["column"], e["code"]) for e in found["errors"]] == [
        (4, 14, "missing-version")
    ]
    (repo / "registry" / f"{GROUP}.yaml").write_text("name: Nope\nversions: []\n")
    (repo / "registry" / f"{GROUP}.yaml").rename(repo / "registry" / "Nope.yaml")
    code, found = plan(cli, repo)
    assert [(e["file"], e["code"]) for e in found["errors"]] == [
        ("registry/Nope.yaml", "missing-group")
    ]


def test_card_from_mirrors_a_card_without_what_a_version_card_lacks(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    arns = register(aws, versions=1)
    declare(repo, "versions:\n  - version: 1\n    card_from: Customer-Churn-Model-Card\n")
    code, found = plan(cli, repo)
    [change] = [c for c in found["changes"] if c["address"].startswith("version.")]
    assert "model_overview.model_owner" in change["detail"]
    assert "mirrors card Customer-Churn-Model-Card" in change["detail"]
    code, report, stderr = apply(cli, repo, "--force")
    assert code == 0 and report["converged"], stderr
    content = json.loads(described(aws, arns[0])["ModelCard"]["ModelCardContent"])
    assert content["model_overview"] == {"model_creator": "churn-team"}
    assert content["intended_uses"]["risk_rating"] == "Low"
