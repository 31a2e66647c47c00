"""render.site.sharing: the catalogue's picture of who sees which card keeps three
columns when the graph holds the Model Registry: model package groups a share holds sit
with the cards, versions are left to `reconciler graph`, and a principal's row lists the
cards it sees, not the groups."""

from __future__ import annotations

import re

from reconciler.graph.model import Edge, Graph, Kind, Node, VersionFacts
from reconciler.render.site.sharing import BOX_W, GAP_X, PAD, _seen, svg

CARD = Node(kind=Kind.CARD, name="Churn", detail="Approved")
GROUP = Node(kind=Kind.GROUP, name="Churn-Models", detail="churn")
VERSION = Node(
    kind=Kind.VERSION, name="Churn-Models/2", version=VersionFacts(group="Churn-Models", number=2)
)
SHARE = Node(kind=Kind.SHARE, name="prod", detail="read-only")
ACCOUNT = Node(kind=Kind.ACCOUNT, name="444444444444", detail="prod")
GRAPH = Graph.of(
    [CARD, GROUP, VERSION, SHARE, ACCOUNT],
    [
        Edge(CARD.key, SHARE.key),
        Edge(GROUP.key, SHARE.key),
        Edge(GROUP.key, VERSION.key),
        Edge(CARD.key, VERSION.key),
        Edge(SHARE.key, ACCOUNT.key),
    ],
)


def _columns(drawn: str) -> dict[str, float]:
    """Each drawn node's x, by its kind and name."""
    found = re.findall(
        r'<g class="node-(\w+)" data-name="([^"]+)"><title>[^<]*</title><rect x="([\d.]+)"', drawn
    )
    return {f"{kind}:{name}": float(x) for kind, name, x in found}


def test_groups_sit_with_the_cards_and_versions_are_not_drawn() -> None:
    drawn = svg(GRAPH, "t")
    assert _columns(drawn) == {
        "card:Churn": PAD,
        "group:Churn-Models": PAD,
        "share:prod": PAD + BOX_W + GAP_X,
        "account:444444444444": PAD + 2 * (BOX_W + GAP_X),
    }
    assert drawn.count('class="edge"') == 3  # card → share, group → share, share → account


def test_a_principal_sees_the_cards_of_its_shares_only() -> None:
    assert _seen(GRAPH, ACCOUNT) == ["Churn"]
