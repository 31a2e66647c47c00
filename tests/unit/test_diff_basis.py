"""diff.basis: the live facts a plan's changes depend on, for the resources it touches,
and what moved since a saved plan recorded them, one line per fact."""

from __future__ import annotations

import pytest

from reconciler.common.status import CardStatus
from reconciler.diff.basis import ABSENT, basis, moved
from reconciler.live.model import LiveAssociation, LiveState
from reconciler.plan.address import Address
from tests.unit.builders import (
    CARD,
    CARD_ARN,
    DEV,
    EMPTY,
    MANAGED,
    TEST,
    applied,
    associated,
    example,
    live_card,
    live_share,
)

LIVE = applied(example())
CARD_AT = Address.card(CARD)
DEV_SHARE = Address.share("churn-dev")
READ = Address.permission("read-only")


def test_the_facts_of_each_kind_of_resource_keyed_as_the_plan_shows_them() -> None:
    found = basis(LIVE, [READ, DEV_SHARE, CARD_AT, CARD_AT])
    assert list(found) == [f"card.{CARD}", "permission.read-only", "share.churn-dev"]
    assert found[f"card.{CARD}"] == {"version": 1, "status": "Draft"}
    assert found["permission.read-only"] == {
        "version": "1",
        "actions": ["sagemaker:DescribeModelCard", "sagemaker:ListModelCardVersions"],
    }
    assert found["share.churn-dev"] == {
        "status": "ACTIVE",
        "allow_external_principals": True,
        "principals": [DEV],
        "cards": [CARD_ARN],
        "permissions": [MANAGED],
    }


def test_resources_that_do_not_exist_live_are_recorded_as_absent() -> None:
    found = basis(LIVE, [Address.card("New"), Address.share("new"), Address.permission("p")])
    assert set(map(str, found.values())) == {str(ABSENT)}


def test_only_associations_in_force_or_on_their_way_are_facts() -> None:
    live = live_share(
        LIVE,
        "churn-dev",
        principals=(
            LiveAssociation(entity=DEV, status="FAILED"),
            LiveAssociation(entity=TEST, status="ASSOCIATING"),
        ),
        resources=associated(CARD_ARN, status="DISASSOCIATED"),
    )
    facts = basis(live, [DEV_SHARE])["share.churn-dev"]
    assert (facts["principals"], facts["cards"]) == ([TEST], [])


def test_nothing_touched_nothing_recorded() -> None:
    assert basis(LIVE, []) == {}


THEN = basis(LIVE, [CARD_AT, DEV_SHARE])
MOVES = [
    pytest.param(LIVE, [], id="nothing-moved"),
    pytest.param(
        live_card(LIVE, version=2),
        [f"card.{CARD}: version 1 → 2"],
        id="a-card-edited-through-the-api",
    ),
    pytest.param(
        live_card(LIVE, version=2, status=CardStatus.APPROVED),
        [f"card.{CARD}: status Draft → Approved", f"card.{CARD}: version 1 → 2"],
        id="one-line-per-fact-sorted",
    ),
    pytest.param(
        live_share(LIVE, "churn-dev", principals=associated(DEV, TEST)),
        [f"share.churn-dev: principals [{DEV}] → [{DEV}, {TEST}]"],
        id="a-principal-added",
    ),
    pytest.param(
        live_share(LIVE, "churn-dev", permission_arns=()),
        [f"share.churn-dev: permissions [{MANAGED}] → []"],
        id="a-permission-detached",
    ),
    pytest.param(
        live_card(live_share(LIVE, "churn-prod", principals=()), version=1),
        [],
        id="an-untouched-share-never-makes-the-plan-stale",
    ),
]


@pytest.mark.parametrize(("now", "lines"), MOVES)
def test_moved(now: LiveState, lines: list[str]) -> None:
    assert moved(THEN, basis(now, [CARD_AT, DEV_SHARE])) == lines


def test_a_resource_deleted_since_says_each_fact_is_gone() -> None:
    now = basis(EMPTY, [CARD_AT])
    assert moved({f"card.{CARD}": THEN[f"card.{CARD}"]}, now) == [
        f"card.{CARD}: exists (none) → False",
        f"card.{CARD}: status Draft → (none)",
        f"card.{CARD}: version 1 → (none)",
    ]


def test_an_address_the_current_facts_lack_counts_as_absent() -> None:
    assert moved({"card.New": ABSENT}, {}) == []
    assert moved({"card.New": ABSENT}, {"card.New": {"version": 1, "status": "Draft"}}) == [
        "card.New: exists False → (none)",
        "card.New: status (none) → Draft",
        "card.New: version (none) → 1",
    ]
