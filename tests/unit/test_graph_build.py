"""graph.build: the sharing graph read from git or from live state the same way, and the
part of it a plan (live → git) or drift (git → live) changes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reconciler.common.status import CardStatus
from reconciler.graph.build import (
    drift_change,
    from_git,
    from_live,
    permission_names,
    plan_change,
    principal,
)
from reconciler.graph.model import Edge, Kind, Node
from reconciler.live.model import LiveAssociation
from tests.unit.builders import (
    ARNS,
    CARD,
    CARD_ARN,
    DEV,
    MANAGED,
    PROD,
    READ_ONLY,
    TEST,
    applied,
    associated,
    example,
    live_share,
    live_with,
    share_arn,
    share_as_applied,
    with_card,
)

GIT = example()
CONFIG = GIT.config
LIVE = applied(GIT)
ORG = "arn:aws:organizations::111111111111:organization/o-abcdefghij"
OUTSIDER = "999999999999"


def edge(source: str, target: str) -> Edge:
    return Edge(source, target)


def test_the_git_graph_of_the_example() -> None:
    """The Draft card is in churn-dev only; every share reaches its one account, and dev
    (external in reconciler.yaml) is marked outside the Organization."""
    graph = from_git(GIT)
    assert list(graph.nodes.values()) == [
        Node(kind=Kind.CARD, name=CARD, detail="Draft"),
        Node(kind=Kind.SHARE, name="churn-dev", detail="AWSRAMPermissionSageMakerModelCards"),
        Node(kind=Kind.SHARE, name="churn-prod", detail="read-only"),
        Node(kind=Kind.SHARE, name="churn-test", detail="AWSRAMPermissionSageMakerModelCards"),
        Node(kind=Kind.ACCOUNT, name=DEV, detail="dev", outside=True),
        Node(kind=Kind.ACCOUNT, name=TEST, detail="test"),
        Node(kind=Kind.ACCOUNT, name=PROD, detail="prod"),
    ]
    assert graph.edges == (
        edge(f"card:{CARD}", "share:churn-dev"),
        edge("share:churn-dev", f"account:{DEV}"),
        edge("share:churn-prod", f"account:{PROD}"),
        edge("share:churn-test", f"account:{TEST}"),
    )


@pytest.mark.parametrize("status", list(CardStatus), ids=lambda s: s.value)
def test_live_state_as_applied_reads_as_the_git_graph(status: CardStatus) -> None:
    git = with_card(GIT, status=status)
    assert from_live(applied(git), CONFIG) == from_git(git)


def test_a_live_graph_keeps_only_the_shares_asked_for() -> None:
    graph = from_live(LIVE, CONFIG, keep=lambda s: s.name == "churn-prod")
    assert [n.key for n in graph.of_kind(Kind.SHARE)] == ["share:churn-prod"]
    assert [n.name for n in graph.of_kind(Kind.CARD)] == [CARD]  # cards are always there
    assert [n.name for n in graph.of_kind(Kind.ACCOUNT)] == [PROD]


def test_live_associations_that_are_not_in_force_are_not_edges() -> None:
    live = live_share(
        LIVE,
        "churn-dev",
        resources=associated(CARD_ARN, status="DISASSOCIATING"),
        principals=(
            LiveAssociation(entity=DEV, status="FAILED"),
            LiveAssociation(entity=TEST, status="ASSOCIATING"),
        ),
    )
    edges = {e for e in from_live(live, CONFIG).edges if "churn-dev" in e.source + e.target}
    assert edges == {edge("share:churn-dev", f"account:{TEST}")}


def test_a_shared_card_not_in_the_live_cards_is_named_by_its_arn() -> None:
    other = ARNS.card("Fraud")
    live = live_share(LIVE, "churn-dev", resources=associated(other))
    graph = from_live(live, CONFIG)
    assert edge("card:Fraud", "share:churn-dev") in graph.edges
    assert graph.nodes["card:Fraud"] == Node(kind=Kind.CARD, name="Fraud")  # no status known


def test_an_account_ram_calls_external_is_outside_even_if_reconciler_yaml_does_not() -> None:
    live = live_share(
        LIVE,
        "churn-test",
        principals=(LiveAssociation(entity=TEST, status="ASSOCIATED", external=True),),
    )
    assert from_live(live, CONFIG).nodes[f"account:{TEST}"].outside


@pytest.mark.parametrize(
    ("arns", "expected"),
    [
        pytest.param((), "none", id="no-permission"),
        pytest.param((READ_ONLY,), "read-only", id="by-the-last-part-of-its-arn"),
        pytest.param(
            (READ_ONLY, MANAGED), "AWSRAMPermissionSageMakerModelCards, read-only", id="sorted"
        ),
    ],
)
def test_permission_names(arns: tuple[str, ...], expected: str) -> None:
    share = share_as_applied(GIT, GIT.shares["churn-dev"], permission_arns=arns)
    assert permission_names(share) == expected


PRINCIPALS = [
    pytest.param(
        DEV,
        None,
        Node(kind=Kind.ACCOUNT, name=DEV, detail="dev", outside=True),
        id="external-in-yaml",
    ),
    pytest.param(TEST, None, Node(kind=Kind.ACCOUNT, name=TEST, detail="test"), id="declared"),
    pytest.param(
        OUTSIDER, None, Node(kind=Kind.ACCOUNT, name=OUTSIDER, outside=True), id="undeclared-in-git"
    ),
    pytest.param(
        OUTSIDER, False, Node(kind=Kind.ACCOUNT, name=OUTSIDER), id="undeclared-live-inside"
    ),
    pytest.param(
        TEST,
        True,
        Node(kind=Kind.ACCOUNT, name=TEST, detail="test", outside=True),
        id="ram-says-external",
    ),
    pytest.param(
        DEV,
        False,
        Node(kind=Kind.ACCOUNT, name=DEV, detail="dev", outside=True),
        id="yaml-says-external-live",
    ),
    pytest.param(ORG, None, Node(kind=Kind.ACCOUNT, name=ORG), id="an-organization"),
]


@pytest.mark.parametrize(("entity", "live", "expected"), PRINCIPALS)
def test_principal(entity: str, live: bool | None, expected: Node) -> None:
    assert principal(CONFIG, entity, live=live) == expected


def test_a_plan_in_sync_changes_no_part_of_the_graph() -> None:
    assert plan_change(GIT, LIVE, prune=False) is None
    assert drift_change(GIT, LIVE) is None


def test_a_promotion_in_git_adds_the_card_to_the_shares_that_select_it() -> None:
    change = plan_change(with_card(GIT, status=CardStatus.APPROVED), LIVE, prune=False)
    assert change is not None
    assert change.added == {
        edge(f"card:{CARD}", "share:churn-prod"),
        edge(f"card:{CARD}", "share:churn-test"),
    }
    assert change.removed == frozenset()
    assert change.changed[f"card:{CARD}"].before.detail == "Draft"


def test_a_managed_share_git_no_longer_has_is_in_the_plans_picture_only_with_prune() -> None:
    old = share_as_applied(
        GIT, GIT.shares["churn-test"], name="churn-old", arn=share_arn("churn-old")
    )
    live = live_with(LIVE, shares=(old,))
    assert plan_change(GIT, live, prune=False) is None
    change = plan_change(GIT, live, prune=True)
    assert change is not None
    assert change.removed == {edge("share:churn-old", f"account:{TEST}")}


def test_an_unmanaged_share_git_does_not_name_is_never_pictured() -> None:
    other = share_as_applied(
        GIT, GIT.shares["churn-test"], name="theirs", arn=share_arn("theirs"), tags={}
    )
    live = live_with(LIVE, shares=(other,))
    assert plan_change(GIT, live, prune=True) is None
    assert drift_change(GIT, live) is None


def test_drift_pictures_a_principal_removed_outside_git_as_a_removed_edge() -> None:
    change = drift_change(GIT, live_share(LIVE, "churn-prod", principals=()))
    assert change is not None
    assert change.removed == {edge("share:churn-prod", f"account:{PROD}")}
    assert change.added == frozenset()


def test_drift_pictures_a_managed_share_git_no_longer_has_as_added() -> None:
    old = share_as_applied(
        GIT, GIT.shares["churn-test"], name="churn-old", arn=share_arn("churn-old")
    )
    change = drift_change(GIT, live_with(LIVE, shares=(old,)))
    assert change is not None
    assert change.added == {edge("share:churn-old", f"account:{TEST}")}


def test_a_live_card_git_does_not_declare_is_in_the_live_graph_with_its_status() -> None:
    fraud = replace(LIVE.cards[CARD], name="Fraud", arn=ARNS.card("Fraud"), status="Approved")
    graph = from_live(live_with(LIVE, cards=(fraud,)), CONFIG)
    assert graph.nodes["card:Fraud"] == Node(kind=Kind.CARD, name="Fraud", detail="Approved")
    assert not [e for e in graph.edges if e.source == "card:Fraud"]  # in no share


def test_permission_names_name_the_groups_permission_too() -> None:
    groups = "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelPackageGroup"
    share = share_as_applied(
        GIT, GIT.shares["churn-dev"], permission_arns=(MANAGED,), group_permission_arns=(groups,)
    )
    assert permission_names(share) == (
        "AWSRAMPermissionSageMakerModelCards, AWSRAMPermissionSageMakerModelPackageGroup"
    )
