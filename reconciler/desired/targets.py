"""Targets: the card accounts and regions one repository manages, and each one's share of
the desired state.

A repository without ``targets:`` in reconciler.yaml has one implicit target, and its
desired state is that target's unchanged. With ``targets:``, ``for_target`` keeps the cards,
shares and model package groups that belong to the target (those that list it under
``targets:``, and those that list none) and binds the configuration's region and card
account to it; every stage after loading then works on one target exactly as on a
single-target repository.

Hubs come after their spokes (``waves``): a hub replicates what its spokes hold live, so
in one run the spokes are planned and applied first.
"""

from __future__ import annotations

import difflib
from dataclasses import replace

from reconciler.common.errors import ReconcilerError
from reconciler.desired.model import CardSpec, Config, DesiredState, ShareSpec, TargetSpec
from reconciler.desired.registry import GroupSpec


def belongs(item: CardSpec | ShareSpec | GroupSpec, target: str) -> bool:
    """True when a card or share file belongs to ``target``."""
    return not item.targets or target in item.targets


def bound(config: Config, target: TargetSpec) -> Config:
    """The configuration with its region and card account those of ``target``."""
    return replace(
        config,
        region=target.region,
        card_account_id=target.card_account_id,
        card_role_arn=target.card_role_arn,
        target=target.name,
    )


def for_target(state: DesiredState, name: str) -> DesiredState:
    """The part of the desired state that belongs to target ``name``."""
    config = state.config
    if not config.declares_targets:
        return state
    return replace(
        state,
        config=bound(config, config.targets[name]),
        cards={n: c for n, c in state.cards.items() if belongs(c, name)},
        shares={n: s for n, s in state.shares.items() if belongs(s, name)},
        groups={n: g for n, g in state.groups.items() if belongs(g, name)},
        spoke_cards={
            spoke.name: {n: c for n, c in state.cards.items() if belongs(c, spoke.name)}
            for spoke in config.spokes_of(name)
        },
    )


def selected(config: Config, names: list[str] | None) -> list[str]:
    """The targets a run works on: the named ones (``--target``), else every target,
    in the order they run (spokes and other targets first, then hubs)."""
    known = sorted(config.targets)
    for name in names or ():
        if name not in config.targets:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(known)}"
            raise ReconcilerError(
                f"unknown target '{name}'", hint=f"name a target of reconciler.yaml: {hint}"
            )
    wanted = set(names or known)
    return [n for wave in waves(config) for n in wave if n in wanted]


def waves(config: Config) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(every target that is not a hub, the hubs): hubs run after their spokes."""
    hubs = {t.hub for t in config.targets.values() if t.hub}
    first = tuple(n for n in sorted(config.targets) if n not in hubs)
    return first, tuple(sorted(hubs))
