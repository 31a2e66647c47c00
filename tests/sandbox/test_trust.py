"""Assuming a role is decided as STS decides it: the role must exist, its trust policy must
allow the caller, and the caller's own policies must allow it unless the trust policy names
the caller within one account.

The reproduction of issue 22: ``AssumeRole`` of a role that does not exist succeeded, and
the session could do anything; trust policies were never read.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from reconciler.sandbox.config import SandboxConfig
from reconciler.sandbox.declared import DeclaredRole
from tests.sandbox.conftest import DEV, OWNER, REGION, allow, deny

TARGET = "Target"


def arn(name: str, account: str = OWNER) -> str:
    return f"arn:aws:iam::{account}:role/{name}"


def trust(principal: Any, action: Any = "sts:AssumeRole", **extra: Any) -> str:
    statement = {"Effect": "Allow", "Principal": principal, "Action": action, **extra}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def make_target(sandbox: Any, document: str, account: str = OWNER, **extra: Any) -> str:
    iam = sandbox.client("iam", account)
    iam.create_role(RoleName=TARGET, AssumeRolePolicyDocument=document, **extra)
    iam.put_role_policy(
        RoleName=TARGET,
        PolicyName="read",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [allow("sagemaker:ListModelCards")]}
        ),
    )
    return arn(TARGET, account)


def refused(sts: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        sts.assume_role(RoleSessionName="s1", **kwargs)
    assert caught.value.response["Error"]["Code"] == "AccessDenied"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    return str(caught.value.response["Error"]["Message"])


def test_a_role_that_does_not_exist_cannot_be_assumed(account: Any) -> None:
    message = refused(account(OWNER).sts, RoleArn=arn("NeverCreated"))
    assert (
        f"not authorized to perform: sts:AssumeRole on resource: {arn('NeverCreated')}" in message
    )


def test_root_keys_cannot_assume_roles(sandbox: Any) -> None:
    sts = boto3.client(
        "sts",
        endpoint_url=sandbox.endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    assert refused(sts, RoleArn=arn("SandboxAdmin")) == "Roles may not be assumed by root accounts."


def test_a_trust_policy_that_names_another_account_refuses(sandbox: Any, account: Any) -> None:
    target = make_target(sandbox, trust({"AWS": f"arn:aws:iam::{DEV}:root"}))
    refused(account(OWNER).sts, RoleArn=target)
    account(DEV).sts.assume_role(RoleArn=target, RoleSessionName="s1")


def test_trust_of_the_account_needs_the_callers_own_permission(sandbox: Any, role: Any) -> None:
    target = make_target(sandbox, trust({"AWS": f"arn:aws:iam::{OWNER}:root"}))
    bare = role(allow("sagemaker:ListModelCards"))
    message = refused(bare.sts, RoleArn=target)
    assert "because no identity-based policy allows the sts:AssumeRole action" in message
    allowed = role(allow("sts:AssumeRole", target), name="Assumer")
    allowed.sts.assume_role(RoleArn=target, RoleSessionName="s1")


def test_trust_naming_the_role_suffices_within_the_account(sandbox: Any, role: Any) -> None:
    caller = role(allow("sagemaker:ListModelCards"), name="Caller")
    target = make_target(sandbox, trust({"AWS": arn("Caller")}))
    caller.sts.assume_role(RoleArn=target, RoleSessionName="s1")
    other = role(allow("sts:AssumeRole"), name="Other")
    refused(other.sts, RoleArn=target)


def test_another_account_needs_trust_and_its_own_permission(sandbox: Any, role: Any) -> None:
    target = make_target(sandbox, trust({"AWS": arn("Caller", DEV)}))
    caller = role(allow("sagemaker:ListModelCards"), name="Caller", account=DEV)
    message = refused(caller.sts, RoleArn=target)
    assert "because no identity-based policy allows the sts:AssumeRole action" in message
    able = role(allow("sts:AssumeRole", target), name="Caller2", account=DEV)
    refused(able.sts, RoleArn=target)  # trusted: Caller, not Caller2


def test_an_explicit_deny_in_the_trust_policy_wins(sandbox: Any, account: Any) -> None:
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"},
            {
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:RoleSessionName": "s1"}},
            },
        ],
    }
    target = make_target(sandbox, json.dumps(document))
    message = refused(account(OWNER).sts, RoleArn=target)
    assert message.endswith("with an explicit deny in a resource-based policy")
    account(OWNER).sts.assume_role(RoleArn=target, RoleSessionName="s2")


def test_an_explicit_deny_in_the_callers_policy_wins(sandbox: Any, role: Any) -> None:
    caller = role(allow("*"), deny("sts:AssumeRole"), name="Caller")
    target = make_target(sandbox, trust({"AWS": arn("Caller")}))
    assert refused(caller.sts, RoleArn=target).endswith(
        "with an explicit deny in an identity-based policy"
    )


def test_external_id_is_a_trust_condition(sandbox: Any, account: Any) -> None:
    condition = {"StringEquals": {"sts:ExternalId": "secret"}}
    target = make_target(sandbox, trust({"AWS": "*"}, Condition=condition))
    refused(account(OWNER).sts, RoleArn=target)
    account(OWNER).sts.assume_role(RoleArn=target, RoleSessionName="s1", ExternalId="secret")


def test_session_tags_need_tag_session_in_the_trust_policy(sandbox: Any, account: Any) -> None:
    target = make_target(sandbox, trust({"AWS": "*"}))
    message = refused(account(OWNER).sts, RoleArn=target, Tags=[{"Key": "team", "Value": "ml"}])
    assert "sts:TagSession" in message


def test_the_session_of_an_assumed_role_holds_the_roles_policies(
    sandbox: Any, account: Any
) -> None:
    target = make_target(sandbox, trust({"AWS": "*"}))
    creds = account(OWNER).sts.assume_role(RoleArn=target, RoleSessionName="s1")["Credentials"]
    sm = boto3.client(
        "sagemaker",
        endpoint_url=sandbox.endpoint,
        region_name=REGION,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    sm.list_model_cards()
    with pytest.raises(ClientError) as caught:
        sm.create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft")
    assert caught.value.response["Error"]["Code"] == "AccessDeniedException"


def test_a_session_policy_narrows_the_session(sandbox: Any, account: Any) -> None:
    policy = json.dumps(
        {"Version": "2012-10-17", "Statement": [allow("sagemaker:DescribeModelCard")]}
    )
    creds = account(OWNER).sts.assume_role(
        RoleArn=arn("SandboxAdmin"), RoleSessionName="narrow", Policy=policy
    )["Credentials"]
    sm = boto3.client(
        "sagemaker",
        endpoint_url=sandbox.endpoint,
        region_name=REGION,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    with pytest.raises(ClientError) as caught:
        sm.list_model_cards()
    assert caught.value.response["Error"]["Message"].endswith(
        "because no session policy allows the sagemaker:ListModelCards action"
    )


def test_a_deleted_role_allows_its_sessions_nothing(sandbox: Any, role: Any) -> None:
    scoped = role(allow("sagemaker:ListModelCards"))
    scoped.sagemaker.list_model_cards()
    iam = sandbox.client("iam", OWNER)
    iam.delete_role_policy(RoleName="Scoped", PolicyName="inline")
    iam.delete_role(RoleName="Scoped")
    with pytest.raises(ClientError) as caught:
        scoped.sagemaker.list_model_cards()
    assert caught.value.response["Error"]["Code"] == "AccessDeniedException"


def test_a_role_without_policies_may_do_nothing(role: Any) -> None:
    bare = role()
    with pytest.raises(ClientError) as caught:
        bare.sagemaker.list_model_cards()
    assert caught.value.response["Error"]["Code"] == "AccessDeniedException"


def test_declared_roles_exist_with_their_trust_and_policies(sandbox: Any) -> None:
    reader = DeclaredRole(
        name="Reader",
        accounts=(DEV,),
        trust={
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{OWNER}:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        },
        policies={
            "read": {"Version": "2012-10-17", "Statement": [allow("sagemaker:ListModelCards")]}
        },
    )
    sandbox.configure(SandboxConfig(roles=(*sandbox.config.roles, reader)))
    owner_sts = sandbox.client("sts", OWNER)
    creds = owner_sts.assume_role(RoleArn=arn("Reader", DEV), RoleSessionName="s1")["Credentials"]
    assert creds["AccessKeyId"]
    refused(sandbox.client("sts", DEV), RoleArn=arn("Reader", DEV))  # DEV is not trusted
    refused(owner_sts, RoleArn=arn("Reader", OWNER))  # declared in DEV only


@pytest.mark.parametrize(
    "call",
    [
        lambda sts: sts.get_session_token(),
        lambda sts: sts.get_federation_token(Name="someone"),
    ],
)
def test_sts_calls_that_skip_the_checks_are_refused(account: Any, call: Any) -> None:
    with pytest.raises(ClientError) as caught:
        call(account(OWNER).sts)
    assert caught.value.response["Error"]["Code"] == "SandboxUnsupported"
