"""Renderers for the sharing graph and the Model Registry beside it: Mermaid (GitHub draws
it in comments and issues), Graphviz DOT, and JSON (shape in docs/formats.md, versioned by
format_version); and the Mermaid picture of the part a plan or drift changes, for the
Markdown renderers. Every name and description may come from AWS: each is escaped for the
format it is written into, and a line break never ends a node's definition.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.graph.model import Edge, Graph, GraphChange, Kind, Node, VersionFacts
from reconciler.render import Registry
from reconciler.render.markdown import fenced

FORMAT_VERSION = "1"
OUTSIDE = "outside the Organization"
ADDED_STYLE = "stroke:#1a7f37,stroke-width:3px"
REMOVED_STYLE = "stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 5"
DESCRIPTION_CHARACTERS = 120  # of a group's description in a picture (JSON has it whole)
# What an edge between a card and a model version means, by the kinds of its ends.
RELATIONS = {(Kind.VERSION, Kind.CARD): "mirrors", (Kind.CARD, Kind.VERSION): "describes"}


@dataclass(frozen=True, kw_only=True)
class GraphReport:
    graph: Graph
    source: str  # "git" or "live"
    context: Mapping[str, str] = field(default_factory=dict)


GRAPHS: Registry[GraphReport] = Registry("graphs")


def ids(graph: Graph) -> dict[str, str]:
    """Short, stable node ids: c1, s1, a1 … in the graph's sorted order."""
    numbers: dict[Kind, int] = {}
    out: dict[str, str] = {}
    for key, node in graph.nodes.items():
        numbers[node.kind] = numbers.get(node.kind, 0) + 1
        out[key] = f"{node.kind.value[0]}{numbers[node.kind]}"
    return out


def label_lines(node: Node, before: Node | None = None) -> list[str]:
    """What a node says: its name, then its status or permission (``before → after`` when
    it changes); a principal by its account name and ID, and whether it is outside; a
    group by its description, a version by its approval, stage and card status."""
    if node.kind is Kind.ACCOUNT:
        name = f"{node.detail} ({node.name})" if node.detail else node.name
        return [name, OUTSIDE] if node.outside else [name]
    if node.kind is Kind.GROUP:
        return [node.name, shortened(node.detail or "no description")]
    if node.kind is Kind.VERSION:
        return [node.name, *_version_lines(node.version)]
    detail = node.detail or "none"
    if before is not None and before.detail != node.detail:
        detail = f"{before.detail} → {detail}"
    return [node.name, detail]


