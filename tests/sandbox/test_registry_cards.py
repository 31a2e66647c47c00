"""The sandbox's model versions with embedded cards, lifecycle stages and group tags, the
listings a plan reads them with, and who may change them (IAM, other accounts)."""

from __future__ import annotations

import json

from tests.sandbox.conftest import DEV, OWNER, allow
from tests.sandbox.test_registry import error_of

GROUP = "churn-models"
CARD = {"model_overview": {"model_creator": "churn-team"}, "intended_uses": {"risk_rating": "Low"}}


def _version(sm, **extra) -> str:
    sm.create_model_package_group(ModelPackageGroupName=GROUP, Tags=[{"Key": "team", "Value": "c"}])
    return sm.create_model_package(ModelPackageGroupName=GROUP, **extra)["ModelPackageArn"]


def test_another_account_cannot_change_or_read_a_version_it_was_not_shared(aws) -> None:
    arn = _version(aws("sagemaker"), ModelCard={"ModelCardContent": "{}"})
    intruder = aws("sagemaker", DEV)
    for call, kwargs in (
        (
            intruder.update_model_package,
            {"ModelPackageArn": arn, "ModelApprovalStatus": "Approved"},
        ),
        (intruder.describe_model_package, {"ModelPackageName": arn}),
        (
            intruder.list_model_packages,
            {
                "ModelPackageGroupName": arn.rsplit("/", 1)[0].replace(
                    ":model-package/", ":model-package-group/"
                )
            },
        ),
    ):
        assert error_of(call, **kwargs)[0] == "AccessDeniedException"
    owner = aws("sagemaker").describe_model_package(ModelPackageName=arn)
    assert owner["ModelApprovalStatus"] == "PendingManualApproval"
    assert (
        aws("sagemaker", DEV).list_model_package_groups(CrossAccountFilterOption="CrossAccount")[
            "ModelPackageGroupSummaryList"
        ]
        == []
    )


def test_only_a_role_allowed_the_production_stage_may_move_a_version_there(aws, role) -> None:
    arn = _version(
        aws("sagemaker"), ModelLifeCycle={"Stage": "Development", "StageStatus": "InProgress"}
    )
    staging = {"StringNotEquals": {"sagemaker:ModelLifeCycle:Stage": "Production"}}
    mover = role(allow("sagemaker:UpdateModelPackage", arn, condition=staging)).sagemaker
    production = {"Stage": "Production", "StageStatus": "Approved"}
    code, message = error_of(
        mover.update_model_package, ModelPackageArn=arn, ModelLifeCycle=production
    )
    assert code == "AccessDeniedException" and "sagemaker:UpdateModelPackage" in message
    mover.update_model_package(
        ModelPackageArn=arn, ModelLifeCycle={"Stage": "QA", "StageStatus": "OnHold"}
    )
    from_qa = {"StringEquals": {"sagemaker:CurrentModelLifeCycleStage": "QA"}}
    releaser = role(allow("sagemaker:UpdateModelPackage", arn, condition=from_qa), name="Releaser")
    releaser.sagemaker.update_model_package(ModelPackageArn=arn, ModelLifeCycle=production)
    described = aws("sagemaker").describe_model_package(ModelPackageName=arn)
    assert described["ModelLifeCycle"] == production
    code, _ = error_of(
        releaser.sagemaker.update_model_package, ModelPackageArn=arn, ModelLifeCycle=production
    )
    assert code == "AccessDeniedException"  # no longer in QA


