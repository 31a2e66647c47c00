"""Who sees which card: for each target, the sharing graph (the model `reconciler graph`
draws) as an inline SVG laid out by the tool, cards (and the model package groups shares
hold) → shares → principals in three columns, and the same facts as a table for those who
do not read pictures. Model versions are not part of the sharing graph: the registry is
drawn by `reconciler graph`."""

from __future__ import annotations

from reconciler.graph.model import Graph, Kind, Node
from reconciler.render.graph import label_lines
from reconciler.render.site.markup import el, table, text, void
from reconciler.render.site.page import page
from reconciler.reports.catalogue import Catalogue, TargetView

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 240, 44, 110, 14, 10
COLUMNS = ((Kind.CARD, Kind.GROUP), (Kind.SHARE,), (Kind.ACCOUNT,))  # left to right


def sharing_page(catalogue: Catalogue) -> str:
    body = [el("h1", "Who sees which card")]
    for target in catalogue.targets:
        body.append(_target(target))
    return page("Who sees which card", "".join(body))


def _target(target: TargetView) -> str:
    title = f"Target {target.name}: card account {target.account}, {target.region}"
    picture = el("figure", svg(target.graph, title), el("figcaption", text(title)))
    rows = [
        (text(n.name), text(n.detail or ""), text(", ".join(_seen(target.graph, n))))
        for n in target.graph.of_kind(Kind.ACCOUNT)
    ]
    listing = table(("Principal", "Account", "Cards it sees"), rows)
    return el("section", el("h2", text(title)), picture, listing, class_="target")


def _seen(graph: Graph, principal: Node) -> list[str]:
    """The cards the principal sees (its shares' other resources are not cards)."""
    shares = {e.source for e in graph.edges if e.target == principal.key}
    sources = {graph.nodes[e.source] for e in graph.edges if e.target in shares}
    return sorted(n.name for n in sources if n.kind is Kind.CARD)


def svg(graph: Graph, title: str) -> str:
    """The graph in three columns, an edge as a curve from its source's right side to its
    target's left side; a principal outside the Organization has a dashed red frame."""
    places = _places(graph)
    rows = max((sum(1 for n in graph.nodes.values() if n.kind in c) for c in COLUMNS), default=1)
    width = PAD * 2 + BOX_W * 3 + GAP_X * 2
    height = PAD * 2 + max(rows, 1) * (BOX_H + GAP_Y)
    drawn = [e for e in graph.edges if e.source in places and e.target in places]
    edges = [_edge(places[e.source], places[e.target]) for e in drawn]
    nodes = [_node(node, places[key]) for key, node in graph.nodes.items() if key in places]
    return el(
        "svg",
        el("title", text(title)),
        *edges,
        *nodes,
        viewBox=f"0 0 {width} {height}",
        width=width,
        height=height,
        role="img",
        aria_label=title,
        class_="sharing",
        xmlns="http://www.w3.org/2000/svg",
    )


def _places(graph: Graph) -> dict[str, tuple[float, float]]:
    """Where each node of the columns' kinds goes; other nodes are not drawn."""
    places: dict[str, tuple[float, float]] = {}
    for column, kinds in enumerate(COLUMNS):
        nodes = [n for kind in kinds for n in graph.of_kind(kind)]
        for row, node in enumerate(nodes):
            places[node.key] = (PAD + column * (BOX_W + GAP_X), PAD + row * (BOX_H + GAP_Y))
    return places


def _edge(start: tuple[float, float], end: tuple[float, float]) -> str:
    x1, y1 = start[0] + BOX_W, start[1] + BOX_H / 2
    x2, y2 = end[0], end[1] + BOX_H / 2
    middle = (x1 + x2) / 2
    path = f"M{x1:.0f},{y1:.0f} C{middle:.0f},{y1:.0f} {middle:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
    return void("path", d=path, class_="edge") + "</path>"


def _node(node: Node, place: tuple[float, float]) -> str:
    x, y = place
    lines = label_lines(node)
    box = void("rect", x=x, y=y, width=BOX_W, height=BOX_H, rx=6, class_=_classes(node)) + "</rect>"
    words = [
        el("text", text(_short(line)), x=x + 8, y=y + 18 + 16 * i, class_="label" if i else "name")
        for i, line in enumerate(lines[:2])
    ]
    return el(
        "g",
        el("title", text(" · ".join(lines))),
        box,
        *words,
        class_=f"node-{node.kind.value}",
        data_name=node.name,
    )


def _classes(node: Node) -> str:
    return "node outside" if node.outside else "node"


def _short(line: str) -> str:
    return line if len(line) <= 34 else line[:33] + "…"
