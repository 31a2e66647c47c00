"""The audit trail's steps against stubbed SageMaker: export jobs (started, found again
after a retry, failed), model package approval, and the commit tags written after a card
write."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from reconciler.apply.executor import _run
from reconciler.common.names import export_job_name, format_versions, is_export_of, parse_versions
from reconciler.common.status import ApprovalStatus, CardStatus, Lifecycle
from reconciler.plan.model import Action
from reconciler.plan.payloads import (
    ExportCard,
    UpdatePackageApproval,
    UpdateStatus,
    UpdateVersion,
)
from tests.unit.stubs import Call, Stubbed, card_arn, describe, step

CARD = "Churn"
ARN = card_arn(CARD)
JOB = f"{ARN}/export-job/Churn-v3-approved"
OUT = "s3://audit/model-cards"
PACKAGE = "arn:aws:sagemaker:us-east-1:111111111111:model-package/churn/1"
COMMIT = "0123456789abcdef0123456789abcdef01234567"
OURS = f"{OUT}/Churn/Churn-v3-approved/Churn.pdf"


def sagemaker(method: str, response: dict[str, Any] | None = None, **params: Any) -> Call:
    return Call(service="sagemaker", method=method, params=params, response=response or {})


def create_job(version: int, name: str, error: str | None = None) -> Call:
    return Call(
        service="sagemaker",
        method="create_model_card_export_job",
        params={
            "ModelCardName": CARD,
            "ModelCardVersion": version,
            "ModelCardExportJobName": name,
            "OutputConfig": {"S3OutputPath": OUT},
        },
        response={} if error else {"ModelCardExportJobArn": f"{ARN}/export-job/{name}"},
        error=error,
    )


def job_state(status: str, arn: str = JOB, **extra: Any) -> Call:
    return sagemaker(
        "describe_model_card_export_job",
        {
            "ModelCardExportJobName": arn.rsplit("/", 1)[1],
            "ModelCardExportJobArn": arn,
            "Status": status,
            "ModelCardName": CARD,
            "ModelCardVersion": 3,
            "OutputConfig": {"S3OutputPath": OUT},
            "CreatedAt": 1,
            "LastModifiedAt": 1,
            **extra,
        },
        ModelCardExportJobArn=arn,
    )


def test_export_of_the_version_just_written_waits_for_the_pdf(stubs: Stubbed) -> None:
    export = ExportCard(name=CARD, version=None, status="Approved", output_path=OUT)
    change = step(Action.EXPORT_CARD, export)
    done = stubs.dispatch(
        change,
        describe(CARD, ModelCardVersion=3),
        create_job(3, "Churn-v3-approved"),
        job_state("InProgress"),
        job_state("Completed", ExportArtifacts={"S3ExportArtifacts": f"{OUT}/x.pdf"}),
    )
    assert done == f"exported {CARD} version 3 to {OUT}/x.pdf"
    assert len(stubs.sleeps) == 1
    stubs.done()


def test_a_retried_export_finds_its_job_and_a_failed_job_says_why(stubs: Stubbed) -> None:
    export = ExportCard(name=CARD, version=3, status="Approved", output_path=OUT, attempt=2)
    arn = f"{ARN}/export-job/Churn-v3-approved-2"
    stubs.expect(
        describe(CARD, ModelCardVersion=4),
        create_job(3, "Churn-v3-approved-2", error="ConflictException"),
        job_state("Failed", arn, FailureReason="bucket audit does not exist"),
    )
    failed = _run(stubs.ctx, step(Action.EXPORT_CARD, export))
    assert (failed.error_code, failed.error_message) == (
        "ExportFailed",
        "bucket audit does not exist",
    )
    stubs.done()


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        pytest.param(
            {"OutputConfig": {"S3OutputPath": "s3://loot/x"}}, "writes elsewhere", id="out"
        ),
        pytest.param({"ModelCardVersion": 2}, "exports version 2, not 3", id="version"),
        pytest.param({"ModelCardName": "Other"}, "another model card", id="card"),
        pytest.param(
            {"ExportArtifacts": {"S3ExportArtifacts": "s3://loot/x/Churn.pdf"}},
            "its PDF is elsewhere",
            id="artifact",
        ),
    ],
)
def test_a_job_someone_else_made_under_the_name_fails_the_step_without_its_uri(
    stubs: Stubbed, extra: dict[str, Any], why: str
) -> None:
    export = ExportCard(name=CARD, version=3, status="Approved", output_path=OUT)
    stubs.expect(
        describe(CARD, ModelCardVersion=3),
        create_job(3, "Churn-v3-approved", error="ConflictException"),
        job_state(
            "Completed", **{"ExportArtifacts": {"S3ExportArtifacts": f"{OUT}/a.pdf"}, **extra}
        ),
    )
    failed = _run(stubs.ctx, step(Action.EXPORT_CARD, export))
    assert (failed.status.value, failed.error_code) == ("failed", "ForeignExportJob")
    assert failed.error_message is not None and "loot" not in failed.error_message
    assert failed.error_message.startswith("export job Churn-v3-approved was not made by")
    assert why in failed.error_message
    stubs.done()


def test_job_names_fit_sagemaker_and_differ_per_version_status_and_attempt() -> None:
    long = export_job_name("x" * 63, 123, "PendingReview", 12)
    assert len(long) <= 63 and long.endswith("-v123-pendingreview-12")
    assert is_export_of(long, "x" * 63, 123, "PendingReview")
    names = {
        export_job_name(CARD, 1, "Approved"),
        export_job_name(CARD, 2, "Approved"),
        export_job_name(CARD, 1, "Approved", 2),
        export_job_name(CARD, 1, "PendingReview"),
    }
    assert names == {"Churn-v1-approved", "Churn-v2-approved", "Churn-v1-approved-2",
                     "Churn-v1-pendingreview"}  # fmt: skip
    assert is_export_of("Churn-v1-approved-2", CARD, 1, "Approved")
    assert not is_export_of("Churn-v1-approved-x", CARD, 1, "Approved")
    assert not is_export_of("Churn-v12-approved", CARD, 1, "Approved")


def test_package_approval_names_the_card_version_and_commit(stubs: Stubbed) -> None:
    stubs = Stubbed(
        stubbers=stubs.stubbers, ctx=replace(stubs.ctx, commit=COMMIT), sleeps=stubs.sleeps
    )
    update = UpdatePackageApproval(
        package_arn=PACKAGE, card_name=CARD, approval="Approved", from_approval="Pending"
    )
    done = stubs.dispatch(
        step(Action.UPDATE_PACKAGE_APPROVAL, update),
        describe(CARD, ModelCardVersion=5),
        sagemaker(
            "update_model_package",
            {"ModelPackageArn": PACKAGE},
            ModelPackageArn=PACKAGE,
            ModelApprovalStatus="Approved",
            ApprovalDescription=f"Model card {CARD} version 5, applied from commit {COMMIT}",
        ),
    )
    assert done == f"{PACKAGE}: Pending → Approved"
    stubs.done()


def test_a_card_write_records_its_commit_in_tags(stubs: Stubbed) -> None:
    stubs = Stubbed(
        stubbers=stubs.stubbers, ctx=replace(stubs.ctx, commit=COMMIT), sleeps=stubs.sleeps
    )
    update = UpdateStatus(name=CARD, arn=ARN, status="Approved", from_status="PendingReview")
    stubs.dispatch(
        step(Action.UPDATE_STATUS, update),
        sagemaker(
            "update_model_card",
            {"ModelCardArn": ARN},
            ModelCardName=CARD,
            ModelCardStatus="Approved",
        ),
        describe(CARD, ModelCardVersion=3),
        sagemaker(
            "list_tags",
            {"Tags": [{"Key": "reconciler-versions", "Value": "1-2=aaaaaaaaaaaa"}]},
            ResourceArn=ARN,
        ),
        sagemaker(
            "add_tags",
            {"Tags": []},
            ResourceArn=ARN,
            Tags=[
                {"Key": "reconciler-commit", "Value": COMMIT},
                {"Key": "reconciler-versions", "Value": "1-2=aaaaaaaaaaaa 3=0123456789ab"},
            ],
        ),
    )
    stubs.done()


def test_version_mapping_round_trips_and_stays_within_a_tag_value() -> None:
    mapping = {n: f"{n // 3:012x}" for n in range(1, 200)}
    value = format_versions(mapping)
    assert len(value) <= 256
    parsed = parse_versions(value)
    assert max(parsed) == 199 and all(parsed[n] == mapping[n] for n in parsed)
    assert parse_versions("junk 2=abc x-y=z") == {2: "abc"}


def test_a_version_writes_content_then_card_status_then_stage_then_approval(
    stubs: Stubbed,
) -> None:
    update = UpdateVersion(
        package_arn=PACKAGE,
        content={"intended_uses": {"risk_rating": "Low"}},
        card_status=CardStatus.APPROVED,
        from_card_status=CardStatus.PENDING_REVIEW,
        stage=Lifecycle(stage="Production", status="Approved"),
        approval=ApprovalStatus.APPROVED,
        from_approval=ApprovalStatus.PENDING,
    )
    answer = {"ModelPackageArn": PACKAGE}
    done = stubs.dispatch(
        step(Action.UPDATE_VERSION, update),
        sagemaker(
            "update_model_package",
            answer,
            ModelPackageArn=PACKAGE,
            ModelCard={"ModelCardContent": '{"intended_uses":{"risk_rating":"Low"}}'},
        ),
        sagemaker(
            "update_model_package",
            answer,
            ModelPackageArn=PACKAGE,
            ModelCard={"ModelCardStatus": "Approved"},
        ),
        sagemaker(
            "update_model_package",
            answer,
            ModelPackageArn=PACKAGE,
            ModelLifeCycle={"Stage": "Production", "StageStatus": "Approved"},
        ),
        sagemaker(
            "update_model_package",
            answer,
            ModelPackageArn=PACKAGE,
            ModelApprovalStatus="Approved",
            ApprovalDescription="applied from a checkout outside git",
        ),
    )
    assert done.startswith(f"{PACKAGE}: card content, card PendingReview → Approved")
    stubs.done()
