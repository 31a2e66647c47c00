"""apply.audit: the audit trail's step handlers called directly against stubbed
SageMaker: exports of a named version, approvals from outside git, and the commit tags
a card write leaves (or does not leave, outside git)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from botocore.exceptions import ClientError

from reconciler.apply import audit
from reconciler.common.status import CardStatus
from reconciler.plan.payloads import ExportCard, UpdatePackageApproval
from tests.unit.stubs import Call, Stubbed, card_arn, describe

CARD = "Churn"
ARN = card_arn(CARD)
OUT = "s3://audit/model-cards"
PACKAGE = "arn:aws:sagemaker:us-east-1:111111111111:model-package/churn/1"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def sagemaker(method: str, response: dict[str, Any] | None = None, **params: Any) -> Call:
    return Call(service="sagemaker", method=method, params=params, response=response or {})


def test_the_current_version_is_sagemakers_latest(stubs: Stubbed) -> None:
    stubs.expect(describe(CARD, ModelCardVersion=7))
    assert audit.current_version(stubs.ctx, CARD) == (ARN, 7)


def job_state(name: str, version: int) -> Call:
    arn = f"{ARN}/export-job/{name}"
    return sagemaker(
        "describe_model_card_export_job",
        {
            "ModelCardExportJobName": name,
            "ModelCardExportJobArn": arn,
            "Status": "Completed",
            "ModelCardName": CARD,
            "ModelCardVersion": version,
            "OutputConfig": {"S3OutputPath": OUT},
            "CreatedAt": 1,
            "LastModifiedAt": 1,
            "ExportArtifacts": {"S3ExportArtifacts": f"{OUT}/{CARD}/{name}/{CARD}.pdf"},
        },
        ModelCardExportJobArn=arn,
    )


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
        response={"ModelCardExportJobArn": f"{ARN}/export-job/{name}"},
        error=error,
    )


@pytest.mark.parametrize(
    ("version", "status", "attempt", "job", "exported"),
    [
        pytest.param(None, CardStatus.APPROVED, 1, "Churn-v9-approved", 9, id="the-latest"),
        pytest.param(4, CardStatus.APPROVED, 1, "Churn-v4-approved", 4, id="a-named-version"),
        pytest.param(
            4, CardStatus.PENDING_REVIEW, 3, "Churn-v4-pendingreview-3", 4, id="a-third-attempt"
        ),
    ],
)
def test_an_export_names_its_job_after_the_version_status_and_attempt(
    stubs: Stubbed,
    version: int | None,
    status: CardStatus,
    attempt: int,
    job: str,
    exported: int,
) -> None:
    export = ExportCard(name=CARD, version=version, status=status, output_path=OUT, attempt=attempt)
    stubs.expect(
        describe(CARD, ModelCardVersion=9), create_job(exported, job), job_state(job, exported)
    )
    done = audit.export_card(stubs.ctx, export)
    assert done == f"exported {CARD} version {exported} to {OUT}/{CARD}/{job}/{CARD}.pdf"


def test_an_export_sagemaker_refuses_for_another_reason_fails(stubs: Stubbed) -> None:
    export = ExportCard(name=CARD, version=None, status=CardStatus.APPROVED, output_path=OUT)
    stubs.expect(
        describe(CARD, ModelCardVersion=2),
        create_job(2, "Churn-v2-approved", error="ResourceLimitExceeded"),
    )
    with pytest.raises(ClientError, match="ResourceLimitExceeded"):
        audit.export_card(stubs.ctx, export)


def approved(description: str) -> Call:
    return sagemaker(
        "update_model_package",
        {"ModelPackageArn": PACKAGE},
        ModelPackageArn=PACKAGE,
        ModelApprovalStatus="Rejected",
        ApprovalDescription=description,
    )


def test_an_approval_from_a_checkout_outside_git_says_so(stubs: Stubbed) -> None:
    update = UpdatePackageApproval(
        package_arn=PACKAGE, card_name=CARD, approval="Rejected", from_approval="Approved"
    )
    stubs.expect(
        describe(CARD, ModelCardVersion=2),
        approved(f"Model card {CARD} version 2, applied from a checkout outside git"),
    )
    assert audit.update_package_approval(stubs.ctx, update) == f"{PACKAGE}: Approved → Rejected"


APPROVAL = f"Model card {CARD} version 2, applied from a checkout outside git"
REJECT = UpdatePackageApproval(
    package_arn=PACKAGE, card_name=CARD, approval="Rejected", from_approval="Approved"
)


def refused(error: str, status: int) -> Call:
    return replace(approved(APPROVAL), error=error, status=status)


def package_now(approval: str, description: str | None) -> Call:
    response = {
        "ModelPackageName": "churn",
        "ModelPackageArn": PACKAGE,
        "CreationTime": 1,
        "ModelPackageStatus": "Completed",
        "ModelPackageStatusDetails": {"ValidationStatuses": []},
        "ModelApprovalStatus": approval,
        **({"ApprovalDescription": description} if description else {}),
    }
    return sagemaker("describe_model_package", response, ModelPackageName=PACKAGE)


def test_an_approval_whose_answer_was_lost_is_not_made_again(stubs: Stubbed) -> None:
    """The approval took effect, then the answer was lost (503): the package says so, and
    the approval is not sent a second time (each one notifies the registry's listeners)."""
    stubs.expect(
        describe(CARD, ModelCardVersion=2),
        refused("ServiceUnavailable", 503),
        package_now("Rejected", APPROVAL),
    )
    said = audit.update_package_approval(stubs.ctx, REJECT)
    assert said.endswith("(an attempt whose answer was lost had set it)")
    stubs.done()


def test_a_throttled_approval_that_did_not_happen_is_made_again(stubs: Stubbed) -> None:
    stubs.expect(
        describe(CARD, ModelCardVersion=2),
        refused("ThrottlingException", 400),
        package_now("Approved", "an earlier approval"),
        approved(APPROVAL),
    )
    assert audit.update_package_approval(stubs.ctx, REJECT) == f"{PACKAGE}: Approved → Rejected"
    assert len(stubs.sleeps) == 1
    stubs.done()


def test_an_approval_refused_for_good_is_not_tried_again(stubs: Stubbed) -> None:
    stubs.expect(describe(CARD, ModelCardVersion=2), refused("AccessDeniedException", 400))
    with pytest.raises(ClientError, match="AccessDenied"):
        audit.update_package_approval(stubs.ctx, REJECT)


@pytest.mark.parametrize("commit", [None, ""], ids=["no-commit", "empty"])
def test_a_write_outside_git_records_no_commit_and_makes_no_call(
    stubs: Stubbed, commit: str | None
) -> None:
    audit.record_commit(replace(stubs.ctx, commit=commit), CARD)  # any call fails the stub


def tagged(versions: str) -> list[Call]:
    return [
        describe(CARD, ModelCardVersion=3),
        sagemaker(
            "list_tags",
            {
                "Tags": [
                    {"Key": "team", "Value": "ml"},
                    *([{"Key": "reconciler-versions", "Value": versions}] if versions else []),
                ]
            },
            ResourceArn=ARN,
        ),
    ]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("", "3=0123456789ab", id="the-first-version-from-git"),
        pytest.param("1-2=aaaaaaaaaaaa", "1-2=aaaaaaaaaaaa 3=0123456789ab", id="a-new-version"),
        pytest.param(
            "1-3=aaaaaaaaaaaa", "1-2=aaaaaaaaaaaa 3=0123456789ab", id="a-version-written-again"
        ),
        pytest.param("2=0123456789ab", "2-3=0123456789ab", id="a-run-of-one-commit"),
    ],
)
def test_a_write_from_git_tags_the_card_with_its_commit(
    stubs: Stubbed, before: str, after: str
) -> None:
    stubs.expect(
        *tagged(before),
        sagemaker(
            "add_tags",
            {"Tags": []},
            ResourceArn=ARN,
            Tags=[
                {"Key": "reconciler-commit", "Value": COMMIT},
                {"Key": "reconciler-versions", "Value": after},
            ],
        ),
    )
    audit.record_commit(replace(stubs.ctx, commit=COMMIT), CARD)
