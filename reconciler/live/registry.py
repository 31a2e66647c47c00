"""Read the model package groups git declares, and their versions, from SageMaker.

Per group of N versions of which git declares M, a plan makes 2 + ⌈N/100⌉ + M calls:
``DescribeModelPackageGroup`` (description; "does not exist" is a missing group),
``ListTags`` on the group, ``ListModelPackages`` (100 versions a page, with approval and
stage but no card: botocore's ``ModelPackageSummary``), and ``DescribeModelPackage`` for
each declared version that exists, since only Describe returns the embedded card.
``BatchDescribeModelPackage`` (100 a call) returns neither the card nor the stage, and
``Search`` returns both but is eventually consistent, so neither replaces these reads.
Versions git does not declare are listed, never described: they are reported as
unmanaged from their summary alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from botocore.exceptions import ClientError

from reconciler.aws.session import aws_errors, error_code, pages
from reconciler.common.content import parse_content
from reconciler.common.status import Lifecycle
from reconciler.desired.model import DesiredState
from reconciler.desired.registry import GroupSpec
from reconciler.live.model import LiveGroup, LiveVersion
from reconciler.live.sagemaker import identity

PAGE = 100


def read_groups(sagemaker: Any, state: DesiredState) -> dict[str, LiveGroup | None]:
    """Each group of git, as the card account holds it (None: it does not exist)."""
    return {name: read_group(sagemaker, spec) for name, spec in sorted(state.groups.items())}


def read_group(sagemaker: Any, spec: GroupSpec) -> LiveGroup | None:
    """The group of ``spec``, with the versions it declares described."""
    wanted = {v.number for v in spec.versions}
    return _read(sagemaker, spec.name, lambda number: number in wanted)


def read_whole_group(sagemaker: Any, name: str) -> LiveGroup | None:
    """A group git does not declare (for ``import``), every version described: a group of
    N versions costs 2 + ⌈N/100⌉ + N calls."""
    return _read(sagemaker, name, lambda _: True)


def _read(sagemaker: Any, name: str, described: Callable[[int], bool]) -> LiveGroup | None:
    with aws_errors(f"reading model package group {name}"):
        try:
            group = sagemaker.describe_model_package_group(ModelPackageGroupName=name)
        except ClientError as e:
            if error_code(e) == "ValidationException" and "not exist" in str(e).lower():
                return None
            raise
        arn = group["ModelPackageGroupArn"]
        tags = sagemaker.list_tags(ResourceArn=arn).get("Tags", [])
        summaries = pages(
            sagemaker.list_model_packages,
            "ModelPackageSummaryList",
            "NextToken",
            ModelPackageGroupName=name,
            MaxResults=PAGE,
        )
        versions = [
            _version(sagemaker, s, described(s.get("ModelPackageVersion") or 0)) for s in summaries
        ]
    return LiveGroup(
        name=name,
        arn=arn,
        description=group.get("ModelPackageGroupDescription"),
        tags={t["Key"]: t["Value"] for t in tags},
        versions={v.number: v for v in versions},
    )


def _version(sagemaker: Any, summary: Mapping[str, Any], declared: bool) -> LiveVersion:
    listed = LiveVersion(
        number=int(summary.get("ModelPackageVersion") or 0),
        arn=summary["ModelPackageArn"],
        approval=summary.get("ModelApprovalStatus", ""),
        stage=_stage(summary.get("ModelLifeCycle")),
    )
    if not declared:
        return listed
    package = sagemaker.describe_model_package(ModelPackageName=listed.arn)
    card = package.get("ModelCard")
    modified = package.get("LastModifiedTime")
    return LiveVersion(
        number=listed.number,
        arn=listed.arn,
        approval=package.get("ModelApprovalStatus", listed.approval),
        stage=_stage(package.get("ModelLifeCycle")),
        described=True,
        card_status=card.get("ModelCardStatus") if card else None,
        content=parse_content(card.get("ModelCardContent")) if card else None,
        approval_description=package.get("ApprovalDescription"),
        last_modified_by=identity(package.get("LastModifiedBy") or package.get("CreatedBy")),
        last_modified_time=modified.isoformat() if modified else None,
    )


def _stage(raw: Mapping[str, Any] | None) -> Lifecycle | None:
    if not raw:
        return None
    return Lifecycle(
        stage=raw["Stage"], status=raw["StageStatus"], description=raw.get("StageDescription")
    )
