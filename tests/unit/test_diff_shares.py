"""diff.shares: what the share diff plans, case by case, on built states.

Each row is git against live and the changes planned for one share: action, reason,
typed payload, guards. ``LIVE`` is the example as applied (the card is a Draft, so only
churn-dev holds it), so a row changes one thing on one side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from reconciler.common.diagnostics import Position
from reconciler.common.status import CardStatus
from reconciler.desired.model import DesiredState
from reconciler.diff.shares import diff_shares, selected_cards
from reconciler.live.model import LiveAssociation, LiveState
from reconciler.normalize.state import normalise
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Guard, PlanPart, Reason
from reconciler.plan.payloads import (
    Adopt,
    ChangeMembers,
    CreateShare,
    DeleteShare,
    MemberKind,
    Payload,
    Service,
    SetPermission,
    UpdateShare,
)
from tests.unit.builders import (
    ARNS,
    CARD,
    CARD_ARN,
    DEV,
    EMPTY,
    MANAGED,
    PROD,
    READ_ONLY,
    TEST,
    Planned,
    applied,
    associated,
    example,
    live_share,
    live_with,
    owned,
    planned,
    share_arn,
    share_as_applied,
    with_card,
    with_share,
)

GIT = example()
LIVE = applied(GIT)
OUTSIDER = "999999999999"  # not declared in reconciler.yaml: outside the Organization


@dataclass(frozen=True)
class Run:
    """How the share diff is called: --prune, and permissions getting a new version."""

    prune: bool = False
    updating: frozenset[str] = frozenset()


PLAIN, PRUNING, RENEWING = Run(), Run(prune=True), Run(updating=frozenset({"read-only"}))


def shares_diff(git: DesiredState, live: LiveState, run: Run = PLAIN) -> PlanPart:
    return diff_shares(normalise(git, live), ARNS, run.prune, run.updating)


def change(
    share: str, action: Action, reason: Reason, payload: Payload, *guards: Guard, note: str = ""
) -> Planned:
    return Planned(
        address=Address.share(share),
        action=action,
        reason=reason,
        payload=payload,
        guards=guards,
        guard_note=note,
    )


_MEMBERS = {
    (MemberKind.RESOURCE, True): (Action.ASSOCIATE_RESOURCES, Reason.MEMBERS_MISSING),
    (MemberKind.RESOURCE, False): (Action.DISASSOCIATE_RESOURCES, Reason.MEMBERS_NOT_SELECTED),
    (MemberKind.PRINCIPAL, True): (Action.ASSOCIATE_PRINCIPALS, Reason.MEMBERS_MISSING),
    (MemberKind.PRINCIPAL, False): (Action.DISASSOCIATE_PRINCIPALS, Reason.MEMBERS_NOT_SELECTED),
}


def added(share: str, kind: MemberKind, entity: str, *guards: Guard, note: str = "") -> Planned:
    action, reason = _MEMBERS[kind, True]
    payload = ChangeMembers(share_arn=share_arn(share), kind=kind, entities=(entity,))
    return change(share, action, reason, payload, *guards, note=note)


def removed(share: str, kind: MemberKind, entity: str) -> Planned:
    action, reason = _MEMBERS[kind, False]
    payload = ChangeMembers(share_arn=share_arn(share), kind=kind, entities=(entity,))
    return change(share, action, reason, payload)


def permission_set(reason: Reason) -> Planned:
    """churn-prod gets read-only (again)."""
    payload = SetPermission(share_arn=share_arn("churn-prod"), permission_arn=READ_ONLY)
    return change("churn-prod", Action.SET_PERMISSION, reason, payload)


def updated(share: str, reason: Reason, *guards: Guard, arn_of: str = "", **fields: Any) -> Planned:
    """UpdateShare of ``share`` (live under ``arn_of`` when renamed) with ``fields``."""
    payload = UpdateShare(share_arn=share_arn(arn_of or share), **fields)
    return change(share, Action.UPDATE_SHARE, reason, payload, *guards)


def old_share(**changes: object) -> LiveState:
    """``LIVE`` plus a share git no longer declares."""
    share = share_as_applied(
        GIT, GIT.shares["churn-test"], name="churn-old", arn=share_arn("churn-old"), **changes
    )
    return live_with(LIVE, shares=(share,))


CHANGES = [
    pytest.param(GIT, LIVE, PLAIN, [], id="in-sync-plans-nothing"),
    pytest.param(
        GIT,
        EMPTY,
        PLAIN,
        [
            change(
                "churn-dev",
                Action.CREATE_SHARE,
                Reason.NOT_IN_ACCOUNT,
                CreateShare(
                    name="churn-dev",
                    principals=(DEV,),
                    resource_arns=(CARD_ARN,),
                    permission_arn=MANAGED,
                    tags=owned("shares/churn-dev.yaml", {"purpose": "development"}),
                    allow_external_principals=True,
                ),
                Guard.OPENS_SHARE,
            )
        ],
        id="created-open-to-external-principals-needs-force",
    ),
    pytest.param(
        GIT,
        EMPTY,
        PLAIN,
        [
            change(
                "churn-prod",
                Action.CREATE_SHARE,
                Reason.NOT_IN_ACCOUNT,
                CreateShare(
                    name="churn-prod",
                    principals=(PROD,),
                    resource_arns=(),
                    permission_arn=READ_ONLY,
                    tags=owned("shares/churn-prod.yaml", {"purpose": "production"}),
                    allow_external_principals=False,
                ),
            )
        ],
        id="created-inside-the-organization",
    ),
    pytest.param(
        with_card(GIT, status="PendingReview"),
        LIVE,
        PLAIN,
        [added("churn-test", MemberKind.RESOURCE, CARD_ARN)],
        id="card-promoted-in-git-is-added",
    ),
    pytest.param(
        GIT,
        live_share(LIVE, "churn-prod", resources=associated(CARD_ARN)),
        PLAIN,
        [removed("churn-prod", MemberKind.RESOURCE, CARD_ARN)],
        id="card-no-longer-selected-is-removed",
    ),
    pytest.param(
        GIT,
        live_share(LIVE, "churn-dev", resources=associated(CARD_ARN, status="DISASSOCIATING")),
        PLAIN,
        [added("churn-dev", MemberKind.RESOURCE, CARD_ARN)],
        id="card-being-disassociated-is-added-again",
    ),
    pytest.param(
        with_share(GIT, "churn-test", principals=("test", "prod")),
        LIVE,
        PLAIN,
        [added("churn-test", MemberKind.PRINCIPAL, PROD)],
        id="account-in-the-organization-is-added",
    ),
    pytest.param(
        GIT,
        live_share(LIVE, "churn-test", principals=associated(TEST, PROD)),
        PLAIN,
        [removed("churn-test", MemberKind.PRINCIPAL, PROD)],
        id="account-no-longer-in-git-is-removed",
    ),
    pytest.param(
        with_share(GIT, "churn-dev", principals=("dev", OUTSIDER)),
        LIVE,
        PLAIN,
        [added("churn-dev", MemberKind.PRINCIPAL, OUTSIDER, Guard.OPENS_SHARE, note=OUTSIDER)],
        id="outside-account-added-opens-the-share",
    ),
    pytest.param(
        GIT,
        live_share(LIVE, "churn-dev", principals=associated(DEV, status="FAILED")),
        PLAIN,
        [added("churn-dev", MemberKind.PRINCIPAL, DEV)],
        id="failed-invitation-is-sent-again-without-force",
    ),
    pytest.param(
        GIT,
        live_share(LIVE, "churn-prod", permission_arns=(MANAGED,)),
        PLAIN,
        [permission_set(Reason.PERMISSION_DIFFERS)],
        id="other-permission-is-replaced",
    ),
    pytest.param(
        GIT,
        live_share(LIVE, "churn-prod", permission_outdated=True),
        PLAIN,
        [permission_set(Reason.PERMISSION_OUTDATED)],
        id="old-permission-version-is-replaced-by-the-default",
    ),
    pytest.param(
        GIT,
        LIVE,
        RENEWING,
        [permission_set(Reason.PERMISSION_RENEWED)],
        id="permission-getting-a-new-version-is-attached-again",
    ),
    pytest.param(
        with_share(GIT, "churn-test", tags={"purpose": "qa"}),
        LIVE,
        PLAIN,
        [updated("churn-test", Reason.TAGS_DIFFER, tags_add={"purpose": "qa"})],
        id="tag-changed-in-git",
    ),
    pytest.param(
        GIT,
        live_share(
            LIVE,
            "churn-test",
            tags={**owned("shares/churn-test.yaml", {"purpose": "testing"}), "owner": "ana"},
        ),
        PLAIN,
        [updated("churn-test", Reason.TAGS_DIFFER, tags_add={}, tags_remove=("owner",))],
        id="tag-added-live-is-removed",
    ),
    pytest.param(
        with_share(GIT, "churn-test", name="churn-staging", previous_names=("churn-test",)),
        LIVE,
        PLAIN,
        [
            updated(
                "churn-staging", Reason.SETTINGS_DIFFER, arn_of="churn-test", name="churn-staging"
            )
        ],
        id="renamed-in-place",
    ),
    pytest.param(
        with_share(GIT, "churn-prod", allow_external_principals=True),
        LIVE,
        PLAIN,
        [
            updated(
                "churn-prod",
                Reason.SETTINGS_DIFFER,
                Guard.OPENS_SHARE,
                allow_external_principals=True,
            )
        ],
        id="allowing-external-principals-needs-force",
    ),
    pytest.param(
        GIT,
        live_share(LIVE, "churn-prod", allow_external_principals=True),
        PLAIN,
        [updated("churn-prod", Reason.SETTINGS_DIFFER, allow_external_principals=False)],
        id="closing-to-external-principals-needs-nothing",
    ),
    pytest.param(
        GIT,
        old_share(),
        PRUNING,
        [
            change(
                "churn-old",
                Action.DELETE_SHARE,
                Reason.NOT_IN_GIT,
                DeleteShare(share_arn=share_arn("churn-old"), name="churn-old"),
                Guard.DELETES,
            )
        ],
        id="prune-deletes-a-managed-share-not-in-git",
    ),
    pytest.param(
        GIT,
        old_share(tags={"purpose": "testing"}),
        PRUNING,
        [],
        id="prune-never-deletes-an-unmanaged-share",
    ),
]


@pytest.mark.parametrize(("git", "live", "run", "expected"), CHANGES)
def test_changes(git: DesiredState, live: LiveState, run: Run, expected: list[Planned]) -> None:
    """The changes to the shares ``expected`` names (to every share when it is empty)."""
    found = shares_diff(git, live, run)
    assert (found.errors, found.warnings, found.adoptions) == ([], [], [])
    addresses = {e.address for e in expected} or {c.address for c in found.changes}
    assert [planned(c) for c in found.changes if c.address in addresses] == expected


def test_a_first_plan_touches_every_share_and_nothing_else() -> None:
    found = shares_diff(GIT, EMPTY)
    assert [(c.address, c.action) for c in found.changes] == [
        (Address.share("churn-dev"), Action.CREATE_SHARE),
        (Address.share("churn-prod"), Action.CREATE_SHARE),
        (Address.share("churn-test"), Action.CREATE_SHARE),
    ]


def test_a_failed_association_is_added_again_with_its_status_in_the_detail() -> None:
    failed = LiveAssociation(entity=DEV, status="FAILED", status_message="invitation expired")
    (added,) = shares_diff(GIT, live_share(LIVE, "churn-dev", principals=(failed,))).changes
    assert added.detail == f"1 principal to add; {DEV} is FAILED (invitation expired)"


def test_a_managed_share_not_in_git_is_a_warning_without_prune() -> None:
    found = shares_diff(GIT, old_share())
    assert found.changes == []
    assert found.warnings == [
        "share 'churn-old' is managed but no longer in git: plan with --prune to delete it"
    ]


def test_a_renamed_share_is_neither_deleted_nor_warned_about() -> None:
    git = with_share(GIT, "churn-test", name="churn-staging", previous_names=("churn-test",))
    found = shares_diff(git, LIVE, PRUNING)
    assert found.warnings == []
    assert [c.action for c in found.changes] == [Action.UPDATE_SHARE]


def test_an_unmanaged_share_that_differs_from_git_is_a_plan_error() -> None:
    live = live_share(LIVE, "churn-test", tags={"purpose": "testing"}, principals=())
    found = shares_diff(GIT, live)
    assert [(e.file, e.code, e.path, e.position) for e in found.errors] == [
        ("shares/churn-test.yaml", "unmanaged-share", "$.name", Position(2, 7))
    ]
    assert [c for c in found.changes if c.address == Address.share("churn-test")] == []


def test_an_unmanaged_share_that_matches_git_is_adopted() -> None:
    found = shares_diff(GIT, live_share(LIVE, "churn-test", tags={"purpose": "testing"}))
    assert (found.changes, found.errors) == ([], [])
    adopt = Adopt(
        arn=share_arn("churn-test"), service=Service.RAM, tags=owned("shares/churn-test.yaml")
    )
    assert [planned(a) for a in found.adoptions] == [
        change("churn-test", Action.ADOPT, Reason.IMPORTED, adopt)
    ]


# -- a share that names cards and statuses -----------------------------------------------


def test_a_share_naming_a_card_and_statuses_takes_the_card_only_in_those_statuses() -> None:
    """`cards: {names: [X], status: [Approved]}` means "X, once Approved": prod, read-only,
    must not see X while it is a Draft (it did: the keys were a union)."""
    git = with_share(GIT, "churn-prod", card_names=(CARD,), card_statuses=(CardStatus.APPROVED,))
    found = shares_diff(git, LIVE)
    assert [c for c in found.changes if c.address == Address.share("churn-prod")] == []
    approved = with_card(git, status=CardStatus.APPROVED)
    (association,) = [
        c for c in shares_diff(approved, LIVE).changes if c.address.name == "churn-prod"
    ]
    assert association.action is Action.ASSOCIATE_RESOURCES


def test_a_card_no_longer_matching_both_keys_is_taken_out_of_the_share() -> None:
    """A share prod held the card in (the union of before) disassociates it while the
    card is a Draft: the plan shows the association it removes."""
    git = with_share(GIT, "churn-prod", card_names=(CARD,), card_statuses=(CardStatus.APPROVED,))
    held = live_share(LIVE, "churn-prod", resources=associated(CARD_ARN))
    (removal,) = [c for c in shares_diff(git, held).changes if c.address.name == "churn-prod"]
    assert (removal.action, removal.reason) == (
        Action.DISASSOCIATE_RESOURCES,
        Reason.MEMBERS_NOT_SELECTED,
    )
    assert removal.payload == ChangeMembers(
        share_arn=share_arn("churn-prod"), kind=MemberKind.RESOURCE, entities=(CARD_ARN,)
    )


@pytest.mark.parametrize(
    ("names", "statuses", "selected"),
    [
        pytest.param(("Customer-Churn-Model-Card",), (), True, id="names-only"),
        pytest.param((), ("Draft",), True, id="statuses-only"),
        pytest.param(("Customer-Churn-Model-Card",), ("Draft",), True, id="both-match"),
        pytest.param(("Customer-Churn-Model-Card",), ("Approved",), False, id="status-differs"),
        pytest.param(("Other-Card",), ("Draft",), False, id="name-differs"),
    ],
)
def test_one_key_selects_alone_and_two_keys_select_together(
    names: tuple[str, ...], statuses: tuple[str, ...], selected: bool
) -> None:
    git = with_share(
        GIT,
        "churn-prod",
        card_names=names,
        card_statuses=tuple(CardStatus(s) for s in statuses),
    )
    assert (CARD in selected_cards(git, git.shares["churn-prod"])) is selected
