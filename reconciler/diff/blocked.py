"""What a plan error holds back: the resource whose file it is on, and nothing else.

An error the live state causes (a card archived in the account that git still has in
Draft, an unmanaged card in the way, a card being deleted) is confined to its card or
share: the plan keeps every other change, so one card's problem does not stop the fleet.
A blocked card is also left out of the associations the plan would make for it, since
its state in the account is not what git says. Pure.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from reconciler.common.diagnostics import Diagnostic
from reconciler.desired.model import DesiredState
from reconciler.plan.address import Address
from reconciler.plan.model import Change
from reconciler.plan.payloads import ChangeMembers, CreateShare, MemberKind


def blocked_addresses(state: DesiredState, errors: list[Diagnostic]) -> frozenset[Address]:
    """The card and share addresses the errors are on."""
    by_file = {c.file: Address.card(c.name) for c in state.cards.values()}
    by_file |= {s.file: Address.share(s.name) for s in state.shares.values()}
    return frozenset(by_file[e.file] for e in errors if e.file in by_file)


def without_blocked(
    changes: list[Change], blocked: frozenset[Address], blocked_arns: frozenset[str]
) -> Iterator[Change]:
    """``changes`` minus those of blocked resources, and minus blocked cards in shares."""
    for change in changes:
        if change.address in blocked:
            continue
        kept = _without_cards(change, blocked_arns)
        if kept is not None:
            yield kept


def _without_cards(change: Change, arns: frozenset[str]) -> Change | None:
    payload = change.payload
    if not arns:
        return change
    if isinstance(payload, ChangeMembers) and payload.kind is MemberKind.RESOURCE:
        return _members_without(change, payload, arns)
    if isinstance(payload, CreateShare):
        return _creation_without(change, payload, arns)
    return change


def _members_without(change: Change, payload: ChangeMembers, arns: frozenset[str]) -> Change | None:
    """The association without the cards; None when no card is left to associate."""
    entities = tuple(e for e in payload.entities if e not in arns)
    if not entities:
        return None
    fields = tuple(f for f in change.fields if f.after not in arns and f.before not in arns)
    return replace(change, payload=replace(payload, entities=entities), fields=fields)


def _creation_without(change: Change, payload: CreateShare, arns: frozenset[str]) -> Change:
    """The share created without the cards, in its payload and in its resources field."""
    resources = tuple(a for a in payload.resource_arns if a not in arns)
    fields = tuple(
        replace(f, after=[a for a in f.after if a not in arns])
        if f.path == "$.resources" and isinstance(f.after, list)
        else f
        for f in change.fields
    )
    return replace(change, payload=replace(payload, resource_arns=resources), fields=fields)
