"""DeletePermissionVersion: never the default version, never one a share uses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

POLICY = json.dumps({"Effect": "Allow", "Action": ["sagemaker:DescribeModelCard"]})


def test_delete_permission_version_rules(aws: Any) -> None:
    ram = aws("ram")
    arn = ram.create_permission(
        name="ro", resourceType="sagemaker:ModelCard", policyTemplate=POLICY
    )["permission"]["arn"]
    ram.create_resource_share(name="s", permissionArns=[arn])  # attaches version 1
    ram.create_permission_version(permissionArn=arn, policyTemplate=POLICY)  # default 2
    with pytest.raises(ClientError) as default:
        ram.delete_permission_version(permissionArn=arn, permissionVersion=2)
    with pytest.raises(ClientError) as attached:
        ram.delete_permission_version(permissionArn=arn, permissionVersion=1)
    assert default.value.response["Error"]["Code"] == "OperationNotPermittedException"
    assert attached.value.response["Error"]["Code"] == "OperationNotPermittedException"
    ram.create_permission_version(permissionArn=arn, policyTemplate=POLICY)  # default 3
    answer = ram.delete_permission_version(permissionArn=arn, permissionVersion=2)
    assert (answer["returnValue"], answer["permissionStatus"]) == (True, "DELETED")
    versions = ram.list_permission_versions(permissionArn=arn)["permissions"]
    assert [v["version"] for v in versions] == ["1", "3"]
