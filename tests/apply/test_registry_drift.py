"""Drift of the Model Registry: a person edits a registry-managed version's card, approval
or stage in Studio (the same UpdateModelPackage calls), or a group's tags; drift reports
each part that differs from git and names who changed it and when, from CloudTrail, and
apply sets it back. A group's tags are planned and applied like a card's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.apply.helpers import OWNER, Aws, Cli, apply
from tests.apply.registry_helpers import (
    GROUP,
    REVIEWED,
    declare,
    described,
    group_arn,
    plan,
    register,
)
from tests.test_output_schemas import conforms


def drift(cli: Cli, repo: Path) -> tuple[int, dict[str, Any]]:
    result = cli("drift", "--repo", str(repo), "--format", "json")
    return result.exit_code, conforms("drift", result.stdout)


def applied(cli: Cli, repo: Path, aws: Aws) -> list[str]:
    arns = register(aws)
    declare(repo, REVIEWED)
    code, report, stderr = apply(cli, repo, "--force")
    assert (code, report["converged"]) == (0, True), stderr
    return arns


def test_group_tags_are_planned_applied_and_their_removal_is_shown(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    register(aws, versions=1)
    sm = aws("sagemaker")
    sm.add_tags(ResourceArn=group_arn(), Tags=[{"Key": "stale", "Value": "x"}])
    declare(repo, "tags: {team: churn}\nversions: []\n")
    code, found = plan(cli, repo)
    [change] = [c for c in found["changes"] if c["address"] == f"group.{GROUP}"]
    assert change["action"] == "update_tags"
    assert [(f["path"], f.get("before"), f.get("after")) for f in change["fields"]] == [
        ("$.tags.stale", "x", None),
        ("$.tags.team", None, "churn"),
    ]
    assert found["basis"][f"group.{GROUP}"] == {"tags": {"stale": "x"}}
    code, report, stderr = apply(cli, repo, "--force")
    assert (code, report["converged"]) == (0, True), stderr
    assert sm.list_tags(ResourceArn=group_arn())["Tags"] == [{"Key": "team", "Value": "churn"}]
    declare(repo, "versions: []\n")  # without tags: the group's tags are left alone
    code, found = plan(cli, repo)
    assert not found["changes"]


def test_studio_edits_of_a_version_are_drift_attributed_from_cloudtrail(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    arns = applied(cli, repo, aws)
    assert drift(cli, repo)[0] == 0
    studio = aws("sagemaker", role="ConsoleAdmin")
    content = json.loads(described(aws, arns[1])["ModelCard"]["ModelCardContent"])
    content["intended_uses"]["risk_rating"] = "High"
    studio.update_model_package(
        ModelPackageArn=arns[1], ModelCard={"ModelCardContent": json.dumps(content)}
    )
    studio.update_model_package(ModelPackageArn=arns[1], ModelApprovalStatus="Rejected")
    studio.add_tags(ResourceArn=group_arn(), Tags=[{"Key": "owner", "Value": "studio"}])
    code, report = drift(cli, repo)
    assert code == 2
    items = {(i["address"], i["kind"]): i for i in report["items"]}
    assert set(items) == {(f"version.{GROUP}/2", "model_version"), (f"group.{GROUP}", "tags")}
    version = items[(f"version.{GROUP}/2", "model_version")]
    assert [f["path"] for f in version["fields"]] == [
        "$.content.intended_uses.risk_rating",
        "$.approval",
    ]
    trail = {(t["subject"], t["call"]): t for t in version["trail"]}
    assert set(trail) == {
        ("card content", "sagemaker:UpdateModelPackage"),
        ("approval", "sagemaker:UpdateModelPackage"),
    }
    for edit in trail.values():
        assert edit["identity"].startswith("assumed-role/ConsoleAdmin/")
        assert edit["account"] == OWNER and edit["time"]
    assert "pull --group" in version["remedy"]
    [tag] = items[(f"group.{GROUP}", "tags")]["trail"]
    assert (tag["subject"], tag["call"]) == ("tag owner", "sagemaker:AddTags")
    code, report, stderr = apply(cli, repo, "--force")
    assert (code, report["converged"]) == (0, True), stderr
    assert drift(cli, repo)[0] == 0


def test_a_stage_moved_in_studio_without_cloudtrail_names_the_last_modifier(
    cli: Cli, repo: Path, aws: Aws, sandbox: Any
) -> None:
    """CloudTrail keeps 90 days: an older change is attributed by what
    DescribeModelPackage records (LastModifiedBy), and the report says so."""
    arns = applied(cli, repo, aws)
    studio = aws("sagemaker", role="ConsoleAdmin")
    studio.update_model_package(
        ModelPackageArn=arns[1], ModelLifeCycle={"Stage": "QA", "StageStatus": "Rejected"}
    )
    sandbox.advance(91 * 24 * 3600)
    code, report = drift(cli, repo)
    assert code == 2
    [item] = [i for i in report["items"] if i["address"] == f"version.{GROUP}/2"]
    assert [f["path"] for f in item["fields"]] == ["$.stage"]
    assert item["trail"] == []
    note = item["trail_note"]
    assert note.startswith("CloudTrail has no event that changed the stage in its 90 days")
    assert "DescribeModelPackage records its last change by arn:aws:sts::" in note
    assert "assumed-role/ConsoleAdmin/" in note


def test_history_of_a_model_version_lists_its_changes_from_cloudtrail(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    arns = applied(cli, repo, aws)
    studio = aws("sagemaker", role="ConsoleAdmin")
    studio.update_model_package(ModelPackageArn=arns[1], ModelApprovalStatus="Rejected")
    result = cli("history", f"{GROUP}/2", "--repo", str(repo), "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = conforms("version-history", result.stdout)
    assert (report["version"], report["arn"]) == (f"{GROUP}/2", arns[1])
    assert report["current"]["approval"] == "Rejected"
    assert report["current"]["stage"] == "QA/InProgress"
    events = [(e["call"].split(":")[1], tuple(e["parts"])) for e in report["events"]]
    assert events == [
        ("UpdateModelPackage", ("approval",)),
        ("UpdateModelPackage", ("stage",)),
        ("UpdateModelPackage", ("card status",)),
        ("UpdateModelPackage", ("card content",)),
        ("CreateModelPackage", ("registered", "card content", "card status")),
    ]
    assert report["events"][0]["identity"].startswith("assumed-role/ConsoleAdmin/")
    text = cli("history", f"{GROUP}/2", "--repo", str(repo)).stdout
    assert text.startswith(f"History of model version {GROUP}/2 (5 changes in CloudTrail's 90")
    assert "now: approval Rejected, card PendingReview, stage QA/InProgress" in text
    for wrong in (f"{GROUP}/9", "../../x/2", f"{GROUP}/two"):
        refused = cli("history", wrong, "--repo", str(repo))
        assert refused.exit_code == 1 and "does not exist in account" in refused.stderr
