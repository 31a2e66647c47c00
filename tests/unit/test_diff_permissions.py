"""diff.permissions: customer-managed RAM permissions declared in reconciler.yaml against
the live ones: created when missing, given a new version when their actions differ, left
alone (with a warning) when someone else owns them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from reconciler.desired.model import DesiredState
from reconciler.diff.permissions import diff_permissions
from reconciler.live.model import LivePermission
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Reason
from reconciler.plan.payloads import CreatePermission, UpdatePermission
from tests.unit.builders import (
    ARNS,
    DESCRIBE,
    LIST_VERSIONS,
    READ_ONLY,
    Planned,
    example,
    permission_as_applied,
    planned,
    with_permission,
)

GIT = example()
APPLIED = {"read-only": permission_as_applied(GIT)}
ADDRESS = Address.permission("read-only")


def live(**changes: Any) -> dict[str, LivePermission]:
    return {"read-only": permission_as_applied(GIT, **changes)}


CHANGES = [
    pytest.param(GIT, APPLIED, [], id="in-sync-plans-nothing"),
    pytest.param(GIT, live(actions=(LIST_VERSIONS, DESCRIBE)), [], id="action-order-is-ignored"),
    pytest.param(
        GIT,
        {},
        [
            Planned(
                address=ADDRESS,
                action=Action.CREATE_PERMISSION,
                reason=Reason.NOT_IN_ACCOUNT,
                payload=CreatePermission(
                    name="read-only",
                    arn=READ_ONLY,
                    actions=(DESCRIBE, LIST_VERSIONS),
                    resource_type="sagemaker:ModelCard",
                    tags={"managed-by": "reconciler", "reconciler-source": "reconciler.yaml"},
                ),
            )
        ],
        id="not-in-account-is-created",
    ),
    pytest.param(
        with_permission(GIT, "read-only", DESCRIBE),
        APPLIED,
        [
            Planned(
                address=ADDRESS,
                action=Action.UPDATE_PERMISSION,
                reason=Reason.ACTIONS_DIFFER,
                payload=UpdatePermission(name="read-only", arn=READ_ONLY, actions=(DESCRIBE,)),
            )
        ],
        id="actions-changed-in-git-get-a-new-version",
    ),
    pytest.param(
        with_permission(GIT, "read-only", LIST_VERSIONS, DESCRIBE),
        live(actions=(DESCRIBE,), version="3"),
        [
            Planned(
                address=ADDRESS,
                action=Action.UPDATE_PERMISSION,
                reason=Reason.ACTIONS_DIFFER,
                payload=UpdatePermission(
                    name="read-only", arn=READ_ONLY, actions=(DESCRIBE, LIST_VERSIONS)
                ),
            )
        ],
        id="actions-changed-live-are-set-back-sorted",
    ),
]


@pytest.mark.parametrize(("git", "live_permissions", "expected"), CHANGES)
def test_changes(
    git: DesiredState, live_permissions: Mapping[str, LivePermission], expected: list[Planned]
) -> None:
    found = diff_permissions(git, live_permissions, ARNS)
    assert (found.errors, found.warnings) == ([], [])
    assert [planned(c) for c in found.changes] == expected


@pytest.mark.parametrize(
    "git",
    [
        pytest.param(GIT, id="same-actions"),
        pytest.param(with_permission(GIT, "read-only", DESCRIBE), id="other-actions"),
    ],
)
def test_an_unmanaged_permission_is_used_as_it_is_with_a_warning(git: DesiredState) -> None:
    found = diff_permissions(git, live(tags={}), ARNS)
    assert found.changes == []
    assert found.warnings == [
        "permission 'read-only' exists but is not managed by the reconciler; shares use it as it is"
    ]
