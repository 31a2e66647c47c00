"""The Model Registry's part of the IAM policies, printed only when the repository has
registry files, and scoped to the groups they declare.

- plan, drift and apply (which plans first): ``sagemaker:DescribeModelPackageGroup`` and
  ``sagemaker:ListTags`` on each declared group (``model-package-group/<name>``, which
  SageMaker writes in lower case), ``sagemaker:ListModelPackages`` and
  ``sagemaker:DescribeModelPackage`` on its versions (``model-package/<name>/*``; the SAR
  gives ListModelPackages the ``model-package`` resource type).
- apply: ``sagemaker:UpdateModelPackage`` on those versions only, and
  ``sagemaker:AddTags`` and ``sagemaker:DeleteTags`` on the groups whose files declare
  ``tags`` (``group_tag_writes``).
"""

from __future__ import annotations

from reconciler.desired.model import DesiredState
from reconciler.iam.scope import Scope, Statement, statement


def _groups(s: Scope, state: DesiredState) -> list[str]:
    return [s.arn("sagemaker", f"model-package-group/{n.lower()}") for n in sorted(state.groups)]


def _versions(s: Scope, state: DesiredState) -> list[str]:
    return [s.arn("sagemaker", f"model-package/{n.lower()}/*") for n in sorted(state.groups)]


def group_tag_writes(s: Scope, state: DesiredState) -> list[Statement]:
    """What apply writes to keep the tags of the groups whose files declare ``tags``."""
    tagged = sorted(n for n, g in state.groups.items() if g.tags is not None)
    if not tagged:
        return []
    groups = [s.arn("sagemaker", f"model-package-group/{n.lower()}") for n in tagged]
    actions = ["sagemaker:AddTags", "sagemaker:DeleteTags"]
    return [statement("TagModelPackageGroups", actions, groups)]


def registry_reads(s: Scope, state: DesiredState) -> list[Statement]:
    """What plan reads of the declared groups and their versions."""
    if not state.groups:
        return []
    return [
        statement(
            "ReadModelPackageGroups",
            ["sagemaker:DescribeModelPackageGroup", "sagemaker:ListTags"],
            _groups(s, state),
        ),
        statement(
            "ReadModelVersions",
            ["sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"],
            _versions(s, state),
        ),
    ]


def registry_writes(s: Scope, state: DesiredState) -> list[Statement]:
    """What apply writes: the declared groups' versions, through UpdateModelPackage."""
    if not state.groups:
        return []
    return [statement("UpdateModelVersions", ["sagemaker:UpdateModelPackage"], _versions(s, state))]
