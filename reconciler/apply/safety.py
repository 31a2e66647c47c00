"""Safety checks before anything is written. Pure: a plan and flags in, refusals out.

Two kinds: thresholds from reconciler.yaml (the share of managed cards a run may update
or delete, once enough exist) and categorical guards that always need a flag (replacing a
card, deleting or archiving an Approved card, opening a share to external principals,
deleting anything at all).
"""

from __future__ import annotations

from dataclasses import dataclass

from reconciler.load.desired import Safety
from reconciler.plan.model import Action, Plan

UPDATES = frozenset({Action.UPDATE_CONTENT, Action.UPDATE_STATUS, Action.UPDATE_TAGS})
DELETES = frozenset({Action.DELETE_CARD, Action.REPLACE_CARD})


@dataclass(frozen=True)
class Flags:
    force: bool = False
    prune: bool = False


def refusals(plan: Plan, safety: Safety, flags: Flags) -> list[str]:
    """Why the plan may not be applied with these flags; empty when it may."""
    found = [
        _needs(address, need, why)
        for address, need, why in _guarded(plan)
        if not getattr(flags, need)
    ]
    if not flags.force:
        found += _thresholds(plan, safety)
    return found


def _guarded(plan: Plan) -> list[tuple[str, str, str]]:
    return [
        (c.address, need, c.guard if need == "force" else "it deletes a resource")
        for c in plan.changes
        for need in c.needs
    ]


def _needs(address: str, need: str, why: str) -> str:
    return f"{address}: {why}: apply with --{need} to allow it"


def _thresholds(plan: Plan, safety: Safety) -> list[str]:
    existing = plan.managed_cards
    if existing < safety.min_existing or existing == 0:
        return []
    limits = (
        ("update", UPDATES, safety.max_update_percent),
        ("delete or replace", DELETES, safety.max_delete_percent),
    )
    found = []
    for verb, actions, limit in limits:
        cards = {c.address for c in plan.changes if c.action in actions}
        percent = 100.0 * len(cards) / existing
        if percent > limit:
            found.append(
                f"the plan would {verb} {len(cards)} of {existing} managed cards "
                f"({percent:.0f}%), above safety.max_{verb.split()[0]}_percent "
                f"= {limit:g}%: review the plan, then apply with --force, or raise "
                "the limit in reconciler.yaml"
            )
    return found
