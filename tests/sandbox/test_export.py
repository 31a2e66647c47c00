"""Model-card export jobs: async completion, a real PDF in S3, failure without a bucket."""

from __future__ import annotations

import io
import json
import re

import pytest
from botocore.exceptions import ClientError
from pypdf import PdfReader

BUCKET = "exports-bucket"


@pytest.fixture
def owner(aws):
    sm, s3 = aws("sagemaker"), aws("s3")
    sm.create_model_card(
        ModelCardName="card-a", Content='{"model_overview": {}}', ModelCardStatus="Approved"
    )
    s3.create_bucket(Bucket=BUCKET)
    return sm, s3


def export(sm, job: str = "job-1", path: str = f"s3://{BUCKET}/out", **kw) -> str:
    return sm.create_model_card_export_job(
        ModelCardName="card-a",
        ModelCardExportJobName=job,
        OutputConfig={"S3OutputPath": path},
        **kw,
    )["ModelCardExportJobArn"]


def test_job_completes_and_writes_a_pdf(sandbox, owner) -> None:
    sm, s3 = owner
    arn = export(sm)
    assert arn.endswith(":model-card/card-a/export-job/job-1")
    job = sm.describe_model_card_export_job(ModelCardExportJobArn=arn)
    assert job["Status"] == "InProgress" and "ExportArtifacts" not in job
    sandbox.advance(sandbox.config.export_delay_seconds)
    job = sm.describe_model_card_export_job(ModelCardExportJobArn=arn)
    assert job["Status"] == "Completed" and job["ModelCardVersion"] == 1
    uri = job["ExportArtifacts"]["S3ExportArtifacts"]
    assert uri == f"s3://{BUCKET}/out/card-a/job-1/card-a.pdf"
    body = s3.get_object(Bucket=BUCKET, Key="out/card-a/job-1/card-a.pdf")["Body"].read()
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")


def test_pdf_text_reads_back_with_every_section(sandbox, aws) -> None:
    sm, s3 = aws("sagemaker"), aws("s3")
    content = {
        "model_overview": {"model_description": "Predicts churn (weekly)", "model_owner": "risk"},
        "intended_uses": {"purpose_of_model": "Retention offers"},
        "evaluation_details": [{"name": "holdout", "metric_groups": []}],
    }
    sm.create_model_card(
        ModelCardName="card-p", Content=json.dumps(content), ModelCardStatus="PendingReview"
    )
    s3.create_bucket(Bucket=BUCKET)
    arn = sm.create_model_card_export_job(
        ModelCardName="card-p",
        ModelCardExportJobName="pdf",
        OutputConfig={"S3OutputPath": f"s3://{BUCKET}/p"},
    )["ModelCardExportJobArn"]
    sandbox.advance(sandbox.config.export_delay_seconds)
    assert sm.describe_model_card_export_job(ModelCardExportJobArn=arn)["Status"] == "Completed"
    body = s3.get_object(Bucket=BUCKET, Key="p/card-p/pdf/card-p.pdf")["Body"].read()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    for expected in (
        "Model card card-p",
        "Version: 1",
        "Status: PendingReview",
        "model_overview",
        "model_description: Predicts churn (weekly)",
        "intended_uses",
        "purpose_of_model: Retention offers",
        "evaluation_details",
        "[0].name: holdout",
    ):
        assert expected in text


def test_missing_bucket_fails_the_job(sandbox, owner) -> None:
    sm, _ = owner
    arn = export(sm, path="s3://no-such-bucket/x")
    sandbox.advance(sandbox.config.export_delay_seconds)
    job = sm.describe_model_card_export_job(ModelCardExportJobArn=arn)
    assert job["Status"] == "Failed" and "no-such-bucket" in job["FailureReason"]


def test_duplicate_job_name_conflicts_and_unknown_version_not_found(owner) -> None:
    sm, _ = owner
    export(sm)
    with pytest.raises(ClientError) as exc:
        export(sm)
    assert exc.value.response["Error"]["Code"] == "ConflictException"
    with pytest.raises(ClientError) as exc:
        export(sm, job="job-2", ModelCardVersion=9)
    assert exc.value.response["Error"]["Code"] == "ResourceNotFound"


def test_list_jobs_filters_sorts_and_pages(sandbox, owner) -> None:
    sm, _ = owner
    for job in ("job-b", "job-a", "job-c"):
        export(sm, job=job)
        sandbox.advance(1)
    export(sm, job="late", path="s3://no-such-bucket/x")

    def listed(**kw) -> list[str]:
        page = sm.list_model_card_export_jobs(ModelCardName="card-a", **kw)
        return [j["ModelCardExportJobName"] for j in page["ModelCardExportJobSummaries"]]

    assert listed() == ["late", "job-c", "job-a", "job-b"]
    assert listed(SortBy="Name", SortOrder="Ascending") == ["job-a", "job-b", "job-c", "late"]
    assert listed(ModelCardExportJobNameContains="JOB-A") == ["job-a"]
    assert listed(StatusEquals="Completed") == ["job-c", "job-a", "job-b"]
    pages = sm.get_paginator("list_model_card_export_jobs").paginate(
        ModelCardName="card-a", PaginationConfig={"PageSize": 3}
    )
    assert [len(p["ModelCardExportJobSummaries"]) for p in pages] == [3, 1]
    assert (
        sm.list_model_card_export_jobs(ModelCardName="other")["ModelCardExportJobSummaries"] == []
    )


def test_list_jobs_takes_a_name_only(owner) -> None:
    sm, _ = owner
    arn = sm.describe_model_card(ModelCardName="card-a")["ModelCardArn"]
    with pytest.raises(ClientError) as exc:
        sm.list_model_card_export_jobs(ModelCardName=arn)
    assert exc.value.response["Error"]["Code"] == "ValidationException"


def test_jobs_go_away_with_their_card(sandbox, owner) -> None:
    sm, _ = owner
    arn = export(sm)
    sm.delete_model_card(ModelCardName="card-a")
    sandbox.advance(sandbox.config.deletion_delay_seconds + 1)
    with pytest.raises(ClientError) as exc:
        sm.describe_model_card_export_job(ModelCardExportJobArn=arn)
    assert exc.value.response["Error"]["Code"] == "ResourceNotFound"


def test_job_arn_pattern_is_enforced(owner) -> None:
    sm, _ = owner
    with pytest.raises(ClientError) as exc:
        sm.describe_model_card_export_job(ModelCardExportJobArn="arn:aws:sagemaker:x")
    assert re.search("regular expression", exc.value.response["Error"]["Message"])
