"""Registering a model version into another account's model package group by the group's
ARN (``CreateModelPackage``'s ``ModelPackageGroupName`` is botocore's ``ArnOrName``): only
a consumer that a RAM share whose permission grants ``sagemaker:CreateModelPackage``
reaches, whose own policies allow it, and only in the group's Region. The version is the
owner's: numbered in the owner's group, with the owner's account in its ARN."""

from __future__ import annotations

import json
from typing import Any

from tests.sandbox.conftest import DEV, OWNER, PROD, allow, deny
from tests.sandbox.shared_groups import (
    GROUP,
    READ,
    REGISTER,
    owner_group,
    share_group,
    versions,
)
from tests.sandbox.test_registry import error_of

CARD = {
    "ModelCardContent": json.dumps({"model_overview": {"model_creator": "dev pipeline"}}),
    "ModelCardStatus": "Draft",
}


def _refused(aws: Any, group: str, account: str = DEV, **extra: Any) -> tuple[str, str]:
    consumer = aws("sagemaker", account, **extra)
    return error_of(consumer.create_model_package, ModelPackageGroupName=group, ModelCard=CARD)


def test_a_consumer_without_a_share_cannot_register_into_the_owners_group(aws) -> None:
    group, version = owner_group(aws)
    code, message = _refused(aws, group)
    assert code == "AccessDeniedException"
    assert "sagemaker:CreateModelPackage" in message
    assert "no resource-based policy allows" in message
    assert versions(aws, group) == [version]


def test_a_group_that_does_not_exist_is_refused_as_one_that_is_not_shared(aws) -> None:
    group, _ = owner_group(aws)
    missing = group.replace(GROUP, "no-such-group")
    assert _refused(aws, missing)[0] == _refused(aws, group)[0] == "AccessDeniedException"


def test_a_read_only_share_does_not_let_a_consumer_register(aws, sandbox) -> None:
    group, version = owner_group(aws)
    share_group(aws, sandbox, group, READ)
    assert aws("sagemaker", DEV).describe_model_package_group(ModelPackageGroupName=group)
    code, message = _refused(aws, group)
    assert code == "AccessDeniedException" and "sagemaker:CreateModelPackage" in message
    assert versions(aws, group) == [version]


def test_the_register_share_lets_a_consumer_register_into_the_owners_group(aws, sandbox) -> None:
    group, first = owner_group(aws)
    share_group(aws, sandbox, group, REGISTER)
    consumer = aws("sagemaker", DEV)
    arn = consumer.create_model_package(
        ModelPackageGroupName=group, ModelCard=CARD, ModelPackageDescription="from dev"
    )["ModelPackageArn"]
    assert arn == f"arn:aws:sagemaker:us-east-1:{OWNER}:model-package/{GROUP}/2"
    assert versions(aws, group) == [first, arn]
    owned = aws("sagemaker").describe_model_package(ModelPackageName=arn)
    assert (owned["ModelPackageGroupName"], owned["ModelPackageVersion"]) == (GROUP, 2)
    assert owned["ModelApprovalStatus"] == "PendingManualApproval"
    assert owned["ModelCard"] == CARD
    assert owned["CreatedBy"]["IamIdentity"]["Arn"].startswith(f"arn:aws:sts::{DEV}:")
    assert consumer.describe_model_package(ModelPackageName=arn)["ModelPackageVersion"] == 2
    # Nothing lands in the consumer's own account.
    assert consumer.list_model_package_groups()["ModelPackageGroupSummaryList"] == []


def test_the_share_reaches_only_its_principals(aws, sandbox) -> None:
    group, version = owner_group(aws)
    share_group(aws, sandbox, group, REGISTER)
    assert _refused(aws, group, PROD)[0] == "AccessDeniedException"
    assert versions(aws, group) == [version]


def test_a_name_reaches_only_the_callers_own_account(aws, sandbox) -> None:
    group, version = owner_group(aws)
    share_group(aws, sandbox, group, REGISTER)
    code, message = _refused(aws, GROUP)
    assert code == "ValidationException" and "does not exist" in message
    assert versions(aws, group) == [version]


