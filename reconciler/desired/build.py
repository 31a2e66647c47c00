"""The desired state built from documents that passed their schema: constructors here
trust shapes and apply defaults; the meaning-level checks live in ``validate.rules``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from reconciler.common.status import ApprovalStatus, CardStatus
from reconciler.desired.evidence import source_from
from reconciler.desired.gates import Requirement
from reconciler.desired.model import (
    DEFAULT_APPROVAL_MAPPING,
    DEFAULT_TRANSITIONS,
    IMPLICIT_TARGET,
    REPLICA_NAME,
    Account,
    CardSpec,
    Config,
    CustomPermission,
    Exports,
    GroupSelection,
    Ownership,
    Registry,
    Safety,
    ShareSpec,
    TargetSpec,
)


def config_from(data: Mapping[str, Any]) -> Config:
    """Build a Config from a schema-valid reconciler.yaml document. With ``targets:``, the
    top-level region and card account are the first target's until ``for_target`` (in
    ``desired.targets``) picks one."""
    targets = _targets(data)
    first = targets[min(targets)]
    return Config(
        region=first.region,
        card_account_id=first.card_account_id,
        card_role_arn=first.card_role_arn,
        targets=targets,
        target=first.name,
        accounts=_accounts(_section(data, "accounts")),
        permissions=_permissions(_section(data, "permissions")),
        safety=Safety(**_section(data, "safety")),
        ownership=Ownership(**_section(data, "ownership")),
        transitions=_transitions(_section(data, "lifecycle").get("transitions")),
        requirements=_requirements(_section(data, "lifecycle").get("requirements") or {}),
        organization_id=_section(data, "organization").get("id"),
        parallelism=_section(data, "apply").get("parallelism"),
        retry_mode=_section(data, "aws").get("retry_mode"),
        max_attempts=_section(data, "aws").get("max_attempts"),
        unmanaged_cards=tuple(_section(data, "unmanaged").get("cards") or ()),
        exports=_exports(data.get("exports")),
        registry=_registry(data.get("registry")),
        symlinks_allowed=_section(data, "files").get("symlinks") == "allow",
    )


def _section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """A top-level mapping of reconciler.yaml; empty when absent or null."""
    return data.get(key) or {}


def _accounts(raw: Mapping[str, Any]) -> dict[str, Account]:
    return {
        name: Account(
            name=name,
            id=a["id"],
            role_arn=a.get("role_arn"),
            external=bool(a.get("external", False)),
        )
        for name, a in raw.items()
    }


def _permissions(raw: Mapping[str, Any]) -> dict[str, CustomPermission]:
    return {
        name: CustomPermission(name, tuple(p["actions"]), p.get("description"))
        for name, p in raw.items()
    }


def _exports(raw: Mapping[str, Any] | None) -> Exports | None:
    if raw is None:
        return None
    statuses = tuple(CardStatus(s) for s in raw.get("statuses") or (CardStatus.APPROVED,))
    return Exports(bucket=raw["bucket"], prefix=raw.get("prefix", "model-cards"), statuses=statuses)


def _registry(raw: Mapping[str, Any] | None) -> Registry:
    raw = raw or {}
    given = {CardStatus(s): v for s, v in (raw.get("mapping") or {}).items()}
    mapping = {**DEFAULT_APPROVAL_MAPPING, **given}
    return Registry(
        sync_approval=bool(raw.get("sync_approval", False)), mapping=MappingProxyType(mapping)
    )


def _targets(data: Mapping[str, Any]) -> dict[str, TargetSpec]:
    """The declared targets, or the one implicit target of region and card_account."""
    declared = data.get("targets")
    if not declared:
        return {IMPLICIT_TARGET: _implicit_target(data)}
    return {name: _target(name, t) for name, t in declared.items()}


def _implicit_target(data: Mapping[str, Any]) -> TargetSpec:
    card = data["card_account"]
    return TargetSpec(
        name=IMPLICIT_TARGET,
        region=data["region"],
        card_account_id=card["id"],
        card_role_arn=card.get("role_arn"),
        plan_role_arn=card.get("plan_role_arn"),
        drift_role_arn=card.get("drift_role_arn"),
        fill_role_arn=card.get("fill_role_arn"),
    )


def _target(name: str, raw: Mapping[str, Any]) -> TargetSpec:
    return TargetSpec(
        name=name,
        region=raw["region"],
        card_account_id=raw["card_account"]["id"],
        card_role_arn=raw["card_account"].get("role_arn"),
        plan_role_arn=raw["card_account"].get("plan_role_arn"),
        drift_role_arn=raw["card_account"].get("drift_role_arn"),
        fill_role_arn=raw["card_account"].get("fill_role_arn"),
        hub=raw.get("hub"),
        replica_name=raw.get("replica_name", REPLICA_NAME),
        trust_live_status=bool(raw.get("trust_live_status", False)),
        replica_status_ceiling=CardStatus(raw.get("replica_status_ceiling", "Draft")),
        replica_kms_key_id=raw.get("replica_kms_key_id"),
        path=("targets", name),
    )


def _transitions(
    raw: Mapping[str, list[str]] | None,
) -> Mapping[CardStatus, frozenset[CardStatus]]:
    """The allowed status transitions; the default lifecycle when none are declared."""
    if raw is None:
        return DEFAULT_TRANSITIONS
    return MappingProxyType(
        {s: frozenset(CardStatus(t) for t in raw.get(s.value, ())) for s in CardStatus}
    )


def _requirements(
    raw: Mapping[str, list[Mapping[str, Any]]],
) -> Mapping[CardStatus, tuple[Requirement, ...]]:
    """Each status's promotion gates, in the order reconciler.yaml lists them."""
    return MappingProxyType(
        {CardStatus(status): tuple(map(_requirement, items)) for status, items in raw.items()}
    )


