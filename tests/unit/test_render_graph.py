"""render.graph: the sharing graph in Mermaid, DOT and JSON, and the Mermaid picture of
what a plan or drift changes. The example's full renderings are golden files
(tests/golden/graph); here, small graphs show each rule: ids, labels, shapes, escaping,
outside principals, and added and removed edges."""

from __future__ import annotations

import json

import pytest

from reconciler.common.status import Lifecycle
from reconciler.graph.model import Edge, Graph, Kind, Node, VersionFacts, compare
from reconciler.render.graph import (
    ADDED_STYLE,
    GRAPHS,
    REMOVED_STYLE,
    GraphReport,
    ids,
    label_lines,
    mermaid_change,
)

CARD = Node(kind=Kind.CARD, name="Churn", detail="Draft")
OTHER = Node(kind=Kind.CARD, name="Fraud", detail="Approved")
SHARE = Node(kind=Kind.SHARE, name="dev", detail="read-only")
INSIDE = Node(kind=Kind.ACCOUNT, name="333333333333", detail="test")
OUTSIDE = Node(kind=Kind.ACCOUNT, name="222222222222", detail="dev", outside=True)
EDGES = [Edge(CARD.key, SHARE.key), Edge(SHARE.key, INSIDE.key)]
GROUP = Node(kind=Kind.GROUP, name="Churn-Models", detail="churn")
FACTS = VersionFacts(
    group="Churn-Models",
    number=2,
    approval="Approved",
    stage=Lifecycle(stage="Production", status="Approved"),
    card_status="Approved",
)
VERSION = Node(kind=Kind.VERSION, name="Churn-Models/2", version=FACTS)
GRAPH = Graph.of([CARD, SHARE, INSIDE], EDGES)


def render(fmt: str, graph: Graph = GRAPH) -> str:
    return GRAPHS.get(fmt)(GraphReport(graph=graph, source="git", context={"region": "r"}))


def test_ids_count_each_kind_in_the_graphs_order() -> None:
    graph = Graph.of([OTHER, CARD, SHARE, OUTSIDE, INSIDE], [])
    assert ids(graph) == {
        "card:Churn": "c1",
        "card:Fraud": "c2",
        "share:dev": "s1",
        "account:222222222222": "a1",
        "account:333333333333": "a2",
    }


LABELS = [
    pytest.param(CARD, None, ["Churn", "Draft"], id="a-card-and-its-status"),
    pytest.param(SHARE, None, ["dev", "read-only"], id="a-share-and-its-permission"),
    pytest.param(Node(kind=Kind.SHARE, name="x"), None, ["x", "none"], id="nothing-known"),
    pytest.param(
        OTHER,
        Node(kind=Kind.CARD, name="Fraud", detail="PendingReview"),
        ["Fraud", "PendingReview → Approved"],
        id="a-status-that-changes",
    ),
    pytest.param(OTHER, OTHER, ["Fraud", "Approved"], id="a-status-that-stays"),
    pytest.param(INSIDE, None, ["test (333333333333)"], id="a-named-account"),
    pytest.param(OUTSIDE, None, ["dev (222222222222)", "outside the Organization"], id="outside"),
    pytest.param(
        Node(kind=Kind.ACCOUNT, name="999999999999"), None, ["999999999999"], id="unnamed"
    ),
    pytest.param(GROUP, None, ["Churn-Models", "churn"], id="a-group-and-its-description"),
    pytest.param(
        Node(kind=Kind.GROUP, name="g", detail=" a\n b " + "x" * 200),
        None,
        ["g", "a b " + "x" * 115 + "…"],
        id="a-long-description-on-one-line",
    ),
    pytest.param(Node(kind=Kind.GROUP, name="g"), None, ["g", "no description"], id="none"),
    pytest.param(
        VERSION,
        None,
        [
            "Churn-Models/2",
            "approval: Approved",
            "stage: Production (Approved)",
            "card: Approved",
        ],
        id="a-version",
    ),
    pytest.param(
        Node(kind=Kind.VERSION, name="g/3", version=VersionFacts(group="g", number=3)),
        None,
        ["g/3"],
        id="a-version-git-declares-nothing-of",
    ),
]


@pytest.mark.parametrize(("node", "before", "lines"), LABELS)
def test_label_lines(node: Node, before: Node | None, lines: list[str]) -> None:
    assert label_lines(node, before) == lines


def test_mermaid_draws_cards_as_boxes_shares_as_stadiums_and_accounts_as_hexagons() -> None:
    assert render("mermaid") == (
        "flowchart LR\n"
        '  c1["Churn<br/>Draft"]\n'
        '  s1(["dev<br/>read-only"])\n'
        '  a1{{"test (333333333333)"}}\n'
        "  c1 --> s1\n"
        "  s1 --> a1\n"
    )


def test_mermaid_marks_outside_principals_with_a_class() -> None:
    graph = Graph.of([SHARE, OUTSIDE, INSIDE], [Edge(SHARE.key, OUTSIDE.key)])
    lines = render("mermaid", graph).splitlines()
    assert lines[-2:] == [
        "  classDef outside stroke-dasharray:4 3,stroke-width:2px",
        "  class a1 outside",
    ]


