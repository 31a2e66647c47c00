"""Global condition keys: each key AWS sets for these calls is set, absent keys follow IAM's
absent-key rules, and a key the sandbox cannot know is a loud error, never a guess.

Each key is proven the attacker's way: a Deny conditioned on the key's true value must
deny. Were the key missing from the request context, the Deny would not match and the call
would be allowed (the reproduction of issue 22: a Deny on ``aws:ResourceAccount`` was
ignored).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from reconciler.sandbox.config import Organization
from reconciler.sandbox.iam.catalog import KEYS, Kind
from tests.sandbox.conftest import OWNER, PROD, REGION, allow, deny

ROLE_ARN = f"arn:aws:iam::{OWNER}:role/Scoped"
ORG = Organization(
    management_account=OWNER,
    members=frozenset({PROD}),
    units={"ou-sb01-prod0001": frozenset({PROD, OWNER}), "ou-sb01-team0001": frozenset({OWNER})},
)


def create(sm: Any, name: str = "churn", **extra: Any) -> None:
    sm.create_model_card(ModelCardName=name, Content="{}", ModelCardStatus="Draft", **extra)


def error(call: Any, *args: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]


def denied_by(role: Any, condition: dict[str, Any], **extra: Any) -> Any:
    """A role allowed everything except CreateModelCard under ``condition``."""
    return role(allow("*"), deny("sagemaker:CreateModelCard", condition=condition), **extra)


SET = [
    ("aws:ResourceAccount", {"StringEquals": {"aws:ResourceAccount": OWNER}}),
    ("aws:PrincipalAccount", {"StringEquals": {"aws:PrincipalAccount": OWNER}}),
    ("aws:PrincipalArn", {"ArnEquals": {"aws:PrincipalArn": ROLE_ARN}}),
    ("aws:PrincipalType", {"StringEquals": {"aws:PrincipalType": "AssumedRole"}}),
    ("aws:userid", {"StringLike": {"aws:userid": "AROA*:sandbox"}}),
    ("aws:PrincipalIsAWSService", {"Bool": {"aws:PrincipalIsAWSService": "false"}}),
    ("aws:RequestedRegion", {"StringEquals": {"aws:RequestedRegion": REGION}}),
    ("aws:SecureTransport", {"Bool": {"aws:SecureTransport": "true"}}),
    ("aws:CurrentTime", {"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}),
    ("aws:EpochTime", {"NumericGreaterThan": {"aws:EpochTime": "1577836800"}}),
    ("aws:TokenIssueTime", {"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}}),
    ("aws:MultiFactorAuthPresent", {"Bool": {"aws:MultiFactorAuthPresent": "false"}}),
    ("aws:ViaAWSService", {"Bool": {"aws:ViaAWSService": "false"}}),
    ("aws:UserAgent", {"StringLike": {"aws:UserAgent": "*Botocore*"}}),
    ("aws:PrincipalTag", {"StringEquals": {"aws:PrincipalTag/Team": "ml"}}),
]


@pytest.mark.parametrize(("key", "condition"), SET, ids=[k for k, _ in SET])
def test_a_deny_on_each_key_the_sandbox_sets_denies(
    role: Any, sandbox: Any, key: str, condition: dict[str, Any]
) -> None:
    scoped = denied_by(role, condition)
    sandbox.client("iam", OWNER).tag_role(RoleName="Scoped", Tags=[{"Key": "team", "Value": "ml"}])
    code, message = error(create, scoped.sagemaker)
    assert code == "AccessDeniedException", message
    assert message.endswith("with an explicit deny in an identity-based policy")


def test_the_deny_on_the_resource_account_does_not_reach_another_account(role: Any) -> None:
    scoped = denied_by(role, {"StringEquals": {"aws:ResourceAccount": "999999999999"}})
    create(scoped.sagemaker)


ORGANIZATION_KEYS = [
    {"StringEquals": {"aws:PrincipalOrgID": "o-sandbox0001"}},
    {"StringEquals": {"aws:ResourceOrgID": "o-sandbox0001"}},
    {
        "ForAnyValue:StringEquals": {
            "aws:PrincipalOrgPaths": "o-sandbox0001/r-sb01/ou-sb01-prod0001/ou-sb01-team0001/"
        }
    },
    {"ForAnyValue:StringLike": {"aws:ResourceOrgPaths": "o-sandbox0001/r-sb01/*"}},
]


@pytest.mark.parametrize(
    "condition",
    ORGANIZATION_KEYS,
    ids=["PrincipalOrgID", "ResourceOrgID", "PrincipalOrgPaths", "ResourceOrgPaths"],
)
def test_organization_keys_hold_the_organization(role: Any, sandbox: Any, condition: Any) -> None:
    sandbox.configure(sandbox.config.__class__(organization=ORG))
    code, _ = error(create, denied_by(role, condition).sagemaker)
    assert code == "AccessDeniedException"


def test_organization_keys_are_absent_outside_an_organization(role: Any) -> None:
    scoped = denied_by(role, {"Null": {"aws:PrincipalOrgID": "false"}})
    create(scoped.sagemaker)


def test_org_paths_of_units_holding_the_same_accounts_are_refused(role: Any, sandbox: Any) -> None:
    twins = Organization(
        management_account=OWNER,
        members=frozenset(),
        units={"ou-a": frozenset({OWNER}), "ou-b": frozenset({OWNER})},
    )
    sandbox.configure(sandbox.config.__class__(organization=twins))
    condition = {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-*"}}
    code, message = error(create, denied_by(role, condition).sagemaker)
    assert code == "SandboxCannotEvaluateCondition"
    assert "aws:principalorgpaths" in message and "nesting is unknown" in message


ABSENT = [
    ({"Null": {"aws:CalledVia": "true"}}, True),
    ({"ForAnyValue:StringEquals": {"aws:CalledVia": "cloudformation.amazonaws.com"}}, False),
    ({"Null": {"aws:SourceArn": "true"}}, True),
    ({"Null": {"aws:SourceAccount": "true"}}, True),
    ({"Null": {"aws:username": "true"}}, True),
    ({"Null": {"aws:SourceIdentity": "true"}}, True),
    ({"Null": {"aws:MultiFactorAuthAge": "true"}}, True),
    ({"Null": {"aws:PrincipalServiceName": "true"}}, True),
    ({"StringEquals": {"aws:SourceIdentity": "x"}}, False),
    ({"StringNotEquals": {"aws:SourceIdentity": "x"}}, True),
    ({"StringEqualsIfExists": {"aws:SourceIdentity": "x"}}, True),
    ({"StringNotEqualsIfExists": {"aws:SourceIdentity": "x"}}, True),
    ({"ForAllValues:StringEquals": {"aws:SourceIdentity": "x"}}, True),
    ({"ForAnyValue:StringEquals": {"aws:SourceIdentity": "x"}}, False),
    ({"ForAnyValue:StringNotEquals": {"aws:SourceIdentity": "x"}}, False),
    ({"Null": {"aws:SourceIdentity": "false"}}, False),
]


@pytest.mark.parametrize(("condition", "applies"), ABSENT, ids=lambda v: json.dumps(v)[:70])
def test_absent_keys_follow_iams_rules(role: Any, condition: Any, applies: bool) -> None:
    """A role session without a source identity; CalledVia and friends never set here."""
    scoped = denied_by(role, condition)
    if applies:
        assert error(create, scoped.sagemaker)[0] == "AccessDeniedException"
    else:
        create(scoped.sagemaker)


def test_principal_arn_is_the_role_not_the_session(role: Any) -> None:
    session = f"arn:aws:sts::{OWNER}:assumed-role/Scoped/sandbox"
    scoped = denied_by(role, {"StringEquals": {"aws:PrincipalArn": session}})
    create(scoped.sagemaker)


def test_session_tags_override_role_tags(role: Any, sandbox: Any, account: Any) -> None:
    iam = sandbox.client("iam", OWNER)
    role(
        allow("*"),
        deny(
            "sagemaker:CreateModelCard",
            condition={"StringEquals": {"aws:PrincipalTag/team": "ops"}},
        ),
    )
    iam.tag_role(RoleName="Scoped", Tags=[{"Key": "team", "Value": "ml"}])
    create(account(OWNER).sagemaker, "a")
    creds = account(OWNER).sts.assume_role(
        RoleArn=ROLE_ARN, RoleSessionName="tagged", Tags=[{"Key": "team", "Value": "ops"}]
    )["Credentials"]
    tagged = session_client(sandbox, "sagemaker", creds)
    assert error(create, tagged, "b")[0] == "AccessDeniedException"


def session_client(sandbox: Any, service: str, creds: dict[str, Any]) -> Any:
    import boto3

    return boto3.client(
        service,
        endpoint_url=sandbox.endpoint,
        region_name=REGION,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def test_source_identity_is_set_for_the_session(role: Any, sandbox: Any, account: Any) -> None:
    role(
        allow("*"),
        deny(
            "sagemaker:CreateModelCard", condition={"StringEquals": {"aws:SourceIdentity": "ana"}}
        ),
    )
    creds = account(OWNER).sts.assume_role(
        RoleArn=ROLE_ARN, RoleSessionName="s1", SourceIdentity="ana"
    )["Credentials"]
    assert error(create, session_client(sandbox, "sagemaker", creds))[0] == "AccessDeniedException"


def test_via_aws_service_is_true_when_sagemaker_calls_kms(role: Any, account: Any) -> None:
    key = account(OWNER).kms.create_key()["KeyMetadata"]["Arn"]
    direct_only = {"Bool": {"aws:ViaAWSService": "true"}}
    scoped = role(allow("*"), deny("kms:*", condition=direct_only))
    code, message = error(create, scoped.sagemaker, SecurityConfig={"KmsKeyId": key})
    assert code == "AccessDeniedException" and "kms:" in message
    create(scoped.sagemaker, "plain")


def _prod_bucket(account: Any, *, readable_by: str | None) -> None:
    """prod's bucket with one object; its policy lets ``readable_by`` read it, if given."""
    prod = account(PROD).s3
    prod.create_bucket(Bucket="prod-bucket")
    prod.put_object(Bucket="prod-bucket", Key="a", Body=b"x")
    if readable_by is not None:
        grant = {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{readable_by}:root"},
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::prod-bucket/*",
        }
        policy = {"Version": "2012-10-17", "Statement": [grant]}
        prod.put_bucket_policy(Bucket="prod-bucket", Policy=json.dumps(policy))


def test_resource_account_of_an_s3_object_is_the_bucket_owner(role: Any, account: Any) -> None:
    _prod_bucket(account, readable_by=OWNER)
    reader = role(allow("*"), name="Reader")
    assert reader.s3.get_object(Bucket="prod-bucket", Key="a")["Body"].read() == b"x"
    scoped = role(
        allow("*"), deny("s3:GetObject", condition={"StringEquals": {"aws:ResourceAccount": PROD}})
    )
    assert error(scoped.s3.get_object, Bucket="prod-bucket", Key="a")[0] == "AccessDenied"


def test_another_accounts_bucket_without_a_policy_is_closed(role: Any, account: Any) -> None:
    """As in AWS, a caller's own policies alone never open another account's bucket: its
    bucket policy must grant the caller's account too."""
    _prod_bucket(account, readable_by=None)
    code, message = error(role(allow("*")).s3.get_object, Bucket="prod-bucket", Key="a")
    assert code == "AccessDenied" and "no resource-based policy allows" in message


UNKNOWABLE = [k.name for k in KEYS if k.kind is Kind.UNKNOWABLE]


@pytest.mark.parametrize("key", UNKNOWABLE)
def test_a_key_the_sandbox_cannot_know_is_a_loud_error(role: Any, key: str) -> None:
    scoped = role(
        allow("*"), deny("sagemaker:CreateModelCard", condition={"StringEquals": {key: "x"}})
    )
    code, message = error(create, scoped.sagemaker)
    assert code == "SandboxCannotEvaluateCondition"
    assert key.lower() in message
    assert f"inline policy 'inline' of {ROLE_ARN}" in message


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("aws:NoSuchKey", "not an AWS global condition key"),
        ("sagemaker:ModelCardStatus", "not a condition key of sagemaker"),
        ("token.actions.githubusercontent.com:sub", "not a condition key the sandbox knows"),
    ],
)
def test_unknown_keys_are_loud_errors(role: Any, key: str, why: str) -> None:
    scoped = role(allow("*", condition={"StringEquals": {key: "x"}}))
    code, message = error(create, scoped.sagemaker)
    assert code == "SandboxCannotEvaluateCondition" and why in message, message


def test_a_key_the_sar_lists_but_the_service_does_not_compute_is_loud(role: Any) -> None:
    key = "ram:RetainSharingOnAccountLeaveOrganization"
    scoped = role(allow("*", condition={"Bool": {key: "true"}}))
    code, message = error(scoped.ram.create_resource_share, name="s")
    assert code == "SandboxCannotEvaluateCondition"
    assert "does not compute ram:retainsharingonaccountleaveorganization" in message


def test_an_unknowable_key_is_not_read_when_the_decision_does_not_need_it(role: Any) -> None:
    scoped = role(
        allow("*"),
        deny("sagemaker:DeleteModelCard", condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
        deny(
            "sagemaker:CreateModelCard",
            condition={
                "StringEquals": {"aws:RequestedRegion": "eu-west-1"},
                "IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
            },
        ),
    )
    create(scoped.sagemaker)


def test_policy_variables_are_replaced(role: Any, sandbox: Any) -> None:
    own = f"arn:aws:sagemaker:{REGION}:{OWNER}:model-card/${{aws:PrincipalTag/team}}-*"
    scoped = role(allow("sagemaker:CreateModelCard", own))
    assert error(create, scoped.sagemaker, "ml-churn")[0] == "AccessDeniedException"
    sandbox.client("iam", OWNER).tag_role(RoleName="Scoped", Tags=[{"Key": "team", "Value": "ml"}])
    create(scoped.sagemaker, "ml-churn")
    assert error(create, scoped.sagemaker, "ops-churn")[0] == "AccessDeniedException"


def test_every_catalog_key_is_in_the_docs_table() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "iam.md").read_text(encoding="utf-8")
    missing = [k.name for k in KEYS if f"`{k.name.rstrip('/')}" not in text]
    assert not missing, missing


def test_transitive_session_tags_pass_on_when_roles_chain(
    role: Any, sandbox: Any, account: Any
) -> None:
    role(allow("*"), name="First")
    role(
        allow("*"),
        deny(
            "sagemaker:CreateModelCard",
            condition={"StringEquals": {"aws:PrincipalTag/team": "ops"}},
        ),
        name="Second",
    )
    first = account(OWNER).sts.assume_role(
        RoleArn=f"arn:aws:iam::{OWNER}:role/First",
        RoleSessionName="first",
        Tags=[{"Key": "team", "Value": "ops"}],
        TransitiveTagKeys=["team"],
    )["Credentials"]
    second = session_client(sandbox, "sts", first).assume_role(
        RoleArn=f"arn:aws:iam::{OWNER}:role/Second", RoleSessionName="second"
    )["Credentials"]
    assert error(create, session_client(sandbox, "sagemaker", second))[0] == "AccessDeniedException"


def test_a_session_the_sandbox_did_not_issue_has_no_known_issue_time() -> None:
    from reconciler.sandbox.authz import AccessRequest
    from reconciler.sandbox.caller import Caller
    from reconciler.sandbox.config import SandboxConfig
    from reconciler.sandbox.iam.context import Environment, context_for
    from reconciler.sandbox.iam.sar import KeySet

    caller = Caller(OWNER, f"arn:aws:sts::{OWNER}:assumed-role/R/s", REGION, "AROA:s", ROLE_ARN)
    env = Environment(config=SandboxConfig(), now=0.0)
    context = context_for(caller, AccessRequest("sagemaker:ListModelCards"), KeySet.of([]), env)
    assert context.why_unknown("aws:tokenissuetime") is not None
    assert context.why_unknown("aws:principalaccount") is None
