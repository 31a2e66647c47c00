"""The part of the IAM policies that shares of model package groups need, printed only when
some share in git lists ``model_package_groups``.

- apply: ``ram:CreateResourceShare`` and ``ram:AssociateResourceShare`` for resources of
  type ``sagemaker:ModelPackageGroup`` (``ram:RequestedResourceType``) whose ARN is one of
  the groups the shares select (``ram:ResourceArn``), with the ownership tag (on the new
  share, or on the share changed) and only the principals git names;
  ``ram:DisassociateResourceShare`` of groups from managed shares (a group dropped from git
  is no longer among the selected ones, so that statement names none);
  ``ram:AssociateResourceSharePermission`` with the AWS managed permissions for groups.
  RAM writes the group's resource policy itself (``sagemaker:PutResourcePolicy``, already
  printed for model cards on ``*``, the SAR's only resource for it).
- verify (each consumer role): ``sagemaker:ListModelPackageGroups`` (no resource type in
  the SAR: ``*``), and ``sagemaker:DescribeModelPackage`` on the shared groups' versions in
  the card account (``model-package/<group>/*``, lower case as SageMaker writes it).
"""

from __future__ import annotations

from reconciler.common.arns import GROUP_PERMISSIONS, GROUP_RESOURCE_TYPE
from reconciler.desired.model import DesiredState
from reconciler.diff.shares import selected_groups
from reconciler.iam.scope import Condition, Scope, Statement, statement


def shared_groups(state: DesiredState) -> list[str]:
    """Every model package group some share in git selects, by name."""
    return sorted({g for s in state.shares.values() for g in selected_groups(state, s)})


def group_share_writes(s: Scope, state: DesiredState) -> list[Statement]:
    """What apply needs to share the selected groups, and to unshare groups."""
    if not any(share.groups for share in state.shares.values()):
        return []
    permissions = [s.arn("ram", f"permission/{n}", "", "aws") for n in sorted(GROUP_PERMISSIONS)]
    return [
        *_sharing(s, shared_groups(state)),
        statement(
            "UnshareModelPackageGroupsFromManagedShares",
            ["ram:DisassociateResourceShare"],
            s.shares,
            _with(s.owned(), _of_type()),
        ),
        statement(
            "AttachModelPackageGroupPermissions",
            ["ram:AssociateResourceSharePermission"],
            permissions,
        ),
    ]


def _sharing(s: Scope, names: list[str]) -> list[Statement]:
    """Putting exactly the groups ``names`` into managed shares, for declared principals;
    nothing while the shares select none."""
    if not names:
        return []
    named = _groups(s, names)
    created = _with(s.tagged_request(), named, s.declared_principals(), s.external_sharing())
    added = _with(s.owned(), named, s.declared_principals())
    return [
        statement("CreateSharesOfModelPackageGroups", ["ram:CreateResourceShare"], "*", created),
        statement(
            "ShareModelPackageGroupsWithDeclaredPrincipals",
            ["ram:AssociateResourceShare"],
            s.shares,
            added,
        ),
    ]


def group_share_reads(s: Scope, state: DesiredState) -> list[Statement]:
    """What a consumer role needs for verify to check the groups shared with it."""
    names = shared_groups(state)
    if not names:
        return []
    versions = [s.arn("sagemaker", f"model-package/{n.lower()}/*") for n in names]
    return [
        statement("ListSharedModelPackageGroups", ["sagemaker:ListModelPackageGroups"], "*"),
        statement("DescribeSharedModelVersions", ["sagemaker:DescribeModelPackage"], versions),
    ]


def _of_type() -> Condition:
    return {"StringEquals": {"ram:RequestedResourceType": GROUP_RESOURCE_TYPE}}


def _groups(s: Scope, names: list[str]) -> Condition:
    """The request names model package groups, each one the shares select."""
    arns = [s.arn("sagemaker", f"model-package-group/{n.lower()}") for n in names]
    return _with(_of_type(), {"StringEquals": {"ram:ResourceArn": arns}})


def _with(*conditions: Condition) -> Condition:
    """One condition block of several, the keys of each operator merged."""
    merged: Condition = {}
    for condition in conditions:
        for operator, keys in condition.items():
            merged.setdefault(operator, {}).update(keys)
    return merged
