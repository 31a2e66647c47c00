"""The audit trail under exactly the printed policies, with the sandbox enforcing IAM:
exports, model package approval, commit tags, history and the export command, and every
statement of the policies needed (see test_iam_enforced for the method)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from reconciler.sandbox.iam.enforcer import Evaluation
from tests.test_iam_enforced import CARD, OWNER, Run, create_role, edit, needed, printed, without

Cli = Callable[..., Any]
BUCKET = "audit-exports"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True)


def commit(repo: Path) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "change")


@pytest.fixture
def audited(
    cli: Cli,
    example_repo: Path,
    card_account_env: str,
    sandbox: Any,
    aws: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> tuple[dict[str, dict[str, Any]], list[Evaluation]]:
    monkeypatch.delenv("GITHUB_SHA", raising=False)
    sandbox.configure(
        replace(
            sandbox.config,
            association_delay_seconds=0.02,
            deletion_delay_seconds=0.02,
            export_delay_seconds=0.02,
        )
    )
    repo, run = example_repo, Run(cli, example_repo)
    aws("s3").create_bucket(Bucket=BUCKET)
    sm = aws("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName="churn")
    package = sm.create_model_package(ModelPackageGroupName="churn")["ModelPackageArn"]
    with (repo / "reconciler.yaml").open("a") as f:
        f.write(f"exports: {{bucket: {BUCKET}}}\nregistry: {{sync_approval: true}}\n")
    with (repo / f"cards/{CARD}.yaml").open("a") as f:
        f.write(f"  model_package_details:\n    model_package_arn: {package}\n")
    git(repo, "init", "-q")
    commit(repo)
    policies = {
        create_role(aws, OWNER, "ReconcilerPlan", printed(cli, repo, "plan")): "plan",
        create_role(aws, OWNER, "ReconcilerDrift", printed(cli, repo, "drift")): "drift",
        create_role(aws, OWNER, "ReconcilerApply", printed(cli, repo, "apply")): "apply",
    }
    documents = {arn: printed(cli, repo, role) for arn, role in policies.items()}
    sandbox.iam.recorded = recorded = []
    try:
        run("ReconcilerPlan", "plan")
        run("ReconcilerDrift", "drift", ok=(2,))  # nothing applied yet: every card missing
        run("ReconcilerApply", "apply", "--auto-approve", "--force", "--no-verify", ok=(0,))
        for status in ("PendingReview", "Approved"):
            edit(repo, f"cards/{CARD}.yaml", "status: ", f"status: {status}\n# was: ")
            commit(repo)
            run("ReconcilerApply", "apply", "--auto-approve", "--no-verify", ok=(0,))
        run("ReconcilerDrift", "drift", ok=(0,))
        run("ReconcilerDrift", "history", CARD, ok=(0,))
        # The PDF deleted: drift reads the card's export jobs to find it missing, and the
        # export command exports it again; then it only downloads.
        aws("s3").delete_object(Bucket=BUCKET, Key=_only_key(aws))
        run("ReconcilerDrift", "drift", ok=(2,))
        run("ReconcilerPlan", "plan")  # a pull request's plan reads exports the same way
        pdf = tmp_path / "card.pdf"
        run("ReconcilerApply", "export", CARD, "--out", str(pdf), ok=(0,))
        run("ReconcilerApply", "export", CARD, "--out", str(pdf), ok=(0,))
        run("ReconcilerDrift", "drift", ok=(0,))
    finally:
        sandbox.iam.recorded = None
    assert sm.describe_model_package(ModelPackageName=package)["ModelApprovalStatus"] == "Approved"
    return documents, recorded


def _only_key(aws: Callable[..., Any]) -> str:
    (item,) = aws("s3").list_objects_v2(Bucket=BUCKET)["Contents"]
    return str(item["Key"])


def test_the_audit_trail_runs_under_the_printed_policies_and_needs_all_of_them(
    audited: tuple[dict[str, dict[str, Any]], list[Evaluation]],
) -> None:
    documents, recorded = audited
    assert not [e for e in recorded if not e.allowed]
    assert {
        "sagemaker:CreateModelCardExportJob",
        "sagemaker:DescribeModelPackage",
        "sagemaker:UpdateModelPackage",
        "s3:GetObject",
        "s3:ListBucket",
        "s3:PutObject",
    } <= {e.action for e in recorded}
    unneeded = []
    for arn, document in documents.items():
        mine = [e for e in recorded if e.role_arn == arn and e.allowed]
        unneeded += [
            f"{arn.rsplit('/', 1)[-1]}: {left_out}"
            for left_out, reduced in without(document)
            if not needed(reduced, mine)
        ]
    audit_sids = (
        "ListModelCardExports",
        "ReadModelCardExportJobs",
        "ReadModelCardPdfs",
        "ListModelCardPdfs",
        "ReadModelPackages",
        "ExportManagedModelCards",
        "WriteModelCardPdfs",
        "ApproveModelPackagesWithTheirCards",
    )
    # Statements of the rest of the lifecycle are test_iam_enforced's to check.
    assert not [u for u in unneeded if u.split(": ", 1)[1].split("/")[0] in audit_sids], unneeded
