"""The catalogue: every card the repository manages, per target, as people browse it (the
records `reconciler site` renders). Pure.

From git alone an entry holds the card as declared, who its shares give it to, whether it
holds its promotion gates (``desired.gates``) and the commit that last changed its file.
With live state it also holds what AWS has: status, version, every version with its
commit, the drift that concerns it and its PDF export; then the content shown, the gates
checked and who sees the card are AWS's, since that is what readers of the card see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.common.status import CardStatus
from reconciler.desired.gates import Outcome, outcomes
from reconciler.desired.model import CardSpec, Config
from reconciler.graph.model import Graph, Kind
from reconciler.live.model import TracedVersion
from reconciler.plan.address import Address
from reconciler.reports.drift import DriftItem

FROM_GIT, FROM_LIVE = "git", "live"


@dataclass(frozen=True, kw_only=True)
class LastChange:
    """The last commit that changed a card's file."""

    commit: str
    author: str
    date: str  # ISO 8601, as git records it
    subject: str


@dataclass(frozen=True, kw_only=True)
class Access:
    """One principal that sees a card through one share, with the share's permission."""

    share: str
    permission: str
    principal: str  # an account ID, or an Organization or OU ARN
    account: str | None  # its name in reconciler.yaml, if it has one
    outside: bool  # outside the card account's Organization


@dataclass(frozen=True, kw_only=True)
class LiveFacts:
    """What AWS has of a card: ``status`` None when the card is not there."""

    status: CardStatus | None
    version: int | None = None
    versions: tuple[TracedVersion, ...] = ()  # newest first
    drift: tuple[DriftItem, ...] = ()
    pdf: str | None = None  # the site's copy of the current version's PDF, relative
    export_uri: str | None = None  # where that PDF is in S3


@dataclass(frozen=True, kw_only=True)
class CardEntry:
    """One card of one target."""

    name: str
    target: str
    status: CardStatus  # as git declares it
    file: str
    page: str  # the card's page in the site, relative to its root
    content: Mapping[str, Any]
    access: tuple[Access, ...]
    gates: tuple[Outcome, ...]
    last_change: LastChange | None
    live: LiveFacts | None = None

    @property
    def shown_status(self) -> CardStatus | None:
        """The status a reader meets: AWS's with live state (None: not in AWS), else git's."""
        return self.live.status if self.live is not None else self.status

    @property
    def owner(self) -> str:
        return _text(self.content, "model_overview", "model_owner")

    @property
    def risk_rating(self) -> str:
        return _text(self.content, "intended_uses", "risk_rating")

    @property
    def passes_gates(self) -> bool:
        return all(o.held for o in self.gates)

    @property
    def drifted(self) -> bool | None:
        """Whether live state differs from git for this card (None: not known, from git)."""
        return bool(self.live.drift) if self.live is not None else None


@dataclass(frozen=True, kw_only=True)
class TargetView:
    """One target: its card account and region, and who sees which of its cards."""

    name: str
    region: str
    account: str
    graph: Graph


@dataclass(frozen=True, kw_only=True)
class Catalogue:
    cards: tuple[CardEntry, ...]  # by target, then name
    targets: tuple[TargetView, ...]
    source: str  # FROM_GIT or FROM_LIVE
    commit: str | None = None  # the commit the site was built from

    @property
    def accounts(self) -> list[tuple[str, str | None]]:
        """Every principal that sees a card, with its name: (principal, name), sorted."""
        found = {(a.principal, a.account) for c in self.cards for a in c.access}
        return sorted(found)


def _text(content: Mapping[str, Any], section: str, key: str) -> str:
    part = content.get(section)
    value = part.get(key) if isinstance(part, Mapping) else None
    return str(value) if value is not None else ""


def access_of(graph: Graph, card: str) -> tuple[Access, ...]:
    """Who sees ``card`` in ``graph``: each share that holds it and each of its principals."""
    key = f"{Kind.CARD.value}:{card}"
    found = []
    shares = [graph.nodes[e.target] for e in graph.edges if e.source == key]
    for share in (s for s in shares if s.kind is Kind.SHARE):
        for edge in (e for e in graph.edges if e.source == share.key):
            node = graph.nodes[edge.target]
            found.append(
                Access(
                    share=share.name,
                    permission=share.detail or "",
                    principal=node.name,
                    account=node.detail,
                    outside=node.outside,
                )
            )
    return tuple(sorted(found, key=lambda a: (a.principal, a.share)))


def gates_of(config: Config, card: CardSpec, content: Mapping[str, Any]) -> tuple[Outcome, ...]:
    """How ``content`` stands against what the card's declared status requires."""
    required = config.requirements.get(card.status, ())
    return tuple(outcomes(required, content, card.gate_exceptions))


def drift_of(items: Iterable[DriftItem], card: str, shares: Iterable[str]) -> tuple[DriftItem, ...]:
    """The drift items about ``card`` itself and about the shares that hold it."""
    addresses = {str(Address.card(card)), *(str(Address.share(s)) for s in shares)}
    return tuple(i for i in items if i.address in addresses)