def test_a_group_of_another_region_is_refused(aws, sandbox) -> None:
    group, version = owner_group(aws)
    share_group(aws, sandbox, group, REGISTER)
    code, message = _refused(aws, group, region="eu-west-1")
    assert code == "ValidationException" and "does not exist" in message
    elsewhere = group.replace(":us-east-1:", ":eu-west-1:")
    assert _refused(aws, elsewhere)[0] == "ValidationException"
    assert versions(aws, group) == [version]


def test_an_arn_of_another_resource_type_is_not_a_group(aws, sandbox) -> None:
    group, version = owner_group(aws)
    share_group(aws, sandbox, group, REGISTER)
    card = group.replace(":model-package-group/", ":model-card/")
    assert _refused(aws, card)[0] == "ValidationException"
    assert versions(aws, group) == [version]


def test_the_consumers_own_policies_must_allow_registering(aws, sandbox, role) -> None:
    group, version = owner_group(aws)
    share_group(aws, sandbox, group, REGISTER)
    reader = role(allow("sagemaker:Describe*"), account=DEV, name="Reader").sagemaker
    code, message = error_of(reader.create_model_package, ModelPackageGroupName=group)
    assert code == "AccessDeniedException" and "no identity-based policy allows" in message
    assert versions(aws, group) == [version]


def test_the_consumers_policy_must_allow_the_group_as_well_as_its_versions(
    aws, sandbox, role
) -> None:
    """The Service Authorization Reference lists both resource types for CreateModelPackage."""
    group, version = owner_group(aws)
    share_group(aws, sandbox, group, REGISTER)
    packages = f"arn:aws:sagemaker:us-east-1:{OWNER}:model-package/{GROUP}/*"
    only_versions = role(allow("sagemaker:CreateModelPackage", packages), account=DEV)
    code, message = error_of(
        only_versions.sagemaker.create_model_package, ModelPackageGroupName=group
    )
    assert code == "AccessDeniedException" and f"on resource: {group}" in message
    both = role(allow("sagemaker:CreateModelPackage", [packages, group]), account=DEV, name="Both")
    both.sagemaker.create_model_package(ModelPackageGroupName=group)
    assert len(versions(aws, group)) == 2 and versions(aws, group)[0] == version


def test_a_registration_by_another_account_is_in_the_owners_history(aws, sandbox) -> None:
    """CloudTrail delivers a call on another account's resource to both accounts, so the
    owner's history (what ``reconciler history`` and drift read) shows who registered."""
    group, _ = owner_group(aws)
    share_group(aws, sandbox, group, REGISTER)
    arn = aws("sagemaker", DEV).create_model_package(ModelPackageGroupName=group)["ModelPackageArn"]
    named = {"AttributeKey": "EventName", "AttributeValue": "CreateModelPackage"}
    events = aws("cloudtrail").lookup_events(LookupAttributes=[named])["Events"]
    registered = [json.loads(e["CloudTrailEvent"]) for e in events]
    ours = [e for e in registered if e["userIdentity"]["accountId"] == DEV]
    assert [e["responseElements"]["modelPackageArn"] for e in ours] == [arn]
    assert ours[0]["recipientAccountId"] == OWNER


def test_only_the_consumers_own_policies_keep_it_from_registering_approved(
    aws, sandbox, role
) -> None:
    """The share's permission has no conditions: a consumer may register a version that is
    already Approved unless its own account's policies refuse ``sagemaker:ModelApprovalStatus``
    (the consumer guard refuses every registration into the card account's groups)."""
    group, version = owner_group(aws)
    share_group(aws, sandbox, group, REGISTER)
    approved = {"StringEquals": {"sagemaker:ModelApprovalStatus": "Approved"}}
    pipeline = role(
        allow("sagemaker:CreateModelPackage"),
        deny("sagemaker:CreateModelPackage", condition=approved),
        account=DEV,
        name="Pipeline",
    ).sagemaker
    code, message = error_of(
        pipeline.create_model_package, ModelPackageGroupName=group, ModelApprovalStatus="Approved"
    )
    assert code == "AccessDeniedException" and "explicit deny" in message
    pending = pipeline.create_model_package(ModelPackageGroupName=group)["ModelPackageArn"]
    assert versions(aws, group) == [version, pending]
    arn = aws("sagemaker", DEV).create_model_package(
        ModelPackageGroupName=group, ModelApprovalStatus="Approved"
    )["ModelPackageArn"]
    described = aws("sagemaker").describe_model_package(ModelPackageName=arn)
    assert described["ModelApprovalStatus"] == "Approved"
