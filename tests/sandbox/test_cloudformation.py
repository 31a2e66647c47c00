"""CloudFormation in the sandbox: what moto 5.2.5's engine skipped or ignored is created as
AWS creates it (OIDC providers, bucket policies, a bucket's public access block and
ownership controls, ManagedPolicyArns, inline policies as JSON, a change set's outputs),
and what the sandbox does not create as AWS would is refused, never reported complete."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
import yaml
from botocore.exceptions import ClientError

from reconciler.sandbox.iam.oidc import github_claims

OWNER, OTHER = "111111111111", "222222222222"
PROVIDER = f"arn:aws:iam::{OWNER}:oidc-provider/token.actions.githubusercontent.com"
ALL = {"Effect": "Allow", "Action": "*", "Resource": "*"}
EVERYTHING = {"Version": "2012-10-17", "Statement": [ALL]}
NAMED = ["CAPABILITY_NAMED_IAM"]


def template(resources: dict[str, Any], outputs: dict[str, Any] | None = None) -> str:
    body: dict[str, Any] = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}
    if outputs:
        body["Outputs"] = outputs
    return yaml.safe_dump(body)


def role(name: str, **properties: Any) -> dict[str, Any]:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": PROVIDER},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}
                },
            }
        ],
    }
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {"RoleName": name, "AssumeRolePolicyDocument": trust, **properties},
    }


PROVIDER_RESOURCE = {
    "Type": "AWS::IAM::OIDCProvider",
    "Properties": {
        "Url": "https://token.actions.githubusercontent.com",
        "ClientIdList": ["sts.amazonaws.com"],
    },
}


def refused(call: Any, **kwargs: Any) -> dict[str, str]:
    with pytest.raises(ClientError) as error:
        call(**kwargs)
    return dict(error.value.response["Error"])


def test_a_stacks_oidc_provider_exists_and_web_identity_uses_it(aws: Any, sandbox: Any) -> None:
    body = template(
        {"GitHub": PROVIDER_RESOURCE, "Role": {**role("Deployer"), "DependsOn": "GitHub"}},
        {"Provider": {"Value": {"Ref": "GitHub"}}},
    )
    aws("cloudformation").create_stack(StackName="s", TemplateBody=body, Capabilities=NAMED)
    stack = aws("cloudformation").describe_stacks(StackName="s")["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    assert stack["Outputs"][0]["OutputValue"] == PROVIDER
    provider = aws("iam").get_open_id_connect_provider(OpenIDConnectProviderArn=PROVIDER)
    assert provider["ClientIDList"] == ["sts.amazonaws.com"]
    sts = boto3.client("sts", endpoint_url=sandbox.endpoint, region_name="us-east-1")
    token = sandbox.oidc_token(github_claims("acme/model-cards"))
    session = sts.assume_role_with_web_identity(
        RoleArn=f"arn:aws:iam::{OWNER}:role/Deployer", RoleSessionName="gha", WebIdentityToken=token
    )
    assert session["AssumedRoleUser"]["Arn"].endswith(":assumed-role/Deployer/gha")


def test_a_stacks_bucket_has_its_policy_public_access_block_and_ownership(aws: Any) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "NotResource": "arn:aws:s3:::evidence/pdf/*",
            }
        ],
    }
    block = dict.fromkeys(
        ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"), True
    )
    bucket = {
        "BucketName": "evidence",
        "PublicAccessBlockConfiguration": block,
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
    }
    body = template(
        {
            "Bucket": {"Type": "AWS::S3::Bucket", "Properties": bucket},
            "Policy": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {"Bucket": {"Ref": "Bucket"}, "PolicyDocument": policy},
            },
        }
    )
    aws("cloudformation").create_stack(StackName="s", TemplateBody=body)
    s3 = aws("s3")
    assert json.loads(s3.get_bucket_policy(Bucket="evidence")["Policy"]) == policy
    assert s3.get_public_access_block(Bucket="evidence")["PublicAccessBlockConfiguration"] == block
    rules = s3.get_bucket_ownership_controls(Bucket="evidence")["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    # ... and the sandbox's S3 evaluates the policy (moto's own check would deny all).
    s3.put_object(Bucket="evidence", Key="pdf/a.pdf", Body=b"%PDF")
    denied = refused(s3.put_object, Bucket="evidence", Key="other/a.pdf", Body=b"x")
    assert "explicit deny in a resource-based policy" in denied["Message"]


def test_a_stacks_role_has_json_inline_policies_and_its_managed_policies(aws: Any) -> None:
    body = template(
        {
            "Extra": {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {"ManagedPolicyName": "Extra", "PolicyDocument": EVERYTHING},
            },
            "Role": role(
                "Worker",
                Policies=[{"PolicyName": "main", "PolicyDocument": EVERYTHING}],
                ManagedPolicyArns=[{"Ref": "Extra"}],
            ),
        }
    )
    aws("cloudformation").create_stack(StackName="s", TemplateBody=body, Capabilities=NAMED)
    iam = aws("iam")
    document = iam.get_role_policy(RoleName="Worker", PolicyName="main")["PolicyDocument"]
    assert document == EVERYTHING  # JSON, as PutRolePolicy stores it: botocore decodes it
    attached = iam.list_attached_role_policies(RoleName="Worker")["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [f"arn:aws:iam::{OWNER}:policy/Extra"]


def test_a_stack_made_from_a_change_set_has_its_outputs(aws: Any) -> None:
    cfn = aws("cloudformation")
    body = template({"Role": role("Worker")}, {"Arn": {"Value": {"Fn::GetAtt": ["Role", "Arn"]}}})
    cfn.create_change_set(
        StackName="s",
        ChangeSetName="c",
        ChangeSetType="CREATE",
        TemplateBody=body,
        Capabilities=NAMED,
    )
    cfn.execute_change_set(StackName="s", ChangeSetName="c")
    stack = cfn.describe_stacks(StackName="s")["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    assert stack["Outputs"][0]["OutputValue"] == f"arn:aws:iam::{OWNER}:role/Worker"


def test_a_stack_set_creates_its_resources_in_each_account(aws: Any) -> None:
    cfn = aws("cloudformation")
    body = template({"Role": role("Reader")})
    cfn.create_stack_set(StackSetName="readers", TemplateBody=body, Capabilities=NAMED)
    cfn.create_stack_instances(StackSetName="readers", Accounts=[OTHER], Regions=["us-east-1"])
    assert (
        aws("iam", OTHER)
        .get_role(RoleName="Reader")["Role"]["Arn"]
        .startswith(f"arn:aws:iam::{OTHER}:role/")
    )


@pytest.mark.parametrize(
    ("resources", "named"),
    [
        ({"Q": {"Type": "AWS::SQS::Queue", "Properties": {}}}, "the resource type AWS::SQS::Queue"),
        ({"Role": role("R", Tags=[{"Key": "a", "Value": "b"}])}, "AWS::IAM::Role's property Tags"),
        (
            {"B": {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {}}}},
            "AWS::S3::Bucket's property VersioningConfiguration",
        ),
        ({"Role": {**role("R"), "CreationPolicy": {}}}, "the attribute CreationPolicy"),
    ],
)
def test_what_the_sandbox_would_not_create_as_aws_does_is_refused(
    aws: Any, resources: dict[str, Any], named: str
) -> None:
    cfn = aws("cloudformation")
    error = refused(
        cfn.create_stack, StackName="s", TemplateBody=template(resources), Capabilities=NAMED
    )
    assert error["Code"] == "ValidationError"
    assert named in error["Message"]
    assert not cfn.list_stacks()["StackSummaries"]  # nothing half-made, nothing "complete"


def test_iam_resources_need_their_capability_as_in_aws(aws: Any) -> None:
    cfn = aws("cloudformation")
    named = template({"Role": role("Named")})
    error = refused(cfn.create_stack, StackName="s", TemplateBody=named)
    assert error == {
        "Type": "Sender",
        "Code": "InsufficientCapabilitiesException",
        "Message": "Requires capabilities : [CAPABILITY_NAMED_IAM]",
    }
    error = refused(
        cfn.create_stack_set, StackSetName="s", TemplateBody=named, Capabilities=["CAPABILITY_IAM"]
    )
    assert error["Code"] == "InsufficientCapabilitiesException"
    unnamed = role("x")
    del unnamed["Properties"]["RoleName"]
    body = template({"Role": unnamed})
    cfn.create_stack(StackName="s", TemplateBody=body, Capabilities=["CAPABILITY_IAM"])


def test_a_stack_update_applies_new_trust_inline_and_managed_policies(aws: Any) -> None:
    cfn, iam = aws("cloudformation"), aws("iam")
    first = role("Worker", Policies=[{"PolicyName": "old", "PolicyDocument": EVERYTHING}])
    cfn.create_stack(StackName="s", TemplateBody=template({"Role": first}), Capabilities=NAMED)
    reads = {"Version": "2012-10-17", "Statement": [{**ALL, "Action": "s3:GetObject"}]}
    second = role("Worker", Policies=[{"PolicyName": "new", "PolicyDocument": reads}])
    second["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Condition"] = {}
    part = {
        "Type": "AWS::IAM::ManagedPolicy",
        "Properties": {
            "ManagedPolicyName": "Part",
            "PolicyDocument": EVERYTHING,
            "Roles": ["Worker"],
        },
    }
    body = template({"Role": second, "Part": part})
    cfn.update_stack(StackName="s", TemplateBody=body, Capabilities=NAMED)
    held = iam.get_role(RoleName="Worker")["Role"]["AssumeRolePolicyDocument"]
    assert held["Statement"][0]["Condition"] == {}
    assert iam.list_role_policies(RoleName="Worker")["PolicyNames"] == ["new"]
    attached = iam.list_attached_role_policies(RoleName="Worker")["AttachedPolicies"]
    assert [p["PolicyName"] for p in attached] == ["Part"]
    part["Properties"]["PolicyDocument"] = reads  # through a change set, as `deploy` does
    cfn.create_change_set(
        StackName="s",
        ChangeSetName="c",
        ChangeSetType="UPDATE",
        TemplateBody=template({"Role": second, "Part": part}),
        Capabilities=NAMED,
    )
    cfn.execute_change_set(StackName="s", ChangeSetName="c")
    arn = f"arn:aws:iam::{OWNER}:policy/Part"
    versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [v["IsDefaultVersion"] for v in versions] == [True]
    document = iam.get_policy_version(PolicyArn=arn, VersionId=versions[0]["VersionId"])
    assert document["PolicyVersion"]["Document"] == reads
    cfn.update_stack(StackName="s", TemplateBody=template({"Role": second}), Capabilities=NAMED)
    assert not iam.list_attached_role_policies(RoleName="Worker")["AttachedPolicies"]
    assert refused(iam.get_policy, PolicyArn=arn)["Code"] == "NoSuchEntity"


def test_a_stack_update_changes_an_oidc_providers_audiences(aws: Any) -> None:
    cfn = aws("cloudformation")
    outputs = {"Arn": {"Value": {"Fn::GetAtt": ["GitHub", "Arn"]}}}
    cfn.create_stack(StackName="s", TemplateBody=template({"GitHub": PROVIDER_RESOURCE}, outputs))
    wider = {**PROVIDER_RESOURCE, "Properties": dict(PROVIDER_RESOURCE["Properties"])}
    wider["Properties"]["ClientIdList"] = ["sts.amazonaws.com", "sigstore"]
    cfn.update_stack(StackName="s", TemplateBody=template({"GitHub": wider}, outputs))
    stack = cfn.describe_stacks(StackName="s")["Stacks"][0]
    assert stack["Outputs"][0]["OutputValue"] == PROVIDER
    provider = aws("iam").get_open_id_connect_provider(OpenIDConnectProviderArn=PROVIDER)
    assert provider["ClientIDList"] == ["sts.amazonaws.com", "sigstore"]


def test_deleting_a_stack_removes_what_it_made_and_keeps_what_it_retains(aws: Any) -> None:
    cfn = aws("cloudformation")
    part = {
        "Type": "AWS::IAM::ManagedPolicy",
        "Properties": {"PolicyDocument": EVERYTHING, "Roles": [{"Ref": "Role"}]},
    }
    bucket = {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"}
    bucket["Properties"] = {"BucketName": "kept"}
    body = template(
        {"GitHub": PROVIDER_RESOURCE, "Role": role("Worker"), "Part": part, "B": bucket}
    )
    cfn.create_stack(StackName="s", TemplateBody=body, Capabilities=NAMED)
    cfn.delete_stack(StackName="s")
    iam = aws("iam")
    assert not iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]
    assert refused(iam.get_role, RoleName="Worker")["Code"] == "NoSuchEntity"
    assert not iam.list_policies(Scope="Local")["Policies"]
    assert aws("s3").head_bucket(Bucket="kept")


def test_what_an_update_would_replace_is_refused(aws: Any) -> None:
    cfn = aws("cloudformation")
    body = template({"Role": role("Worker")})
    cfn.create_stack(StackName="s", TemplateBody=body, Capabilities=NAMED)
    renamed = template({"Role": role("Renamed")})
    for call, kwargs in (
        (cfn.update_stack, {}),
        (cfn.create_change_set, {"ChangeSetName": "u", "ChangeSetType": "UPDATE"}),
    ):
        error = refused(call, StackName="s", TemplateBody=renamed, Capabilities=NAMED, **kwargs)
        assert "Role: a new RoleName (a replacement)" in error["Message"]
    assert aws("iam").get_role(RoleName="Worker")


def test_template_urls_are_refused(aws: Any) -> None:
    cfn = aws("cloudformation")
    error = refused(
        cfn.create_stack,
        StackName="t",
        TemplateURL="https://example.com/t.yaml",
        Capabilities=NAMED,
    )
    assert "TemplateBody only" in error["Message"]


def test_short_form_tags_are_read(aws: Any) -> None:
    body = (
        "Resources:\n"
        "  Extra:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        f"      PolicyDocument: {json.dumps(EVERYTHING)}\n"
        "      Roles: [!Ref Role]\n"
        f"  Role: {json.dumps(role('Worker'))}\n"
        "Outputs:\n"
        "  Arn: {Value: !GetAtt Role.Arn}\n"
    )
    aws("cloudformation").create_stack(StackName="s", TemplateBody=body, Capabilities=NAMED)
    attached = aws("iam").list_attached_role_policies(RoleName="Worker")["AttachedPolicies"]
    assert len(attached) == 1
