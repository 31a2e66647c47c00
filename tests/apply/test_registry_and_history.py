"""The model package a card documents, kept in step with the card's approval (or warned
about), and every live version traced to the commit that wrote it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.apply.helpers import CARD, CARD_FILE, OWNER, Aws, Cli, apply, edit_owner, set_status
from tests.test_output_schemas import conforms

GROUP = "churn-models"


def package(aws: Aws) -> str:
    """A versioned model package in the card account, PendingManualApproval."""
    sm = aws("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName=GROUP)
    arn: str = sm.create_model_package(ModelPackageGroupName=GROUP)["ModelPackageArn"]
    return arn


def name_package(repo: Path, arn: str) -> None:
    with (repo / CARD_FILE).open("a") as f:
        f.write(f"  model_package_details:\n    model_package_arn: {arn}\n")


def approval(aws: Aws, arn: str) -> dict[str, Any]:
    found: dict[str, Any] = aws("sagemaker").describe_model_package(ModelPackageName=arn)
    return found


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def in_git(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GITHUB_SHA", raising=False)
    git(repo, "init", "-q")
    commit_all(repo, "cards")
    return repo


def test_package_approval_follows_the_card_both_ways(cli: Cli, repo: Path, aws: Aws) -> None:
    arn = package(aws)
    name_package(repo, arn)
    with (repo / "reconciler.yaml").open("a") as f:
        f.write("registry: {sync_approval: true}\n")
    apply(cli, repo, "--force")
    set_status(repo, "PendingReview")
    code, report, _ = apply(cli, repo)
    assert code == 0 and report["converged"]
    assert "update_package_approval" not in {s["action"] for s in report["steps"]}
    set_status(repo, "Approved")
    plan = cli("plan", "--repo", str(repo), "--format", "json")
    changes = conforms("plan", plan.stdout)["changes"]
    actions = [(c["address"], c["action"]) for c in changes if c["address"].startswith("card.")]
    assert actions == [
        (f"card.{CARD}", "update_status"),
        (f"card.{CARD}", "update_package_approval"),
    ]
    code, report, _ = apply(cli, repo)
    assert code == 0 and report["converged"], report
    found = approval(aws, arn)
    assert found["ModelApprovalStatus"] == "Approved"
    assert f"Model card {CARD} version 1" in found["ApprovalDescription"]
    assert "a checkout outside git" in found["ApprovalDescription"]
    assert found["LastModifiedBy"]["IamIdentity"]["Arn"].split(":")[4] == OWNER
    # Back to review: taking the approved package out of Approved needs --force, as
    # archiving an Approved card does; then the package waits for manual approval again.
    set_status(repo, "PendingReview")
    code, report, _ = apply(cli, repo)
    assert code == 1 and report["steps"] == []
    assert any("takes an Approved model package out of Approved" in r for r in report["refused"])
    assert approval(aws, arn)["ModelApprovalStatus"] == "Approved"
    code, report, _ = apply(cli, repo, "--force")
    assert code == 0 and report["converged"]
    assert approval(aws, arn)["ModelApprovalStatus"] == "PendingManualApproval"


def test_without_sync_a_mismatch_is_a_warning(cli: Cli, repo: Path, aws: Aws) -> None:
    arn = package(aws)
    name_package(repo, arn)
    apply(cli, repo, "--force")
    for status in ("PendingReview", "Approved"):
        set_status(repo, status)
        code, report, _ = apply(cli, repo)
        assert code == 0 and report["converged"]
    assert approval(aws, arn)["ModelApprovalStatus"] == "PendingManualApproval"
    plan = cli("plan", "--repo", str(repo), "--detailed-exitcode")
    assert plan.exit_code == 0 and "registry.sync_approval" in plan.stdout
    drift = cli("drift", "--repo", str(repo), "--format", "json")
    warnings = conforms("drift", drift.stdout)["warnings"]
    assert drift.exit_code == 0 and any(arn in w and "Approved" in w for w in warnings)


def test_a_missing_package_is_a_plan_error_on_its_line(cli: Cli, repo: Path) -> None:
    missing = f"arn:aws:sagemaker:us-east-1:{OWNER}:model-package/{GROUP}/9"
    name_package(repo, missing)
    lines = (repo / CARD_FILE).read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "model_package_arn" in text)
    plan = cli("plan", "--repo", str(repo))
    assert plan.exit_code == 1
    assert f"{CARD_FILE}:{line}:" in plan.stdout + plan.stderr
    assert f"model package {missing} does not exist" in plan.stdout + plan.stderr


def test_history_names_the_commits_and_an_edit_outside_git(
    cli: Cli, in_git: Path, aws: Aws
) -> None:
    first = git(in_git, "rev-parse", "HEAD")
    apply(cli, in_git, "--force")
    edit_owner(in_git, "risk-office")
    second = commit_all(in_git, "new owner")
    apply(cli, in_git)
    sm = aws("sagemaker")
    tags = sm.list_tags(ResourceArn=sm.describe_model_card(ModelCardName=CARD)["ModelCardArn"])
    assert {t["Key"]: t["Value"] for t in tags["Tags"]}["reconciler-commit"] == second
    # An edit made outside git: a new version no commit wrote.
    live = json.loads(sm.describe_model_card(ModelCardName=CARD)["Content"])
    live["model_overview"]["model_owner"] = "console-edit"
    sm.update_model_card(ModelCardName=CARD, Content=json.dumps(live))
    result = cli("history", CARD, "--repo", str(in_git), "--format", "json")
    assert result.exit_code == 0, result.stderr
    versions = {v["version"]: v for v in conforms("history", result.stdout)["versions"]}
    assert versions[1]["commit"] == first[:12]
    assert versions[2]["commit"] == second
    assert versions[3]["commit"] is None and versions[3]["modified_by"].startswith("arn:aws:")
    text = cli("history", CARD, "--repo", str(in_git)).stdout
    assert "not from git" in text and second in text
    drift = conforms("drift", cli("drift", "--repo", str(in_git), "--format", "json").stdout)
    (content,) = [i for i in drift["items"] if i["kind"] == "content"]
    assert [v["commit"] for v in content["versions"]] == [None, second, first[:12]]
