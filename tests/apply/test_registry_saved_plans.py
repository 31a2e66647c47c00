"""`apply --plan FILE` for model versions: a saved plan that changes a version is refused
as stale once another principal moves that version's stage or edits its card through the
API, naming the version and what moved; a change to a version the plan does not touch
keeps it current."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.apply.helpers import Aws, Cli, apply, steps
from tests.apply.registry_helpers import GROUP, REVIEWED, declare, described, register

VERSION = f"version.{GROUP}/2"


def applied_then_planned(cli: Cli, repo: Path, aws: Aws, saved: Path, stage: str) -> list[str]:
    """REVIEWED applied, then git moves version 2 to ``stage`` and that plan is saved."""
    arns = register(aws)
    declare(repo, REVIEWED)
    code, report, stderr = apply(cli, repo, "--force")
    assert (code, report["converged"]) == (0, True), stderr
    declare(repo, REVIEWED.replace("{name: QA, status: InProgress}", stage))
    assert cli("plan", "--repo", str(repo), "--out", str(saved)).exit_code == 0
    assert set(json.loads(saved.read_text())["basis"]) == {VERSION}
    return arns


def refused(cli: Cli, repo: Path, saved: Path) -> str:
    result = cli("apply", "--repo", str(repo), "--plan", str(saved), "--auto-approve")
    assert (result.exit_code, result.stdout) == (1, ""), result.stderr
    assert "plan is stale" in result.stderr
    stderr: str = result.stderr
    return stderr


def studio(aws: Aws, arn: str, **update: Any) -> None:
    """Another principal (a person in Studio) updates the version through the API."""
    aws("sagemaker", role="ConsoleAdmin").update_model_package(ModelPackageArn=arn, **update)


REJECTED = {"Stage": "QA", "StageStatus": "Rejected"}


def stage_of(aws: Aws, arn: str) -> dict[str, Any]:
    stage: dict[str, Any] = described(aws, arn)["ModelLifeCycle"]
    return stage


def test_a_stage_moved_by_another_principal_makes_the_saved_plan_stale(
    cli: Cli, repo: Path, aws: Aws, tmp_path: Path
) -> None:
    saved = tmp_path / "p.json"
    arns = applied_then_planned(cli, repo, aws, saved, "{name: QA, status: Approved}")
    studio(aws, arns[1], ModelLifeCycle=REJECTED)
    stderr = refused(cli, repo, saved)
    assert f"moved: {VERSION}: stage QA/InProgress → QA/Rejected" in stderr
    assert stage_of(aws, arns[1]) == REJECTED


def test_a_card_edited_through_the_api_makes_the_saved_plan_stale(
    cli: Cli, repo: Path, aws: Aws, tmp_path: Path
) -> None:
    saved = tmp_path / "p.json"
    arns = applied_then_planned(cli, repo, aws, saved, "{name: QA, status: Approved}")
    content = json.loads(described(aws, arns[1])["ModelCard"]["ModelCardContent"])
    content["intended_uses"]["risk_rating"] = "High"
    studio(aws, arns[1], ModelCard={"ModelCardContent": json.dumps(content)})
    stderr = refused(cli, repo, saved)
    assert f"moved: {VERSION}: modified " in stderr
    after = described(aws, arns[1])
    assert json.loads(after["ModelCard"]["ModelCardContent"])["intended_uses"]["risk_rating"] == (
        "High"
    )
    assert after["ModelLifeCycle"] == {"Stage": "QA", "StageStatus": "InProgress"}


def test_a_change_to_a_version_the_plan_does_not_touch_keeps_it_current(
    cli: Cli, repo: Path, aws: Aws, tmp_path: Path
) -> None:
    saved = tmp_path / "p.json"
    arns = applied_then_planned(cli, repo, aws, saved, "{name: QA, status: Approved}")
    studio(aws, arns[2], ModelLifeCycle=REJECTED)  # version 3: the pipeline's, not in git
    studio(aws, arns[2], ModelApprovalStatus="Rejected")
    code, report, stderr = apply(cli, repo, "--plan", str(saved))
    assert code == 0, stderr
    assert steps(report) == [(VERSION, "update_version", "done")]
    assert stage_of(aws, arns[1]) == {"Stage": "QA", "StageStatus": "Approved"}
    assert stage_of(aws, arns[2]) == REJECTED
