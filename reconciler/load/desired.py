"""The desired state: what the repository declares, as frozen typed values.

Built only from documents that passed their schema, so constructors here trust shapes
and apply defaults; the meaning-level checks live in ``rules``.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from reconciler.load.yamlsource import SourceDocument

STATUSES = ("Draft", "PendingReview", "Approved", "Archived")

AWS_MANAGED_PERMISSIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "AWSRAMPermissionSageMakerModelCards": (
            "sagemaker:DescribeModelCard",
            "sagemaker:ListModelCardVersions",
            "sagemaker:UpdateModelCard",
        ),
        "AWSRAMPermissionSageMakerModelCardsAllowExport": (
            "sagemaker:DescribeModelCard",
            "sagemaker:ListModelCardVersions",
            "sagemaker:UpdateModelCard",
            "sagemaker:CreateModelCardExportJob",
            "sagemaker:DescribeModelCardExportJob",
        ),
    }
)

DEFAULT_TRANSITIONS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "Draft": frozenset({"PendingReview"}),
        "PendingReview": frozenset({"Approved", "Draft"}),
        "Approved": frozenset({"Archived", "PendingReview"}),
        "Archived": frozenset(),
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


@dataclass(frozen=True)
class Ownership:
    tag_key: str = "managed-by"
    tag_value: str = "reconciler"
    source_tag_key: str = "reconciler-source"
    applied_tag_key: str = "reconciler-applied-at"  # on shares: when apply last changed them


@dataclass(frozen=True, kw_only=True)
class Config:
    region: str
    card_account_id: str
    card_role_arn: str | None = None
    accounts: Mapping[str, Account] = field(default_factory=dict)
    permissions: Mapping[str, CustomPermission] = field(default_factory=dict)
    safety: Safety = Safety()
    ownership: Ownership = Ownership()
    transitions: Mapping[str, frozenset[str]] = field(default_factory=lambda: DEFAULT_TRANSITIONS)
    organization_id: str | None = None  # organization.id
    parallelism: int | None = None  # apply.parallelism
    retry_mode: str | None = None  # aws.retry_mode
    max_attempts: int | None = None  # aws.max_attempts
    unmanaged_cards: tuple[str, ...] = ()  # unmanaged.cards: names or globs kept out of git

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


@dataclass(frozen=True, eq=False, kw_only=True)
class CardSpec:
    name: str
    status: str
    content: Mapping[str, Any]
    file: str
    kms_key_id: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    previous_names: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False, kw_only=True)
class ShareSpec:
    name: str
    principals: tuple[str, ...]
    card_names: tuple[str, ...]
    card_statuses: tuple[str, ...]
    permission: str
    file: str
    allow_external_principals: bool = False
    allow_external_edits: bool = False
    tags: Mapping[str, str] = field(default_factory=dict)
    previous_names: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False, kw_only=True)
class DesiredState:
    """Everything the repository declares, with the source documents for positions."""

    config: Config
    cards: Mapping[str, CardSpec]
    shares: Mapping[str, ShareSpec]
    documents: Mapping[str, SourceDocument]


def config_from(data: Mapping[str, Any]) -> Config:
    """Build a Config from a schema-valid reconciler.yaml document."""
    card = data["card_account"]
    accounts = {
        name: Account(
            name=name,
            id=a["id"],
            role_arn=a.get("role_arn"),
            external=bool(a.get("external", False)),
        )
        for name, a in (data.get("accounts") or {}).items()
    }
    permissions = {
        name: CustomPermission(name, tuple(p["actions"]), p.get("description"))
        for name, p in (data.get("permissions") or {}).items()
    }
    transitions = (data.get("lifecycle") or {}).get("transitions")
    return Config(
        region=data["region"],
        card_account_id=card["id"],
        card_role_arn=card.get("role_arn"),
        accounts=accounts,
        permissions=permissions,
        safety=Safety(**(data.get("safety") or {})),
        ownership=Ownership(**(data.get("ownership") or {})),
        transitions=_transitions(transitions) if transitions is not None else DEFAULT_TRANSITIONS,
        organization_id=(data.get("organization") or {}).get("id"),
        parallelism=(data.get("apply") or {}).get("parallelism"),
        retry_mode=(data.get("aws") or {}).get("retry_mode"),
        max_attempts=(data.get("aws") or {}).get("max_attempts"),
        unmanaged_cards=tuple((data.get("unmanaged") or {}).get("cards") or ()),
    )


def _transitions(raw: Mapping[str, list[str]]) -> Mapping[str, frozenset[str]]:
    return MappingProxyType({s: frozenset(raw.get(s, ())) for s in STATUSES})


def card_from(data: Mapping[str, Any], file: str) -> CardSpec:
    """Build a CardSpec from a schema-valid card document."""
    return CardSpec(
        name=data["name"],
        status=data["status"],
        content=data["content"],
        file=file,
        kms_key_id=data.get("kms_key_id"),
        tags=dict(data.get("tags") or {}),
        ignore=tuple(data.get("ignore") or ()),
        previous_names=tuple(data.get("previous_names") or ()),
    )


def share_from(data: Mapping[str, Any], file: str) -> ShareSpec:
    """Build a ShareSpec from a schema-valid share document."""
    cards = data["cards"]
    return ShareSpec(
        name=data["name"],
        principals=tuple(data["principals"]),
        card_names=tuple(cards.get("names") or ()),
        card_statuses=tuple(cards.get("status") or ()),
        permission=data["permission"],
        file=file,
        allow_external_principals=bool(data.get("allow_external_principals", False)),
        allow_external_edits=bool(data.get("allow_external_edits", False)),
        tags=dict(data.get("tags") or {}),
        previous_names=tuple(data.get("previous_names") or ()),
    )
