"""Who the sandbox thinks is calling: assumed roles, IAM users, unknown keys."""

from __future__ import annotations

import boto3


def plain_client(sandbox, service: str, key: str = "testing", secret: str = "testing"):
    return boto3.client(
        service,
        endpoint_url=sandbox.endpoint,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
    )


def test_unknown_key_is_the_default_account_root(sandbox) -> None:
    sm = plain_client(sandbox, "sagemaker")
    sm.create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft")
    card = sm.describe_model_card(ModelCardName="c")
    assert card["ModelCardArn"].split(":")[4] == "111111111111"
    assert card["CreatedBy"]["IamIdentity"]["Arn"] == "arn:aws:iam::111111111111:root"
    assert plain_client(sandbox, "sts").get_caller_identity()["Account"] == "111111111111"


def test_assumed_role_acts_in_the_role_account(sandbox) -> None:
    sm = sandbox.client("sagemaker", "555555555555", role="Publisher")
    arn = sm.create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft")[
        "ModelCardArn"
    ]
    assert ":555555555555:" in arn
    who = sm.describe_model_card(ModelCardName="c")["CreatedBy"]["IamIdentity"]
    assert who["Arn"] == "arn:aws:sts::555555555555:assumed-role/Publisher/sandbox"
    identity = sandbox.client("sts", "555555555555", role="Publisher").get_caller_identity()
    assert identity["Arn"] == who["Arn"]


def test_moto_services_see_the_same_account(sandbox) -> None:
    sandbox.client("s3", "666666666666").create_bucket(Bucket="acct-bucket")
    from moto.s3.models import s3_backends

    assert s3_backends.bucket_accounts["acct-bucket"][1] == "666666666666"


def test_iam_user_keys_act_as_the_user(sandbox) -> None:
    iam = sandbox.client("iam", "777777777777")
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    sm = plain_client(sandbox, "sagemaker", key["AccessKeyId"], key["SecretAccessKey"])
    sm.create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft")
    who = sm.describe_model_card(ModelCardName="c")["CreatedBy"]["IamIdentity"]
    assert who["Arn"] == "arn:aws:iam::777777777777:user/alice"


def test_credentials_survive_reset(sandbox) -> None:
    sm = sandbox.client("sagemaker", "888888888888")
    sandbox.reset()
    arn = sm.create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft")[
        "ModelCardArn"
    ]
    assert ":888888888888:" in arn
