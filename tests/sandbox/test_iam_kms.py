"""A card encrypted with a customer-managed KMS key: what the caller's policies and the key
policy must allow (docs/iam.md, "KMS").

Creating needs ``kms:DescribeKey``, ``kms:CreateGrant`` and ``kms:GenerateDataKey`` (the
create handler of CloudFormation's AWS::SageMaker::ModelCard); reading ``kms:Decrypt``,
changing content ``kms:GenerateDataKey``, deleting ``kms:RetireGrant``. The key policy
decides as well: a key of another account whose policy does not grant the caller fails,
whatever the caller's own policies say. Before, only GenerateDataKey and Decrypt were
checked, and never against the key policy.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from reconciler.sandbox.config import SandboxConfig
from tests.sandbox.conftest import DEV, OWNER, allow

CREATE = ["kms:DescribeKey", "kms:CreateGrant", "kms:GenerateDataKey"]
CARDS = f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/*"


@pytest.fixture
def key_arn(account: Any) -> str:
    kms = account(OWNER).kms
    arn = kms.create_key()["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/cards", TargetKeyId=arn)
    return str(arn)


def message(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    assert caught.value.response["Error"]["Code"] == "AccessDeniedException"
    return str(caught.value.response["Error"]["Message"])


def create(sm: Any, key: str = "alias/cards", name: str = "secret") -> None:
    sm.create_model_card(
        ModelCardName=name,
        Content="{}",
        ModelCardStatus="Draft",
        SecurityConfig={"KmsKeyId": key},
    )


@pytest.mark.parametrize("missing", CREATE)
def test_create_needs_each_kms_action_of_cloudformations_handler(
    role: Any, key_arn: str, account: Any, missing: str
) -> None:
    granted = [a for a in CREATE if a != missing]
    scoped = role(allow(["sagemaker:*", *granted], ["*"]))
    text = message(create, sm=scoped.sagemaker)
    assert f"perform: {missing} on resource: {key_arn} because" in text
    assert account(OWNER).sagemaker.list_model_cards()["ModelCardSummaries"] == []


def test_create_with_every_action_succeeds(role: Any, key_arn: str) -> None:
    create(role(allow("sagemaker:*"), allow(CREATE, key_arn)).sagemaker)


def test_reading_needs_decrypt(role: Any, key_arn: str, account: Any) -> None:
    create(account(OWNER).sagemaker, key_arn)
    writer = role(allow("sagemaker:*"), allow("kms:GenerateDataKey", key_arn))
    for call, kwargs in (
        (writer.sagemaker.describe_model_card, {}),
        (writer.sagemaker.list_model_card_versions, {}),
        (
            writer.sagemaker.create_model_card_export_job,
            {"ModelCardExportJobName": "j", "OutputConfig": {"S3OutputPath": "s3://b/p"}},
        ),
    ):
        assert "kms:Decrypt" in message(call, ModelCardName="secret", **kwargs)
    writer.sagemaker.update_model_card(ModelCardName="secret", Content='{"a": {}}')
    reader = role(allow("sagemaker:DescribeModelCard"), allow("kms:Decrypt", key_arn), name="R")
    assert reader.sagemaker.describe_model_card(ModelCardName="secret")["ModelCardVersion"] == 2


def test_status_only_update_needs_no_key(role: Any, key_arn: str, account: Any) -> None:
    create(account(OWNER).sagemaker)
    scoped = role(allow("sagemaker:UpdateModelCard"))
    scoped.sagemaker.update_model_card(ModelCardName="secret", ModelCardStatus="PendingReview")
    text = message(scoped.sagemaker.update_model_card, ModelCardName="secret", Content="{}")
    assert "kms:GenerateDataKey" in text


def test_deleting_needs_retire_grant_unless_switched_off(
    sandbox: Any, role: Any, key_arn: str, account: Any
) -> None:
    create(account(OWNER).sagemaker)
    scoped = role(allow("sagemaker:*"))
    assert "kms:RetireGrant" in message(scoped.sagemaker.delete_model_card, ModelCardName="secret")
    sandbox.configure(SandboxConfig(kms_delete_needs_retire_grant=False))
    scoped.sagemaker.delete_model_card(ModelCardName="secret")


def test_retire_grant_is_not_read_from_the_key_policy(role: Any, account: Any) -> None:
    """KMS: "The kms:RetireGrant permission is not effective in a key policy"."""
    kms = account(OWNER).kms
    key = kms.create_key(Policy=json.dumps(key_policy(f"arn:aws:iam::{OWNER}:root", ["kms:*"])))
    arn = key["KeyMetadata"]["Arn"]
    create(account(OWNER).sagemaker, arn)
    role(allow(["sagemaker:*", "kms:RetireGrant"])).sagemaker.delete_model_card(
        ModelCardName="secret"
    )


def via(service: str, cards: str) -> dict[str, Any]:
    return {
        "StringEquals": {"kms:ViaService": f"{service}.us-east-1.amazonaws.com"},
        "StringLike": {"kms:EncryptionContext:aws:sagemaker:model-card-arn": cards},
    }


def test_kms_sees_sagemaker_and_the_card_arn(role: Any, key_arn: str) -> None:
    scoped = role(
        allow(["sagemaker:*", "kms:DescribeKey", "kms:CreateGrant"]),
        allow("kms:GenerateDataKey", key_arn, condition=via("sagemaker", CARDS)),
    )
    create(scoped.sagemaker)
    elsewhere = role(
        allow(["sagemaker:*", "kms:DescribeKey", "kms:CreateGrant"]),
        allow("kms:GenerateDataKey", key_arn, condition=via("s3", CARDS)),
        name="ViaS3",
    )
    assert "kms:GenerateDataKey" in message(create, sm=elsewhere.sagemaker)


def test_create_grant_is_for_an_aws_resource(role: Any, key_arn: str) -> None:
    for_sagemaker = {"Bool": {"kms:GrantIsForAWSResource": "true"}}
    scoped = role(
        allow(["sagemaker:*", "kms:DescribeKey", "kms:GenerateDataKey"]),
        allow("kms:CreateGrant", key_arn, condition=for_sagemaker),
    )
    create(scoped.sagemaker)


def test_what_sagemaker_puts_in_its_grant_is_refused(role: Any, key_arn: str) -> None:
    operations = {"ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt"]}}
    scoped = role(
        allow(["sagemaker:*", "kms:DescribeKey", "kms:GenerateDataKey"]),
        allow("kms:CreateGrant", key_arn, condition=operations),
    )
    with pytest.raises(ClientError) as caught:
        create(scoped.sagemaker)
    error = caught.value.response["Error"]
    assert error["Code"] == "SandboxCannotEvaluateCondition"
    assert "kms:grantoperations" in error["Message"]


def key_policy(principal: str, actions: list[str]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{OWNER}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Effect": "Allow",
                "Principal": {"AWS": principal},
                "Action": actions,
                "Resource": "*",
            },
        ],
    }


@pytest.fixture
def owner_key(account: Any) -> Any:
    """``make(principal)``: a key of the card account whose policy grants ``principal``
    the model card actions (and its own account everything)."""

    def make(principal: str) -> str:
        policy = json.dumps(key_policy(principal, [*CREATE, "kms:Decrypt"]))
        return str(account(OWNER).kms.create_key(Policy=policy)["KeyMetadata"]["Arn"])

    return make


def test_a_key_of_another_account_without_the_grant_fails(role: Any, owner_key: Any) -> None:
    key = owner_key(f"arn:aws:iam::{OWNER}:role/Nobody")
    writer = role(allow(["sagemaker:*", "kms:*"]), account=DEV)
    text = message(create, sm=writer.sagemaker, key=key)
    assert "because no resource-based policy allows the kms:DescribeKey action" in text


def test_a_key_of_another_account_with_the_grant_works(role: Any, owner_key: Any) -> None:
    key = owner_key(f"arn:aws:iam::{DEV}:role/Scoped")
    create(role(allow(["sagemaker:*", "kms:*"]), account=DEV).sagemaker, key=key)


def test_a_granted_key_of_another_account_still_needs_the_callers_policy(
    role: Any, owner_key: Any
) -> None:
    key = owner_key(f"arn:aws:iam::{DEV}:role/Scoped")
    writer = role(allow("sagemaker:*"), account=DEV)
    assert "because no identity-based policy allows" in message(
        create, sm=writer.sagemaker, key=key
    )


def test_a_key_policy_naming_the_role_suffices_in_its_account(role: Any, owner_key: Any) -> None:
    key = owner_key(f"arn:aws:iam::{OWNER}:role/Scoped")
    create(role(allow("sagemaker:*")).sagemaker, key=key)


def test_a_key_policy_without_the_account_locks_out_its_iam_policies(
    role: Any, account: Any
) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{OWNER}:role/Admin"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }
    key = account(OWNER).kms.create_key(
        Policy=json.dumps(policy), BypassPolicyLockoutSafetyCheck=True
    )
    writer = role(allow(["sagemaker:*", "kms:*"]))
    text = message(create, sm=writer.sagemaker, key=key["KeyMetadata"]["Arn"])
    assert "because no resource-based policy allows" in text


def test_resource_aliases_of_the_key_are_a_condition_key(role: Any, key_arn: str) -> None:
    aliased = {"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/cards"}}
    create(role(allow("sagemaker:*"), allow(CREATE, condition=aliased)).sagemaker)
    other = {"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/other"}}
    writer = role(allow("sagemaker:*"), allow(CREATE, condition=other), name="Other")
    assert "kms:DescribeKey" in message(create, sm=writer.sagemaker, name="again")
