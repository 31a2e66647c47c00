"""The contract checker itself, and every SageMaker operation's raw bytes against the model."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from reconciler.sandbox.http.contract import ContractViolation, RawResponse, attach, check_response
from reconciler.sandbox.validation import service_model
from tests.sandbox.shared_groups import share_group

SM = service_model("sagemaker")
OWNED_OPERATIONS = {
    "CreateModelCard",
    "DescribeModelCard",
    "UpdateModelCard",
    "DeleteModelCard",
    "ListModelCards",
    "ListModelCardVersions",
    "CreateModelCardExportJob",
    "DescribeModelCardExportJob",
    "ListModelCardExportJobs",
    "AddTags",
    "ListTags",
    "DeleteTags",
    "Search",
}


def raw(op: str, body: dict | bytes, status: int = 200, headers: dict | None = None) -> list[str]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return check_response(SM.operation_model(op), RawResponse(op, status, headers or {}, data))


def describe_body(**override) -> dict:
    body = {
        "ModelCardArn": "arn",
        "ModelCardName": "n",
        "ModelCardVersion": 1,
        "Content": "{}",
        "ModelCardStatus": "Draft",
        "CreationTime": 1.0,
        "CreatedBy": {},
    }
    body.update(override)
    return {k: v for k, v in body.items() if v is not None}


def test_conforming_body_passes() -> None:
    assert raw("DescribeModelCard", describe_body()) == []


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"Content": None}, "$.Content: required member missing"),
        ({"ModelCardVersion": "1"}, "$.ModelCardVersion: expected integer"),
        ({"ModelCardStatus": "Bogus"}, "is not one of ModelCardStatus"),
        ({"CreationTime": "yesterday"}, "$.CreationTime: expected timestamp"),
        ({"Tags": []}, "$.Tags: not a member"),
        (
            {"CreatedBy": {"IamIdentity": {"Arn": 5}}},
            "$.CreatedBy.IamIdentity.Arn: expected string",
        ),
    ],
)
def test_each_kind_of_problem_is_reported(override: dict, expected: str) -> None:
    problems = raw("DescribeModelCard", describe_body(**override))
    assert any(expected in p for p in problems), problems


def test_nested_list_items_are_checked() -> None:
    body = {
        "ModelCardSummaries": [
            {"ModelCardName": "n", "ModelCardArn": "a", "ModelCardStatus": "Draft"}
        ]
    }
    assert raw("ListModelCards", body) == [
        "ListModelCards $.ModelCardSummaries[0].CreationTime: required member missing"
    ]


def test_error_codes_must_be_modeled_or_documented() -> None:
    assert raw("DescribeModelCard", {}, 400, {"x-amzn-ErrorType": "ResourceNotFound"}) == []
    assert raw("ListModelCards", {}, 400, {"x-amzn-ErrorType": "ThrottlingException"}) == []
    assert raw("DescribeModelCard", {"__type": "ConflictException"}, 400) != []
    assert raw("DeleteModelCard", b"{}") == [] and raw("DeleteModelCard", {"x": 1}) != []


def test_rest_json_error_header_is_read() -> None:
    op = service_model("ram").operation_model("GetResourceShares")
    ok = RawResponse(
        "GetResourceShares",
        400,
        {"x-amzn-ErrorType": "UnknownResourceException"},
        b'{"message": "m"}',
    )
    bad = RawResponse("GetResourceShares", 400, {"x-amzn-ErrorType": "NoSuchThing"}, b"{}")
    assert check_response(op, ok) == [] and check_response(op, bad) != []


def test_attach_raises_on_a_violation(sandbox) -> None:
    client = sandbox.client("sagemaker")
    attach(client)

    def corrupt(response_dict, **_) -> None:
        response_dict["body"] = b'{"ModelCardSummaries": [{"ModelCardName": 1}]}'

    client.meta.events.register_first("before-parse", corrupt)
    with pytest.raises(ContractViolation):
        client.list_model_cards()


def test_every_owned_operation_conforms_on_the_wire(sandbox, aws) -> None:
    sm, s3 = aws("sagemaker"), aws("s3")
    s3.create_bucket(Bucket="contract-bucket")
    arn = sm.create_model_card(
        ModelCardName="c",
        Content="{}",
        ModelCardStatus="Draft",
        SecurityConfig={"KmsKeyId": "k"},
        Tags=[{"Key": "a", "Value": "b"}],
    )["ModelCardArn"]
    sm.update_model_card(ModelCardName=arn, Content='{"x": 1}')
    sm.describe_model_card(ModelCardName="c")
    sm.list_model_cards(MaxResults=1)
    sm.list_model_card_versions(ModelCardName="c", MaxResults=1)
    job = sm.create_model_card_export_job(
        ModelCardName="c",
        ModelCardExportJobName="j",
        OutputConfig={"S3OutputPath": "s3://contract-bucket/"},
    )
    sandbox.advance(1)
    sm.describe_model_card_export_job(ModelCardExportJobArn=job["ModelCardExportJobArn"])
    sm.list_model_card_export_jobs(ModelCardName="c")
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
    sm.list_tags(ResourceArn=arn)
    sm.delete_tags(ResourceArn=arn, TagKeys=["k"])
    sm.search(Resource="ModelCard", MaxResults=1)
    sm.delete_model_card(ModelCardName="c")
    sm.describe_model_card(ModelCardName="c")  # with ModelCardProcessingStatus
    with pytest.raises(ClientError):
        sm.describe_model_card(ModelCardName="missing")
    seen = sm.sandbox_responses
    assert {r.operation for r in seen} == OWNED_OPERATIONS
    for response in seen:
        assert check_response(SM.operation_model(response.operation), response) == []


REGISTRY_OPERATIONS = {
    "CreateModelPackageGroup",
    "DescribeModelPackageGroup",
    "ListModelPackageGroups",
    "CreateModelPackage",
    "DescribeModelPackage",
    "UpdateModelPackage",
    "ListModelPackages",
    "GetModelPackageGroupPolicy",
}


def test_every_registry_operation_conforms_on_the_wire(sandbox, aws) -> None:
    """The Model Registry's answers, embedded cards and lifecycle stages included, have
    botocore's shapes; so does a consumer's view of a shared group."""
    sm = aws("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName="g", ModelPackageGroupDescription="d")
    card = {"ModelCardContent": '{"model_overview": {}}', "ModelCardStatus": "Draft"}
    stage = {"Stage": "Staging", "StageStatus": "InProgress", "StageDescription": "s"}
    arn = sm.create_model_package(ModelPackageGroupName="g", ModelCard=card)["ModelPackageArn"]
    sm.update_model_package(ModelPackageArn=arn, ModelLifeCycle=stage)
    sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")
    sm.describe_model_package(ModelPackageName=arn)
    sm.describe_model_package(ModelPackageName=arn, IncludedData="MetadataOnly")
    group = sm.describe_model_package_group(ModelPackageGroupName="g")["ModelPackageGroupArn"]
    sm.list_model_packages(ModelPackageGroupName="g", MaxResults=1)
    sm.list_model_package_groups(MaxResults=1)
    share_group(aws, sandbox, group)
    sm.get_model_package_group_policy(ModelPackageGroupName="g")
    seen = sm.sandbox_responses
    assert {r.operation for r in seen} == REGISTRY_OPERATIONS
    for response in seen:
        assert check_response(SM.operation_model(response.operation), response) == []
