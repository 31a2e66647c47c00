"""A consumer account using the owner's card through a RAM share, by ARN."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from reconciler.sandbox.config import Organization

OWNER, CONSUMER, STRANGER = "111111111111", "222222222222", "333333333333"
EXPORT_PERMISSION = "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCardsAllowExport"


@pytest.fixture
def card(account) -> str:
    owner = account(OWNER)
    return owner.sagemaker.create_model_card(
        ModelCardName="card-a", Content='{"v": 1}', ModelCardStatus="Draft"
    )["ModelCardArn"]


def share(sandbox, account, arn: str, permission: str | None = None) -> None:
    extra = {"permissionArns": [permission]} if permission else {}
    account(OWNER).ram.create_resource_share(
        name="s", resourceArns=[arn], principals=[CONSUMER], **extra
    )
    sandbox.advance(sandbox.config.association_delay_seconds + 1)
    ram = account(CONSUMER).ram
    invitation = ram.get_resource_share_invitations()["resourceShareInvitations"][0]
    ram.accept_resource_share_invitation(
        resourceShareInvitationArn=invitation["resourceShareInvitationArn"]
    )
    sandbox.advance(sandbox.config.association_delay_seconds + 1)


def test_unshared_card_is_access_denied(account, card) -> None:
    with pytest.raises(ClientError) as exc:
        account(CONSUMER).sagemaker.describe_model_card(ModelCardName=card)
    assert exc.value.response["Error"]["Code"] == "AccessDeniedException"


def test_shared_card_can_be_read_listed_and_updated(sandbox, account, card) -> None:
    share(sandbox, account, card)
    consumer = account(CONSUMER).sagemaker
    assert consumer.describe_model_card(ModelCardName=card)["ModelCardName"] == "card-a"
    consumer.update_model_card(ModelCardName=card, Content='{"v": 2}')
    versions = consumer.list_model_card_versions(ModelCardName=card)["ModelCardVersionSummaryList"]
    assert [v["ModelCardVersion"] for v in versions] == [2, 1]
    latest = account(OWNER).sagemaker.describe_model_card(ModelCardName="card-a")
    assert latest["LastModifiedBy"]["IamIdentity"]["Arn"].startswith(
        f"arn:aws:sts::{CONSUMER}:assumed-role/"
    )
    assert latest["CreatedBy"]["IamIdentity"]["Arn"].startswith(f"arn:aws:sts::{OWNER}:")


def test_consumer_cannot_use_the_bare_name_or_delete(sandbox, account, card) -> None:
    share(sandbox, account, card)
    consumer = account(CONSUMER).sagemaker
    with pytest.raises(ClientError) as exc:
        consumer.describe_model_card(ModelCardName="card-a")
    assert exc.value.response["Error"]["Code"] == "ResourceNotFound"
    with pytest.raises(ClientError) as exc:
        consumer.delete_model_card(ModelCardName="card-a")
    assert exc.value.response["Error"]["Code"] == "ResourceNotFound"


def test_default_permission_does_not_allow_export(sandbox, account, card) -> None:
    share(sandbox, account, card)
    with pytest.raises(ClientError) as exc:
        account(CONSUMER).sagemaker.create_model_card_export_job(
            ModelCardName=card,
            ModelCardExportJobName="j",
            OutputConfig={"S3OutputPath": "s3://consumer-bucket/x"},
        )
    assert exc.value.response["Error"]["Code"] == "AccessDeniedException"


def test_export_by_consumer_belongs_to_owner(sandbox, account, card) -> None:
    share(sandbox, account, card, EXPORT_PERMISSION)
    account(CONSUMER).s3.create_bucket(Bucket="consumer-bucket")
    consumer = account(CONSUMER).sagemaker
    arn = consumer.create_model_card_export_job(
        ModelCardName=card,
        ModelCardExportJobName="j",
        OutputConfig={"S3OutputPath": "s3://consumer-bucket/x"},
    )["ModelCardExportJobArn"]
    assert f":{OWNER}:model-card/card-a/export-job/j" in arn
    sandbox.advance(sandbox.config.export_delay_seconds + 1)
    assert (
        consumer.describe_model_card_export_job(ModelCardExportJobArn=arn)["Status"] == "Completed"
    )
    jobs = account(OWNER).sagemaker.list_model_card_export_jobs(ModelCardName="card-a")
    assert [j["ModelCardExportJobArn"] for j in jobs["ModelCardExportJobSummaries"]] == [arn]
    pdf = account(CONSUMER).s3.get_object(Bucket="consumer-bucket", Key="x/card-a/j/card-a.pdf")
    assert pdf["Body"].read().startswith(b"%PDF")


def test_stranger_is_denied_even_after_sharing(sandbox, account, card) -> None:
    share(sandbox, account, card)
    with pytest.raises(ClientError) as exc:
        account(STRANGER).sagemaker.describe_model_card(ModelCardName=card)
    assert exc.value.response["Error"]["Code"] == "AccessDeniedException"


def test_same_organization_needs_no_invitation(sandbox, account, card) -> None:
    org = Organization(management_account=OWNER, members=frozenset({CONSUMER}))
    sandbox.configure(type(sandbox.config)(organization=org))
    account(OWNER).ram.enable_sharing_with_aws_organization()
    account(OWNER).ram.create_resource_share(name="s", resourceArns=[card], principals=[CONSUMER])
    sandbox.advance(sandbox.config.association_delay_seconds + 1)
    consumer = account(CONSUMER).sagemaker
    assert consumer.describe_model_card(ModelCardName=card)["ModelCardVersion"] == 1


def test_deleting_the_card_ends_consumer_access(sandbox, account, card) -> None:
    share(sandbox, account, card)
    account(OWNER).sagemaker.delete_model_card(ModelCardName="card-a")
    sandbox.advance(sandbox.config.deletion_delay_seconds + 1)
    with pytest.raises(ClientError) as exc:
        account(CONSUMER).sagemaker.describe_model_card(ModelCardName=card)
    assert exc.value.response["Error"]["Code"] in ("AccessDeniedException", "ResourceNotFound")
