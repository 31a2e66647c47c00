"""Consumer-side verification of the model package groups a share holds, as the account
sees them: each group git shares with it is listed as shared with it
(``ListModelPackageGroups`` with ``CrossAccountFilterOption=CrossAccount``), and each
version of it whose approval in git the share selects can be described by its ARN.
Reads only; every value AWS returns is compared, never acted on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from botocore.exceptions import ClientError

from reconciler.aws.session import error_code, pages
from reconciler.aws.waits import WaitFailed, WaitSettings, poll
from reconciler.common.arns import Arns
from reconciler.desired.model import DesiredState, ShareSpec
from reconciler.desired.registry import GroupSpec
from reconciler.diff.shares import selected_groups
from reconciler.live.model import LiveShare, active_entities

DENIED = ("AccessDeniedException", "ResourceNotFound", "ValidationException")


@dataclass(frozen=True, kw_only=True)
class GroupsSeen:
    """The groups the account sees as git shares them, those it does not, and why."""

    visible: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


def groups_seen(
    sagemaker: Any, state: DesiredState, share: ShareSpec, live: LiveShare, settling: WaitSettings
) -> GroupsSeen:
    """Each group git puts in the share, checked as the consumer; only groups the live
    share holds are worth waiting for (``settling``), git may be ahead of the last apply."""
    arns, held = Arns.for_config(state.config), active_entities(live.resources)
    visible, problems = [], []
    for name in selected_groups(state, share):
        waits = settling if arns.group(name) in held else replace(settling, timeout=0)
        problem = _problem(sagemaker, arns, state.groups[name], share, waits)
        if problem is None:
            visible.append(name)
        else:
            held_note = (
                "" if arns.group(name) in held else ": the share does not hold it; run apply"
            )
            problems.append(problem + held_note)
    missing = tuple(n for n in selected_groups(state, share) if n not in visible)
    return GroupsSeen(visible=tuple(visible), missing=missing, problems=tuple(problems))


def _problem(
    sagemaker: Any, arns: Arns, group: GroupSpec, share: ShareSpec, waits: WaitSettings
) -> str | None:
    """Why the account does not see the group as shared, or cannot read a selected
    version of it; None when it does and can."""
    arn = arns.group(group.name)
    try:
        poll(waits, partial(_listed, sagemaker, arn), f"listing {arn} as shared")
    except WaitFailed:
        return f"model package group {group.name} is not listed as shared with the account"
    except ClientError as e:
        return f"cannot list the model package groups shared with the account: {error_code(e)}"
    for number in _selected_versions(group, share):
        if not _describes(sagemaker, arns.model_version(group.name, number)):
            return f"cannot describe version {number} of model package group {group.name}"
    return None


def _selected_versions(group: GroupSpec, share: ShareSpec) -> list[int]:
    """The versions of the group whose approval in git the share selects (every version
    with an approval when it selects by name only)."""
    wanted = share.groups.approvals if share.groups else ()
    return [
        v.number
        for v in group.versions
        if v.approval is not None and (not wanted or v.approval in wanted)
    ]


def _listed(sagemaker: Any, arn: str) -> str | None:
    """ "listed" once the account lists the group as shared with it."""
    found = pages(
        sagemaker.list_model_package_groups,
        "ModelPackageGroupSummaryList",
        "NextToken",
        CrossAccountFilterOption="CrossAccount",
    )
    return "listed" if any(str(g.get("ModelPackageGroupArn", "")) == arn for g in found) else None


def _describes(sagemaker: Any, arn: str) -> bool:
    try:
        sagemaker.describe_model_package(ModelPackageName=arn)
    except ClientError as e:
        if error_code(e) in DENIED:
            return False
        raise
    return True
