"""The sandbox's Model Registry and the S3 access checks that exports rely on."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.sandbox.conftest import OWNER, allow

GROUP = "churn-models"


def error_of(call, **kwargs) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    error = caught.value.response["Error"]
    return str(error["Code"]), str(error.get("Message", ""))


def test_versioned_packages_number_per_group_and_wait_for_approval(aws) -> None:
    sm = aws("sagemaker")
    group = sm.create_model_package_group(ModelPackageGroupName=GROUP)["ModelPackageGroupArn"]
    assert group.endswith(f":{OWNER}:model-package-group/{GROUP}")
    arns = [sm.create_model_package(ModelPackageGroupName=GROUP)["ModelPackageArn"] for _ in "ab"]
    assert [a.rsplit("/", 2)[1:] for a in arns] == [[GROUP, "1"], [GROUP, "2"]]
    package = sm.describe_model_package(ModelPackageName=arns[1])
    assert package["ModelApprovalStatus"] == "PendingManualApproval"
    assert (package["ModelPackageGroupName"], package["ModelPackageVersion"]) == (GROUP, 2)
    assert "LastModifiedBy" not in package
    code, _ = error_of(sm.create_model_package_group, ModelPackageGroupName=GROUP)
    assert code == "ValidationException"
    code, message = error_of(sm.create_model_package, ModelPackageGroupName="nope")
    assert code == "ValidationException" and "does not exist" in message


def test_a_group_is_deleted_after_its_packages(aws) -> None:
    sm = aws("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName=GROUP)
    arn = sm.create_model_package(ModelPackageGroupName=GROUP)["ModelPackageArn"]
    code, message = error_of(sm.delete_model_package_group, ModelPackageGroupName=GROUP)
    assert code == "ValidationException" and "still holds" in message
    sm.delete_model_package(ModelPackageName=arn)
    sm.delete_model_package_group(ModelPackageGroupName=GROUP)
    code, message = error_of(sm.describe_model_package, ModelPackageName=arn)
    assert "does not exist" in message
    code, message = error_of(sm.create_model_package, ModelPackageGroupName=GROUP)
    assert "does not exist" in message


def test_approval_records_who_and_why(aws) -> None:
    sm = aws("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName=GROUP)
    arn = sm.create_model_package(ModelPackageGroupName=GROUP)["ModelPackageArn"]
    sm.update_model_package(
        ModelPackageArn=arn, ModelApprovalStatus="Approved", ApprovalDescription="card v2"
    )
    package = sm.describe_model_package(ModelPackageName=arn)
    assert (package["ModelApprovalStatus"], package["ApprovalDescription"]) == (
        "Approved",
        "card v2",
    )
    assert package["LastModifiedBy"]["IamIdentity"]["Arn"].startswith("arn:aws:")
    code, message = error_of(sm.describe_model_package, ModelPackageName=arn.replace("/1", "/9"))
    assert code == "ValidationException" and "does not exist" in message
    code, _ = error_of(sm.update_model_package, ModelPackageArn=arn, ModelApprovalStatus="Maybe")
    assert code == "ValidationException"  # botocore's enum, checked as AWS checks it


def test_registry_calls_need_their_iam_actions(aws, role) -> None:
    sm = aws("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName=GROUP)
    arn = sm.create_model_package(ModelPackageGroupName=GROUP)["ModelPackageArn"]
    reader = role(allow("sagemaker:DescribeModelPackage", arn)).sagemaker
    assert reader.describe_model_package(ModelPackageName=arn)["ModelPackageArn"] == arn
    code, message = error_of(
        reader.update_model_package, ModelPackageArn=arn, ModelApprovalStatus="Approved"
    )
    assert code == "AccessDeniedException" and "sagemaker:UpdateModelPackage" in message
    approver = role(
        allow(
            "sagemaker:UpdateModelPackage",
            arn,
            condition={"StringEquals": {"sagemaker:ModelApprovalStatus": "Approved"}},
        ),
        name="Approver",
    ).sagemaker
    approver.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")
    code, _ = error_of(
        approver.update_model_package, ModelPackageArn=arn, ModelApprovalStatus="Rejected"
    )
    assert code == "AccessDeniedException"


def test_s3_reads_and_listing_need_identity_permissions(aws, role) -> None:
    s3 = aws("s3")
    s3.create_bucket(Bucket="audit")
    s3.put_object(Bucket="audit", Key="cards/a/x.pdf", Body=b"pdf")
    s3.put_object(Bucket="audit", Key="other/y", Body=b"no")
    cards_only = {"StringLike": {"s3:prefix": "cards/*"}}
    scoped = role(
        allow("s3:GetObject", "arn:aws:s3:::audit/cards/*"),
        allow("s3:ListBucket", "arn:aws:s3:::audit", condition=cards_only),
    ).s3
    assert scoped.get_object(Bucket="audit", Key="cards/a/x.pdf")["Body"].read() == b"pdf"
    assert scoped.head_object(Bucket="audit", Key="cards/a/x.pdf")["ContentLength"] == 3
    listed = scoped.list_objects_v2(Bucket="audit", Prefix="cards/")["Contents"]
    assert [o["Key"] for o in listed] == ["cards/a/x.pdf"]
    for call, kwargs in (
        (scoped.get_object, {"Bucket": "audit", "Key": "other/y"}),
        (scoped.list_objects_v2, {"Bucket": "audit", "Prefix": "other/"}),
        (scoped.put_object, {"Bucket": "audit", "Key": "cards/a/z", "Body": b""}),
    ):
        assert error_of(call, **kwargs)[0] == "AccessDenied"


def test_an_export_job_fails_when_its_creator_may_not_write_the_pdf(sandbox, aws, role) -> None:
    sm, s3 = aws("sagemaker"), aws("s3")
    s3.create_bucket(Bucket="audit")
    sm.create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Approved")
    exporter = role(
        allow(["sagemaker:CreateModelCardExportJob", "sagemaker:DescribeModelCardExportJob"]),
        allow("s3:PutObject", "arn:aws:s3:::audit/cards/c/*"),
    ).sagemaker
    jobs = {
        path: exporter.create_model_card_export_job(
            ModelCardName="c", ModelCardExportJobName=name, OutputConfig={"S3OutputPath": path}
        )["ModelCardExportJobArn"]
        for name, path in (("ok", "s3://audit/cards"), ("no", "s3://audit/elsewhere"))
    }
    sandbox.advance(sandbox.config.export_delay_seconds)
    done = exporter.describe_model_card_export_job(ModelCardExportJobArn=jobs["s3://audit/cards"])
    assert done["ExportArtifacts"]["S3ExportArtifacts"] == "s3://audit/cards/c/ok/c.pdf"
    failed = exporter.describe_model_card_export_job(
        ModelCardExportJobArn=jobs["s3://audit/elsewhere"]
    )
    assert failed["Status"] == "Failed" and "s3:PutObject" in failed["FailureReason"]
