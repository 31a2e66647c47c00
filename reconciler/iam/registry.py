"""The Model Registry's part of the IAM policies, printed only when the repository has
registry files, and scoped to the groups they declare.

- plan, drift and apply (which plans first): ``sagemaker:DescribeModelPackageGroup`` and
  ``sagemaker:ListTags`` on each declared group (``model-package-group/<name>``, which
  SageMaker writes in lower case), ``sagemaker:ListModelPackages`` and
  ``sagemaker:DescribeModelPackage`` on its versions (``model-package/<name>/*``; the SAR
  gives ListModelPackages the ``model-package`` resource type).
- apply: ``sagemaker:UpdateModelPackage`` on those versions only, and only to the approval
  statuses and lifecycle stages git declares for them: the request keys
  ``sagemaker:ModelApprovalStatus``, ``sagemaker:ModelLifeCycle:Stage`` and
  ``…:StageStatus`` (Service Authorization Reference) under ``StringEqualsIfExists``, so a
  call that leaves them out (a card's content or status) is not narrowed, and one that
  moves a version to a stage or approval no reviewed file names (``Production`` before
  any file says so) is denied even with the apply role's credentials.
- apply, with files that declare ``tags``: ``sagemaker:AddTags`` and
  ``sagemaker:DeleteTags`` on those groups (``group_tag_writes``).
"""

from __future__ import annotations

from reconciler.desired.model import DesiredState
from reconciler.iam.scope import Condition, Scope, Statement, statement


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
    return [
        statement(
            "UpdateModelVersions",
            ["sagemaker:UpdateModelPackage"],
            _versions(s, state),
            _declared_lifecycle(state),
        )
    ]


def _declared_lifecycle(state: DesiredState) -> Condition:
    """The approvals and stages git declares, as the values UpdateModelPackage may set."""
    versions = [v for g in state.groups.values() for v in g.versions]
    keys = {
        "sagemaker:ModelApprovalStatus": {v.approval.value for v in versions if v.approval},
        "sagemaker:ModelLifeCycle:Stage": {v.stage.stage for v in versions if v.stage},
        "sagemaker:ModelLifeCycle:StageStatus": {v.stage.status for v in versions if v.stage},
    }
    condition: Condition = {}
    if declared := {key: sorted(values) for key, values in keys.items() if values}:
        condition["StringEqualsIfExists"] = declared
    # A key no file sets may only be left out of the request ("Null": "true").
    if absent := {key: "true" for key, values in keys.items() if not values}:
        condition["Null"] = absent
    return condition