def shortened(text: str, limit: int = DESCRIPTION_CHARACTERS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _version_lines(facts: VersionFacts | None) -> list[str]:
    """What git declares (or AWS has) of a version; a part git leaves alone is left out."""
    if facts is None:
        return []
    stage = facts.stage
    parts = [
        ("approval", facts.approval),
        ("stage", f"{stage.stage} ({stage.status})" if stage else None),
        ("card", facts.card_status),
    ]
    return [f"{what}: {value}" for what, value in parts if value]


def relation(graph: Graph, edge: Edge) -> str | None:
    """``mirrors`` or ``describes`` for an edge between a model version and a card."""
    kinds = (graph.nodes[edge.source].kind, graph.nodes[edge.target].kind)
    return RELATIONS.get(kinds)


@GRAPHS.register("mermaid")
def mermaid(report: GraphReport) -> str:
    return "\n".join(_mermaid(report.graph, {}, frozenset(), frozenset())) + "\n"


def mermaid_change(change: GraphChange, title: str, legend: str) -> str:
    """A Markdown block: ``title``, a legend line, then the Mermaid picture of the change,
    added edges green and labelled, removed ones red, dashed and labelled."""
    before = {k: c.before for k, c in change.changed.items()}
    body = _mermaid(change.part, before, change.added, change.removed)
    return "\n".join([title, "", legend, "", *fenced(body, "mermaid"), ""])


def _mermaid(
    graph: Graph, before: Mapping[str, Node], added: frozenset[Edge], removed: frozenset[Edge]
) -> list[str]:
    names = ids(graph)
    nodes = [
        f"  {names[key]}{_SHAPES[node.kind].format(_mermaid_label(node, before.get(key)))}"
        for key, node in graph.nodes.items()
    ]
    edges, styles = _mermaid_edges(graph, names, added, removed)
    outside = [names[k] for k, n in graph.nodes.items() if n.outside]
    if outside:
        edges.append("  classDef outside stroke-dasharray:4 3,stroke-width:2px")
        edges.append(f"  class {','.join(outside)} outside")
    return ["flowchart LR", *nodes, *edges, *styles]


def _mermaid_label(node: Node, before: Node | None) -> str:
    return "<br/>".join(_mermaid_text(t) for t in label_lines(node, before))


def _mermaid_edges(
    graph: Graph, names: Mapping[str, str], added: frozenset[Edge], removed: frozenset[Edge]
) -> tuple[list[str], list[str]]:
    """An arrow per edge, added and removed ones labelled, and their link styles."""
    lines: list[str] = []
    styles: list[str] = []
    for number, edge in enumerate(graph.edges):
        change = "added" if edge in added else "removed" if edge in removed else None
        label = ", ".join(t for t in (relation(graph, edge), change) if t)
        arrow = ("-.->" if edge in removed else "-->") + (f"|{label}|" if label else "")
        lines.append(f"  {names[edge.source]} {arrow} {names[edge.target]}")
        if edge in added or edge in removed:
            style = ADDED_STYLE if edge in added else REMOVED_STYLE
            styles.append(f"  linkStyle {number} {style}")
    return lines, styles


_SHAPES = {
    Kind.CARD: '["{}"]',
    Kind.GROUP: '[("{}")]',  # a cylinder: the registry
    Kind.VERSION: '("{}")',
    Kind.SHARE: '(["{}"])',
    Kind.ACCOUNT: '{{{{"{}"}}}}',
}
# Mermaid's entity codes (#name; or #number;) for what would end or format a quoted label;
# "#" first, so that text that looks like an entity code is shown as written.
_MERMAID_CODES = {"#": "#35;", "&": "#amp;", '"': "#quot;", "<": "#lt;", "`": "#96;"}


def _mermaid_text(text: str) -> str:
    flat = " ".join(text.splitlines())  # a line break would end the node's definition
    return "".join(_MERMAID_CODES.get(c, c) for c in flat)


@GRAPHS.register("dot")
def dot(report: GraphReport) -> str:
    graph, names = report.graph, ids(report.graph)
    lines = ["digraph sharing {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    for key, node in graph.nodes.items():
        text = "\\n".join(_dot_text(t) for t in label_lines(node))
        style = ", style=dashed" if node.outside else ""
        lines.append(f'  {names[key]} [shape={_DOT_SHAPES[node.kind]}, label="{text}"{style}];')
    lines += [
        f"  {names[e.source]} -> {names[e.target]}{_dot_edge(graph, e)};" for e in graph.edges
    ]
    return "\n".join([*lines, "}"]) + "\n"


def _dot_edge(graph: Graph, edge: Edge) -> str:
    label = relation(graph, edge)
    return f' [label="{label}"]' if label else ""


_DOT_SHAPES = {
    Kind.CARD: "box",
    Kind.GROUP: "cylinder",
    Kind.VERSION: "box3d",
    Kind.SHARE: "ellipse",
    Kind.ACCOUNT: "hexagon",
}


def _dot_text(text: str) -> str:
    flat = " ".join(text.splitlines())  # one label line per line of the picture
    return flat.replace("\\", "\\\\").replace('"', '\\"')


@GRAPHS.register("json")
def as_json(report: GraphReport) -> str:
    graph = report.graph
    body = {
        "format_version": FORMAT_VERSION,
        "source": report.source,
        "context": dict(report.context),
        "cards": [{"name": n.name, "status": n.detail} for n in graph.of_kind(Kind.CARD)],
        "shares": [_share(graph, n) for n in graph.of_kind(Kind.SHARE)],
        "principals": [_principal(n) for n in graph.of_kind(Kind.ACCOUNT)],
        "groups": [_group(graph, n) for n in graph.of_kind(Kind.GROUP)],
        "versions": [_version(graph, n) for n in graph.of_kind(Kind.VERSION)],
    }
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _ends(graph: Graph, node: Node, kind: Kind, *, into: bool) -> list[Node]:
    """The nodes of ``kind`` at the other end of ``node``'s edges: those with an edge
    into it (``into``), or those it has an edge to."""
    nodes = graph.nodes
    if into:
        found = [nodes[e.source] for e in graph.edges if e.target == node.key]
    else:
        found = [nodes[e.target] for e in graph.edges if e.source == node.key]
    return [n for n in found if n.kind is kind]


def _share(graph: Graph, node: Node) -> dict[str, Any]:
    return {
        "name": node.name,
        "permission": node.detail,
        "cards": [n.name for n in _ends(graph, node, Kind.CARD, into=True)],
        "groups": [n.name for n in _ends(graph, node, Kind.GROUP, into=True)],
        "principals": [n.name for n in _ends(graph, node, Kind.ACCOUNT, into=False)],
    }


def _group(graph: Graph, node: Node) -> dict[str, Any]:
    versions = [_facts(n).number for n in _ends(graph, node, Kind.VERSION, into=False)]
    return {
        "name": node.name,
        "description": node.detail,
        "versions": sorted(versions),
        "shares": [n.name for n in _ends(graph, node, Kind.SHARE, into=False)],
    }


def _version(graph: Graph, node: Node) -> dict[str, Any]:
    facts = _facts(node)
    stage = facts.stage
    mirrors = _ends(graph, node, Kind.CARD, into=False)
    return {
        "group": facts.group,
        "version": facts.number,
        "approval": facts.approval,
        "stage": {"name": stage.stage, "status": stage.status} if stage else None,
        "card_status": facts.card_status,
        "mirrors": mirrors[0].name if mirrors else None,
        "described_by": [n.name for n in _ends(graph, node, Kind.CARD, into=True)],
    }


def _facts(node: Node) -> VersionFacts:
    """A version node's facts; a node known only by its key (<group>/<number>) has none."""
    if node.version is not None:
        return node.version
    group, _, number = node.name.rpartition("/")
    return VersionFacts(group=group, number=int(number) if number.isdigit() else 0)


def _principal(node: Node) -> dict[str, Any]:
    return {"principal": node.name, "account": node.detail, "outside_organization": node.outside}
