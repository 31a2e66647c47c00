"""Identity policies on model-card calls: allow, implicit and explicit deny, the message.

Every role is held to IAM's evaluation logic: a role without policies may do nothing; the
SandboxAdmin role the other tests use is declared with a policy that allows everything.
Root (ambient) keys are limited by no IAM policy, as in AWS.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from reconciler.sandbox.config import SandboxConfig
from tests.sandbox.conftest import OWNER, REGION, allow, card_arn, deny
from tests.sandbox.test_cross_account import share

CARDS = f"arn:aws:sagemaker:{REGION}:{OWNER}:model-card/*"
ROLE_SESSION = f"arn:aws:sts::{OWNER}:assumed-role/Scoped/sandbox"


def create(sm, name: str = "churn", **extra) -> str:
    return sm.create_model_card(ModelCardName=name, Content="{}", ModelCardStatus="Draft", **extra)[
        "ModelCardArn"
    ]


def denied(call, *args, **kwargs) -> str:
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    assert caught.value.response["Error"]["Code"] == "AccessDeniedException"
    return str(caught.value.response["Error"]["Message"])


def test_allowed_actions_succeed(role) -> None:
    scoped = role(allow(["sagemaker:CreateModelCard", "sagemaker:DescribeModelCard"], CARDS))
    create(scoped.sagemaker)
    assert scoped.sagemaker.describe_model_card(ModelCardName="churn")["ModelCardName"] == "churn"


def test_implicit_deny_names_the_caller_action_and_resource(role) -> None:
    scoped = role(allow("sagemaker:DescribeModelCard", CARDS))
    message = denied(create, scoped.sagemaker)
    assert message == (
        f"User: {ROLE_SESSION} is not authorized to perform: sagemaker:CreateModelCard "
        f"on resource: {card_arn('churn')} because no identity-based policy allows the "
        "sagemaker:CreateModelCard action"
    )


def test_explicit_deny_wins_over_allow(role) -> None:
    scoped = role(allow("sagemaker:*"), deny("sagemaker:DeleteModelCard", card_arn("churn")))
    create(scoped.sagemaker)
    message = denied(scoped.sagemaker.delete_model_card, ModelCardName="churn")
    assert message.endswith("with an explicit deny in an identity-based policy")
    create(scoped.sagemaker, "fraud")
    scoped.sagemaker.delete_model_card(ModelCardName="fraud")


def test_action_names_match_case_insensitively_with_wildcards(role) -> None:
    scoped = role(allow(["SageMaker:create*Card", "sagemaker:DESCRIBEMODELCAR?"], CARDS))
    create(scoped.sagemaker)
    scoped.sagemaker.describe_model_card(ModelCardName="churn")
    denied(scoped.sagemaker.list_model_card_versions, ModelCardName="churn")


def test_resource_arns_match_case_sensitively(role) -> None:
    scoped = role(allow("sagemaker:CreateModelCard", CARDS.replace("model-card", "Model-Card")))
    denied(create, scoped.sagemaker)


def test_not_action_allows_everything_else(role) -> None:
    scoped = role(allow("sagemaker:DeleteModelCard", not_action=True))
    create(scoped.sagemaker)
    denied(scoped.sagemaker.delete_model_card, ModelCardName="churn")


def test_not_resource_allows_every_other_resource(role) -> None:
    scoped = role(allow("sagemaker:*", card_arn("secret"), not_resource=True))
    create(scoped.sagemaker)
    message = denied(create, scoped.sagemaker, "secret")
    assert f"on resource: {card_arn('secret')} because" in message


def test_actions_without_resource_type_need_resource_star(role) -> None:
    scoped = role(allow(["sagemaker:ListModelCards", "sagemaker:Search"], CARDS))
    message = denied(scoped.sagemaker.list_model_cards)
    assert "sagemaker:ListModelCards on resource: * because" in message
    denied(scoped.sagemaker.search, Resource="ModelCard")
    widened = role(allow(["sagemaker:ListModelCards", "sagemaker:Search"]), name="Wide")
    widened.sagemaker.list_model_cards()
    widened.sagemaker.search(Resource="ModelCard")


def test_attached_managed_policy_is_enforced(role) -> None:
    scoped = role(allow("sagemaker:DescribeModelCard", CARDS), managed=True)
    denied(create, scoped.sagemaker)


def test_policy_changes_apply_to_the_next_request(sandbox, role) -> None:
    scoped = role(allow("sagemaker:DescribeModelCard", CARDS))
    denied(create, scoped.sagemaker)
    sandbox.client("iam", OWNER).put_role_policy(
        RoleName="Scoped",
        PolicyName="more",
        PolicyDocument='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
        '"Action": "sagemaker:CreateModelCard", "Resource": "*"}]}',
    )
    create(scoped.sagemaker)


def test_role_without_policies_may_do_nothing(role, aws) -> None:
    bare = role()
    denied(create, bare.sagemaker)
    with pytest.raises(ClientError) as caught:
        aws("sagemaker", OWNER, role="NeverCreated")
    assert caught.value.response["Error"]["Code"] == "AccessDenied"


def test_root_keys_may_do_anything(sandbox, role) -> None:
    import boto3

    role(deny("*"))  # a role's policies say nothing about root
    sm = boto3.client(
        "sagemaker",
        endpoint_url=sandbox.endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    create(sm)


def test_enforcement_switch_off_allows_everything(sandbox, role) -> None:
    scoped = role(allow("sagemaker:DescribeModelCard", CARDS))
    sandbox.configure(SandboxConfig(iam_enforcement=False))
    create(scoped.sagemaker)


def test_a_denied_create_leaves_no_trace(role, account) -> None:
    scoped = role(allow("sagemaker:DescribeModelCard", CARDS))
    denied(create, scoped.sagemaker, Tags=[{"Key": "managed-by", "Value": "reconciler"}])
    assert account(OWNER).sagemaker.list_model_cards()["ModelCardSummaries"] == []
    assert account(OWNER).sagemaker.search(Resource="ModelCard")["Results"] == []


def test_a_denied_update_leaves_the_card_as_it_was(role, account) -> None:
    scoped = role(allow(["sagemaker:CreateModelCard", "sagemaker:DescribeModelCard"], CARDS))
    create(scoped.sagemaker)
    denied(scoped.sagemaker.update_model_card, ModelCardName="churn", Content='{"a": {}}')
    card = account(OWNER).sagemaker.describe_model_card(ModelCardName="churn")
    assert (card["ModelCardVersion"], card["Content"]) == (1, "{}")


def test_consumer_role_needs_identity_permission_on_the_owner_card(sandbox, role, account) -> None:
    arn = create(account(OWNER).sagemaker)
    share(sandbox, account, arn)
    reader = role(allow("sagemaker:ListModelCardVersions", "*"), account="222222222222")
    message = denied(reader.sagemaker.describe_model_card, ModelCardName=arn)
    assert "because no identity-based policy allows" in message
    reader.sagemaker.list_model_card_versions(ModelCardName=arn)


def test_a_permissions_boundary_caps_what_policies_allow(sandbox, role) -> None:
    import json

    iam = sandbox.client("iam", OWNER)
    boundary = iam.create_policy(
        PolicyName="describe-only",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [allow("sagemaker:DescribeModelCard")]}
        ),
    )["Policy"]["Arn"]
    scoped = role(allow("sagemaker:*"))
    iam.put_role_permissions_boundary(RoleName="Scoped", PermissionsBoundary=boundary)
    message = denied(create, scoped.sagemaker)
    assert message.endswith(
        "because no permissions boundary allows the sagemaker:CreateModelCard action"
    )


def test_removing_the_last_policy_leaves_nothing_allowed(sandbox, role) -> None:
    scoped = role(allow("sagemaker:*", CARDS))
    create(scoped.sagemaker)
    sandbox.client("iam", OWNER).delete_role_policy(RoleName="Scoped", PolicyName="inline")
    denied(scoped.sagemaker.describe_model_card, ModelCardName="churn")


def test_assuming_a_role_needs_sts_assume_role_in_the_callers_policy(role, account) -> None:
    """A role may assume another account's role only where its policies allow
    sts:AssumeRole on it (and the target's trust policy allows it: tests/sandbox/test_trust)."""
    target = "arn:aws:iam::222222222222:role/Reader"
    account("222222222222").iam.create_role(
        RoleName="Reader",
        AssumeRolePolicyDocument='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
        '"Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "sts:AssumeRole"}]}',
    )
    limited = role(allow("sagemaker:DescribeModelCard"))
    with pytest.raises(ClientError) as caught:
        limited.sts.assume_role(RoleArn=target, RoleSessionName="ss")
    error = caught.value.response["Error"]
    assert error["Code"] == "AccessDenied"
    assert f"is not authorized to perform: sts:AssumeRole on resource: {target}" in error["Message"]
    allowed = role(allow("sts:AssumeRole", target), name="Assumer")
    assert allowed.sts.assume_role(RoleArn=target, RoleSessionName="ss")["AssumedRoleUser"]
