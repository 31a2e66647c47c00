"""Rules about promotion gates (``lifecycle.requirements``, ``desired.gates``): the gates
themselves are well formed, a card's exceptions name real requirements, and each card
holds what its status requires. An unmet requirement is a warning here, placed on the
card's ``status:`` line so that the pull request shows it; plan holds the card back
(``diff.cards``). A requirement on a path the card leaves to live state (``ignore:``) is
checked by plan, on the content apply would write.
"""

from __future__ import annotations

from collections.abc import Iterator

from reconciler.common.diagnostics import Diagnostic, Severity
from reconciler.desired.gates import Outcome, outcomes, path_problem
from reconciler.desired.model import CardSpec, Config
from reconciler.validate.rules.base import Rule, RuleInput, at


def gates_well_formed(data: RuleInput) -> Iterator[Diagnostic]:
    """Every requirement path parses, and every requirement id is used once."""
    config, doc = data.config, data.config_doc
    if config is None or doc is None:
        return
    seen: set[str] = set()
    for status, requirements in config.requirements.items():
        for i, requirement in enumerate(requirements):
            where = ("lifecycle", "requirements", status.value, i)
            problem = path_problem(requirement.path)
            if problem:
                yield at(doc, (*where, "path"), problem, "gate-path")
            if requirement.id in seen:
                yield at(doc, (*where, "id"), _twice(requirement.id), "gate-id")
            seen.add(requirement.id)


def _twice(name: str) -> str:
    return f"requirement '{name}' is declared twice: gate_exceptions name requirements by id"


def exceptions_known(data: RuleInput) -> Iterator[Diagnostic]:
    """A card's ``gate_exceptions`` name requirements reconciler.yaml declares."""
    known = {r.id for rs in (data.config.requirements if data.config else {}).values() for r in rs}
    for card in data.cards:
        for name in card.gate_exceptions:
            if name not in known:
                yield at(
                    data.documents[card.file],
                    ("gate_exceptions", name),
                    f"no requirement '{name}' in lifecycle.requirements: "
                    f"known: {', '.join(sorted(known)) or 'none'}",
                    "gate-exception",
                    key=True,
                )


def cards_hold_their_gates(data: RuleInput) -> Iterator[Diagnostic]:
    """Each requirement of a card's status that its content in git does not hold."""
    if data.config is None:
        return
    for card in data.cards:
        for found in unmet(data.config, card):
            yield at(
                data.documents[card.file],
                ("status",),
                unmet_message(card, found),
                "gate",
                severity=Severity.WARNING,
            )


def unmet(config: Config, card: CardSpec) -> list[Outcome]:
    """The requirements of ``card``'s status that its git content does not hold, except
    those on paths the card leaves to live state."""
    requirements = [
        r for r in config.requirements.get(card.status, ()) if not _ignored(card, r.path)
    ]
    return [o for o in outcomes(requirements, card.content, card.gate_exceptions) if not o.held]


def _ignored(card: CardSpec, path: str) -> bool:
    top = path.split(".")[0].split("[")[0]
    return any(top == i.split(".")[0] for i in card.ignore)


def unmet_message(card: CardSpec, found: Outcome) -> str:
    """What validate and plan say of an unmet requirement."""
    requirement = found.requirement
    why = f": {requirement.message}" if requirement.message else ""
    return (
        f"status {card.status} requires '{requirement.id}' ({requirement.describe()}); "
        f"found {found.found}{why}. Meet it, or name it under gate_exceptions with the "
        "reason (reviewed); --force does not lift it"
    )


RULES: list[Rule] = [gates_well_formed, exceptions_known, cards_hold_their_gates]