def _requirement(raw: Mapping[str, Any]) -> Requirement:
    return Requirement(
        id=raw["id"],
        path=raw["path"],
        message=raw.get("message", ""),
        one_of=tuple(raw.get("in") or ()),
        none_of=tuple(raw.get("not_in") or ()),
        at_least=raw.get("at_least"),
        at_most=raw.get("at_most"),
    )


def card_from(data: Mapping[str, Any], file: str) -> CardSpec:
    """Build a CardSpec from a schema-valid card document."""
    return CardSpec(
        name=data["name"],
        status=CardStatus(data["status"]),
        content=data["content"],
        file=file,
        kms_key_id=data.get("kms_key_id"),
        tags=dict(data.get("tags") or {}),
        ignore=tuple(data.get("ignore") or ()),
        previous_names=tuple(data.get("previous_names") or ()),
        targets=tuple(data.get("targets") or ()),
        gate_exceptions=dict(data.get("gate_exceptions") or {}),
        evidence=tuple(source_from(e) for e in data.get("evidence") or ()),
    )


def share_from(data: Mapping[str, Any], file: str) -> ShareSpec:
    """Build a ShareSpec from a schema-valid share document."""
    cards = data.get("cards") or {}
    return ShareSpec(
        name=data["name"],
        principals=tuple(data["principals"]),
        card_names=tuple(cards.get("names") or ()),
        card_statuses=tuple(CardStatus(s) for s in cards.get("status") or ()),
        permission=data["permission"],
        file=file,
        allow_external_principals=bool(data.get("allow_external_principals", False)),
        allow_external_edits=bool(data.get("allow_external_edits", False)),
        tags=dict(data.get("tags") or {}),
        previous_names=tuple(data.get("previous_names") or ()),
        targets=tuple(data.get("targets") or ()),
        groups=_group_selection(data.get("model_package_groups")),
    )


def _group_selection(raw: Mapping[str, Any] | None) -> GroupSelection | None:
    if raw is None:
        return None
    return GroupSelection(
        names=tuple(raw.get("names") or ()),
        approvals=tuple(ApprovalStatus(a) for a in raw.get("approval") or ()),
        permission=raw["permission"],
    )
