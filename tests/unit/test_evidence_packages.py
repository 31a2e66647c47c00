"""evidence.packages: what a model version's DescribeModelPackage answer fills under
``model_package_details`` (valid card content, each value where the schema has it), what
it leaves out with a note when the answer does not fit the schema, and the reports its
ModelMetrics name, as hints on how to fill them."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from reconciler.evidence.packages import package_fields, report_hints
from reconciler.evidence.resources import Fields
from reconciler.validate.schemas import Kind, fast_validator

ARN = "arn:aws:sagemaker:us-east-1:111111111111:model-package/churn-models/3"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/xgboost:1.7"
MODEL = "s3://ml-artifacts/churn/churn-xgb-3/output/model.tar.gz"
HOLDOUT = "s3://ml-reports/holdout/statistics.json"
SOURCE = f"model package {ARN}"


def described(**changed: Any) -> dict[str, Any]:
    """DescribeModelPackage of a registered version, as botocore parses it."""
    found: dict[str, Any] = {
        "ModelPackageName": "churn-models",
        "ModelPackageGroupName": "churn-models",
        "ModelPackageVersion": 3,
        "ModelPackageArn": ARN,
        "ModelPackageDescription": "churn scorer, weekly retrain",
        "CreationTime": datetime(2026, 1, 5, tzinfo=timezone.utc),
        "InferenceSpecification": {
            "Containers": [
                {"Image": IMAGE, "ModelDataUrl": MODEL, "NearestModelName": "xgboost"},
            ],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
        "SourceAlgorithmSpecification": {
            "SourceAlgorithms": [{"AlgorithmName": "xgboost", "ModelDataUrl": MODEL}]
        },
        "ModelPackageStatus": "Completed",
        "ModelPackageStatusDetails": {"ValidationStatuses": []},
        "CertifyForMarketplace": False,
        "ModelApprovalStatus": "Approved",
        "ApprovalDescription": "holdout AUC 0.86",
        "CreatedBy": {"UserProfileName": "ds-anna", "DomainId": "d-1"},
        "Domain": "MACHINE_LEARNING",
        "Task": "CLASSIFICATION",
        "ModelMetrics": {
            "ModelQuality": {"Statistics": {"ContentType": "application/json", "S3Uri": HOLDOUT}}
        },
        "LastModifiedTime": datetime(2026, 1, 6, tzinfo=timezone.utc),
    }
    found.update(changed)
    return {k: v for k, v in found.items() if v is not None}


def content_of(fields: Fields) -> dict[str, Any]:
    """The filled values as card content, checked against the content schema."""
    details: dict[str, Any] = {}
    for path, value in fields.values.items():
        *parents, leaf = path.removeprefix("model_package_details.").split(".")
        node = details
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    content = {"model_package_details": details}
    assert fast_validator(Kind.CONTENT)(content), "what a package fills must be valid content"
    return details


def test_a_registered_version_fills_what_the_sdk_v2_filled() -> None:
    fields = package_fields(described())
    assert content_of(fields) == {
        "model_package_arn": ARN,
        "model_package_name": "churn-models",
        "model_package_group_name": "churn-models",
        "model_package_description": "churn scorer, weekly retrain",
        "model_package_version": 3,
        "model_package_status": "Completed",
        "model_approval_status": "Approved",
        "approval_description": "holdout AUC 0.86",
        "created_by": {"user_profile_name": "ds-anna"},
        "domain": "MACHINE_LEARNING",
        "task": "CLASSIFICATION",
        "inference_specification": {
            "containers": [
                {"image": IMAGE, "model_data_url": MODEL, "nearest_model_name": "xgboost"}
            ]
        },
        "source_algorithms": [{"algorithm_name": "xgboost", "model_data_url": MODEL}],
    }
    assert fields.notes == [
        "the model package names a report (ModelQuality.Statistics): fill it with "
        f"--evaluation {HOLDOUT} --as model-monitor-binary|regression|multiclass "
        "--name <evaluation>"
    ]


def test_an_unversioned_package_with_nothing_optional_fills_what_it_has() -> None:
    bare = {
        "ModelPackageName": "churn-once",
        "ModelPackageArn": ARN.replace("churn-models/3", "churn-once"),
        "ModelPackageStatus": "Completed",
    }
    fields = package_fields(bare)
    assert content_of(fields) == {
        "model_package_arn": bare["ModelPackageArn"],
        "model_package_name": "churn-once",
        "model_package_status": "Completed",
    }
    assert fields.notes == []


@pytest.mark.parametrize(
    ("changed", "left_out", "why"),
    [
        ({"ModelPackageStatus": "Archived"}, "model_package_status", "is not one of Pending"),
        ({"ModelApprovalStatus": "Yes"}, "model_approval_status", "is not one of Approved"),
        ({"ModelPackageDescription": "d" * 1025}, "model_package_description", "1 to 1024"),
        ({"ModelPackageName": 7}, "model_package_name", "not a string of 1 to 63"),
        ({"Domain": ""}, "domain", "not a string of 1 to 1024"),
        ({"CreatedBy": {"UserProfileName": "u" * 64}}, "created_by.user_profile_name", "1 to 63"),
        (
            {"InferenceSpecification": {"Containers": [{"Image": IMAGE}] * 16}},
            "inference_specification",
            "containers beyond the schema's limits",
        ),
        (
            {"InferenceSpecification": {"Containers": [{"Image": "i" * 256}]}},
            "inference_specification",
            "containers beyond the schema's limits",
        ),
        (
            {"InferenceSpecification": {"Containers": [{"Image": IMAGE, "ModelDataUrl": ""}]}},
            "inference_specification",
            "containers beyond the schema's limits",
        ),
        (
            {"SourceAlgorithmSpecification": {"SourceAlgorithms": [{"AlgorithmName": "a"}] * 2}},
            "source_algorithms",
            "the schema takes one algorithm, named",
        ),
    ],
)
def test_a_value_beyond_the_schema_is_left_out_with_a_note(
    changed: dict[str, Any], left_out: str, why: str
) -> None:
    fields = package_fields(described(**changed))
    details = content_of(fields)
    assert left_out.split(".")[0] not in details
    (note,) = [n for n in fields.notes if "left out" in n]
    assert note.startswith(f"{SOURCE}: left out model_package_details.{left_out}: ")
    assert why in note


@pytest.mark.parametrize("version", [0, -1, True, "3", 2.5])
def test_a_version_that_is_no_positive_integer_is_not_filled(version: Any) -> None:
    assert "model_package_version" not in content_of(package_fields(described(**{
        "ModelPackageVersion": version
    })))  # fmt: skip


def test_an_algorithm_without_a_usable_artifact_is_filled_without_it() -> None:
    spec = {"SourceAlgorithms": [{"AlgorithmName": "xgboost", "ModelDataUrl": ""}]}
    details = content_of(package_fields(described(SourceAlgorithmSpecification=spec)))
    assert details["source_algorithms"] == [{"algorithm_name": "xgboost"}]


def test_each_named_report_is_a_hint_in_the_format_to_fill_it_as() -> None:
    def uri(name: str) -> dict[str, str]:
        return {"ContentType": "application/json", "S3Uri": f"s3://ml-reports/{name}"}

    metrics = {
        "Bias": {"PreTrainingReport": uri("pre.json"), "PostTrainingReport": uri("post.json")},
        "Explainability": {"Report": uri("shap.json")},
        "ModelQuality": {"Constraints": uri("constraints.json")},  # a baseline, no report
        "ModelDataQuality": {"Statistics": uri("data.json")},  # data, not the model
    }
    hints = report_hints(metrics)
    assert [h.split(" --as ")[1].split(" ")[0] for h in hints] == [
        "clarify-bias",
        "clarify-bias",
        "clarify-explainability",
    ]
    assert (
        "(Bias.PreTrainingReport): fill it with --evaluation s3://ml-reports/pre.json" in (hints[0])
    )


@pytest.mark.parametrize(
    "metrics",
    [
        None,
        "s3://ml-reports/x.json",
        {"Bias": "s3://ml-reports/x.json"},
        {"Bias": {"Report": {"S3Uri": "https://example.com/x.json"}}},
        {"Bias": {"Report": {"S3Uri": 7}}},
        {"Explainability": {"Report": None}},
    ],
)
def test_model_metrics_of_no_known_shape_give_no_hint(metrics: Any) -> None:
    assert report_hints(metrics) == []
    assert package_fields(described(ModelMetrics=metrics)).notes == []
