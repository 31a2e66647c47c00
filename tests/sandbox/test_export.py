"""Model-card export jobs: async completion, a real PDF in S3, failure without a bucket."""

from __future__ import annotations

import re

import pytest
from botocore.exceptions import ClientError

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
    assert body.startswith(b"%PDF-1.4") and body.rstrip().endswith(b"%%EOF")


def test_pdf_cross_reference_offsets_are_exact() -> None:
    from reconciler.sandbox.sagemaker.pdf import render

    doc = render("Model card x", [f"line {i} (with parens)" for i in range(150)])
    xref = int(doc.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    table = doc[xref:].split(b"\n")
    count = int(table[1].split()[1])
    for number, entry in enumerate(table[3 : 2 + count], start=1):
        offset = int(entry.split()[0])
        assert doc[offset:].startswith(b"%d 0 obj" % number)
    assert b"/Count 3" in doc


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
