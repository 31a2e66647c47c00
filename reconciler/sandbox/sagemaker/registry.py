"""The sandbox's SageMaker Model Registry: model package groups and their versioned
packages, with the approval status a card's approval is kept in step with.

What AWS documents and this follows (botocore's shapes, the Model Registry guide):
a versioned package is created in a group (``ModelPackageGroupName``), numbered from 1
per group, with ARN ``…:model-package/<group>/<version>`` and ``ModelApprovalStatus``
``PendingManualApproval`` unless the request sets one; ``DescribeModelPackage`` takes a
name or ARN (a versioned package only by ARN); ``UpdateModelPackage`` sets
``ModelApprovalStatus`` and ``ApprovalDescription`` and records ``LastModifiedBy`` and
``LastModifiedTime``. A package in a group that does not exist, or a second group of one
name, is refused as AWS refuses it. Undocumented, chosen here: an unknown package is
``ValidationException`` "does not exist" (what SageMaker answers for Describe*), and a
group is deleted only once its packages are (``DeleteModelPackage``, then
``DeleteModelPackageGroup``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.errors import validation
from reconciler.sandbox.sagemaker.model import sagemaker_arn, user_context


def group_arn(region: str, account: str, name: str) -> str:
    return sagemaker_arn(region, account, f"model-package-group/{name.lower()}")


def package_arn(region: str, account: str, name: str) -> str:
    return sagemaker_arn(region, account, f"model-package/{name.lower()}")


@dataclass
class PackageGroup:
    name: str
    arn: str
    created: float
    created_by: dict[str, Any]
    description: str | None = None
    versions: int = 0


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
    extra: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ModelPackageName": self.name,
            "ModelPackageArn": self.arn,
            "CreationTime": self.created,
            "ModelPackageStatus": "Completed",
            "ModelPackageStatusDetails": {"ValidationStatuses": [], "ImageScanStatuses": []},
            "ModelApprovalStatus": self.approval,
            "CreatedBy": self.created_by,
            **self.extra,
        }
        if self.group is not None:
            out["ModelPackageGroupName"] = self.group
            out["ModelPackageVersion"] = self.version
        if self.description:
            out["ModelPackageDescription"] = self.description
        if self.approval_description:
            out["ApprovalDescription"] = self.approval_description
        if self.modified is not None:
            out["LastModifiedTime"] = self.modified
            out["LastModifiedBy"] = self.modified_by
        return out


# Request members kept as sent and echoed by DescribeModelPackage.
_ECHOED = (
    "InferenceSpecification",
    "ModelCard",
    "CustomerMetadataProperties",
    "Domain",
    "Task",
    "ModelMetrics",
    "SourceAlgorithmSpecification",
)


class ModelRegistry:
    """Package groups and packages of every account, keyed by ARN."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.groups: dict[str, PackageGroup] = {}
        self.packages: dict[str, Package] = {}

    def create_group(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        name = params["ModelPackageGroupName"]
        arn = group_arn(caller.region, caller.account_id, name)
        if arn in self.groups:
            raise validation(f"Model Package Group already exists: {arn}")
        self.groups[arn] = PackageGroup(
            name,
            arn,
            self._clock(),
            user_context(caller),
            params.get("ModelPackageGroupDescription"),
        )
        return {"ModelPackageGroupArn": arn}

    def create_package(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        group_name, name = params.get("ModelPackageGroupName"), params.get("ModelPackageName")
        if (group_name is None) == (name is None):
            raise validation(
                "Exactly one of ModelPackageName or ModelPackageGroupName is required."
            )
        now, who = self._clock(), user_context(caller)
        extra = {k: params[k] for k in _ECHOED if k in params}
        if group_name is not None:
            group = self._group(caller, group_name)
            group.versions += 1
            arn = package_arn(caller.region, caller.account_id, f"{group.name}/{group.versions}")
            package = Package(
                arn=arn,
                name=group.name,
                group=group.name,
                version=group.versions,
                created=now,
                created_by=who,
                approval=params.get("ModelApprovalStatus", "PendingManualApproval"),
                description=params.get("ModelPackageDescription"),
                extra=extra,
            )
        else:
            arn = package_arn(caller.region, caller.account_id, str(name))
            if arn in self.packages:
                raise validation(f"Model Package already exists: {arn}")
            package = Package(
                arn=arn,
                name=str(name),
                group=None,
                version=None,
                created=now,
                created_by=who,
                approval=params.get("ModelApprovalStatus", ""),
                description=params.get("ModelPackageDescription"),
                extra=extra,
            )
        self.packages[arn] = package
        return {"ModelPackageArn": arn}

    def describe_package(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        return self.find(caller, params["ModelPackageName"]).describe()

    def update_package(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        package = self.find(caller, params["ModelPackageArn"])
        if "ModelApprovalStatus" in params:
            if package.group is None:
                raise validation("ModelApprovalStatus can only be set on a versioned package.")
            package.approval = params["ModelApprovalStatus"]
        if "ApprovalDescription" in params:
            package.approval_description = params["ApprovalDescription"]
        package.modified, package.modified_by = self._clock(), user_context(caller)
        return {"ModelPackageArn": package.arn}

    def delete_package(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        del self.packages[self.find(caller, params["ModelPackageName"]).arn]
        return {}

    def delete_group(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        group = self._group(caller, params["ModelPackageGroupName"])
        if any(p.group == group.name for p in self.packages.values()):
            raise validation(f"Model Package Group {group.name} still holds model packages.")
        del self.groups[group.arn]
        return {}

    def find(self, caller: Caller, name_or_arn: str) -> Package:
        arn = (
            name_or_arn
            if name_or_arn.startswith("arn:")
            else package_arn(caller.region, caller.account_id, name_or_arn)
        )
        package = self.packages.get(arn.lower())
        if package is None or _account(arn) != caller.account_id:
            raise validation(f"ModelPackage {name_or_arn} does not exist.")
        return package

    def _group(self, caller: Caller, name: str) -> PackageGroup:
        group = self.groups.get(group_arn(caller.region, caller.account_id, name))
        if group is None:
            raise validation(f"Model Package Group {name} does not exist.")
        return group


def _account(arn: str) -> str:
    parts = arn.split(":")
    return parts[4] if len(parts) > 4 else ""
