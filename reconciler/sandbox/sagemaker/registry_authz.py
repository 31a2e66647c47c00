"""What each Model Registry operation asks IAM (see ``authz``): the group or package by
ARN, and the condition keys the Service Authorization Reference lists for them.

Request keys: ``sagemaker:ModelApprovalStatus``, ``sagemaker:ModelLifeCycle:Stage`` and
``sagemaker:ModelLifeCycle:StageStatus``, from the request's ``ModelApprovalStatus`` and
``ModelLifeCycle`` (absent when the request leaves them out). Resource keys of a package:
``sagemaker:CurrentModelLifeCycleStage`` and ``…StageStatus``, its stage before the call,
and of a group its tags (``aws:ResourceTag``, ``sagemaker:ResourceTag``). Creating a group
with tags also needs ``sagemaker:AddTags`` (the SAR's dependent action).
``CreateModelPackage`` into a group is asked for both resource types the SAR lists for
it: the group's ARN and its versions, ``model-package/<group>/*``.

Chosen here, since the SAR gives ``ListModelPackages`` the ``model-package`` resource type
without saying which ARN a listing names: the group's versions, ``model-package/<group>/*``;
a policy on ``model-package/*`` or ``*`` allows it, one on single versions does not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.sandbox.authz import AccessRequest, request_tag_facts, tag_facts
from reconciler.sandbox.caller import Caller
from reconciler.sandbox.sagemaker.registry import (
    Package,
    PackageGroup,
    group_of,
    group_target,
    group_versions,
    package_target,
)

# The tag keys every SageMaker request here computes (lower case, prefixes end in "/").
TAG_KEYS = (
    "aws:resourcetag/",
    "sagemaker:resourcetag/",
    "aws:requesttag/",
    "aws:tagkeys",
    "sagemaker:taggingaction",
)
MODELLED = (
    *TAG_KEYS,
    "sagemaker:modelapprovalstatus",
    "sagemaker:modellifecycle:stage",
    "sagemaker:modellifecycle:stagestatus",
    "sagemaker:currentmodellifecyclestage",
    "sagemaker:currentmodellifecyclestagestatus",
)
GROUP_OPERATIONS = frozenset(
    {
        "CreateModelPackageGroup",
        "DeleteModelPackageGroup",
        "DescribeModelPackageGroup",
        "GetModelPackageGroupPolicy",
    }
)
PACKAGE_OPERATIONS = frozenset(
    {"CreateModelPackage", "DescribeModelPackage", "UpdateModelPackage", "DeleteModelPackage"}
)
REGISTRY_OPERATIONS = (
    GROUP_OPERATIONS
    | PACKAGE_OPERATIONS
    | {
        "ListModelPackages",
        "ListModelPackageGroups",
    }
)


def registry_requests(
    groups: Mapping[str, PackageGroup],
    packages: Mapping[str, Package],
    caller: Caller,
    operation: str,
    params: dict[str, Any],
) -> list[AccessRequest]:
    """The access requests of one Model Registry operation, read against current state."""
    action = f"sagemaker:{operation}"
    if operation in GROUP_OPERATIONS:
        return _on_group(groups, caller, operation, params)
    if operation == "ListModelPackages":
        group = group_target(caller, str(params.get("ModelPackageGroupName")))
        versions = group_versions(group) + "/*"
        return [AccessRequest(action, {"model-package": versions}, modelled=MODELLED)]
    if operation == "ListModelPackageGroups":
        return [AccessRequest(action, modelled=MODELLED)]
    return [_on_package(packages, caller, operation, params)]


def _on_group(
    groups: Mapping[str, PackageGroup], caller: Caller, operation: str, params: dict[str, Any]
) -> list[AccessRequest]:
    arn = group_target(caller, str(params.get("ModelPackageGroupName")))
    group = groups.get(arn)
    facts = group_tag_facts(group.tags if group else {})
    if operation != "CreateModelPackageGroup":
        return [_group_request(f"sagemaker:{operation}", arn, facts)]
    tags = request_tag_facts(_tags(params.get("Tags")))
    found = [_group_request("sagemaker:CreateModelPackageGroup", arn, tags)]
    if tags:
        adding = {**tags, "sagemaker:TaggingAction": ("CreateModelPackageGroup",)}
        found.append(_group_request("sagemaker:AddTags", arn, adding))
    return found


def _on_package(
    packages: Mapping[str, Package], caller: Caller, operation: str, params: dict[str, Any]
) -> AccessRequest:
    named = params.get("ModelPackageArn") or params.get("ModelPackageName")
    resources: dict[str, str] = {}
    if operation == "CreateModelPackage" and params.get("ModelPackageGroupName"):
        group = group_target(caller, str(params["ModelPackageGroupName"]))
        named = group_versions(group) + "/*"
        resources["model-package-group"] = group
    arn = package_target(caller, str(named))
    resources["model-package"] = arn
    facts = {**_requested(params), **_current(packages.get(arn.lower()))}
    return AccessRequest(f"sagemaker:{operation}", resources, facts, modelled=MODELLED)


def _requested(params: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    facts: dict[str, tuple[str, ...]] = {}
    if params.get("ModelApprovalStatus"):
        facts["sagemaker:ModelApprovalStatus"] = (str(params["ModelApprovalStatus"]),)
    lifecycle = params.get("ModelLifeCycle") or {}
    if lifecycle.get("Stage"):
        facts["sagemaker:ModelLifeCycle:Stage"] = (str(lifecycle["Stage"]),)
    if lifecycle.get("StageStatus"):
        facts["sagemaker:ModelLifeCycle:StageStatus"] = (str(lifecycle["StageStatus"]),)
    return facts


def _current(package: Package | None) -> dict[str, tuple[str, ...]]:
    lifecycle = (package.lifecycle if package else None) or {}
    facts: dict[str, tuple[str, ...]] = {}
    if lifecycle.get("Stage"):
        facts["sagemaker:CurrentModelLifeCycleStage"] = (str(lifecycle["Stage"]),)
    if lifecycle.get("StageStatus"):
        facts["sagemaker:CurrentModelLifeCycleStageStatus"] = (str(lifecycle["StageStatus"]),)
    return facts


def group_tag_facts(tags: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    return {**tag_facts("aws:ResourceTag", tags), **tag_facts("sagemaker:ResourceTag", tags)}


def group_tagging(
    groups: Mapping[str, PackageGroup], operation: str, params: dict[str, Any]
) -> list[AccessRequest]:
    """AddTags, ListTags, DeleteTags on a group's ARN."""
    arn = str(params.get("ResourceArn")).lower()
    group = groups.get(arn)
    facts = group_tag_facts(group.tags if group else {})
    if operation == "AddTags":
        facts.update(request_tag_facts(_tags(params.get("Tags"))))
    if operation == "DeleteTags" and params.get("TagKeys"):
        facts["aws:TagKeys"] = tuple(str(k) for k in params["TagKeys"])
    return [_group_request(f"sagemaker:{operation}", arn, facts)]


def _group_request(action: str, arn: str, facts: dict[str, tuple[str, ...]]) -> AccessRequest:
    return AccessRequest(action, {"model-package-group": arn}, facts, modelled=MODELLED)


def _tags(raw: Any) -> dict[str, str]:
    items = raw if isinstance(raw, list) else []
    return {str(t.get("Key")): str(t.get("Value", "")) for t in items if isinstance(t, dict)}


__all__ = ["REGISTRY_OPERATIONS", "group_of", "group_tagging", "registry_requests"]
