"""Safety checks before anything is written. Pure: a plan and flags in, refusals out.

Two kinds: thresholds from reconciler.yaml (the share of managed cards a run may update
or delete, once enough exist) and categorical guards that always need a flag (replacing a
card, deleting or archiving an Approved card, opening a share to external principals,
deleting anything at all).
"""

from __future__ import annotations

from dataclasses import dataclass

from typing_extensions import assert_never

from reconciler.desired.model import Safety
from reconciler.plan.model import Action, Change, Flag, Guard, Plan

UPDATES = frozenset(
    {Action.UPDATE_CONTENT, Action.UPDATE_STATUS, Action.UPDATE_TAGS, Action.REPLICATE_CARD}
)
DELETES = frozenset({Action.DELETE_CARD, Action.REPLACE_CARD})


@dataclass(frozen=True, kw_only=True)
class Flags:
    force: bool = False
    prune: bool = False

    def given(self, flag: Flag) -> bool:
        match flag:
            case Flag.FORCE:
                return self.force
            case Flag.PRUNE:
                return self.prune
            case _:
                assert_never(flag)


def refusals(plan: Plan, safety: Safety, flags: Flags) -> list[str]:
    """Why the plan may not be applied with these flags; empty when it may."""
    found = [
        _refusal(change, guard)
        for change in plan.changes
        for guard in change.guards
        if not flags.given(guard.flag)
    ]
    if not flags.force:
        found += _thresholds(plan, safety)
    return found


def _refusal(change: Change, guard: Guard) -> str:
    why = f"{guard.text} ({change.guard_note})" if change.guard_note else guard.text
    return f"{change.address}: {why}: apply with --{guard.flag.value} to allow it"


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
