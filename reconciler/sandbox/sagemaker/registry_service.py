"""The Model Registry operations of the sandbox's SageMaker service, and whose groups and
versions a call may reach.

A group or version named by the ARN of another account is a cross-account call: RAM
decides, on the group's ARN (model package groups are what RAM shares; a version is
reached through its group), then the call acts on the owner's resource. An ARN of another
Region is "does not exist", and an ARN that does not name a group, where a group is
expected, a ValidationException. ``CreateModelPackage`` takes the group by name or ARN
(botocore's ``ArnOrName``): by ARN, a consumer registers into a group another account
shared with it when the share's permission grants ``sagemaker:CreateModelPackage``, and
the version is the owner's (``docs/registry.md``, "Registering a version into a shared
group"). ``ListModelPackageGroups`` with
``CrossAccountFilterOption=CrossAccount`` lists the groups of other accounts RAM lets the
caller describe (``DescribeModelPackageGroup``), as the Developer Guide's "View a shared
model group" describes; without it, the caller's own groups.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.errors import AwsError, access_denied, validation
from reconciler.sandbox.sagemaker import tags
from reconciler.sandbox.sagemaker.registry import (
    Package,
    PackageGroup,
    group_of,
    group_target,
    package_target,
)

if TYPE_CHECKING:
    from reconciler.sandbox.sagemaker.service import SageMakerService

Params = dict[str, Any]


def _reach(svc: SageMakerService, caller: Caller, arn: str, group: str, action: str) -> None:
    """Raise unless ``caller`` may act on ``arn`` (of the group ``group``) with ``action``."""
    parts = arn.split(":")
    if len(parts) < 6 or parts[3] != caller.region:
        raise validation(f"{arn} does not exist.")
    if parts[4] != caller.account_id:
        svc.authorize_shared(caller, group, action)


def package(svc: SageMakerService, caller: Caller, name_or_arn: str, action: str) -> Package:
    arn = package_target(caller, name_or_arn).lower()
    _reach(svc, caller, arn, group_of(arn), action)
    return svc.registry.package(arn)


def group(svc: SageMakerService, caller: Caller, name_or_arn: str, action: str) -> PackageGroup:
    arn = group_target(caller, name_or_arn)
    if ":model-package-group/" not in arn:
        raise validation(f"{name_or_arn} is not a model package group ARN.")
    _reach(svc, caller, arn, arn, action)
    return svc.registry.group(arn)


def create_group(svc: SageMakerService, caller: Caller, params: Params) -> Params:
    return svc.registry.create_group(caller, params)


def create_package(svc: SageMakerService, caller: Caller, params: Params) -> Params:
    """A version registered into the group ``ModelPackageGroupName`` names (by name, the
    caller's own; by ARN, maybe another account's, reached as ``group`` reaches it), or an
    unversioned package."""
    named, name = params.get("ModelPackageGroupName"), params.get("ModelPackageName")
    if (named is None) == (name is None):
        raise validation("Exactly one of ModelPackageName or ModelPackageGroupName is required.")
    found = None
    if named is not None:
        found = group(svc, caller, str(named), "sagemaker:CreateModelPackage")
    return svc.registry.create_package(caller, params, found)


def describe_package(svc: SageMakerService, caller: Caller, params: Params) -> Params:
    found = package(svc, caller, params["ModelPackageName"], "sagemaker:DescribeModelPackage")
    return svc.registry.describe_package(found, params)


def update_package(svc: SageMakerService, caller: Caller, params: Params) -> Params:
    found = package(svc, caller, params["ModelPackageArn"], "sagemaker:UpdateModelPackage")
    svc.registry.update_package(caller, found, params)
    return {"ModelPackageArn": found.arn}


def delete_package(svc: SageMakerService, caller: Caller, params: Params) -> Params:
    found = package(svc, caller, params["ModelPackageName"], "sagemaker:DeleteModelPackage")
    return svc.registry.delete_package(found)


def delete_group(svc: SageMakerService, caller: Caller, params: Params) -> Params:
    return svc.registry.delete_group(caller, params)


def describe_group(svc: SageMakerService, caller: Caller, params: Params) -> Params:
    name = params["ModelPackageGroupName"]
    return group(svc, caller, name, "sagemaker:DescribeModelPackageGroup").describe()


def get_group_policy(svc: SageMakerService, caller: Caller, params: Params) -> Params:
    """The group's resource policy as RAM wrote it when it shared the group (the RAM path
    writes it through ``sagemaker:PutResourcePolicy``). Undocumented: what AWS answers for
    a group without one; the sandbox answers ``group_policy_absent_error`` (a
    ValidationException by default; "" answers no ResourcePolicy).
    AWS undocumented: group-policy-absent"""
    name = params["ModelPackageGroupName"]
    found = _own_group(
        svc, caller, group_target(caller, name), "sagemaker:GetModelPackageGroupPolicy"
    )
    policy = svc.ram_policy(found.arn)
    if policy is None:
        code = svc.config().group_policy_absent_error
        if not code:
            return {}
        raise AwsError(code, f"Model Package Group {found.arn} has no resource policy.")
    return {"ResourcePolicy": json.dumps(policy, separators=(",", ":"))}


def list_packages(svc: SageMakerService, caller: Caller, params: Params) -> Params:
    name = params.get("ModelPackageGroupName")
    if name is None:
        raise validation("ModelPackageGroupName is required by this sandbox's ListModelPackages.")
    found = group(svc, caller, name, "sagemaker:ListModelPackages")
    return svc.registry.list_packages(found, params)


def list_groups(svc: SageMakerService, caller: Caller, params: Params) -> Params:
    region = caller.region
    if params.get("CrossAccountFilterOption") == "CrossAccount":
        candidates = [
            g
            for g in svc.registry.groups.values()
            if g.arn.split(":")[3] == region and g.arn.split(":")[4] != caller.account_id
        ]
        reachable = [g for g in candidates if _shared(svc, caller, g)]
    else:
        mine = f":{region}:{caller.account_id}:"
        reachable = [g for g in svc.registry.groups.values() if mine in g.arn]
    return svc.registry.list_groups(reachable, params)


def _shared(svc: SageMakerService, caller: Caller, found: PackageGroup) -> bool:
    try:
        svc.authorize_shared(caller, found.arn, "sagemaker:DescribeModelPackageGroup")
    except AwsError:
        return False
    return True


def _own_group(svc: SageMakerService, caller: Caller, arn: str, action: str) -> PackageGroup:
    if arn.split(":")[4:5] != [caller.account_id]:
        raise access_denied(
            f"User: {caller.arn} is not authorized to perform: {action} on resource: {arn}"
        )
    return svc.registry.group(arn)


def add_tags(svc: SageMakerService, caller: Caller, params: Params) -> Params:
    found = _own_group(svc, caller, params["ResourceArn"], "sagemaker:AddTags")
    found.tags = tags.add_tags(found.tags, params["Tags"])
    return {"Tags": params["Tags"]}


def list_tags(svc: SageMakerService, caller: Caller, params: Params) -> Params:
    found = _own_group(svc, caller, params["ResourceArn"], "sagemaker:ListTags")
    return tags.list_tags(found.tags, params)


def delete_tags(svc: SageMakerService, caller: Caller, params: Params) -> Params:
    found = _own_group(svc, caller, params["ResourceArn"], "sagemaker:DeleteTags")
    found.tags = {k: v for k, v in found.tags.items() if k not in set(params["TagKeys"])}
    return {}


Handler = Callable[["SageMakerService", Caller, Params], Params]
REGISTRY_HANDLERS: dict[str, Handler] = {
    "CreateModelPackageGroup": create_group,
    "CreateModelPackage": create_package,
    "DescribeModelPackage": describe_package,
    "UpdateModelPackage": update_package,
    "DeleteModelPackage": delete_package,
    "DeleteModelPackageGroup": delete_group,
    "DescribeModelPackageGroup": describe_group,
    "ListModelPackages": list_packages,
    "ListModelPackageGroups": list_groups,
    "GetModelPackageGroupPolicy": get_group_policy,
}
GROUP_TAG_HANDLERS: dict[str, Handler] = {
    "AddTags": add_tags,
    "ListTags": list_tags,
    "DeleteTags": delete_tags,
}
