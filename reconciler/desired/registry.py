"""The Model Registry as git declares it: model package groups, and per model version the
embedded model card, the approval and the lifecycle stage, as frozen values.

A version's card is written in the registry file (``card``) or mirrors a card of
``cards/`` (``card_from``); ``resolve`` turns the second into the first, leaving out what
the model package card schema lacks (``PACKAGE_CARD_SECTIONS``, ``PACKAGE_CARD_OVERVIEW``,
checked against the vendored schema by the tests) and recording which paths it left out,
so the plan can list them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from reconciler.common.status import ApprovalStatus, CardStatus, Lifecycle
from reconciler.desired.gates import segment, split_path

if TYPE_CHECKING:  # model imports this module for DesiredState
    from reconciler.desired.model import CardSpec

# The top-level sections, and the model_overview fields, of the model package card schema
# (schema/model-package-card-content.schema.json).
PACKAGE_CARD_SECTIONS = (
    "model_overview",
    "intended_uses",
    "business_details",
    "training_details",
    "evaluation_details",
    "additional_information",
)
PACKAGE_CARD_OVERVIEW = ("model_creator", "model_artifact")


@dataclass(frozen=True, kw_only=True)
class EmbeddedCard:
    """The model card of a model version (``ModelPackageModelCard``)."""

    status: CardStatus
    content: Mapping[str, Any]
    ignore: tuple[str, ...] = ()
    mirrors: str | None = None  # the card of cards/ it mirrors (card_from)
    left_out: tuple[str, ...] = ()  # that card's paths the package card schema lacks
    gate_exceptions: Mapping[str, str] = field(default_factory=dict)  # requirement id → why


@dataclass(frozen=True, kw_only=True)
class VersionSpec:
    """One model version git manages; ``index`` is its place in the file's ``versions``."""

    number: int
    index: int
    approval: ApprovalStatus | None = None
    approval_description: str | None = None
    stage: Lifecycle | None = None
    card: EmbeddedCard | None = None
    card_from: str | None = None

    @property
    def path(self) -> tuple[str | int, ...]:
        """Where the version is declared in its file."""
        return ("versions", self.index)


@dataclass(frozen=True, eq=False, kw_only=True)
class GroupSpec:
    """A model package group and the versions of it that git manages."""

    name: str
    file: str
    versions: tuple[VersionSpec, ...]
    description: str | None = None
    tags: Mapping[str, str] | None = None  # None: git leaves the group's tags alone
    targets: tuple[str, ...] = ()  # empty: every target

    def version(self, number: int) -> VersionSpec | None:
        return next((v for v in self.versions if v.number == number), None)


def group_from(data: Mapping[str, Any], file: str) -> GroupSpec:
    """Build a GroupSpec from a schema-valid registry document."""
    return GroupSpec(
        name=data["name"],
        file=file,
        versions=tuple(_version(i, v) for i, v in enumerate(data["versions"])),
        description=data.get("description"),
        tags=dict(data["tags"]) if "tags" in data else None,
        targets=tuple(data.get("targets") or ()),
    )


def _version(index: int, raw: Mapping[str, Any]) -> VersionSpec:
    approval = raw.get("approval")
    return VersionSpec(
        number=raw["version"],
        index=index,
        approval=ApprovalStatus(approval) if approval else None,
        approval_description=raw.get("approval_description"),
        stage=_lifecycle(raw.get("stage")),
        card=_card(raw.get("card")),
        card_from=raw.get("card_from"),
    )


def _lifecycle(raw: Mapping[str, Any] | None) -> Lifecycle | None:
    if raw is None:
        return None
    return Lifecycle(stage=raw["name"], status=raw["status"], description=raw.get("description"))


def _card(raw: Mapping[str, Any] | None) -> EmbeddedCard | None:
    if raw is None:
        return None
    return EmbeddedCard(
        status=CardStatus(raw["status"]),
        content=raw["content"],
        ignore=tuple(raw.get("ignore") or ()),
        gate_exceptions=dict(raw.get("gate_exceptions") or {}),
    )


def resolve(groups: Mapping[str, GroupSpec], cards: Mapping[str, CardSpec]) -> dict[str, GroupSpec]:
    """The groups with each ``card_from`` version's card mirrored from its card of git
    (a name git lacks is a validation error, so it is left unresolved here)."""
    return {name: _resolved(group, cards) for name, group in groups.items()}


def _resolved(group: GroupSpec, cards: Mapping[str, CardSpec]) -> GroupSpec:
    versions = tuple(
        replace(v, card=mirrored(cards[v.card_from])) if v.card_from and v.card_from in cards else v
        for v in group.versions
    )
    return replace(group, versions=versions)


def mirrored(card: CardSpec) -> EmbeddedCard:
    """A card of cards/ as a model version's card: its status, and its content without
    what the model package card schema lacks."""
    content, left_out = package_card_content(card.content)
    return EmbeddedCard(
        status=card.status,
        content=content,
        ignore=card.ignore,
        mirrors=card.name,
        left_out=left_out,
        gate_exceptions=card.gate_exceptions,
    )


def in_package_card(path: str) -> bool:
    """Whether a content path (a gate's ``path``) names a field the model package card
    schema has: a requirement on another (``model_overview.model_owner``) cannot apply to
    a model version's card."""
    keys = [found["key"] if (found := segment(part)) else part for part in split_path(path)]
    if keys[0] not in PACKAGE_CARD_SECTIONS:
        return False
    return keys[0] != "model_overview" or len(keys) == 1 or keys[1] in PACKAGE_CARD_OVERVIEW


def package_card_content(content: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """``content`` reduced to the model package card schema's fields, and the dotted paths
    left out."""
    kept = {k: v for k, v in content.items() if k in PACKAGE_CARD_SECTIONS}
    left_out = [k for k in content if k not in PACKAGE_CARD_SECTIONS]
    overview = kept.get("model_overview")
    if isinstance(overview, Mapping):
        kept["model_overview"] = {k: v for k, v in overview.items() if k in PACKAGE_CARD_OVERVIEW}
        left_out += [f"model_overview.{k}" for k in overview if k not in PACKAGE_CARD_OVERVIEW]
    return kept, tuple(sorted(left_out))
