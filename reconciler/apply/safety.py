"""Safety checks before anything is written. Pure: a plan and flags in, refusals out.

Two kinds: thresholds from reconciler.yaml (the share of managed cards a run may update
or delete, once enough exist) and categorical guards that always need a flag (replacing a
card, deleting or archiving an Approved card, opening a share to external principals,
deleting anything at all).
"""

from __future__ import annotations

from dataclasses import dataclass

from typing_extensions import assert_never

from reconciler.apply.report import GuardRefusal, Limit, Refusal, ThresholdRefusal
from reconciler.desired.model import Safety
from reconciler.plan.model import Action, Flag, Plan

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


def refusals(plan: Plan, safety: Safety, flags: Flags) -> list[Refusal]:
    """Why the plan may not be applied with these flags; empty when it may."""
    found: list[Refusal] = [
        GuardRefusal(address=change.address, guard=guard, note=change.guard_note)
        for change in plan.changes
        for guard in change.guards
        if not flags.given(guard.flag)
    ]
    if not flags.force:
        found += _thresholds(plan, safety)
    return found


def _thresholds(plan: Plan, safety: Safety) -> list[ThresholdRefusal]:
    existing = plan.managed_cards
    if existing < safety.min_existing or existing == 0:
        return []
    limits = (
        (Limit.UPDATE, UPDATES, safety.max_update_percent),
        (Limit.DELETE, DELETES, safety.max_delete_percent),
    )
    found = []
    for limit, actions, allowed in limits:
        cards = len({c.address for c in plan.changes if c.action in actions and c.address.is_card})
        if 100.0 * cards / existing > allowed:
            found.append(
                ThresholdRefusal(
                    limit=limit, cards=cards, existing=existing, percent_allowed=allowed
                )
            )
    return found
