"""Compose the card, permission and share diffs into one plan. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from reconciler.arns import Arns
from reconciler.diff.cards import CardDiffOptions, diff_cards
from reconciler.diff.shares import diff_permissions, diff_shares
from reconciler.live.model import LiveShare, LiveState, is_managed
from reconciler.load.desired import DesiredState
from reconciler.plan.model import Action, Change, Plan, PlanPart, Unmanaged, ordered


@dataclass(frozen=True)
class PlanOptions:
    adopt: bool = False  # take over unmanaged live cards that git declares
    prune: bool = False  # plan deletion of managed resources no longer in git


def diff_all(state: DesiredState, live: LiveState, options: PlanOptions) -> PlanPart:
    """Every change, error and warning, before a plan decides what it may show."""
    arns = Arns.for_config(state.config)
    cards = diff_cards(state, live.cards, arns.card, CardDiffOptions(options.adopt, options.prune))
    permissions = diff_permissions(state, live.permissions, arns)
    updating = frozenset(
        c.params["name"] for c in permissions.changes if c.action is Action.UPDATE_PERMISSION
    )
    shares = diff_shares(
        state, _after_replacements(live.shares, cards.changes), arns, options.prune, updating
    )
    parts = (cards, permissions, shares)
    return PlanPart(
        list(ordered([c for p in parts for c in p.changes])),
        sorted(e for p in parts for e in p.errors),
        [w for p in parts for w in p.warnings],
        list(ordered([a for p in parts for a in p.adoptions])),
    )


def _after_replacements(
    shares: Mapping[str, LiveShare], card_changes: list[Change]
) -> dict[str, LiveShare]:
    """Shares as they will be once replaced cards are deleted: RAM drops a deleted card
    from every share, so its old ARN needs no disassociation (and a card replaced under
    the same name must be associated again)."""
    gone = {c.params["delete_arn"] for c in card_changes if c.action is Action.REPLACE_CARD}
    return {
        name: replace(share, resources=tuple(a for a in share.resources if a.entity not in gone))
        for name, share in shares.items()
    }


def build_plan(state: DesiredState, live: LiveState, options: PlanOptions) -> Plan:
    """The changes that make ``live`` match ``state``, in execution order."""
    return plan_from(state, live, diff_all(state, live, options))


def plan_from(state: DesiredState, live: LiveState, found: PlanPart) -> Plan:
    """The plan for a diff already made of ``state`` against ``live``."""
    own = state.config.ownership
    return Plan(
        # A plan with errors cannot be applied, so it lists no changes to mislead with.
        changes=() if found.errors else tuple(found.changes),
        adoptions=() if found.errors else tuple(found.adoptions),
        unmanaged=unmanaged(state, live, found.adoptions),
        errors=tuple(found.errors),
        warnings=tuple(found.warnings),
        context={"region": state.config.region, "account": state.config.card_account_id},
        managed_cards=sum(1 for c in live.cards.values() if is_managed(c.tags, own)),
    )


def unmanaged(
    state: DesiredState, live: LiveState, adoptions: list[Change]
) -> tuple[Unmanaged, ...]:
    """Live resources without the ownership tag, except those about to be adopted."""
    own = state.config.ownership
    adopting = {a.params["arn"] for a in adoptions}
    found = [
        Unmanaged("model_card", c.name, c.arn)
        for c in live.cards.values()
        if not is_managed(c.tags, own)
    ]
    found += [
        Unmanaged("resource_share", s.name, s.arn)
        for s in live.shares.values()
        if not is_managed(s.tags, own)
    ]
    return tuple(
        sorted((u for u in found if u.arn not in adopting), key=lambda u: (u.kind, u.name))
    )
