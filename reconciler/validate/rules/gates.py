"""Rules about promotion gates (``lifecycle.requirements``, ``desired.gates``): the gates
themselves are well formed, a card's exceptions name real requirements, and each card
holds what its status requires. An unmet requirement is a warning here, placed on the
card's ``status:`` line so that the pull request shows it; plan holds the card back
(``diff.cards``). A requirement on a path the card leaves to live state (``ignore:``) is
checked by plan, on the content apply would write.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from reconciler.common.diagnostics import Diagnostic, Severity
from reconciler.common.status import CardStatus
from reconciler.desired.gates import Outcome, outcomes, path_problem
from reconciler.desired.model import CardSpec, Config
from reconciler.desired.registry import EmbeddedCard, GroupSpec, VersionSpec, in_package_card
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
    named: list[tuple[str, tuple[str | int, ...], Mapping[str, str]]]
    named = [(card.file, (), card.gate_exceptions) for card in data.cards]
    named += [(g.file, (*v.path, "card"), c.gate_exceptions) for g, v, c in _inline(data)]
    for file, where, exceptions in named:
        for name in exceptions:
            if name not in known:
                yield at(
                    data.documents[file],
                    (*where, "gate_exceptions", name),
                    f"no requirement '{name}' in lifecycle.requirements: "
                    f"known: {', '.join(sorted(known)) or 'none'}",
                    "gate-exception",
                    key=True,
                )


def _inline(data: RuleInput) -> Iterator[tuple[GroupSpec, VersionSpec, EmbeddedCard]]:
    """The model versions whose card is written in their registry file, with the card."""
    return ((g, v, v.card) for g in data.groups for v in g.versions if v.card is not None)


def cards_hold_their_gates(data: RuleInput) -> Iterator[Diagnostic]:
    """Each requirement of a card's status that its content in git does not hold."""
    if data.config is None:
        return
    for card in data.cards:
        for found in unmet(data.config, card):
            yield at(
                data.documents[card.file],
                ("status",),
                unmet_message(card.status, found),
                "gate",
                severity=Severity.WARNING,
            )


def versions_hold_their_gates(data: RuleInput) -> Iterator[Diagnostic]:
    """Each requirement of a model version's card status that its card in the registry
    file does not hold (a card mirrored from cards/ is checked there)."""
    if data.config is None:
        return
    for group, version, card in _inline(data):
        for found in embedded_unmet(data.config, card):
            yield at(
                data.documents[group.file],
                (*version.path, "card", "status"),
                unmet_message(card.status, found),
                "gate",
                severity=Severity.WARNING,
            )


def unmet(config: Config, card: CardSpec | EmbeddedCard) -> list[Outcome]:
    """The requirements of ``card``'s status that its git content does not hold, except
    those on paths the card leaves to live state."""
    requirements = [
        r for r in config.requirements.get(card.status, ()) if not _ignored(card, r.path)
    ]
    return [o for o in outcomes(requirements, card.content, card.gate_exceptions) if not o.held]


def embedded_unmet(config: Config, card: EmbeddedCard) -> list[Outcome]:
    """``unmet`` for a model version's card, except requirements on fields the model
    package card schema lacks, which no such card can hold."""
    return [o for o in unmet(config, card) if in_package_card(o.requirement.path)]


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


RULES: list[Rule] = [
    gates_well_formed,
    exceptions_known,
    cards_hold_their_gates,
    versions_hold_their_gates,
]
