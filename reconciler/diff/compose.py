"""Compose the card, permission and share diffs into one plan. Pure: no I/O.

Takes state that ``normalize`` already made comparable, and ARNs bound to the card
account; returns every change, error and warning, then the plan that may be shown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reconciler.common.arns import Arns
from reconciler.desired.model import DesiredState
from reconciler.diff.audit import diff_audit
from reconciler.diff.basis import basis
from reconciler.diff.blocked import blocked_addresses, without_blocked
from reconciler.diff.cards import CardDiffOptions, diff_cards
from reconciler.diff.gates import Gates, gated
from reconciler.diff.names import display_names
from reconciler.diff.permissions import diff_permissions
from reconciler.diff.registry import diff_registry, unmanaged_versions
from reconciler.diff.replicas import diff_replicas
from reconciler.diff.shares import diff_shares
from reconciler.live.model import LiveShare, LiveState, is_managed
from reconciler.normalize.state import Normalised
from reconciler.plan.model import Change, Plan, PlanPart, Unmanaged, ordered
from reconciler.plan.payloads import Adopt, ReplaceCard, UpdatePermission


@dataclass(frozen=True, kw_only=True)
class PlanOptions:
    adopt: bool = False  # take over unmanaged live cards that git declares
    prune: bool = False  # plan deletion of managed resources no longer in git
    # The gates the base branch has (its reconciler.yaml): the plan names the cards the
    # change to them lets through. None: not compared.
    gates_base: Gates | None = None


def diff_all(n: Normalised, arns: Arns, options: PlanOptions) -> PlanPart:
    """Every change, error and warning, before a plan decides what it may show."""
    card_options = CardDiffOptions(adopt=options.adopt, prune=options.prune)
    cards = diff_cards(n, arns.card, card_options)
    replicas = diff_replicas(n, arns.card, options.prune)
    permissions = diff_permissions(n.state, n.live.permissions, arns)
    after = replace(n, live=replace(n.live, shares=_after_replacements(n.live, cards.changes)))
    shares = diff_shares(after, arns, options.prune, _versioned(permissions))
    audit = diff_audit(n, cards.changes, [a.address for a in cards.adoptions])
    registry = diff_registry(n)
    parts = (cards, replicas, audit, registry, permissions, shares)
    found = PlanPart(
        changes=list(ordered([c for p in parts for c in p.changes])),
        errors=sorted(e for p in parts for e in p.errors),
        warnings=[w for p in parts for w in p.warnings],
        adoptions=list(ordered([a for p in parts for a in p.adoptions])),
    )
    return gated(n, found, options.gates_base)


def _versioned(permissions: PlanPart) -> frozenset[str]:
    """The permissions the plan gives a new version."""
    return frozenset(
        c.payload.name for c in permissions.changes if isinstance(c.payload, UpdatePermission)
    )


def _after_replacements(live: LiveState, card_changes: list[Change]) -> dict[str, LiveShare]:
    """Shares as they will be once replaced cards are deleted: RAM drops a deleted card
    from every share, so its old ARN needs no disassociation (and a card replaced under
    the same name must be associated again)."""
    gone = {c.payload.delete.arn for c in card_changes if isinstance(c.payload, ReplaceCard)}
    return {
        name: replace(share, resources=tuple(a for a in share.resources if a.entity not in gone))
        for name, share in live.shares.items()
    }


def plan_from(n: Normalised, found: PlanPart, arns: Arns) -> Plan:
    """The plan for a diff already made of desired against live state. An error holds back
    only the card or share it is on (``blocked``), or the replica it names (``held``);
    every other change stays."""
    state, live = n.state, n.live
    own = state.config.ownership
    blocked = blocked_addresses(state, found.errors) | found.held
    cards = frozenset(arns.card(a.name) for a in blocked if a.is_card)
    changes = tuple(without_blocked(found.changes, blocked, cards))
    return Plan(
        changes=changes,
        adoptions=tuple(without_blocked(found.adoptions, blocked, cards)),
        unmanaged=(
            *unmanaged(state, live, found.adoptions),
            *(Unmanaged("model_version", name, arn) for name, arn in unmanaged_versions(n)),
        ),
        errors=tuple(found.errors),
        warnings=tuple(found.warnings),
        context={"region": state.config.region, "account": state.config.card_account_id},
        managed_cards=sum(1 for c in live.cards.values() if is_managed(c.tags, own)),
        names=display_names(state.config, arns, found.changes),
        basis=basis(live, (c.address for c in (*changes, *found.adoptions))),
    )


def unmanaged(
    state: DesiredState, live: LiveState, adoptions: list[Change]
) -> tuple[Unmanaged, ...]:
    """Live resources without the ownership tag, except those about to be adopted and
    the cards reconciler.yaml keeps out of git on purpose (``unmanaged.cards``)."""
    adopting = {a.payload.arn for a in adoptions if isinstance(a.payload, Adopt)}
    found = _without_tag(state, live)
    return tuple(
        sorted((u for u in found if u.arn not in adopting), key=lambda u: (u.kind, u.name))
    )


def _without_tag(state: DesiredState, live: LiveState) -> list[Unmanaged]:
    config = state.config
    own = config.ownership
    found = [
        Unmanaged("model_card", c.name, c.arn)
        for c in live.cards.values()
        if not is_managed(c.tags, own) and config.kept_out_of_git(c.name) is None
    ]
    found += [
        Unmanaged("resource_share", s.name, s.arn)
        for s in live.shares.values()
        if not is_managed(s.tags, own)
    ]
    return found


def card_changes(found: PlanPart) -> set[str]:
    """Names of the cards a diff changes, or deletes as part of a replacement."""
    names = {c.address.name for c in found.changes if c.address.is_card}
    return names | {
        c.payload.delete.name for c in found.changes if isinstance(c.payload, ReplaceCard)
    }
