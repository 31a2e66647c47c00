"""Live state as read from AWS, normalised into frozen values the diff can compare.

Server-only fields (times, versions, who changed what) are kept for reports but never
compared; ``content`` is parsed JSON, never the raw string.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from reconciler.common.names import REPLICA_OF
from reconciler.common.status import CardStatus, Lifecycle
from reconciler.desired.model import Ownership


@dataclass(frozen=True, eq=False, kw_only=True, slots=True)
class LiveCard:
    name: str
    arn: str
    status: CardStatus
    version: int
    content: Mapping[str, Any]
    tags: Mapping[str, str]
    kms_key_id: str | None = None
    last_modified_time: str | None = None
    last_modified_by: str | None = None
    processing_status: str | None = None
    confirmed: bool = False  # current: described, or its version listing agrees with Search
    unreadable: bool = False  # its Content is not a JSON object (``content`` is then empty)
    created_by: str | None = None  # who created the card: the author of version 1
    # The card's versions, newest first, when it was confirmed by listing them.
    versions: tuple[VersionSummary, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class VersionSummary:
    """One version as ListModelCardVersions lists it: no author, no content."""

    number: int
    status: CardStatus
    modified_at: str | None


@dataclass(frozen=True, kw_only=True)
class Version:
    """One version of a card from its history (ListModelCardVersions, DescribeModelCard)."""

    number: int
    status: CardStatus
    modified_by: str | None
    modified_at: str | None
    content: Mapping[str, Any]


@dataclass(frozen=True, kw_only=True)
class TrailEvent:
    """One CloudTrail management event (LookupEvents' ``CloudTrailEvent``, parsed)."""

    name: str  # eventName, e.g. DisassociateResourceShare
    source: str  # eventSource, e.g. ram.amazonaws.com
    time: str  # eventTime, ISO 8601
    identity: str | None  # userIdentity.arn
    account: str | None  # userIdentity.accountId: the account the caller belongs to
    parameters: Mapping[str, Any]  # requestParameters
    response: Mapping[str, Any]  # responseElements ({} when absent)


@dataclass(frozen=True, kw_only=True)
class Trail:
    """What CloudTrail said about RAM writes since ``since``: its events, newest first, or
    why it could not say (``problem``: e.g. the lookup was not permitted)."""

    since: str  # ISO 8601: the start of the lookup
    events: tuple[TrailEvent, ...] = ()
    problem: str | None = None


@dataclass(frozen=True, kw_only=True)
class LiveExport:
    """The PDF export of a card's current version: ``uri`` of the PDF when one exists in
    S3; ``jobs`` export jobs of this version so far; ``running`` while one is; ``foreign``
    names a job under one of the reconciler's names that it did not make, and why."""

    version: int
    uri: str | None
    jobs: int = 0
    running: bool = False
    foreign: str | None = None


@dataclass(frozen=True, kw_only=True)
class LivePackage:
    """A model package a card names, as the Model Registry has it."""

    arn: str
    approval: str
    modified_by: str | None = None


@dataclass(frozen=True, kw_only=True)
class UnreadPackage:
    """A model package a card names that AWS would not describe: its error code and
    message (AWS's words about a value git gave, shown as text)."""

    arn: str
    code: str
    message: str


@dataclass(frozen=True, kw_only=True)
class TracedVersion:
    """One live card version and the commit that wrote it (None: not from git)."""

    number: int
    status: CardStatus
    modified_at: str | None
    modified_by: str | None
    commit: str | None


@dataclass(frozen=True, kw_only=True)
class LiveAssociation:
    entity: str  # a card ARN, an account ID or an organization/OU ARN
    status: str
    external: bool = False
    status_message: str | None = None


@dataclass(frozen=True, eq=False, kw_only=True)
class LiveShare:
    name: str
    arn: str
    status: str
    allow_external_principals: bool
    tags: Mapping[str, str]
    resources: tuple[LiveAssociation, ...] = ()
    principals: tuple[LiveAssociation, ...] = ()
    permission_arns: tuple[str, ...] = ()  # for its model cards
    permission_outdated: bool = False  # attached in a version that is not the default
    group_permission_arns: tuple[str, ...] = ()  # for its model package groups


@dataclass(frozen=True, eq=False, kw_only=True)
class LivePermission:
    name: str
    arn: str
    version: str
    actions: tuple[str, ...]
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OrganizationFact:
    """What Organizations said of the card account: ``readable`` is False when the
    identity may not ask; ``id`` is None when the account is in no Organization."""

    readable: bool
    id: str | None


@dataclass(frozen=True, kw_only=True)
class LiveVersion:
    """A model version: from ``ListModelPackages`` (approval, stage), and for the versions
    git declares also from ``DescribeModelPackage`` (``described``: the card, who last
    changed it and when)."""

    number: int
    arn: str
    approval: str
    stage: Lifecycle | None = None
    described: bool = False
    card_status: str | None = None
    content: Mapping[str, Any] | None = None  # None: the version has no card
    approval_description: str | None = None
    last_modified_by: str | None = None
    last_modified_time: str | None = None


@dataclass(frozen=True, kw_only=True)
class LiveGroup:
    """A model package group and its versions, by number."""

    name: str
    arn: str
    description: str | None
    tags: Mapping[str, str]
    versions: Mapping[int, LiveVersion]


@dataclass(frozen=True, eq=False, kw_only=True)
class LiveState:
    cards: Mapping[str, LiveCard]
    shares: Mapping[str, LiveShare]  # by share name; shares in DELETING/DELETED are left out
    permissions: Mapping[str, LivePermission]
    organization: OrganizationFact | None = None  # read only when reconciler.yaml names one
    exports: Mapping[str, LiveExport] = field(default_factory=dict)  # by card name
    # by ARN; None: it does not exist
    packages: Mapping[str, LivePackage | UnreadPackage | None] = field(default_factory=dict)
    # The model package groups git declares, by name; None: it does not exist
    groups: Mapping[str, LiveGroup | None] = field(default_factory=dict)

    @cached_property
    def accounts_inside_organization(self) -> frozenset[str]:
        """Accounts AWS has shown to be in the card account's Organization: RAM associated
        them with a share and did not call them external."""
        return frozenset(
            a.entity
            for s in self.shares.values()
            for a in s.principals
            if a.status == "ASSOCIATED" and not a.external and a.entity.isdigit()
        )


def is_managed(tags: Mapping[str, str], ownership: Ownership) -> bool:
    """True when the ownership tag says the reconciler created the resource."""
    return tags.get(ownership.tag_key) == ownership.tag_value


ACTIVE_ASSOCIATION = frozenset({"ASSOCIATING", "ASSOCIATED"})


def active_entities(associations: tuple[LiveAssociation, ...]) -> frozenset[str]:
    """Entities whose association is in force or on its way there."""
    return frozenset(a.entity for a in associations if a.status in ACTIVE_ASSOCIATION)


def is_replica(card: LiveCard, own: Ownership) -> bool:
    """True for a managed card that records the spoke card it replicates (a hub's copy,
    which ``diff.replicas`` owns)."""
    return is_managed(card.tags, own) and REPLICA_OF in card.tags