def test_the_embedded_card_follows_the_model_package_card_schema(aws) -> None:
    sm = aws("sagemaker")
    code, message = error_of(
        sm.create_model_package,
        ModelPackageGroupName="missing",
        ModelCard={"ModelCardContent": "{}"},
    )
    assert "does not exist" in message
    arn = _version(sm, ModelCard={"ModelCardContent": json.dumps(CARD)})
    card = sm.describe_model_package(ModelPackageName=arn)["ModelCard"]
    assert card == {"ModelCardContent": json.dumps(CARD), "ModelCardStatus": "Draft"}
    owner_field = {"model_overview": {"model_owner": "someone"}}
    for content in (json.dumps(owner_field), "not json", json.dumps({"model_package_details": {}})):
        code, _ = error_of(
            sm.update_model_package, ModelPackageArn=arn, ModelCard={"ModelCardContent": content}
        )
        assert code == "ValidationException"
        code, _ = error_of(
            sm.create_model_package,
            ModelPackageGroupName=GROUP,
            ModelCard={"ModelCardContent": content},
        )
        assert code == "ValidationException"
    versions = sm.list_model_packages(ModelPackageGroupName=GROUP)["ModelPackageSummaryList"]
    assert [v["ModelPackageVersion"] for v in versions] == [1]  # refused ones are not numbered


def test_an_archived_card_keeps_its_content(aws) -> None:
    sm = aws("sagemaker")
    arn = _version(sm, ModelCard={"ModelCardContent": "{}", "ModelCardStatus": "Approved"})
    sm.update_model_package(ModelPackageArn=arn, ModelCard={"ModelCardContent": json.dumps(CARD)})
    sm.update_model_package(ModelPackageArn=arn, ModelCard={"ModelCardStatus": "Archived"})
    code, message = error_of(
        sm.update_model_package, ModelPackageArn=arn, ModelCard={"ModelCardContent": "{}"}
    )
    assert (code, message) == ("ValidationException", "Model Card is in Archived state")
    card = sm.describe_model_package(ModelPackageName=arn)["ModelCard"]
    assert json.loads(card["ModelCardContent"]) == CARD


def test_listings_page_and_carry_approval_and_stage_but_not_the_card(aws) -> None:
    sm = aws("sagemaker")
    _version(sm, ModelCard={"ModelCardContent": json.dumps(CARD)})
    stage = {"Stage": "QA", "StageStatus": "OnHold"}
    for _ in range(4):
        sm.create_model_package(ModelPackageGroupName=GROUP, ModelLifeCycle=stage)
    pages = sm.get_paginator("list_model_packages").paginate(
        ModelPackageGroupName=GROUP, PaginationConfig={"PageSize": 2}
    )
    listed = [s for p in pages for s in p["ModelPackageSummaryList"]]
    assert [s["ModelPackageVersion"] for s in listed] == [1, 2, 3, 4, 5]
    assert "ModelCard" not in listed[0] and listed[1]["ModelLifeCycle"] == stage
    group = sm.describe_model_package_group(ModelPackageGroupName=GROUP)
    assert group["ModelPackageGroupStatus"] == "Completed"
    tags = sm.list_tags(ResourceArn=group["ModelPackageGroupArn"])["Tags"]
    assert tags == [{"Key": "team", "Value": "c"}]
    own = sm.list_model_package_groups()["ModelPackageGroupSummaryList"]
    assert [g["ModelPackageGroupName"] for g in own] == [GROUP]
    assert f":{OWNER}:" in own[0]["ModelPackageGroupArn"]


def test_group_tags_need_their_iam_action_and_stay_with_the_owner(aws, role) -> None:
    sm = aws("sagemaker")
    _version(sm)
    group = sm.describe_model_package_group(ModelPackageGroupName=GROUP)["ModelPackageGroupArn"]
    tagger = role(allow("sagemaker:ListTags", group)).sagemaker
    assert tagger.list_tags(ResourceArn=group)["Tags"]
    code, _ = error_of(tagger.add_tags, ResourceArn=group, Tags=[{"Key": "k", "Value": "v"}])
    assert code == "AccessDeniedException"
    outsider = aws("sagemaker", DEV)
    code, _ = error_of(outsider.add_tags, ResourceArn=group, Tags=[{"Key": "k", "Value": "v"}])
    assert code == "AccessDeniedException"
    assert sm.list_tags(ResourceArn=group)["Tags"] == [{"Key": "team", "Value": "c"}]
