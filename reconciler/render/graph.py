"""Renderers for the sharing graph: Mermaid (GitHub draws it in comments and issues),
Graphviz DOT, and JSON (shape in docs/formats.md, versioned by format_version); and the
Mermaid picture of the part a plan or drift changes, for the Markdown renderers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.graph.model import Edge, Graph, GraphChange, Kind, Node
from reconciler.render import Registry
from reconciler.render.markdown import fenced

FORMAT_VERSION = "1"
OUTSIDE = "outside the Organization"
ADDED_STYLE = "stroke:#1a7f37,stroke-width:3px"
REMOVED_STYLE = "stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 5"


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
    it changes); a principal by its account name and ID, and whether it is outside."""
    if node.kind is Kind.ACCOUNT:
        name = f"{node.detail} ({node.name})" if node.detail else node.name
        return [name, OUTSIDE] if node.outside else [name]
    detail = node.detail or "none"
    if before is not None and before.detail != node.detail:
        detail = f"{before.detail} → {detail}"
    return [node.name, detail]


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
        arrow = "-->|added|" if edge in added else "-.->|removed|" if edge in removed else "-->"
        lines.append(f"  {names[edge.source]} {arrow} {names[edge.target]}")
        if edge in added or edge in removed:
            style = ADDED_STYLE if edge in added else REMOVED_STYLE
            styles.append(f"  linkStyle {number} {style}")
    return lines, styles


_SHAPES = {Kind.CARD: '["{}"]', Kind.SHARE: '(["{}"])', Kind.ACCOUNT: '{{{{"{}"}}}}'}


def _mermaid_text(text: str) -> str:
    flat = " ".join(text.splitlines())  # a line break would end the node's definition
    return flat.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;")


@GRAPHS.register("dot")
def dot(report: GraphReport) -> str:
    graph, names = report.graph, ids(report.graph)
    lines = ["digraph sharing {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    for key, node in graph.nodes.items():
        text = "\\n".join(_dot_text(t) for t in label_lines(node))
        style = ", style=dashed" if node.outside else ""
        lines.append(f'  {names[key]} [shape={_DOT_SHAPES[node.kind]}, label="{text}"{style}];')
    lines += [f"  {names[e.source]} -> {names[e.target]};" for e in graph.edges]
    return "\n".join([*lines, "}"]) + "\n"


_DOT_SHAPES = {Kind.CARD: "box", Kind.SHARE: "ellipse", Kind.ACCOUNT: "hexagon"}


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


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
    }
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _share(graph: Graph, node: Node) -> dict[str, Any]:
    nodes = graph.nodes
    return {
        "name": node.name,
        "permission": node.detail,
        "cards": [nodes[e.source].name for e in graph.edges if e.target == node.key],
        "principals": [nodes[e.target].name for e in graph.edges if e.source == node.key],
    }


def _principal(node: Node) -> dict[str, Any]:
    return {"principal": node.name, "account": node.detail, "outside_organization": node.outside}
