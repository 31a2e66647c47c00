"""Compose the card, permission and share diffs into one plan. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from reconciler.arns import Arns
from reconciler.diff_cards import CardDiffOptions, diff_cards
from reconciler.diff_shares import diff_permissions, diff_shares
from reconciler.live.model import LiveState, is_managed
from reconciler.model import DesiredState
from reconciler.plan import Plan, PlanPart, Unmanaged, ordered


@dataclass(frozen=True)
class PlanOptions:
    adopt: bool = False  # take over unmanaged live cards that git declares
    prune: bool = False  # plan deletion of managed resources no longer in git


def diff_all(state: DesiredState, live: LiveState, options: PlanOptions) -> PlanPart:
    """Every change, error and warning, before a plan decides what it may show."""
    arns = Arns.for_config(state.config)
    cards = diff_cards(state, live.cards, arns.card, CardDiffOptions(options.adopt, options.prune))
    permissions = diff_permissions(state, live.permissions, arns)
    shares = diff_shares(state, live.shares, arns, options.prune)
    parts = (cards, permissions, shares)
    return PlanPart(list(ordered([c for p in parts for c in p.changes])),
                    sorted(e for p in parts for e in p.errors),
                    [w for p in parts for w in p.warnings],
                    list(ordered([a for p in parts for a in p.adoptions])))


def build_plan(state: DesiredState, live: LiveState, options: PlanOptions) -> Plan:
    """The changes that make ``live`` match ``state``, in execution order."""
    found = diff_all(state, live, options)
    own = state.config.ownership
    return Plan(
        # A plan with errors cannot be applied, so it lists no changes to mislead with.
        changes=() if found.errors else tuple(found.changes),
        adoptions=() if found.errors else tuple(found.adoptions),
        unmanaged=tuple(u for u in unmanaged(state, live)
                        if u.arn not in {a.params["arn"] for a in found.adoptions}),
        errors=tuple(found.errors),
        warnings=tuple(found.warnings),
        context={"region": state.config.region, "account": state.config.card_account_id},
        managed_cards=sum(1 for c in live.cards.values() if is_managed(c.tags, own)),
    )


def unmanaged(state: DesiredState, live: LiveState) -> tuple[Unmanaged, ...]:
    own = state.config.ownership
    found = [Unmanaged("model_card", c.name, c.arn) for c in live.cards.values()
             if not is_managed(c.tags, own)]
    found += [Unmanaged("resource_share", s.name, s.arn) for s in live.shares.values()
              if not is_managed(s.tags, own)]
    return tuple(sorted(found, key=lambda u: (u.kind, u.name)))
