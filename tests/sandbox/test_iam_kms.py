"""A card encrypted with a customer-managed KMS key: the caller's role needs the key."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.sandbox.conftest import OWNER, allow


@pytest.fixture
def key_arn(account) -> str:
    kms = account(OWNER).kms
    arn = kms.create_key()["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/cards", TargetKeyId=arn)
    return str(arn)


def message(call, **kwargs) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    assert caught.value.response["Error"]["Code"] == "AccessDeniedException"
    return str(caught.value.response["Error"]["Message"])


def create(sm, key: str = "alias/cards") -> None:
    sm.create_model_card(
        ModelCardName="secret",
        Content="{}",
        ModelCardStatus="Draft",
        SecurityConfig={"KmsKeyId": key},
    )


def test_create_needs_generate_data_key_on_the_aliased_key(role, key_arn, account) -> None:
    scoped = role(allow("sagemaker:*"))
    text = message(create, sm=scoped.sagemaker)
    assert f"perform: kms:GenerateDataKey on resource: {key_arn} because" in text
    assert account(OWNER).sagemaker.list_model_cards()["ModelCardSummaries"] == []
    create(role(allow(["sagemaker:*", "kms:GenerateDataKey"], ["*"]), name="Writer").sagemaker)


def test_reading_needs_decrypt(role, key_arn, account) -> None:
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


def test_status_only_update_needs_no_key(role, key_arn, account) -> None:
    create(account(OWNER).sagemaker)
    scoped = role(allow("sagemaker:UpdateModelCard"))
    scoped.sagemaker.update_model_card(ModelCardName="secret", ModelCardStatus="PendingReview")
    text = message(scoped.sagemaker.update_model_card, ModelCardName="secret", Content="{}")
    assert "kms:GenerateDataKey" in text


def via(service: str, cards: str) -> dict:
    return {
        "StringEquals": {"kms:ViaService": f"{service}.us-east-1.amazonaws.com"},
        "StringLike": {"kms:EncryptionContext:aws:sagemaker:model-card-arn": cards},
    }


def test_kms_sees_sagemaker_and_the_card_arn(role, key_arn) -> None:
    cards = f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/*"
    scoped = role(
        allow("sagemaker:*"),
        allow("kms:GenerateDataKey", key_arn, condition=via("sagemaker", cards)),
    )
    create(scoped.sagemaker)
    elsewhere = role(
        allow("sagemaker:*"),
        allow("kms:GenerateDataKey", key_arn, condition=via("s3", cards)),
        name="ViaS3",
    )
    assert "kms:GenerateDataKey" in message(create, sm=elsewhere.sagemaker)
