"""The sandbox's SageMaker Model Registry: model package groups and their versioned
packages, each with its approval, lifecycle stage and embedded model card
(``package_cards``).

What AWS documents and this follows (botocore's shapes, the Model Registry guide):
a versioned package is created in a group (``ModelPackageGroupName``), numbered from 1
per group, with ARN ``…:model-package/<group>/<version>`` in the group's account and
Region (also when another account registers it into a shared group) and ``ModelApprovalStatus``
``PendingManualApproval`` unless the request sets one; ``DescribeModelPackage`` takes a
name or ARN (a versioned package only by ARN); ``UpdateModelPackage`` sets
``ModelApprovalStatus``, ``ApprovalDescription``, ``ModelCard`` and ``ModelLifeCycle`` and
records ``LastModifiedBy`` and ``LastModifiedTime``; ``ListModelPackages`` returns
``ModelPackageSummary`` (approval and lifecycle, no card), at most 100 a page, oldest
first; ``DescribeModelPackageGroup`` and ``ListModelPackageGroups`` return the group's
description and status; groups take tags (``Tags`` on create, ``AddTags`` …). A package in
a group that does not exist, or a second group of one name, is refused as AWS refuses it.
Undocumented, chosen here: an unknown package or group is ``ValidationException`` "does
not exist" (what SageMaker answers for Describe*), and a group is deleted only once its
packages are (``DeleteModelPackage``, then ``DeleteModelPackageGroup``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.errors import validation
from reconciler.sandbox.paging import page
from reconciler.sandbox.sagemaker import package_cards, tags
from reconciler.sandbox.sagemaker.model import sagemaker_arn, user_context


def group_arn(region: str, account: str, name: str) -> str:
    return sagemaker_arn(region, account, f"model-package-group/{name.lower()}")


def package_arn(region: str, account: str, name: str) -> str:
    return sagemaker_arn(region, account, f"model-package/{name.lower()}")


@dataclass(kw_only=True)
class PackageGroup:
    name: str
    arn: str
    created: float
    created_by: dict[str, Any]
    description: str | None = None
    versions: int = 0
    tags: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ModelPackageGroupName": self.name,
            "ModelPackageGroupArn": self.arn,
            "CreationTime": self.created,
            "ModelPackageGroupStatus": "Completed",
        }
        if self.description is not None:
            out["ModelPackageGroupDescription"] = self.description
        return out

    def describe(self) -> dict[str, Any]:
        return {**self.summary(), "CreatedBy": self.created_by}


@dataclass(kw_only=True)
class Package:
    arn: str
    name: str
    group: str | None
    version: int | None
    created: float
    created_by: dict[str, Any]
    approval: str
    description: str | None = None
    approval_description: str | None = None
    modified: float | None = None
    modified_by: dict[str, Any] | None = None
    card: dict[str, Any] | None = None
    lifecycle: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """ListModelPackages' ``ModelPackageSummary``."""
        out: dict[str, Any] = {
            "ModelPackageName": self.name,
            "ModelPackageArn": self.arn,
            "CreationTime": self.created,
            "ModelPackageStatus": "Completed",
            "ModelApprovalStatus": self.approval,
        }
        if self.group is not None:
            out["ModelPackageGroupName"] = self.group
            out["ModelPackageVersion"] = self.version
        if self.description:
            out["ModelPackageDescription"] = self.description
        if self.lifecycle is not None:
            out["ModelLifeCycle"] = dict(self.lifecycle)
        return out

    def describe(self, metadata_only: bool = False) -> dict[str, Any]:
        out = self.summary()
        out.update(self.extra)
        out["CreatedBy"] = self.created_by
        out["ModelPackageStatusDetails"] = {"ValidationStatuses": [], "ImageScanStatuses": []}
        if self.approval_description:
            out["ApprovalDescription"] = self.approval_description
        if self.modified is not None:
            out["LastModifiedTime"] = self.modified
            out["LastModifiedBy"] = self.modified_by
        if self.card is not None:
            card = package_cards.metadata_only(self.card) if metadata_only else self.card
            out["ModelCard"] = dict(card)
        return out


