"""Promotion gates in the plan: a card (or hub replica) that changes while it does not
hold what its status requires (``lifecycle.requirements``) is held back with a plan error
on its ``status:`` line (a replica's is on its spoke's entry in ``reconciler.yaml``, so
the replica is named in ``PlanPart.held``), whatever the flags; ``--force`` does not lift
it. A card that does not change but no longer holds its gates is a warning. A status
change that enters a gated status says which requirements it held. Given the gates the
base branch has (``PlanOptions.gates_base``), the plan of a change to them names each card
it lets through: one that holds the new gates of its status but did not hold the base's.
Pure.

The content checked is the content apply would leave: git's, with the live values of the
paths the card leaves to live state (``ignore:``), which is where a pipeline's evaluation
results live.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from reconciler.common.diagnostics import Diagnostic, json_path
from reconciler.common.status import CardStatus
from reconciler.desired.gates import Outcome, Requirement, outcomes
from reconciler.desired.model import CardSpec, ReplicaSpec
from reconciler.diff.replicas import replica_error
from reconciler.normalize.state import Normalised
from reconciler.plan.actions import Action
from reconciler.plan.address import Address
from reconciler.plan.model import Change, PlanPart
from reconciler.validate.rules.gates import unmet_message

ENTERING = frozenset({Action.CREATE_CARD, Action.UPDATE_STATUS, Action.REPLACE_CARD})
Gates = Mapping[CardStatus, tuple[Requirement, ...]]


def gated(n: Normalised, found: PlanPart, base: Gates | None = None) -> PlanPart:
    """``found`` with the gates applied: errors for changing cards that do not hold them,
    warnings for unchanged ones, the requirements held named on status changes, and the
    cards the change from the ``base`` gates lets through."""
    changing = {c.address.name for c in found.changes if c.address.is_card}
    errors, warnings, held = list(found.errors), list(found.warnings), {}
    for card in sorted(n.state.cards.values(), key=lambda c: c.name):
        results = _outcomes(n, card)
        missing = [o for o in results if not o.held]
        if missing and card.name in changing:
            errors += [_error(n, card, o) for o in missing]
        elif missing:
            warnings += [f"{card.file}: {unmet_message(card.status, o)}" for o in missing]
        else:
            held[card.name] = results
    replicas = _replica_errors(n, changing)
    errors += [e for listed in replicas.values() for e in listed]
    warnings += [] if base is None else _let_through(n, base, held)
    changes = [_annotated(c, held) for c in found.changes]
    kept = frozenset(Address.card(name) for name in replicas)
    return replace(
        found, changes=changes, errors=sorted(errors), warnings=warnings, held=found.held | kept
    )


def _let_through(n: Normalised, base: Gates, held: Iterable[str]) -> list[str]:
    """A line for each card holding its gates that the base's gates would not let be in
    its status, naming the base's requirements it does not hold."""
    lines = []
    for name in sorted(held):
        card = n.state.cards[name]
        before = outcomes(base.get(card.status, ()), _content_left(n, card), card.gate_exceptions)
        missed = [o for o in before if not o.held]
        if missed:
            lines.append(_let_through_message(card, missed))
    return lines


def _let_through_message(card: CardSpec, missed: list[Outcome]) -> str:
    listed = "; ".join(
        f"'{o.requirement.id}' ({o.requirement.describe()}), found {o.found}" for o in missed
    )
    return (
        f"{card.file}: the change to lifecycle.requirements lets card '{card.name}' be "
        f"{card.status.value}; the base's gates do not: {listed}"
    )


def _replica_errors(n: Normalised, changing: set[str]) -> dict[str, list[Diagnostic]]:
    """A hub replica entering or changing in a gated status holds its gates too (it has no
    file of its own to name exceptions in: the spoke's card, declared in git, does): the
    errors of each replica that does not, by name, to hold it back."""
    found = {}
    for replica in sorted(n.state.replicas.values(), key=lambda r: r.name):
        requirements = n.state.config.requirements.get(replica.status, ())
        if replica.name not in changing or not requirements:
            continue
        missing = [o for o in outcomes(requirements, replica.content, {}) if not o.held]
        if missing:
            found[replica.name] = [
                replica_error(n, replica, _replica_message(replica, o)) for o in missing
            ]
    return found


def _replica_message(replica: ReplicaSpec, found: Outcome) -> str:
    requirement = found.requirement
    return (
        f"replica '{replica.name}' of {replica.source_arn} would be {replica.status}, which "
        f"requires '{requirement.id}' ({requirement.describe()}); found {found.found}"
    )


def _outcomes(n: Normalised, card: CardSpec) -> list[Outcome]:
    requirements = n.state.config.requirements.get(card.status, ())
    if not requirements:
        return []
    return outcomes(requirements, _content_left(n, card), card.gate_exceptions)


def _content_left(n: Normalised, card: CardSpec) -> Mapping[str, Any]:
    """What the card holds after apply: git's content with the live ignored values."""
    return n.write_content.get(card.name) or n.seed_content.get(card.name) or card.content


def _error(n: Normalised, card: CardSpec, found: Outcome) -> Diagnostic:
    doc = n.state.documents[card.file]
    return Diagnostic(
        file=card.file,
        position=doc.locate(("status",)),
        path=json_path(("status",)),
        message=unmet_message(card.status, found),
        code="gate",
    )


def _annotated(change: Change, held: Mapping[str, Iterable[Outcome]]) -> Change:
    results = held.get(change.address.name) if change.address.is_card else None
    if not results or change.action not in ENTERING:
        return change
    names = [o.requirement.id for o in results if not o.excepted]
    excepted = [f"{o.requirement.id} (excepted: {o.excepted})" for o in results if o.excepted]
    gates = "; gates held: " + ", ".join([*names, *excepted])
    return replace(change, detail=change.detail + gates)
