"""Who the sandbox thinks is calling: assumed roles, IAM users, unknown keys."""

from __future__ import annotations

import json
import re

import boto3
import pytest
from botocore.exceptions import ClientError


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


ALLOW_ALL = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
)


def trust_account(account: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )


def make_role(sandbox, account: str, name: str) -> dict:
    iam = sandbox.client("iam", account)
    role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust_account(account))
    iam.put_role_policy(RoleName=name, PolicyName="all", PolicyDocument=ALLOW_ALL)
    return role["Role"]


def test_assumed_role_acts_in_the_role_account(sandbox) -> None:
    make_role(sandbox, "555555555555", "Publisher")
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
    iam.put_user_policy(UserName="alice", PolicyName="all", PolicyDocument=ALLOW_ALL)
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


ROLE_ID = re.compile(r"AROA[A-Z0-9]{17}")


def assume(sandbox, role_arn: str, session: str = "s1") -> dict:
    sts = sandbox.client("sts", role_arn.split(":")[4])  # the account's SandboxAdmin
    return sts.assume_role(RoleArn=role_arn, RoleSessionName=session)


def as_session(sandbox, service: str, creds: dict):
    return boto3.client(
        service,
        endpoint_url=sandbox.endpoint,
        region_name="us-east-1",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def test_a_created_role_has_one_id_everywhere(sandbox) -> None:
    role = make_role(sandbox, "111111111111", "Publisher")
    assert ROLE_ID.fullmatch(role["RoleId"])
    assumed = assume(sandbox, role["Arn"])
    session_id = f"{role['RoleId']}:s1"
    assert assumed["AssumedRoleUser"]["AssumedRoleId"] == session_id
    who = as_session(sandbox, "sts", assumed["Credentials"]).get_caller_identity()
    assert (who["UserId"], who["Arn"]) == (
        session_id,
        "arn:aws:sts::111111111111:assumed-role/Publisher/s1",
    )
    sm = as_session(sandbox, "sagemaker", assumed["Credentials"])
    sm.create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft")
    sm.update_model_card(ModelCardName="c", ModelCardStatus="PendingReview")
    card = sm.describe_model_card(ModelCardName="c")
    for context in (card["CreatedBy"], card["LastModifiedBy"]):
        assert context["UserProfileName"] == session_id
        assert context["IamIdentity"] == {"Arn": who["Arn"], "PrincipalId": session_id}


def test_a_declared_role_keeps_one_id_per_arn(sandbox) -> None:
    """SandboxAdmin is declared, not created in IAM: its id is a function of its ARN."""
    arn = "arn:aws:iam::222222222222:role/SandboxAdmin"
    first = assume(sandbox, arn)["AssumedRoleUser"]["AssumedRoleId"]
    again = assume(sandbox, arn, "s2")
    assert ROLE_ID.fullmatch(first.split(":")[0])
    assert again["AssumedRoleUser"]["AssumedRoleId"] == first.replace(":s1", ":s2")
    sandbox.reset()
    who = as_session(sandbox, "sts", again["Credentials"]).get_caller_identity()
    assert who["UserId"] == first.replace(":s1", ":s2")
    assert who["Arn"] == "arn:aws:sts::222222222222:assumed-role/SandboxAdmin/s2"
    other = assume(sandbox, "arn:aws:iam::333333333333:role/SandboxAdmin")
    assert other["AssumedRoleUser"]["AssumedRoleId"].split(":")[0] != first.split(":")[0]


def test_root_keys_report_the_account_root(sandbox) -> None:
    who = plain_client(sandbox, "sts").get_caller_identity()
    assert who == {
        "UserId": "111111111111",
        "Account": "111111111111",
        "Arn": "arn:aws:iam::111111111111:root",
        "ResponseMetadata": who["ResponseMetadata"],
    }
    sm = plain_client(sandbox, "sagemaker")
    sm.create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft")
    created = sm.describe_model_card(ModelCardName="c")["CreatedBy"]
    assert created["UserProfileName"] == "111111111111"
    assert created["IamIdentity"]["PrincipalId"] == "111111111111"
    assert ":user/" not in json.dumps(created)


def test_sandbox_clients_keep_their_identity_across_reset(sandbox) -> None:
    make_role(sandbox, "333333333333", "Reader")
    sts = sandbox.client("sts", "333333333333", role="Reader")
    before = sts.get_caller_identity()
    sandbox.reset()
    after = sts.get_caller_identity()
    assert (after["Arn"], after["UserId"]) == (before["Arn"], before["UserId"])
    assert after["Arn"] == "arn:aws:sts::333333333333:assumed-role/Reader/sandbox"


def test_validation_errors_never_echo_card_content(sandbox) -> None:
    sm = plain_client(sandbox, "sagemaker")
    secret = "TOP-SECRET " * 10_000
    with pytest.raises(ClientError) as caught:
        sm.create_model_card(ModelCardName="c", Content=secret, ModelCardStatus="Bogus")
    text = caught.value.response["Error"]["Message"]
    assert "TOP-SECRET" not in text
    assert "Value at 'content' failed to satisfy constraint: Member must have length less " in text
    assert "Value 'Bogus' at 'modelCardStatus'" in text
