"""Export jobs someone else made under the name apply would use (issue 22).

Export job names are predictable (``<card>-v<version>-approved``): a consumer with export
permission can create that job first, pointed at their own bucket. Apply took the
ConflictException as "exported before" and reported their URI; plan took their PDF as
the card's. An existing job is now accepted only when its card, version and
``S3OutputPath`` are the ones apply would use (DescribeModelCardExportJob); otherwise the
card gets a plan error naming the job, and apply reports it, never the foreign URI.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.apply.helpers import (
    BUCKET,
    CARD,
    DEV,
    Aws,
    Cli,
    apply,
    card_arn,
    edit_owner,
    set_status,
)

LOOT = "consumer-loot"
EXPORT = "AWSRAMPermissionSageMakerModelCardsAllowExport"


def _consumer_may_export(repo: Path) -> None:
    share = repo / "shares" / "churn-dev.yaml"
    share.write_text(share.read_text().replace("AWSRAMPermissionSageMakerModelCards", EXPORT))


def _pending_review(cli: Cli, repo: Path, aws: Aws) -> int:
    """The card applied, then in review; its version."""
    _consumer_may_export(repo)
    assert apply(cli, repo, "--force")[0] == 0
    set_status(repo, "PendingReview")
    assert apply(cli, repo)[0] == 0
    return int(aws("sagemaker").describe_model_card(ModelCardName=CARD)["ModelCardVersion"])


def _squat(aws: Aws, sandbox: Any, name: str, version: int) -> str:
    """The consumer in dev creates the export job ``name`` into its own bucket."""
    aws("s3", DEV).create_bucket(Bucket=LOOT)
    consumer = aws("sagemaker", DEV)  # an administrator of dev
    arn: str = consumer.create_model_card_export_job(
        ModelCardName=card_arn(),
        ModelCardVersion=version,
        ModelCardExportJobName=name,
        OutputConfig={"S3OutputPath": f"s3://{LOOT}/stolen"},
    )["ModelCardExportJobArn"]
    sandbox.advance(1)
    assert consumer.describe_model_card_export_job(ModelCardExportJobArn=arn)["Status"] == (
        "Completed"
    )
    return arn


def test_a_job_under_the_name_plan_expects_is_a_plan_error_naming_it(
    cli: Cli, exporting: Path, aws: Aws, sandbox: Any
) -> None:
    version = _pending_review(cli, exporting, aws)
    job = f"{CARD}-v{version}-approved"
    _squat(aws, sandbox, job, version)
    set_status(exporting, "Approved")
    plan = cli("plan", "--repo", str(exporting), "--format", "json")
    assert plan.exit_code == 1, plan.stderr
    found = json.loads(plan.stdout)
    [error] = found["errors"]
    assert (error["file"], error["code"]) == (f"cards/{CARD}.yaml", "foreign-export-job")
    assert job in error["message"] and f"s3://{BUCKET}/model-cards" in error["message"]
    assert not [c for c in found["changes"] if c["address"] == f"card.{CARD}"]
    code, report, stderr = apply(cli, exporting)
    assert code == 1 and any(job in b for b in report["blocked"])
    assert LOOT not in json.dumps(report) + stderr


def test_apply_reports_a_job_someone_made_under_its_name_never_their_pdf(
    cli: Cli, exporting: Path, aws: Aws, sandbox: Any
) -> None:
    """The name of the version apply is about to write, made for an older version."""
    version = _pending_review(cli, exporting, aws)
    job = f"{CARD}-v{version + 1}-approved"
    _squat(aws, sandbox, job, version)
    set_status(exporting, "Approved")
    edit_owner(exporting, "risk-office")  # a new version, exported under that name
    code, report, stderr = apply(cli, exporting)
    assert code == 1
    [step] = [s for s in report["steps"] if s["action"] == "export_card"]
    assert (step["status"], step["error_code"]) == ("failed", "ForeignExportJob")
    assert job in step["error_message"] and f"version {version}" in step["error_message"]
    assert LOOT not in json.dumps(report) + stderr
    text = cli("apply", "--repo", str(exporting), "--auto-approve", "--format", "markdown")
    assert LOOT not in text.stdout + text.stderr


def test_the_export_command_never_downloads_a_job_someone_else_made(
    cli: Cli, exporting: Path, aws: Aws, sandbox: Any, tmp_path: Path
) -> None:
    version = _pending_review(cli, exporting, aws)
    job = f"{CARD}-v{version}-pendingreview"
    _squat(aws, sandbox, job, version)
    with (exporting / "reconciler.yaml").open("a") as f:
        f.write("  statuses: [PendingReview, Approved]\n")  # under exports:
    out = tmp_path / "card.pdf"
    result = cli("export", CARD, "--repo", str(exporting), "--out", str(out))
    assert result.exit_code == 1 and not out.exists()
    assert job in result.stderr and LOOT not in result.stdout + result.stderr