# Request members kept as sent and echoed by DescribeModelPackage.
_ECHOED = (
    "InferenceSpecification",
    "CustomerMetadataProperties",
    "Domain",
    "Task",
    "ModelMetrics",
    "SourceAlgorithmSpecification",
)
MAX_PAGE = 100


class ModelRegistry:
    """Package groups and packages of every account, keyed by ARN. ``archived`` says
    whether an Archived card refuses new content and a new status (the card switches)."""

    def __init__(
        self, clock: Callable[[], float], rules: Callable[[], package_cards.CardRules]
    ) -> None:
        self._clock, self._rules = clock, rules
        self.groups: dict[str, PackageGroup] = {}
        self.packages: dict[str, Package] = {}

    def create_group(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        name = params["ModelPackageGroupName"]
        arn = group_arn(caller.region, caller.account_id, name)
        if arn in self.groups:
            raise validation(f"Model Package Group already exists: {arn}")
        self.groups[arn] = PackageGroup(
            name=name,
            arn=arn,
            created=self._clock(),
            created_by=user_context(caller),
            description=params.get("ModelPackageGroupDescription"),
            tags=tags.parse_tags(params.get("Tags")),
        )
        return {"ModelPackageGroupArn": arn}

    def create_package(
        self, caller: Caller, params: dict[str, Any], group: PackageGroup | None
    ) -> dict[str, Any]:
        """A version of ``group`` (the group ``ModelPackageGroupName`` names, already
        resolved and authorised, in whichever account owns it), or without a group an
        unversioned package of the caller's account."""
        if group is not None:
            package = self._versioned(caller, group, params)
        else:
            package = self._unversioned(caller, str(params["ModelPackageName"]), params)
        self.packages[package.arn] = package
        return {"ModelPackageArn": package.arn}

    def _versioned(self, caller: Caller, group: PackageGroup, params: dict[str, Any]) -> Package:
        """The next version of ``group``, in the group's account and Region (the caller's
        own, or the owner's when a share lets another account register into it)."""
        card = package_cards.new_card(
            params.get("ModelCard"), self._rules()
        )  # refused before numbering
        group.versions += 1
        return Package(
            arn=f"{group_versions(group.arn)}/{group.versions}",
            name=group.name,
            group=group.name,
            version=group.versions,
            created=self._clock(),
            created_by=user_context(caller),
            approval=params.get("ModelApprovalStatus", "PendingManualApproval"),
            description=params.get("ModelPackageDescription"),
            card=card,
            lifecycle=params.get("ModelLifeCycle"),
            extra={k: params[k] for k in _ECHOED if k in params},
        )

    def _unversioned(self, caller: Caller, name: str, params: dict[str, Any]) -> Package:
        arn = package_arn(caller.region, caller.account_id, name)
        if arn in self.packages:
            raise validation(f"Model Package already exists: {arn}")
        return Package(
            arn=arn,
            name=name,
            group=None,
            version=None,
            created=self._clock(),
            created_by=user_context(caller),
            approval=params.get("ModelApprovalStatus", ""),
            description=params.get("ModelPackageDescription"),
            card=package_cards.new_card(params.get("ModelCard"), self._rules()),
            extra={k: params[k] for k in _ECHOED if k in params},
        )

    def describe_package(self, package: Package, params: dict[str, Any]) -> dict[str, Any]:
        return package.describe(params.get("IncludedData") == "MetadataOnly")

    def update_package(self, caller: Caller, package: Package, params: dict[str, Any]) -> None:
        """Apply an UpdateModelPackage request; nothing changes when any part is refused."""
        card = package.card
        if "ModelCard" in params:
            card = package_cards.updated_card(package.card, params["ModelCard"], self._rules())
        if "ModelApprovalStatus" in params and package.group is None:
            raise validation("ModelApprovalStatus can only be set on a versioned package.")
        package.card = card
        package.approval = params.get("ModelApprovalStatus", package.approval)
        package.approval_description = params.get(
            "ApprovalDescription", package.approval_description
        )
        package.lifecycle = params.get("ModelLifeCycle", package.lifecycle)
        package.modified, package.modified_by = self._clock(), user_context(caller)

    def list_packages(self, group: PackageGroup, params: dict[str, Any]) -> dict[str, Any]:
        """One page of a group's versions, oldest first (or as ``SortOrder`` says)."""
        found = sorted(
            (p for p in self.packages.values() if p.group == group.name and _same_owner(p, group)),
            key=lambda p: p.version or 0,
            reverse=params.get("SortOrder") == "Descending",
        )
        if params.get("ModelApprovalStatus"):
            found = [p for p in found if p.approval == params["ModelApprovalStatus"]]
        items, extra = page(found, params, int(params.get("MaxResults", MAX_PAGE)))
        return {"ModelPackageSummaryList": [p.summary() for p in items], **extra}

    def list_groups(self, groups: list[PackageGroup], params: dict[str, Any]) -> dict[str, Any]:
        ordered = sorted(
            groups, key=lambda g: g.created, reverse=params.get("SortOrder") != "Ascending"
        )
        if params.get("NameContains"):
            ordered = [g for g in ordered if params["NameContains"] in g.name]
        items, extra = page(ordered, params, int(params.get("MaxResults", MAX_PAGE)))
        return {"ModelPackageGroupSummaryList": [g.summary() for g in items], **extra}

    def delete_package(self, package: Package) -> dict[str, Any]:
        del self.packages[package.arn]
        return {}

    def delete_group(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        group = self._group(caller, params["ModelPackageGroupName"])
        if any(p.group == group.name and _same_owner(p, group) for p in self.packages.values()):
            raise validation(f"Model Package Group {group.name} still holds model packages.")
        del self.groups[group.arn]
        return {}

    def package(self, arn: str) -> Package:
        """The package with this ARN, in whichever account owns it."""
        found = self.packages.get(arn.lower())
        if found is None:
            raise validation(f"ModelPackage {arn} does not exist.")
        return found

    def group(self, arn: str) -> PackageGroup:
        """The group with this ARN, in whichever account owns it."""
        found = self.groups.get(arn.lower())
        if found is None:
            raise validation(f"Model Package Group {arn} does not exist.")
        return found

    def _group(self, caller: Caller, name: str) -> PackageGroup:
        return self.group(group_arn(caller.region, caller.account_id, name))

    def group_exists(self, arn: str) -> bool:
        return arn.lower() in self.groups


def _same_owner(package: Package, group: PackageGroup) -> bool:
    return package.arn.split(":")[3:5] == group.arn.split(":")[3:5]


def package_target(caller: Caller, name_or_arn: str) -> str:
    """A package's ARN, from a name (the caller's own account) or an ARN."""
    if name_or_arn.startswith("arn:"):
        return name_or_arn
    return package_arn(caller.region, caller.account_id, name_or_arn)


def group_target(caller: Caller, name_or_arn: str) -> str:
    """A group's ARN, from a name (the caller's own account) or an ARN."""
    if name_or_arn.startswith("arn:"):
        return name_or_arn.lower()
    return group_arn(caller.region, caller.account_id, name_or_arn)


def group_versions(group_arn_: str) -> str:
    """The prefix of a group's versions' ARNs: ``…:model-package/<group>``."""
    return group_arn_.replace(":model-package-group/", ":model-package/")


def group_of(package_arn_: str) -> str:
    """The ARN of the group a versioned package belongs to (``…/<group>/<version>``)."""
    prefix, _, resource = package_arn_.partition(":model-package/")
    return f"{prefix}:model-package-group/{resource.split('/')[0]}".lower()
