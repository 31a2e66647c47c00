"""normalize: the one stage that makes git and live comparable. Ignored content paths go
on both sides, AWS system tags go from live tags, ownership tags join git's, and the
content to write carries the live values of ignored paths.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from reconciler.common.content import content_json, parse_content
from reconciler.desired.model import Ownership
from reconciler.normalize.state import matches_git, normalise
from tests.unit.builders import (
    CARD,
    CARD_FILE,
    EMPTY,
    applied,
    edited,
    example,
    live_card,
    live_share,
    owned,
    with_card,
)

GIT = example()  # the card ignores evaluation_details
LIVE = applied(GIT)
CONTENT = GIT.cards[CARD].content
EVALUATION = [{"name": "holdout-2026-11", "evaluation_observation": "AUC 0.91"}]
SYSTEM_TAG = {"aws:cloudformation:stack-name": "cards"}
USER_TAGS = {"cost-center": "ml-platform", "team": "churn"}


def test_ignored_paths_are_removed_on_both_sides() -> None:
    git = with_card(GIT, content={**CONTENT, "evaluation_details": [{"name": "git"}]})
    n = normalise(git, live_card(LIVE, content={**CONTENT, "evaluation_details": EVALUATION}))
    assert "evaluation_details" not in n.cards[CARD].content
    assert "evaluation_details" not in n.live_cards[CARD].content
    assert n.cards[CARD].content == n.live_cards[CARD].content


def test_a_dotted_ignored_path_removes_only_that_leaf() -> None:
    git = with_card(GIT, ignore=("model_overview.model_owner",))
    live = live_card(LIVE, content=edited(CONTENT, "model_overview.model_owner", "ana"))
    n = normalise(git, live)
    overview = n.live_cards[CARD].content["model_overview"]
    assert "model_owner" not in overview
    assert overview["model_creator"] == "churn-team"
    assert n.cards[CARD].content == n.live_cards[CARD].content


def test_key_order_makes_no_difference_and_content_is_sent_in_canonical_order() -> None:
    reordered = {k: GIT.cards[CARD].content[k] for k in reversed(list(GIT.cards[CARD].content))}
    n = normalise(GIT, live_card(LIVE, content=reordered))
    assert n.cards[CARD].content == n.live_cards[CARD].content
    sent = json.loads(content_json(n.write_content[CARD]))
    assert list(sent) == sorted(sent)
    assert list(sent["model_overview"]) == sorted(sent["model_overview"])


def test_aws_system_tags_are_dropped_from_live_cards_and_shares() -> None:
    live = live_card(LIVE, tags={**owned(CARD_FILE, USER_TAGS), **SYSTEM_TAG})
    live = live_share(live, "churn-dev", tags={**LIVE.shares["churn-dev"].tags, **SYSTEM_TAG})
    n = normalise(GIT, live)
    assert n.live_cards[CARD].tags.all == owned(CARD_FILE, USER_TAGS)
    assert n.live_cards[CARD].tags.user == USER_TAGS
    assert n.live_share_tags["churn-dev"].all == owned(
        "shares/churn-dev.yaml", {"purpose": "development"}
    )


def test_ownership_tags_are_added_to_git_and_kept_apart_from_user_tags() -> None:
    n = normalise(GIT, EMPTY)
    assert n.cards[CARD].tags.all == owned(CARD_FILE, USER_TAGS)
    assert n.cards[CARD].tags.user == USER_TAGS
    assert n.share_tags["churn-prod"].all == owned(
        "shares/churn-prod.yaml", {"purpose": "production"}
    )
    assert n.share_tags["churn-prod"].user == {"purpose": "production"}


def test_ownership_tag_keys_come_from_reconciler_yaml() -> None:
    ownership = Ownership(tag_key="owner", tag_value="gitops", source_tag_key="owner-file")
    git = replace(GIT, config=replace(GIT.config, ownership=ownership))
    tags = normalise(git, EMPTY).cards[CARD].tags
    assert tags.all == {**USER_TAGS, "owner": "gitops", "owner-file": CARD_FILE}
    assert tags.user == USER_TAGS


@pytest.mark.parametrize(
    ("live_content", "expected"),
    [
        pytest.param(
            {**CONTENT, "evaluation_details": EVALUATION},
            {**CONTENT, "evaluation_details": EVALUATION},
            id="live-value-carried",
        ),
        pytest.param(CONTENT, CONTENT, id="nothing-live-to-carry"),
        pytest.param(
            edited(CONTENT, "model_overview.model_owner", "ana"), CONTENT, id="git-wins-elsewhere"
        ),
    ],
)
def test_write_content_is_git_plus_the_live_values_of_ignored_paths(
    live_content: dict[str, object], expected: dict[str, object]
) -> None:
    n = normalise(GIT, live_card(LIVE, content=live_content))
    assert n.write_content[CARD] == expected


def test_write_content_builds_the_parents_of_a_nested_ignored_path() -> None:
    git = with_card(GIT, ignore=("training_details.training_observations",))
    live = live_card(LIVE, content=edited(CONTENT, "training_details.training_observations", "x"))
    written = normalise(git, live).write_content[CARD]
    assert written["training_details"] == {"training_observations": "x"}


def test_write_content_is_only_for_cards_that_exist_live() -> None:
    assert normalise(GIT, EMPTY).write_content == {}


def test_a_git_value_at_an_ignored_path_seeds_creation_and_is_never_written_after() -> None:
    git = with_card(GIT, content={**CONTENT, "evaluation_details": EVALUATION})
    assert normalise(git, EMPTY).seed_content == {}
    assert normalise(git, live_card(LIVE, content=CONTENT)).write_content[CARD] == CONTENT


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(CONTENT, True, id="same"),
        pytest.param({**CONTENT, "evaluation_details": EVALUATION}, True, id="ignored-differs"),
        pytest.param(edited(CONTENT, "model_overview.model_owner", "ana"), False, id="differs"),
        pytest.param(json.loads(json.dumps(CONTENT, sort_keys=True)), True, id="other-key-order"),
    ],
)
def test_matches_git(content: dict[str, object], expected: bool) -> None:
    assert matches_git(GIT.cards[CARD], content) is expected


def test_content_is_sent_canonical_and_read_back_equal() -> None:
    sent = content_json({"b": {"d": 1, "c": "é"}, "a": []})
    assert sent == '{"a":[],"b":{"c":"é","d":1}}'
    assert parse_content(sent) == {"a": [], "b": {"c": "é", "d": 1}}
    assert parse_content(None) == parse_content("") == {}
    for unreadable in ("[1]", "{not json"):  # the live reader holds such a card back
        with pytest.raises(ValueError):
            parse_content(unreadable)
