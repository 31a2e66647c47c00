"""What each kind of drift is called, what it says and how to resolve it: ``drift_kind``
names the drift behind each change a plan would make to undo it, and ``remedy`` says how to
keep or undo a difference of each kind. Pure.

The actions are routed by resource to groups typed by ``Literal``, and each group's match
ends in ``assert_never``: a new action fails mypy until it has a group and a kind.
"""

from __future__ import annotations

from typing import Literal

from typing_extensions import assert_never

from reconciler.plan.model import Action

PermissionAction = Literal[Action.CREATE_PERMISSION, Action.UPDATE_PERMISSION]
CardEdit = Literal[
    Action.UPDATE_CONTENT, Action.UPDATE_STATUS, Action.UPDATE_TAGS, Action.REPLICATE_CARD
]
CardLifecycle = Literal[
    Action.CREATE_CARD,
    Action.REPLACE_CARD,
    Action.DELETE_CARD,
    Action.EXPORT_CARD,
    Action.UPDATE_PACKAGE_APPROVAL,
    Action.UPDATE_VERSION,
]
ShareSetting = Literal[
    Action.CREATE_SHARE, Action.UPDATE_SHARE, Action.SET_PERMISSION, Action.DELETE_SHARE
]
ShareMembers = Literal[
    Action.ASSOCIATE_RESOURCES,
    Action.DISASSOCIATE_RESOURCES,
    Action.ASSOCIATE_PRINCIPALS,
    Action.DISASSOCIATE_PRINCIPALS,
]


def drift_kind(action: Action) -> tuple[str, str]:
    """The drift kind and its summary for a change the plan would make to undo it (each
    group's own match is exhaustive too, so mypy names every place a new action goes)."""
    match action:
        case Action.ADOPT:
            return ("unmanaged", "matches git but not managed yet (imported)")
        case Action.CREATE_PERMISSION | Action.UPDATE_PERMISSION:
            return _permission_drift(action)
        case (
            Action.UPDATE_CONTENT
            | Action.UPDATE_STATUS
            | Action.UPDATE_TAGS
            | Action.REPLICATE_CARD
        ):
            return _card_edit_drift(action)
        case (
            Action.CREATE_CARD
            | Action.REPLACE_CARD
            | Action.DELETE_CARD
            | Action.EXPORT_CARD
            | Action.UPDATE_PACKAGE_APPROVAL
            | Action.UPDATE_VERSION
        ):
            return _card_drift(action)
        case (
            Action.CREATE_SHARE | Action.UPDATE_SHARE | Action.SET_PERMISSION | Action.DELETE_SHARE
        ):
            return _share_drift(action)
        case (
            Action.ASSOCIATE_RESOURCES
            | Action.DISASSOCIATE_RESOURCES
            | Action.ASSOCIATE_PRINCIPALS
            | Action.DISASSOCIATE_PRINCIPALS
        ):
            return _members_drift(action)
        case _:
            assert_never(action)


def _permission_drift(action: PermissionAction) -> tuple[str, str]:
    match action:
        case Action.CREATE_PERMISSION:
            return ("missing_permission", "permission missing in the account")
        case Action.UPDATE_PERMISSION:
            return ("permission", "permission actions changed outside git")
        case _:
            assert_never(action)


def _card_edit_drift(action: CardEdit) -> tuple[str, str]:
    """A managed card changed outside git, or a hub's replica behind its spoke card."""
    match action:
        case Action.UPDATE_CONTENT:
            return ("content", "content edited outside git")
        case Action.UPDATE_STATUS:
            return ("status", "status changed outside git")
        case Action.UPDATE_TAGS:
            return ("tags", "tags changed outside git")
        case Action.REPLICATE_CARD:
            return (
                "replica",
                "hub replica differs from its spoke card (new or changed in the spoke, or "
                "edited in the hub)",
            )
        case _:
            assert_never(action)


def _card_drift(action: CardLifecycle) -> tuple[str, str]:
    """A card missing, replaced or left over, or its audit trail behind its status."""
    match action:
        case Action.CREATE_CARD:
            return (
                "missing_card",
                "declared in git but missing in the account (deleted live, or never applied)",
            )
        case Action.REPLACE_CARD:
            return ("replaced", "KMS key or name differs from git")
        case Action.DELETE_CARD:
            return ("not_in_git", "managed card no longer in git")
        case Action.EXPORT_CARD:
            return ("missing_export", "the card's current version has no PDF export in S3")
        case Action.UPDATE_PACKAGE_APPROVAL:
            return ("package_approval", "the model package's approval does not follow the card")
        case Action.UPDATE_VERSION:
            return (
                "model_version",
                "a model version's card, approval or stage changed outside git",
            )
        case _:
            assert_never(action)


def _share_drift(action: ShareSetting) -> tuple[str, str]:
    """A share missing or left over, or its settings or permission changed."""
    match action:
        case Action.CREATE_SHARE:
            return ("missing_share", "share declared in git but missing in the account")
        case Action.UPDATE_SHARE:
            return ("share_settings", "share settings or tags changed outside git")
        case Action.SET_PERMISSION:
            return ("share_permission", "share permission changed outside git")
        case Action.DELETE_SHARE:
            return ("not_in_git", "managed share no longer in git")
        case _:
            assert_never(action)


def _members_drift(action: ShareMembers) -> tuple[str, str]:
    """Cards or principals a share holds that git does not declare, or lacks."""
    match action:
        case Action.ASSOCIATE_RESOURCES:
            return ("share_resources", "cards missing from the share")
        case Action.DISASSOCIATE_RESOURCES:
            return ("share_resources", "cards in the share that git does not select")
        case Action.ASSOCIATE_PRINCIPALS:
            return (
                "share_principals",
                "principals missing from the share (removed, or an invitation expired or was "
                "rejected)",
            )
        case Action.DISASSOCIATE_PRINCIPALS:
            return ("share_principals", "principals added to the share outside git")
        case _:
            assert_never(action)


def remedy(kind: str) -> str:
    """How to keep a difference of ``kind`` (where git can take it), or undo it."""
    if kind == "content":
        return (
            "keep it: `reconciler pull` writes the live content into git for review; "
            "undo it: `reconciler apply` restores git's value"
        )
    if kind in ("status", "tags"):
        return (
            f"keep it: change the {kind} in its YAML file; undo it: "
            "`reconciler apply` restores git's value"
        )
    if kind == "model_version":
        return (
            "keep it: `reconciler pull --group <group>` writes the live card, approval and "
            "stage into its registry file for review; undo it: `reconciler apply` restores "
            "git's values"
        )
    if kind == "not_in_git":
        return "`reconciler apply --prune` deletes it, or restore its file in git"
    if kind == "replica":
        return "`reconciler apply` on the hub makes the replica hold its spoke card again"
    if kind == "evidence":
        return (
            "`reconciler fill <card>` (or `fill --all`) writes what its sources hold now "
            "into git, for review"
        )
    return "`reconciler apply` restores what git declares"
