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
from reconciler.common.status import CardStatus
from reconciler.desired.gates import Outcome, outcomes, path_problem
from reconciler.desired.model import CardSpec, Config
from reconciler.desired.registry import EmbeddedCard, in_package_card
from reconciler.load.yamlsource import PathKey
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
    """The ``gate_exceptions`` of a card, or of a model version's card, name requirements
    reconciler.yaml declares."""
    known = {r.id for rs in (data.config.requirements if data.config else {}).values() for r in rs}
    for file, where, card in _gated(data):
        for name in card.gate_exceptions:
            if name not in known:
                yield at(
                    data.documents[file],
                    (*where, "gate_exceptions", name),
                    f"no requirement '{name}' in lifecycle.requirements: "
                    f"known: {', '.join(sorted(known)) or 'none'}",
                    "gate-exception",
                    key=True,
                )


def cards_hold_their_gates(data: RuleInput) -> Iterator[Diagnostic]:
    """Each requirement of a card's status that its content in git does not hold, for the
    cards of cards/ and the cards written in registry files (a model version's card
    mirrored from cards/ is checked there)."""
    if data.config is None:
        return
    for file, where, card in _gated(data):
        for found in unmet(data.config, card):
            yield at(
                data.documents[file],
                (*where, "status"),
                unmet_message(card.status, found),
                "gate",
                severity=Severity.WARNING,
            )


def _gated(data: RuleInput) -> Iterator[tuple[str, PathKey, CardSpec | EmbeddedCard]]:
    """Every card a file declares with its status, and where the card is in its file: the
    cards of cards/, and the model versions' cards written in their registry file."""
    for card in data.cards:
        yield card.file, (), card
    for group in data.groups:
        for version in group.versions:
            if version.card is not None:
                yield group.file, (*version.path, "card"), version.card


def unmet(config: Config, card: CardSpec | EmbeddedCard) -> list[Outcome]:
    """The requirements of ``card``'s status that its git content does not hold, except
    those on paths the card leaves to live state, and for a model version's card those on
    fields the model package card schema lacks, which no such card can hold."""
    requirements = [
        r
        for r in config.requirements.get(card.status, ())
        if not _ignored(card, r.path) and (isinstance(card, CardSpec) or in_package_card(r.path))
    ]
    return [o for o in outcomes(requirements, card.content, card.gate_exceptions) if not o.held]


def _ignored(card: CardSpec | EmbeddedCard, path: str) -> bool:
    top = path.split(".")[0].split("[")[0]
    return any(top == i.split(".")[0] for i in card.ignore)


def unmet_message(status: CardStatus, found: Outcome) -> str:
    """What validate and plan say of an unmet requirement."""
    requirement = found.requirement
    why = f": {requirement.message}" if requirement.message else ""
    return (
        f"status {status} requires '{requirement.id}' ({requirement.describe()}); "
        f"found {found.found}{why}. Meet it, or name it under gate_exceptions with the "
        "reason (reviewed); --force does not lift it"
    )


RULES: list[Rule] = [gates_well_formed, exceptions_known, cards_hold_their_gates]
