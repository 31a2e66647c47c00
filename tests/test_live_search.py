"""live.sagemaker.search_cards reads every card from both ends of the name order at once:
the same cards a one-way read gives, in about the same number of Search calls, whether
Search counts its hits exactly or gives only a lower bound."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from reconciler.live.sagemaker import search_cards

OWNER = "111111111111"


def create(sandbox: Any, names: list[str]) -> Any:
    client = sandbox.client("sagemaker", OWNER)
    for name in names:
        client.create_model_card(
            ModelCardName=name,
            Content=json.dumps({"model_overview": {"model_description": name}}),
            ModelCardStatus="Draft",
        )
    return client


def searches(client: Any) -> list[dict[str, Any]]:
    """Every Search request the client makes from now on."""
    seen: list[dict[str, Any]] = []
    client.meta.events.register(
        "provide-client-params.sagemaker.Search", lambda params, **_: seen.append(dict(params))
    )
    return seen


@pytest.mark.parametrize("count", [0, 1, 100, 101, 250])
def test_every_card_is_read_once_in_about_n_over_100_calls(sandbox: Any, count: int) -> None:
    names = [f"card-{i:03d}" for i in range(count)]
    client = create(sandbox, names)
    made = searches(client)
    cards = search_cards(client)
    assert sorted(cards) == names
    assert all(cards[n].content == {"model_overview": {"model_description": n}} for n in names)
    assert len(made) <= max(1, math.ceil(count / 100)) + 1
    assert {(m["SortBy"], m["SortOrder"]) for m in made} <= {
        ("ModelCardName", "Ascending"),
        ("ModelCardName", "Descending"),
    }


class FakeSearch:
    """A Search over ``names`` handing out pages of 100 by an offset token, as a service
    might behave where AWS leaves it open: ``counts`` gives each page's TotalHits (by call
    number); ``sorts`` False ignores SortOrder (both orders come back ascending)."""

    def __init__(
        self,
        names: list[str],
        counts: Callable[[int], dict[str, Any]] = lambda call: LOWER_BOUND,
        sorts: bool = True,
        page: int | None = None,
    ) -> None:
        self.names, self.counts, self.sorts, self.calls = sorted(names), counts, sorts, 0
        self.page = page  # cards a page holds at most (None: MaxResults)

    def search(self, **params: Any) -> dict[str, Any]:
        self.calls += 1
        descending = params["SortOrder"] == "Descending" and self.sorts
        ordered = self.names[::-1] if descending else self.names
        start = int(params.get("NextToken", 0))
        page = ordered[start : start + (self.page or params["MaxResults"])]
        found = {
            "Results": [
                {"ModelCard": {"ModelCardName": n, "ModelCardArn": f"arn:{n}", **DRAFT}}
                for n in page
            ],
            "TotalHits": self.counts(self.calls),
        }
        if start + len(page) < len(ordered):
            found["NextToken"] = str(start + len(page))
        return found


DRAFT = {"Content": "{}", "ModelCardStatus": "Draft"}
LOWER_BOUND = {"Value": 100, "Relation": "GreaterThanOrEqualTo"}  # as a large index says


@pytest.mark.parametrize("count", [150, 1000, 1234])
def test_without_an_exact_count_the_two_reads_stop_where_they_meet(count: int) -> None:
    names = [f"card-{i:04d}" for i in range(count)]
    client = FakeSearch(names)
    assert sorted(search_cards(client)) == names
    assert client.calls <= math.ceil(count / 100) + 2  # the last pages may overlap


@pytest.mark.parametrize("exact", [True, False])
@pytest.mark.parametrize("page", [None, 1])
def test_a_search_that_ignores_the_order_is_read_to_an_end(exact: bool, page: int | None) -> None:
    """Both reads come back in the same order: they "meet" on their first page, which
    proves nothing (with one card a page, not even the order is seen); the read goes on
    until one of them reaches the end."""
    names = [f"card-{i:04d}" for i in range(500 if page is None else 50)]
    count = {"Value": len(names), "Relation": "EqualTo"} if exact else LOWER_BOUND
    client = FakeSearch(names, counts=lambda call: count, sorts=False, page=page)
    assert sorted(search_cards(client)) == names


def test_a_count_that_grows_while_reading_is_followed() -> None:
    """The first page counts 700 cards, later pages 1,000 (the index caught up)."""
    names = [f"card-{i:04d}" for i in range(1000)]
    client = FakeSearch(
        names, counts=lambda call: {"Value": 700 if call == 1 else 1000, "Relation": "EqualTo"}
    )
    assert sorted(search_cards(client)) == names


def test_when_search_will_not_sort_by_name_cards_are_read_one_way(sandbox: Any) -> None:
    """AWS does not document that Search sorts model cards by name; a sandbox switched to
    refuse it gets one refused call, then the cards one page after the other."""
    sandbox.configure(replace(sandbox.config, search_sorts_by_name=False))
    names = [f"card-{i:03d}" for i in range(250)]
    client = create(sandbox, names)
    made = searches(client)
    assert sorted(search_cards(client)) == names
    assert [m.get("SortBy") for m in made] == ["ModelCardName", None, None, None]
