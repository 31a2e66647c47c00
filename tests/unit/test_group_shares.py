"""Model package groups in shares, case by case on built states: which groups a share
selects, what the share diff plans for them, and when apply hands them to RAM."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from reconciler.apply.gate import Gate
from reconciler.common.status import ApprovalStatus
from reconciler.desired.model import DesiredState, GroupSelection
from reconciler.desired.registry import GroupSpec, VersionSpec
from reconciler.diff.shares import desired_resources, diff_shares, selected_groups
from reconciler.live.model import LiveState
from reconciler.normalize.state import normalise
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Reason
from reconciler.plan.payloads import ChangeMembers, MemberKind, SetPermission
from tests.unit.builders import ARNS, applied, associated, example, live_share, share_arn

PENDING, APPROVED = ApprovalStatus.PENDING, ApprovalStatus.APPROVED
READ = "AWSRAMPermissionSageMakerModelPackageGroup"


def group(name: str, *approvals: ApprovalStatus | None) -> GroupSpec:
    versions = tuple(
        VersionSpec(number=i + 1, index=i, approval=a) for i, a in enumerate(approvals)
    )
    return GroupSpec(name=name, file=f"registry/{name}.yaml", versions=versions)


GROUPS = {
    "Churn": group("Churn", PENDING, APPROVED),
    "Fraud": group("Fraud", PENDING),
    "Spam": group("Spam", None),
}


def selecting(names: tuple[str, ...], approvals: tuple[ApprovalStatus, ...]) -> DesiredState:
    """The example with the groups above, and churn-test selecting some of them."""
    state = example()
    chosen = GroupSelection(names=names, approvals=approvals, permission=READ)
    shares = {**state.shares, "churn-test": replace(state.shares["churn-test"], groups=chosen)}
    return replace(state, shares=shares, groups=GROUPS)


@pytest.mark.parametrize(
    ("names", "approvals", "expected"),
    [
        ((), (PENDING,), ["Churn", "Fraud"]),
        ((), (APPROVED,), ["Churn"]),
        (("Fraud", "Spam"), (), ["Fraud", "Spam"]),
        (("Fraud", "Spam"), (APPROVED,), []),
        (("Churn",), (APPROVED, PENDING), ["Churn"]),
    ],
)
def test_a_share_selects_groups_by_name_and_approval_in_git(
    names: tuple[str, ...], approvals: tuple[ApprovalStatus, ...], expected: list[str]
) -> None:
    state = selecting(names, approvals)
    assert selected_groups(state, state.shares["churn-test"]) == expected
    assert selected_groups(state, state.shares["churn-prod"]) == []


def test_groups_follow_the_cards_among_the_resources_in_lower_case() -> None:
    state = selecting(("Churn",), ())
    arns = desired_resources(state, state.shares["churn-test"], ARNS)
    assert arns[-1] == "arn:aws:sagemaker:us-east-1:111111111111:model-package-group/churn"


def plan_for(state: DesiredState, live: LiveState) -> list[tuple[Action, Reason, object]]:
    part = diff_shares(normalise(state, live), ARNS, False)
    return [
        (c.action, c.reason, c.payload)
        for c in part.changes
        if str(c.address) == "share.churn-test"
    ]


def test_a_selected_group_is_associated_under_its_permission() -> None:
    """(The plan runs the permission first: it orders changes by action.)"""
    state = selecting((), (APPROVED,))
    arn, share = ARNS.group("Churn"), share_arn("churn-test")
    assert plan_for(state, applied()) == [
        (
            Action.ASSOCIATE_RESOURCES,
            Reason.MEMBERS_MISSING,
            ChangeMembers(share_arn=share, kind=MemberKind.RESOURCE, entities=(arn,)),
        ),
        (
            Action.SET_PERMISSION,
            Reason.PERMISSION_DIFFERS,
            SetPermission(share_arn=share, permission_arn=ARNS.permission(READ)),
        ),
    ]


def test_a_group_git_stops_selecting_is_disassociated_and_its_permission_left() -> None:
    state = selecting((), (ApprovalStatus.REJECTED,))
    arn, share = ARNS.group("Churn"), share_arn("churn-test")
    held = live_share(
        applied(),
        "churn-test",
        resources=associated(arn),
        group_permission_arns=(ARNS.permission(READ),),
    )
    assert plan_for(state, held) == [
        (
            Action.DISASSOCIATE_RESOURCES,
            Reason.MEMBERS_NOT_SELECTED,
            ChangeMembers(share_arn=share, kind=MemberKind.RESOURCE, entities=(arn,)),
        ),
    ]


def test_a_group_waits_for_every_card_and_version_step_of_the_apply() -> None:
    """A principal is handed out at once; the group only once the card steps are done."""
    gate = Gate({Address.version("Churn", 1)})
    handed: list[list[str]] = []
    entities = [ARNS.group("Churn"), "333333333333"]
    reader = threading.Thread(target=lambda: handed.extend(gate.batches(entities, 1)))
    reader.start()
    gate.finished(Address.version("Churn", 1))
    gate.cards_done()
    reader.join()
    assert handed == [["333333333333"], [ARNS.group("Churn")]]
    assert list(Gate().batches(entities, 100)) == [entities]