def test_mermaid_escapes_what_would_end_a_label() -> None:
    odd = Node(kind=Kind.CARD, name='A&B "<x>"', detail="Draft")
    assert '  c1["A#amp;B #quot;#lt;x>#quot;<br/>Draft"]' in render("mermaid", Graph.of([odd], []))


def test_mermaid_codes_what_could_format_a_label_or_look_like_a_code() -> None:
    odd = Node(kind=Kind.GROUP, name="g", detail="#quot; `**x**` #35;")
    shown = render("mermaid", Graph.of([odd], []))
    assert '  g1[("g<br/>#35;quot; #96;**x**#96; #35;35;")]' in shown


def test_version_edges_say_which_way_a_card_and_a_version_are_linked() -> None:
    edges = [
        Edge(GROUP.key, VERSION.key),
        Edge(CARD.key, VERSION.key),
        Edge(VERSION.key, OTHER.key),
        Edge(GROUP.key, SHARE.key),
    ]
    graph = Graph.of([CARD, OTHER, GROUP, VERSION, SHARE], edges)
    assert [x for x in render("mermaid", graph).splitlines() if "-->" in x] == [
        "  c1 -->|describes| v1",
        "  g1 --> s1",
        "  g1 --> v1",
        "  v1 -->|mirrors| c2",
    ]
    assert [x for x in render("dot", graph).splitlines() if "->" in x] == [
        '  c1 -> v1 [label="describes"];',
        "  g1 -> s1;",
        "  g1 -> v1;",
        '  v1 -> c2 [label="mirrors"];',
    ]
    body = json.loads(render("json", graph))
    assert body["shares"][0]["cards"] == [] and body["shares"][0]["groups"] == ["Churn-Models"]
    assert body["groups"] == [
        {"name": "Churn-Models", "description": "churn", "versions": [2], "shares": ["dev"]}
    ]
    assert body["versions"][0] | {"stage": None} == {
        "group": "Churn-Models",
        "version": 2,
        "approval": "Approved",
        "stage": None,
        "card_status": "Approved",
        "mirrors": "Fraud",
        "described_by": ["Churn"],
    }


def test_dot_keeps_each_label_on_its_line() -> None:
    odd = Node(kind=Kind.GROUP, name="g", detail='a"\nb\r\nc\\')
    assert '  g1 [shape=cylinder, label="g\\na\\" b c\\\\"];' in render("dot", Graph.of([odd], []))


def test_a_change_is_pictured_with_added_edges_green_and_removed_ones_red_and_dashed() -> None:
    before = Graph.of([CARD, SHARE, INSIDE], EDGES)
    approved = Node(kind=Kind.CARD, name="Churn", detail="Approved")
    after = Graph.of([approved, SHARE, OUTSIDE], [EDGES[0], Edge(SHARE.key, OUTSIDE.key)])
    change = compare(before, after)
    assert change is not None
    lines = mermaid_change(change, "#### Sharing", "legend").splitlines()
    assert lines[:5] == ["#### Sharing", "", "legend", "", "```mermaid"]
    assert lines[-1] == "```"
    assert '  c1["Churn<br/>Draft → Approved"]' in lines
    edges = [line for line in lines if "-->" in line or "-.->" in line]
    assert edges == ["  c1 --> s1", "  s1 -->|added| a1", "  s1 -.->|removed| a2"]
    assert f"  linkStyle 1 {ADDED_STYLE}" in lines
    assert f"  linkStyle 2 {REMOVED_STYLE}" in lines


def test_dot_draws_the_same_graph_with_escaped_labels_and_dashed_outsiders() -> None:
    odd = Node(kind=Kind.CARD, name='a"b\\c', detail="Draft")
    graph = Graph.of(
        [odd, SHARE, OUTSIDE], [Edge(odd.key, SHARE.key), Edge(SHARE.key, OUTSIDE.key)]
    )
    assert render("dot", graph) == (
        "digraph sharing {\n"
        "  rankdir=LR;\n"
        '  node [fontname="Helvetica"];\n'
        '  c1 [shape=box, label="a\\"b\\\\c\\nDraft"];\n'
        '  s1 [shape=ellipse, label="dev\\nread-only"];\n'
        '  a1 [shape=hexagon, label="dev (222222222222)\\noutside the Organization", '
        "style=dashed];\n"
        "  c1 -> s1;\n"
        "  s1 -> a1;\n"
        "}\n"
    )


def test_json_lists_cards_shares_with_their_members_and_principals() -> None:
    graph = Graph.of([CARD, OTHER, SHARE, INSIDE, OUTSIDE], [*EDGES, Edge(SHARE.key, OUTSIDE.key)])
    assert json.loads(render("json", graph)) == {
        "format_version": "1",
        "source": "git",
        "context": {"region": "r"},
        "cards": [{"name": "Churn", "status": "Draft"}, {"name": "Fraud", "status": "Approved"}],
        "shares": [
            {
                "name": "dev",
                "permission": "read-only",
                "cards": ["Churn"],
                "groups": [],
                "principals": ["222222222222", "333333333333"],
            }
        ],
        "principals": [
            {"principal": "222222222222", "account": "dev", "outside_organization": True},
            {"principal": "333333333333", "account": "test", "outside_organization": False},
        ],
        "groups": [],
        "versions": [],
    }


def test_the_formats() -> None:
    assert GRAPHS.names() == ["dot", "json", "mermaid"]
