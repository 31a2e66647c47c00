"""Rules about registry files: version numbers, where each version's card comes from, and
that only an Approved card approves a model version.

A version's card is written in the file (``card``) or mirrors a card of git
(``card_from``), never both; a mirrored card must still fit the model package card schema
once the fields that schema lacks are left out (a hyper-parameter without a value, for
example, does not). A version approved in git needs its card in git, Approved: the
approval and the card's status travel in the same pull request, so review sees both.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from reconciler.common.diagnostics import Diagnostic
from reconciler.common.status import ApprovalStatus, CardStatus
from reconciler.desired.model import CardSpec
from reconciler.desired.registry import GroupSpec, VersionSpec, package_card_content
from reconciler.validate.rules.base import Rule, RuleInput, at
from reconciler.validate.rules.cards import MAX_CONTENT_CHARS
from reconciler.validate.schema_check import explain
from reconciler.validate.schemas import Kind, validator


def versions_unique(data: RuleInput) -> Iterator[Diagnostic]:
    """Each version number is listed once per group."""
    for group in data.groups:
        seen: set[int] = set()
        for version in group.versions:
            if version.number in seen:
                yield _at(
                    data,
                    group,
                    version,
                    "version",
                    f"version {version.number} is listed twice: keep one entry per version",
                    "duplicate-version",
                )
            seen.add(version.number)


def one_card_source(data: RuleInput) -> Iterator[Diagnostic]:
    """A version's card is written here or mirrors a card of git, not both."""
    for group, version in _versions(data):
        if version.card is not None and version.card_from is not None:
            message = (
                "card and card_from are both set: write the card here, or name the card of "
                "cards/ it mirrors, not both"
            )
            yield _at(data, group, version, "card_from", message, "card-source")


def card_from_known(data: RuleInput) -> Iterator[Diagnostic]:
    """``card_from`` names a card of git that belongs to every target the group does."""
    cards = {c.name: c for c in data.cards}
    for group, version in _versions(data):
        name = version.card_from
        if name is None or name not in data.all_card_names:
            if name is not None:
                message = f"card_from names '{name}', which is no card of cards/"
                yield _at(data, group, version, "card_from", message, "card-from")
            continue
        card = cards.get(name)
        missing = _targets_missing(group, card) if card else ()
        if missing:
            message = (
                f"card '{name}' does not belong to target {', '.join(missing)} of this group: "
                f"add the target to {card.file if card else name}, or narrow the group's targets"
            )
            yield _at(data, group, version, "card_from", message, "card-from")


def _targets_missing(group: GroupSpec, card: CardSpec) -> tuple[str, ...]:
    if not card.targets:
        return ()
    if not group.targets:
        return ("(every target)",)
    return tuple(t for t in group.targets if t not in card.targets)


def mirrored_cards_fit(data: RuleInput) -> Iterator[Diagnostic]:
    """A mirrored card, its extra fields left out, fits the model package card schema."""
    cards = {c.name: c for c in data.cards}
    for group, version in _versions(data):
        card = cards.get(version.card_from or "")
        if card is None:
            continue
        content, _ = package_card_content(card.content)
        problem = _package_schema_problem(content)
        if problem is not None:
            message = (
                f"card '{card.name}' does not fit a model version's card ({problem}): "
                "correct it in its file, or write this version's card here"
            )
            yield _at(data, group, version, "card_from", message, "card-from")


def _package_schema_problem(content: Mapping[str, Any]) -> str | None:
    error = next(iter(validator(Kind.PACKAGE_CONTENT).iter_errors(content)), None)
    if error is None:
        return None
    where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.path)
    return f"{where}: {explain(error)}"


def content_size(data: RuleInput) -> Iterator[Diagnostic]:
    """SageMaker refuses ModelCardContent longer than 100,000 characters."""
    for group, version in _versions(data):
        if version.card is None:
            continue
        size = len(json.dumps(version.card.content, separators=(",", ":"), ensure_ascii=False))
        if size > MAX_CONTENT_CHARS:
            message = (
                f"content is {size:,} characters as JSON; SageMaker accepts at most "
                f"{MAX_CONTENT_CHARS:,}"
            )
            yield _at(data, group, version, ("card", "content"), message, "content-size")


def approved_by_approved_card(data: RuleInput) -> Iterator[Diagnostic]:
    """``approval: Approved`` needs the version's card in git, and Approved."""
    cards = {c.name: c for c in data.cards}
    for group, version in _versions(data):
        if version.approval is not ApprovalStatus.APPROVED:
            continue
        status = _card_status(version, cards)
        if status is CardStatus.APPROVED:
            continue
        shown = f"its card is {status}" if status else "git declares no card for it"
        message = (
            f"version {version.number} is approved but {shown}: only an Approved card "
            "approves a model version; approve the card in the same change"
        )
        yield _at(data, group, version, "approval", message, "approval-needs-approved-card")


def _card_status(version: VersionSpec, cards: Mapping[str, CardSpec]) -> CardStatus | None:
    if version.card is not None:
        return version.card.status
    mirrored = cards.get(version.card_from or "")
    return mirrored.status if mirrored else None


def _versions(data: RuleInput) -> Iterator[tuple[GroupSpec, VersionSpec]]:
    for group in data.groups:
        for version in group.versions:
            yield group, version


def _at(
    data: RuleInput,
    group: GroupSpec,
    version: VersionSpec,
    where: str | tuple[str, ...],
    message: str,
    code: str,
) -> Diagnostic:
    """A diagnostic on a field of ``version`` in its group's file."""
    tail = (where,) if isinstance(where, str) else where
    return at(data.documents[group.file], (*version.path, *tail), message, code)


RULES: list[Rule] = [
    versions_unique,
    one_card_source,
    card_from_known,
    mirrored_cards_fit,
    content_size,
    approved_by_approved_card,
]
