"""The audit trail against the sandbox: approved cards exported as PDFs (and exported again
only when needed), a failed export reported, the model package's approval kept in step
with the card, and every live version traced to its commit."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from tests.apply.helpers import BUCKET, CARD, PREFIX, Aws, Cli, apply, edit_owner, set_status
from tests.test_output_schemas import conforms

GROUP = "churn-models"


def approve(cli: Cli, repo: Path) -> dict[str, Any]:
    """Draft → PendingReview → Approved, one apply each; the last apply's report."""
    for status in ("PendingReview", "Approved"):
        set_status(repo, status)
        code, report, stderr = apply(cli, repo, "--force")
        assert (code, report["converged"]) == (0, True), stderr
    return report


def pdfs(aws: Aws) -> dict[str, str]:
    """Every PDF under the exports prefix, by key, as the text a PDF reader extracts."""
    s3 = aws("s3")
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/").get("Contents", [])
    return {
        o["Key"]: "\n".join(
            p.extract_text()
            for p in PdfReader(
                io.BytesIO(s3.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read())
            ).pages
        )
        for o in listed
    }


def exports_of(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in report["steps"] if s["action"] == "export_card"]


def test_approval_exports_the_pdf_once(cli: Cli, exporting: Path, aws: Aws) -> None:
    code, report, _ = apply(cli, exporting, "--force")
    assert code == 0 and not exports_of(report)  # a Draft card is not exported
    report = approve(cli, exporting)
    (step,) = exports_of(report)
    version = aws("sagemaker").describe_model_card(ModelCardName=CARD)["ModelCardVersion"]
    key = f"{PREFIX}/{CARD}/{CARD}-v{version}-approved/{CARD}.pdf"
    assert step["status"] == "done" and f"s3://{BUCKET}/{key}" in step["detail"]
    text = pdfs(aws)[key]
    assert f"Model card {CARD}" in text and "Status: Approved" in text
    assert "model_owner: model-owner" in text and "intended_uses" in text
    # Nothing changed: no second export, no drift.
    assert cli("plan", "--repo", str(exporting), "--detailed-exitcode").exit_code == 0
    code, again, _ = apply(cli, exporting)
    assert code == 0 and again["converged"] and not again["steps"]
    assert cli("drift", "--repo", str(exporting)).exit_code == 0
    assert len(pdfs(aws)) == 1


def test_content_edit_and_reapproval_export_the_new_version(
    cli: Cli, exporting: Path, aws: Aws
) -> None:
    approve(cli, exporting)
    set_status(exporting, "PendingReview")
    edit_owner(exporting, "risk-office")
    code, report, _ = apply(cli, exporting)
    assert code == 0 and not exports_of(report)  # PendingReview is not exported
    set_status(exporting, "Approved")
    code, report, _ = apply(cli, exporting)
    assert code == 0 and [s["status"] for s in exports_of(report)] == ["done"]
    texts = pdfs(aws)
    assert len(texts) == 2
    newest = max(texts, key=lambda k: int(k.rsplit("-v", 1)[1].split("-")[0]))
    assert "model_owner: risk-office" in texts[newest]


def test_a_deleted_pdf_is_drift_and_exported_again(cli: Cli, exporting: Path, aws: Aws) -> None:
    approve(cli, exporting)
    (key,) = pdfs(aws)
    aws("s3").delete_object(Bucket=BUCKET, Key=key)
    drift = cli("drift", "--repo", str(exporting), "--format", "json")
    assert drift.exit_code == 2
    kinds = {i["kind"] for i in conforms("drift", drift.stdout)["items"]}
    assert "missing_export" in kinds
    code, report, _ = apply(cli, exporting)
    assert code == 0 and report["converged"]
    (again,) = pdfs(aws)
    assert again.rsplit("/", 2)[1].endswith("-2")  # a new job: the old one is not reused


def test_a_failed_export_job_is_reported(cli: Cli, repo: Path, sandbox: Any, aws: Aws) -> None:
    sandbox.configure(replace(sandbox.config, export_delay_seconds=0.02))
    with (repo / "reconciler.yaml").open("a") as f:
        f.write("exports: {bucket: no-such-bucket}\n")
    apply(cli, repo, "--force")
    set_status(repo, "PendingReview")
    apply(cli, repo)
    set_status(repo, "Approved")
    code, report, _ = apply(cli, repo)
    assert code == 1
    (failed,) = [s for s in report["steps"] if s["status"] == "failed"]
    assert (failed["action"], failed["error_code"]) == ("export_card", "ExportFailed")
    assert "no-such-bucket" in failed["error_message"]
    text = cli("apply", "--repo", str(repo), "--auto-approve")
    assert text.exit_code == 1 and "no-such-bucket" in text.stdout + text.stderr


def test_export_command_downloads_or_exports_a_version(
    cli: Cli, exporting: Path, aws: Aws, tmp_path: Path
) -> None:
    approve(cli, exporting)
    out = tmp_path / "approved.pdf"
    result = cli("export", CARD, "--repo", str(exporting), "--out", str(out), "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = conforms("export", result.stdout)
    assert report["exported"] is False and report["file"] == str(out)
    assert "Status: Approved" in PdfReader(out).pages[0].extract_text()
    # Without its PDF in S3, the version is exported first (a new job), then downloaded.
    (key,) = pdfs(aws)
    aws("s3").delete_object(Bucket=BUCKET, Key=key)
    again = tmp_path / "again.pdf"
    result = cli("export", CARD, "--repo", str(exporting), "--out", str(again))
    assert result.exit_code == 0 and "exported and downloaded" in result.stdout
    assert f"Model card {CARD}" in PdfReader(again).pages[0].extract_text()
    missing = cli("export", CARD, "--repo", str(exporting), "--version", "7")
    assert missing.exit_code == 1 and "has no version 7" in missing.stderr


def test_reapproving_an_unchanged_version_keeps_its_pdf(
    cli: Cli, exporting: Path, aws: Aws
) -> None:
    approve(cli, exporting)
    for status in ("PendingReview", "Approved"):  # a status change keeps the version
        set_status(exporting, status)
        code, report, _ = apply(cli, exporting)
        assert code == 0 and report["converged"] and not exports_of(report)
    assert len(pdfs(aws)) == 1
