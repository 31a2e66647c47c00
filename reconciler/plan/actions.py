"""The closed sets a plan is made of: actions, why a change is planned, which guards it
trips, and the flags that allow it. Display text is derived from these values; only the
values themselves are part of a plan's checksum.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Literal, TypeVar

from typing_extensions import assert_never

ChangeKind = Literal["adopt", "create", "update", "replace", "delete"]
T = TypeVar("T")


class Action(str, Enum):
    """Everything the reconciler can do. Declared in execution order."""

    ADOPT = "adopt"
    CREATE_PERMISSION = "create_permission"
    UPDATE_PERMISSION = "update_permission"
    CREATE_CARD = "create_card"
    REPLACE_CARD = "replace_card"
    UPDATE_CONTENT = "update_content"
    UPDATE_STATUS = "update_status"
    UPDATE_TAGS = "update_tags"
    REPLICATE_CARD = "replicate_card"
    UPDATE_PACKAGE_APPROVAL = "update_package_approval"
    UPDATE_VERSION = "update_version"
    EXPORT_CARD = "export_card"
    CREATE_SHARE = "create_share"
    UPDATE_SHARE = "update_share"
    SET_PERMISSION = "set_permission"
    ASSOCIATE_RESOURCES = "associate_resources"
    ASSOCIATE_PRINCIPALS = "associate_principals"
    DISASSOCIATE_PRINCIPALS = "disassociate_principals"
    DISASSOCIATE_RESOURCES = "disassociate_resources"
    DELETE_SHARE = "delete_share"
    DELETE_CARD = "delete_card"

    @property
    def kind(self) -> ChangeKind:
        """What the action does to its resource, for summaries and symbols."""
        return by_resource(self, account=_account_kind, card=_card_kind, share=_share_kind)

    @property
    def order(self) -> int:
        return _ORDER[self]


_ORDER = {action: i for i, action in enumerate(Action)}

# The actions on each kind of resource, so that a match over actions can be written one
# kind at a time and still be checked for exhaustiveness by mypy (``by_resource``).
AccountAction = Literal[Action.ADOPT, Action.CREATE_PERMISSION, Action.UPDATE_PERMISSION]
CardAction = Literal[
    Action.CREATE_CARD,
    Action.REPLACE_CARD,
    Action.UPDATE_CONTENT,
    Action.UPDATE_STATUS,
    Action.UPDATE_TAGS,
    Action.REPLICATE_CARD,
    Action.UPDATE_PACKAGE_APPROVAL,
    Action.UPDATE_VERSION,
    Action.EXPORT_CARD,
    Action.DELETE_CARD,
]
ShareAction = Literal[
    Action.CREATE_SHARE,
    Action.UPDATE_SHARE,
    Action.SET_PERMISSION,
    Action.ASSOCIATE_RESOURCES,
    Action.ASSOCIATE_PRINCIPALS,
    Action.DISASSOCIATE_PRINCIPALS,
    Action.DISASSOCIATE_RESOURCES,
    Action.DELETE_SHARE,
]


def by_resource(
    action: Action,
    *,
    account: Callable[[AccountAction], T],
    card: Callable[[CardAction], T],
    share: Callable[[ShareAction], T],
) -> T:
    """``action`` handed to the function for its kind of resource, which matches that kind
    to the end (``assert_never``). A new action makes mypy point here until it has a kind."""
    match action:
        case Action.ADOPT | Action.CREATE_PERMISSION | Action.UPDATE_PERMISSION:
            return account(action)
        case (
            Action.CREATE_SHARE
            | Action.UPDATE_SHARE
            | Action.SET_PERMISSION
            | Action.ASSOCIATE_RESOURCES
            | Action.ASSOCIATE_PRINCIPALS
            | Action.DISASSOCIATE_PRINCIPALS
            | Action.DISASSOCIATE_RESOURCES
            | Action.DELETE_SHARE
        ):
            return share(action)
        case _:
            return card(action)


def _account_kind(action: AccountAction) -> ChangeKind:
    match action:
        case Action.ADOPT:
            return "adopt"
        case Action.CREATE_PERMISSION:
            return "create"
        case Action.UPDATE_PERMISSION:
            return "update"
        case _:
            assert_never(action)


def _card_kind(action: CardAction) -> ChangeKind:
    match action:
        case Action.CREATE_CARD:
            return "create"
        case Action.REPLACE_CARD:
            return "replace"
        case Action.DELETE_CARD:
            return "delete"
        case (
            Action.UPDATE_CONTENT
            | Action.UPDATE_STATUS
            | Action.UPDATE_TAGS
            | Action.REPLICATE_CARD
            | Action.UPDATE_PACKAGE_APPROVAL
            | Action.UPDATE_VERSION
            | Action.EXPORT_CARD
        ):
            return "update"
        case _:
            assert_never(action)


def _share_kind(action: ShareAction) -> ChangeKind:
    match action:
        case Action.CREATE_SHARE:
            return "create"
        case Action.DELETE_SHARE:
            return "delete"
        case (
            Action.UPDATE_SHARE
            | Action.SET_PERMISSION
            | Action.ASSOCIATE_RESOURCES
            | Action.ASSOCIATE_PRINCIPALS
            | Action.DISASSOCIATE_PRINCIPALS
            | Action.DISASSOCIATE_RESOURCES
        ):
            return "update"
        case _:
            assert_never(action)


class Flag(str, Enum):
    """Command-line flags a change may need before apply runs it. In display order."""

    PRUNE = "prune"
    FORCE = "force"


class Guard(str, Enum):
    """Why a change needs a flag: each guard names the flag that allows it."""

    DELETES = "deletes"
    REPLACES_CARD = "replaces_card"
    ARCHIVES_APPROVED = "archives_approved"
    DELETES_APPROVED = "deletes_approved"
    OPENS_SHARE = "opens_share"
    UNAPPROVES_PACKAGE = "unapproves_package"

    @property
    def flag(self) -> Flag:
        return Flag.PRUNE if self is Guard.DELETES else Flag.FORCE

    @property
    def text(self) -> str:
        match self:
            case Guard.DELETES:
                return "it deletes a resource"
            case Guard.REPLACES_CARD:
                return (
                    "replacing a card deletes it, and its version history, before creating it anew"
                )
            case Guard.ARCHIVES_APPROVED:
                return "it archives an Approved card"
            case Guard.DELETES_APPROVED:
                return "it deletes an Approved card"
            case Guard.OPENS_SHARE:
                return "it opens the share to principals outside the Organization"
            case Guard.UNAPPROVES_PACKAGE:
                return "it takes an Approved model package out of Approved"
            case _:
                assert_never(self)


class Reason(str, Enum):
    """Why a change is planned. The plan shows a sentence built for each change beside it."""

    NOT_IN_ACCOUNT = "not_in_account"
    RENAMED = "renamed"
    RENAME_LEFTOVER = "rename_leftover"
    KMS_KEY_CHANGED = "kms_key_changed"
    IMPORTED = "imported"
    CONTENT_DIFFERS = "content_differs"
    STATUS_DIFFERS = "status_differs"
    TAGS_DIFFER = "tags_differ"
    SETTINGS_DIFFER = "settings_differ"
    ACTIONS_DIFFER = "actions_differ"
    PERMISSION_DIFFERS = "permission_differs"
    PERMISSION_RENEWED = "permission_renewed"
    PERMISSION_OUTDATED = "permission_outdated"
    MEMBERS_MISSING = "members_missing"
    MEMBERS_NOT_SELECTED = "members_not_selected"
    NOT_IN_GIT = "not_in_git"
    SOURCE_NEW = "source_new"  # a spoke card the hub holds no replica of
    SOURCE_UPDATED = "source_updated"  # the spoke card has a version the replica lacks
    SOURCE_STATUS = "source_status"  # the spoke card has another status than its replica
    REPLICA_EDITED = "replica_edited"  # the replica differs from the version it records
    SOURCE_GONE = "source_gone"  # the replica's spoke card no longer exists
    EXPORT_MISSING = "export_missing"
    APPROVAL_DIFFERS = "approval_differs"
    VERSION_DIFFERS = "version_differs"  # a model version's card, approval or stage
