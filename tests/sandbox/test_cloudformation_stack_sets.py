"""UpdateStackSet as CloudFormation documents it (botocore's ``UpdateStackSet``): the new
template reaches every stack instance (or those of the accounts and Regions named), the
StackSet keeps it for instances created later, and the update is an operation with an ID
that ListStackSetOperations and DescribeStackSetOperation answer."""

from __future__ import annotations

import json
from typing import Any

from tests.sandbox.test_cloudformation import NAMED, OTHER, refused, role, template

PROD = "444444444444"
REGION = "us-east-1"


def _reader(statement: str) -> str:
    policy = {"PolicyName": "reads", "PolicyDocument": _document(statement)}
    return template({"Role": role("Reader", Policies=[policy])})


def _document(action: str) -> dict[str, Any]:
    allowed = {"Effect": "Allow", "Action": action, "Resource": "*"}
    return {"Version": "2012-10-17", "Statement": [allowed]}


def _held(aws: Any, account: str) -> Any:
    found = aws("iam", account).get_role_policy(RoleName="Reader", PolicyName="reads")
    document = found["PolicyDocument"]
    return (json.loads(document) if isinstance(document, str) else document)["Statement"][0][
        "Action"
    ]


def _readers(aws: Any, accounts: list[str]) -> Any:
    cfn = aws("cloudformation")
    body = _reader("sagemaker:DescribeModelCard")
    cfn.create_stack_set(StackSetName="readers", TemplateBody=body, Capabilities=NAMED)
    cfn.create_stack_instances(StackSetName="readers", Accounts=accounts, Regions=[REGION])
    return cfn


def test_an_update_applies_the_new_template_to_every_instance(aws: Any) -> None:
    cfn = _readers(aws, [OTHER, PROD])
    body = _reader("sagemaker:ListModelCards")
    operation = cfn.update_stack_set(StackSetName="readers", TemplateBody=body, Capabilities=NAMED)
    assert operation["OperationId"]
    assert [_held(aws, a) for a in (OTHER, PROD)] == ["sagemaker:ListModelCards"] * 2
    assert cfn.describe_stack_set(StackSetName="readers")["StackSet"]["TemplateBody"] == body
    instances = cfn.list_stack_instances(StackSetName="readers")["Summaries"]
    assert sorted(i["Account"] for i in instances) == [OTHER, PROD]


def test_the_update_is_an_operation_listed_and_described(aws: Any) -> None:
    cfn = _readers(aws, [OTHER])
    stack_set = cfn.describe_stack_set(StackSetName="readers")["StackSet"]
    body = _reader("sagemaker:ListModelCards")
    update = cfn.update_stack_set(
        StackSetName="readers", TemplateBody=body, Capabilities=NAMED, OperationId="op-1"
    )["OperationId"]
    assert update == "op-1"
    described = cfn.describe_stack_set_operation(StackSetName="readers", OperationId=update)
    operation = described["StackSetOperation"]
    assert (operation["Action"], operation["Status"]) == ("UPDATE", "SUCCEEDED")
    assert operation["StackSetId"] == stack_set["StackSetId"]
    listed = cfn.list_stack_set_operations(StackSetName="readers")["Summaries"]
    assert sorted((o["Action"], o["Status"]) for o in listed) == [
        ("CREATE", "SUCCEEDED"),
        ("UPDATE", "SUCCEEDED"),
    ]
    assert update in {o["OperationId"] for o in listed}


def test_an_operation_id_is_used_once(aws: Any) -> None:
    cfn = _readers(aws, [OTHER])
    first, second = _reader("sagemaker:ListModelCards"), _reader("sagemaker:Search")
    cfn.update_stack_set(
        StackSetName="readers", TemplateBody=first, Capabilities=NAMED, OperationId="op-1"
    )
    error = refused(
        cfn.update_stack_set,
        StackSetName="readers",
        TemplateBody=second,
        Capabilities=NAMED,
        OperationId="op-1",
    )
    assert error["Code"] == "OperationIdAlreadyExistsException"
    assert _held(aws, OTHER) == "sagemaker:ListModelCards"
    assert cfn.describe_stack_set(StackSetName="readers")["StackSet"]["TemplateBody"] == first


def test_instances_created_after_an_update_get_the_new_template(aws: Any) -> None:
    cfn = _readers(aws, [OTHER])
    body = _reader("sagemaker:ListModelCards")
    cfn.update_stack_set(StackSetName="readers", TemplateBody=body, Capabilities=NAMED)
    cfn.create_stack_instances(StackSetName="readers", Accounts=[PROD], Regions=[REGION])
    assert _held(aws, PROD) == "sagemaker:ListModelCards"


def test_an_update_may_name_the_accounts_and_regions_it_reaches(aws: Any) -> None:
    """Accounts and Regions name the instances to update; both or neither."""
    cfn = _readers(aws, [OTHER, PROD])
    body = _reader("sagemaker:ListModelCards")
    cfn.update_stack_set(
        StackSetName="readers",
        TemplateBody=body,
        Capabilities=NAMED,
        Accounts=[PROD],
        Regions=[REGION],
    )
    assert (_held(aws, OTHER), _held(aws, PROD)) == (
        "sagemaker:DescribeModelCard",
        "sagemaker:ListModelCards",
    )
    error = refused(
        cfn.update_stack_set,
        StackSetName="readers",
        TemplateBody=body,
        Capabilities=NAMED,
        Accounts=[OTHER],
    )
    assert error["Code"] == "ValidationError"


def test_an_update_the_sandbox_would_not_make_as_aws_does_changes_nothing(aws: Any) -> None:
    cfn = _readers(aws, [OTHER])
    before = cfn.describe_stack_set(StackSetName="readers")["StackSet"]["TemplateBody"]
    renamed = template({"Role": role("Renamed")})
    error = refused(
        cfn.update_stack_set, StackSetName="readers", TemplateBody=renamed, Capabilities=NAMED
    )
    assert "Role: a new RoleName (a replacement)" in error["Message"]
    error = refused(
        cfn.update_stack_set, StackSetName="readers", TemplateBody=_reader("sagemaker:Search")
    )
    assert error["Code"] == "InsufficientCapabilitiesException"
    assert cfn.describe_stack_set(StackSetName="readers")["StackSet"]["TemplateBody"] == before
    assert len(cfn.list_stack_set_operations(StackSetName="readers")["Summaries"]) == 1
    assert _held(aws, OTHER) == "sagemaker:DescribeModelCard"
