"""The desired state: what the repository declares, as frozen typed values.

Built only from documents that passed their schema, so constructors here trust shapes
and apply defaults; the meaning-level checks live in ``rules``.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any

from reconciler.common.arns import AWS_MANAGED_PERMISSIONS
from reconciler.common.status import ApprovalStatus, CardStatus
from reconciler.desired.evidence import Source
from reconciler.desired.gates import Requirement
from reconciler.desired.registry import GroupSpec
from reconciler.load.yamlsource import SourceDocument

DEFAULT_TRANSITIONS: Mapping[CardStatus, frozenset[CardStatus]] = MappingProxyType(
    {
        CardStatus.DRAFT: frozenset({CardStatus.PENDING_REVIEW}),
        CardStatus.PENDING_REVIEW: frozenset({CardStatus.APPROVED, CardStatus.DRAFT}),
        CardStatus.APPROVED: frozenset({CardStatus.ARCHIVED, CardStatus.PENDING_REVIEW}),
        CardStatus.ARCHIVED: frozenset(),
    }
)


@dataclass(frozen=True, kw_only=True)
class Account:
    name: str
    id: str
    role_arn: str | None = None
    external: bool = False


@dataclass(frozen=True)
class CustomPermission:
    name: str
    actions: tuple[str, ...]
    description: str | None = None


@dataclass(frozen=True)
class Safety:
    max_update_percent: float = 30.0
    max_delete_percent: float = 10.0
    min_existing: int = 10


@dataclass(frozen=True, kw_only=True)
class Ownership:
    tag_key: str = "managed-by"
    tag_value: str = "reconciler"
    source_tag_key: str = "reconciler-source"
    applied_tag_key: str = "reconciler-applied-at"  # on shares: when apply last changed them


IMPLICIT_TARGET = "default"  # the one target of a repository without targets:
REPLICA_NAME = "{spoke}-{card}"  # how a hub names a spoke's replicas, by default


class Uses(str, Enum):
    """Which of a target's card account roles a command assumes: ``role_arn`` for apply
    and verify; the read-only ``plan_role_arn`` for plan, import and pull; for drift,
    ``drift_role_arn`` (plan's reads plus version history and CloudTrail), else the plan
    role; for fill, ``fill_role_arn`` (reads of the sources cards are filled from), else the
    plan role. Each falls back to ``role_arn``, then to ambient credentials."""

    APPLY = "apply"
    PLAN = "plan"
    DRIFT = "drift"
    FILL = "fill"


@dataclass(frozen=True, kw_only=True)
class TargetSpec:
    """One card account in one region, and where in reconciler.yaml it is declared
    (``path``; empty for the implicit target of a repository without ``targets:``)."""

    name: str
    region: str
    card_account_id: str
    card_role_arn: str | None = None
    plan_role_arn: str | None = None  # for the commands that only read
    drift_role_arn: str | None = None  # for drift: plan's reads, version history, CloudTrail
    fill_role_arn: str | None = None  # for fill: the sources cards are filled from
    hub: str | None = None  # this target is a spoke of that hub target
    replica_name: str = REPLICA_NAME
    trust_live_status: bool = False  # a spoke: replicas take its cards' live status
    replica_status_ceiling: CardStatus = CardStatus.DRAFT  # a spoke: else capped there
    replica_kms_key_id: str | None = None  # a spoke: the hub key for its encrypted cards
    path: tuple[str, ...] = ()

    def role_arn_for(self, uses: Uses) -> str | None:
        """The role a command that ``uses`` this kind of access assumes here, if any."""
        if uses is Uses.DRIFT:
            return self.drift_role_arn or self.plan_role_arn or self.card_role_arn
        if uses is Uses.FILL:
            return self.fill_role_arn or self.plan_role_arn or self.card_role_arn
        if uses is Uses.PLAN:
            return self.plan_role_arn or self.card_role_arn
        return self.card_role_arn

    def replica_of(self, card: str) -> str:
        """The name of this spoke's ``card`` replicated in its hub."""
        return self.replica_name.replace("{spoke}", self.name).replace("{card}", card)

    def replica_source(self, replica: str) -> str | None:
        """The card of this spoke that ``replica`` would be the replica of, if any."""
        pattern = re.escape(self.replica_name.replace("{spoke}", self.name))
        found = re.fullmatch(pattern.replace(re.escape("{card}"), "(.+)", 1), replica)
        return found.group(1) if found else None


@dataclass(frozen=True, kw_only=True)
class Exports:
    """reconciler.yaml's ``exports``: which cards have a PDF in S3, and where."""

    bucket: str
    prefix: str = "model-cards"
    statuses: tuple[CardStatus, ...] = (CardStatus.APPROVED,)

    @property
    def output_path(self) -> str:
        """The S3OutputPath every export job gets; the job adds ``<card>/<job>/``."""
        return f"s3://{self.bucket}/{self.prefix}"


DEFAULT_APPROVAL_MAPPING: Mapping[CardStatus, str | None] = MappingProxyType(
    {
        CardStatus.PENDING_REVIEW: "PendingManualApproval",
        CardStatus.APPROVED: "Approved",
        CardStatus.ARCHIVED: None,
    }
)


@dataclass(frozen=True, kw_only=True)
class Registry:
    """reconciler.yaml's ``registry``: whether a card's model package approval follows it."""

    sync_approval: bool = False
    mapping: Mapping[CardStatus, str | None] = field(
        default_factory=lambda: DEFAULT_APPROVAL_MAPPING
    )

    def approval_for(self, status: CardStatus) -> str | None:
        """The ModelApprovalStatus a card status asks for (None: leave the package as is)."""
        return self.mapping.get(status)


@dataclass(frozen=True, kw_only=True)
class Config:
    region: str
    card_account_id: str
    card_role_arn: str | None = None
    targets: Mapping[str, TargetSpec] = field(default_factory=dict)  # declared or implicit
    target: str = IMPLICIT_TARGET  # the target region and card account above belong to
    accounts: Mapping[str, Account] = field(default_factory=dict)
    permissions: Mapping[str, CustomPermission] = field(default_factory=dict)
    safety: Safety = Safety()
    ownership: Ownership = Ownership()
    transitions: Mapping[CardStatus, frozenset[CardStatus]] = field(
        default_factory=lambda: DEFAULT_TRANSITIONS
    )
    # Promotion gates (``desired.gates``): what a card must hold in each status.
    requirements: Mapping[CardStatus, tuple[Requirement, ...]] = field(default_factory=dict)
    organization_id: str | None = None  # organization.id
    parallelism: int | None = None  # apply.parallelism
    retry_mode: str | None = None  # aws.retry_mode
    max_attempts: int | None = None  # aws.max_attempts
    unmanaged_cards: tuple[str, ...] = ()  # unmanaged.cards: names or globs kept out of git
    exports: Exports | None = None
    registry: Registry = field(default_factory=Registry)
    symlinks_allowed: bool = False  # files.symlinks: allow

    @property
    def declares_targets(self) -> bool:
        """True when reconciler.yaml has ``targets:`` (a single-target repository has not)."""
        return any(t.path for t in self.targets.values())

    def spokes_of(self, hub: str) -> tuple[TargetSpec, ...]:
        """The targets whose hub is ``hub``, by name."""
        return tuple(t for _, t in sorted(self.targets.items()) if t.hub == hub)

    def account_by_id(self, account_id: str) -> Account | None:
        return next((a for a in self.accounts.values() if a.id == account_id), None)

    def kept_out_of_git(self, card_name: str) -> str | None:
        """The ``unmanaged.cards`` pattern that names this card, if one does."""
        return next((p for p in self.unmanaged_cards if fnmatch.fnmatchcase(card_name, p)), None)

    def permission_actions(self, name: str) -> tuple[str, ...]:
        """The actions a share's permission grants: a customer-managed one of
        reconciler.yaml, else an AWS managed one (none for an unknown name), sorted."""
        custom = self.permissions.get(name)
        return tuple(sorted(custom.actions if custom else AWS_MANAGED_PERMISSIONS.get(name, ())))


@dataclass(frozen=True, eq=False, kw_only=True, slots=True)
class CardSpec:
    name: str
    status: CardStatus
    content: Mapping[str, Any]
    file: str
    kms_key_id: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    previous_names: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()  # empty: every target
    gate_exceptions: Mapping[str, str] = field(default_factory=dict)  # requirement id → why
    evidence: tuple[Source, ...] = ()  # what ``reconciler fill`` filled the content from


@dataclass(frozen=True, kw_only=True)
class GroupSelection:
    """A share's ``model_package_groups``: by name and/or by the approval of a version in
    git, with the permission RAM applies to them."""

    names: tuple[str, ...]
    approvals: tuple[ApprovalStatus, ...]
    permission: str

    def selects(self, group: GroupSpec) -> bool:
        """Like cards: with both ``names`` and ``approval``, the group must match both ("these
        groups, once a version of theirs has one of these approvals"); with one, that one."""
        named = not self.names or group.name in self.names
        approved = {v.approval for v in group.versions}
        return named and (not self.approvals or bool(approved & set(self.approvals)))


@dataclass(frozen=True, eq=False, kw_only=True)
class ShareSpec:
    name: str
    principals: tuple[str, ...]
    card_names: tuple[str, ...]
    card_statuses: tuple[CardStatus, ...]
    permission: str
    file: str
    allow_external_principals: bool = False
    allow_external_edits: bool = False
    tags: Mapping[str, str] = field(default_factory=dict)
    previous_names: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()  # empty: every target
    groups: GroupSelection | None = None  # model_package_groups

    def selects(self, card: str, status: CardStatus) -> bool:
        """Whether the share takes a card in this desired status. With both ``names`` and
        ``status`` under ``cards:``, the card must match both ("these cards, once in these
        statuses"); with one of them, that one alone."""
        if not (self.card_names or self.card_statuses):
            return False
        named = not self.card_names or card in self.card_names
        return named and (not self.card_statuses or status in self.card_statuses)


@dataclass(frozen=True, eq=False, kw_only=True)
class ReplicaSpec:
    """A spoke's live card as its hub holds it: the spoke's content, the status review
    allows it (``live.replicas.replica_status``), and the source card's ARN and version
    (kept in tags, so provenance never changes content)."""

    name: str  # the replica's name in the hub
    spoke: str  # the spoke target's name
    source_arn: str
    source_version: int
    status: CardStatus
    content: Mapping[str, Any]
    source_status: CardStatus | None = None  # the spoke card's live status (None: ``status``)
    source_kms_key_id: str | None = None  # the spoke card's customer-managed key, if any


@dataclass(frozen=True, eq=False, kw_only=True)
class DesiredState:
    """Everything the repository declares, with the source documents for positions."""

    config: Config
    cards: Mapping[str, CardSpec]
    shares: Mapping[str, ShareSpec]
    documents: Mapping[str, SourceDocument]
    replicas: Mapping[str, ReplicaSpec] = field(default_factory=dict)  # a hub's, by name
    # A hub's replica names that two spoke cards claim: held back, each with its sources.
    replica_conflicts: Mapping[str, tuple[ReplicaSpec, ...]] = field(default_factory=dict)
    # A hub's spokes' cards in git, by spoke target: their statuses were reviewed.
    spoke_cards: Mapping[str, Mapping[str, CardSpec]] = field(default_factory=dict)
    # Model package groups of registry/, by name, their card_from versions resolved.
    groups: Mapping[str, GroupSpec] = field(default_factory=dict)
