"""What the executor needs for each action: one frozen, keyword-only payload class per
action, and nothing else. The diff builds them; the executor reads their fields; the codec
writes them into the JSON plan. No payload carries display text.

``payload_type`` ties each action to its payload class, one kind of resource at a time
(``actions.by_resource``). A new action makes mypy point at those matches (and at the
executor's dispatch) until both know it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from typing_extensions import assert_never

from reconciler.common.status import ApprovalStatus, CardStatus, Lifecycle
from reconciler.plan.actions import AccountAction, Action, CardAction, ShareAction, by_resource


class Service(str, Enum):
    """Which API tags a resource: SageMaker (model cards) or RAM (resource shares)."""

    SAGEMAKER = "sagemaker"
    RAM = "ram"


class MemberKind(str, Enum):
    """The two kinds of RAM share association."""

    RESOURCE = "RESOURCE"
    PRINCIPAL = "PRINCIPAL"

    @property
    def noun(self) -> str:
        return "card" if self is MemberKind.RESOURCE else "principal"

    @property
    def plural(self) -> str:
        """The plan's field name: resources or principals."""
        return "resources" if self is MemberKind.RESOURCE else "principals"


@dataclass(frozen=True, kw_only=True)
class Adopt:
    """Add the ownership tags to a live resource that already matches git."""

    arn: str
    service: Service
    tags: Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class CreatePermission:
    name: str
    arn: str
    actions: tuple[str, ...]
    resource_type: str
    tags: Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class UpdatePermission:
    """A new default version with these actions."""

    name: str
    arn: str
    actions: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class CreateCard:
    name: str
    arn: str
    status: CardStatus
    content: Mapping[str, Any]
    tags: Mapping[str, str]
    kms_key_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class DeleteCard:
    name: str
    arn: str
    status: CardStatus


@dataclass(frozen=True, kw_only=True)
class ReplaceCard:
    """Create one card and delete another (same name: delete first; a rename: create first)."""

    create: CreateCard
    delete: DeleteCard


@dataclass(frozen=True, kw_only=True)
class UpdateContent:
    """The whole content to write: git's, plus the live values of ignored paths."""

    name: str
    arn: str
    content: Mapping[str, Any]


@dataclass(frozen=True, kw_only=True)
class UpdateStatus:
    name: str
    arn: str
    status: CardStatus
    from_status: CardStatus


@dataclass(frozen=True, kw_only=True)
class UpdateTags:
    """Tags to set and keys to remove on a model card."""

    arn: str
    add: Mapping[str, str]
    remove: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class ReplicateCard:
    """Make a hub's replica hold its spoke card: create it, or write what differs (content,
    then status, then the provenance tags; ``None``: already as the source has it)."""

    create: CreateCard | None = None
    content: UpdateContent | None = None
    status: UpdateStatus | None = None
    tags: UpdateTags | None = None


@dataclass(frozen=True, kw_only=True)
class ExportCard:
    """Export one card version, in ``status``, as a PDF into ``output_path`` (an S3 URI).
    ``version`` None: the version this apply writes (read after the card's updates).
    ``attempt`` counts the exports of that version and status already made, so a
    re-export gets a new job name. (A status change keeps the version number in
    SageMaker, so the status is part of what is exported.)"""

    name: str
    version: int | None
    status: CardStatus
    output_path: str
    attempt: int = 1


@dataclass(frozen=True, kw_only=True)
class UpdatePackageApproval:
    """Set a model package's ModelApprovalStatus to follow its card's status."""

    package_arn: str
    card_name: str
    approval: str
    from_approval: str


@dataclass(frozen=True, kw_only=True)
class UpdateVersion:
    """Make a model version hold what git declares, one UpdateModelPackage call each, in
    this order: its card's content, the card's status, the stage, then the approval (so a
    version is approved only once its card is). ``None``: already as git has it."""

    package_arn: str
    content: Mapping[str, Any] | None = None
    card_status: CardStatus | None = None
    from_card_status: CardStatus | None = None
    stage: Lifecycle | None = None
    approval: ApprovalStatus | None = None
    approval_description: str | None = None
    from_approval: ApprovalStatus | None = None


@dataclass(frozen=True, kw_only=True)
class CreateShare:
    """A share with its resources (cards, then model package groups) and principals; the
    permission for its cards, and the one for its groups when it lists any."""

    name: str
    principals: tuple[str, ...]
    resource_arns: tuple[str, ...]
    permission_arn: str
    tags: Mapping[str, str]
    allow_external_principals: bool
    group_permission_arn: str | None = None  # left out of the JSON plan when None


@dataclass(frozen=True, kw_only=True)
class UpdateShare:
    """Settings (``None``: unchanged) and tags of a share."""

    share_arn: str
    name: str | None = None
    allow_external_principals: bool | None = None
    tags_add: Mapping[str, str] | None = None
    tags_remove: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class SetPermission:
    """Attach the permission's default version to the share, replacing what it has."""

    share_arn: str
    permission_arn: str


@dataclass(frozen=True, kw_only=True)
class ChangeMembers:
    """Entities to associate with, or disassociate from, a share."""

    share_arn: str
    kind: MemberKind
    entities: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class DeleteShare:
    share_arn: str
    name: str


Payload = (
    Adopt
    | CreatePermission
    | UpdatePermission
    | CreateCard
    | ReplaceCard
    | UpdateContent
    | UpdateStatus
    | UpdateTags
    | ReplicateCard
    | UpdatePackageApproval
    | UpdateVersion
    | ExportCard
    | CreateShare
    | UpdateShare
    | SetPermission
    | ChangeMembers
    | DeleteShare
    | DeleteCard
)


def payload_type(action: Action) -> type[Payload]:
    """The payload class an action carries."""
    return by_resource(action, account=_account_payload, card=_card_payload, share=_share_payload)


def _account_payload(action: AccountAction) -> type[Payload]:
    match action:
        case Action.ADOPT:
            return Adopt
        case Action.CREATE_PERMISSION:
            return CreatePermission
        case Action.UPDATE_PERMISSION:
            return UpdatePermission
        case _:
            assert_never(action)


def _card_payload(action: CardAction) -> type[Payload]:
    match action:
        case Action.CREATE_CARD:
            return CreateCard
        case Action.REPLACE_CARD:
            return ReplaceCard
        case Action.UPDATE_CONTENT:
            return UpdateContent
        case Action.UPDATE_STATUS:
            return UpdateStatus
        case Action.UPDATE_TAGS:
            return UpdateTags
        case Action.REPLICATE_CARD:
            return ReplicateCard
        case Action.UPDATE_PACKAGE_APPROVAL:
            return UpdatePackageApproval
        case Action.UPDATE_VERSION:
            return UpdateVersion
        case Action.EXPORT_CARD:
            return ExportCard
        case Action.DELETE_CARD:
            return DeleteCard
        case _:
            assert_never(action)


def _share_payload(action: ShareAction) -> type[Payload]:
    match action:
        case Action.CREATE_SHARE:
            return CreateShare
        case Action.UPDATE_SHARE:
            return UpdateShare
        case Action.SET_PERMISSION:
            return SetPermission
        case (
            Action.ASSOCIATE_RESOURCES
            | Action.ASSOCIATE_PRINCIPALS
            | Action.DISASSOCIATE_PRINCIPALS
            | Action.DISASSOCIATE_RESOURCES
        ):
            return ChangeMembers
        case Action.DELETE_SHARE:
            return DeleteShare
        case _:
            assert_never(action)
