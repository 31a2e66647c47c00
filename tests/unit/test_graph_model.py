"""The sharing graph's comparison: which edges and nodes change, and the part pictured."""

from __future__ import annotations

from reconciler.graph.model import Edge, Graph, Kind, Node, compare

CARD = Node(kind=Kind.CARD, name="churn", detail="Draft")
DEV = Node(kind=Kind.SHARE, name="dev", detail="read-only")
PROD = Node(kind=Kind.SHARE, name="prod", detail="read-only")
ACCOUNT = Node(kind=Kind.ACCOUNT, name="444444444444", detail="prod")
OTHER = Node(kind=Kind.CARD, name="fraud", detail="Approved")


def graph(*edges: Edge, card: Node = CARD) -> Graph:
    return Graph.of([card, DEV, PROD, ACCOUNT, OTHER], edges)


BASE = (Edge(CARD.key, DEV.key), Edge(PROD.key, ACCOUNT.key), Edge(OTHER.key, PROD.key))


def test_the_same_graph_changes_nothing() -> None:
    assert compare(graph(*BASE), graph(*BASE)) is None


def test_a_promotion_adds_an_edge_and_changes_the_card_status() -> None:
    approved = Node(kind=Kind.CARD, name="churn", detail="Approved")
    after = graph(*BASE, Edge(CARD.key, PROD.key), card=approved)
    change = compare(graph(*BASE), after)
    assert change is not None
    assert change.added == {Edge(CARD.key, PROD.key)} and not change.removed
    assert change.changed[CARD.key].before.detail == "Draft"
    # the card, the shares it is in, and who the share reaches; not the untouched card
    assert list(change.part.nodes) == [CARD.key, DEV.key, PROD.key, ACCOUNT.key]
    assert Edge(OTHER.key, PROD.key) not in change.part.edges


def test_a_removed_principal_is_a_removed_edge() -> None:
    change = compare(graph(*BASE), graph(*BASE[:1], BASE[2]))
    assert change is not None
    assert change.removed == {Edge(PROD.key, ACCOUNT.key)} and not change.added
    assert set(change.part.nodes) == {PROD.key, ACCOUNT.key}


def test_an_edge_to_an_unknown_end_gets_a_node_named_by_its_key() -> None:
    made = Graph.of([DEV], [Edge("card:ghost", DEV.key)])
    assert made.nodes["card:ghost"] == Node(kind=Kind.CARD, name="ghost")
