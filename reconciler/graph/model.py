"""The sharing graph as frozen values: nodes by key, edges card → share → account, and
beside them the Model Registry: group → version, a version → the card its card mirrors
(``card_from``), a card → the version it describes (its ``model_package_arn``) and a
group → the share that holds it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from reconciler.common.status import Lifecycle


class Kind(str, Enum):
    CARD = "card"
    GROUP = "group"  # a model package group
    VERSION = "version"  # a model version of a group, named <group>/<number>
    SHARE = "share"
    ACCOUNT = "account"


# Left to right in every picture: resources (cards, then the registry), shares, accounts.
ORDER = (Kind.CARD, Kind.GROUP, Kind.VERSION, Kind.SHARE, Kind.ACCOUNT)


@dataclass(frozen=True, kw_only=True)
class VersionFacts:
    """What a model version node says: its approval, lifecycle stage and embedded card's
    status (None where the version has none)."""

    group: str
    number: int
    approval: str | None = None
    stage: Lifecycle | None = None
    card_status: str | None = None


@dataclass(frozen=True, kw_only=True)
class Node:
    """A card (``detail`` its status), a share (its permission), a principal (``detail``
    its account name, if reconciler.yaml names it), a model package group (its
    description) or a model version (``version``: its approval, stage and card status)."""

    kind: Kind
    # card, share or group name; <group>/<number>; an account ID, or an Organization or OU ARN
    name: str
    detail: str | None = None
    outside: bool = False  # a principal outside the card account's Organization
    version: VersionFacts | None = None

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.name}"


@dataclass(frozen=True, order=True)
class Edge:
    """Card or group key → share key, share key → principal key, group key → version
    key, version key → card key (the version's card mirrors it) or card key → version key
    (the card describes it)."""

    source: str
    target: str


@dataclass(frozen=True, kw_only=True)
class Graph:
    """Nodes and edges, sorted by key, so renderings are deterministic."""

    nodes: Mapping[str, Node]
    edges: tuple[Edge, ...]

    @staticmethod
    def of(nodes: Iterable[Node], edges: Iterable[Edge]) -> Graph:
        edges = set(edges)
        known = {n.key: n for n in nodes}
        for key in {k for e in edges for k in (e.source, e.target)} - set(known):
            kind, name = key.split(":", 1)  # an end no reader described: name only
            known[key] = Node(kind=Kind(kind), name=name)
        ordered = sorted(known.values(), key=lambda n: (ORDER.index(n.kind), n.name))
        return Graph(nodes={n.key: n for n in ordered}, edges=tuple(sorted(edges)))

    def of_kind(self, kind: Kind) -> list[Node]:
        return [n for n in self.nodes.values() if n.kind is kind]


@dataclass(frozen=True, kw_only=True)
class NodeChange:
    """A node in both graphs whose status (a card) or permission (a share) changed."""

    key: str
    before: Node
    after: Node


@dataclass(frozen=True, kw_only=True)
class GraphChange:
    """What changes between two graphs: ``part`` holds the nodes involved (from ``after``,
    or ``before`` for those that go) with every edge between them, old and new."""

    part: Graph
    added: frozenset[Edge]
    removed: frozenset[Edge]
    changed: Mapping[str, NodeChange]


def compare(before: Graph, after: Graph) -> GraphChange | None:
    """The part of the graph that changes, or None when nothing in it does."""
    added = frozenset(after.edges) - frozenset(before.edges)
    removed = frozenset(before.edges) - frozenset(after.edges)
    changed = {
        key: NodeChange(key=key, before=before.nodes[key], after=node)
        for key, node in after.nodes.items()
        if key in before.nodes and before.nodes[key].detail != node.detail
    }
    if not (added or removed or changed):
        return None
    keys = {k for e in added | removed for k in (e.source, e.target)} | set(changed)
    keys |= _downstream(keys, before, after)
    nodes = [after.nodes.get(k) or before.nodes[k] for k in keys]
    edges = [e for e in {*before.edges, *after.edges} if e.source in keys and e.target in keys]
    part = Graph.of(nodes, edges)
    return GraphChange(part=part, added=added, removed=removed, changed=changed)


def _downstream(keys: set[str], *graphs: Graph) -> set[str]:
    """The shares a changed card is in and the principals a changed share reaches, so the
    picture shows who sees the change."""
    found: set[str] = set()
    for _ in range(2):  # card → share → principal
        for graph in graphs:
            found |= {e.target for e in graph.edges if e.source in keys | found}
    return found
