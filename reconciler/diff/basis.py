"""What a plan was computed from: for each resource it touches, the live facts its changes
depend on. Pure.

A saved plan carries them (``basis`` in the JSON plan), and ``apply --plan`` refuses it
as stale when one of them has moved, naming what moved: a plan reviewed against version 3
of a card must not write over version 4, which someone made through the API since, even
when the plan made now would write the same content. A resource the plan does not touch
is not recorded, so a change to it never makes the plan stale.

- a card: its version and status (or that it does not exist);
- a share: its status, external setting, principals, cards and attached permissions;
- a permission: its default version and actions;
- a model package group: its tags; a model version: its approval, stage, card status and
  when it was last modified (content changes move that time).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reconciler.live.model import LiveShare, LiveState, active_entities
from reconciler.plan.address import Address, Kind

Facts = Mapping[str, Any]
ABSENT: Facts = {"exists": False}


def basis(live: LiveState, addresses: Iterable[Address]) -> dict[str, Facts]:
    """The live facts of each address, keyed by the address as the plan shows it."""
    return {str(a): _facts(live, a) for a in sorted(set(addresses))}


def _facts(live: LiveState, address: Address) -> Facts:
    if address.kind is Kind.CARD:
        card = live.cards.get(address.name)
        return {"version": card.version, "status": card.status.value} if card else ABSENT
    if address.kind is Kind.SHARE:
        share = live.shares.get(address.name)
        return _share(share) if share else ABSENT
    if address.kind in (Kind.GROUP, Kind.VERSION):
        return _registry(live, address)
    permission = live.permissions.get(address.name)
    if permission is None:
        return ABSENT
    return {"version": permission.version, "actions": sorted(permission.actions)}


def _registry(live: LiveState, address: Address) -> Facts:
    name, _, number = address.name.partition("/")
    group = live.groups.get(name)
    if group is None:
        return ABSENT
    if address.kind is Kind.GROUP:
        return {"tags": dict(sorted(group.tags.items()))}
    version = group.versions.get(int(number)) if number.isdigit() else None
    if version is None:
        return ABSENT
    stage = version.stage
    return {
        "approval": version.approval,
        "card_status": version.card_status,
        "stage": f"{stage.stage}/{stage.status}" if stage else None,
        "modified": version.last_modified_time,
    }


def _share(share: LiveShare) -> Facts:
    return {
        "status": share.status,
        "allow_external_principals": share.allow_external_principals,
        "principals": sorted(active_entities(share.principals)),
        "cards": sorted(active_entities(share.resources)),
        "permissions": sorted((*share.permission_arns, *share.group_permission_arns)),
    }


def moved(then: Mapping[str, Facts], now: Mapping[str, Facts]) -> list[str]:
    """What moved since ``then``, one line per fact, for each address ``then`` records."""
    lines = []
    for address, facts in sorted(then.items()):
        current = now.get(address, ABSENT)
        for key in sorted({*facts, *current}):
            before, after = facts.get(key), current.get(key)
            if before != after:
                lines.append(f"{address}: {key} {_shown(before)} → {_shown(after)}")
    return lines


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)
