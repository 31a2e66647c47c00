"""diff.ownership: the tag changes that make live tags git's, the ownership tags a live
resource lacks, and adopting a resource that already matches git (only the ownership
tags are added, never a tag people set)."""

from __future__ import annotations

import pytest

from reconciler.diff.ownership import adoption, ownership_tags, tag_delta
from reconciler.normalize.state import Tags
from reconciler.plan.address import Address
from reconciler.plan.model import MISSING, Action, FieldChange, Reason
from reconciler.plan.payloads import Adopt, Service
from tests.unit.builders import CARD, CARD_ARN, CARD_FILE, owned

USER = {"team": "churn"}
GIT = Tags(all=owned(CARD_FILE, USER), user=USER)


def live(tags: dict[str, str]) -> Tags:
    """Live tags as normalise leaves them (``user``: what is not an ownership tag)."""
    return Tags(all=tags, user={k: v for k, v in tags.items() if k in USER})


DELTAS = [
    pytest.param(GIT.all, {}, (), id="equal-tags-change-nothing"),
    pytest.param(
        {**GIT.all, "team": "fraud"}, {"team": "churn"}, (), id="a-changed-value-is-set-again"
    ),
    pytest.param(
        {**GIT.all, "owner": "ana", "cost": "1"},
        {},
        ("cost", "owner"),
        id="tags-only-live-has-are-removed-sorted",
    ),
    pytest.param(
        USER,
        {"managed-by": "reconciler", "reconciler-source": CARD_FILE},
        (),
        id="missing-ownership-tags-are-added",
    ),
    pytest.param(
        {},
        {"managed-by": "reconciler", "reconciler-source": CARD_FILE, "team": "churn"},
        (),
        id="no-live-tags-every-tag-is-added-sorted",
    ),
]


@pytest.mark.parametrize(("live_tags", "add", "remove"), DELTAS)
def test_tag_delta(live_tags: dict[str, str], add: dict[str, str], remove: tuple[str, ...]) -> None:
    delta = tag_delta(GIT, live(live_tags))
    assert (delta.add, delta.remove) == (add, remove)
    assert list(delta.add) == sorted(delta.add)
    assert bool(delta) is bool(add or remove)


def test_the_fields_of_a_delta_show_each_tag_before_and_after_by_path() -> None:
    delta = tag_delta(GIT, live({**GIT.all, "team": "fraud", "owner": "ana"}))
    assert delta.fields == (
        FieldChange("$.tags.owner", "ana", MISSING),
        FieldChange("$.tags.team", "fraud", "churn"),
    )


@pytest.mark.parametrize(
    ("live_tags", "expected"),
    [
        pytest.param(GIT.all, {}, id="managed-already"),
        pytest.param(USER, {"managed-by": "reconciler", "reconciler-source": CARD_FILE}, id="none"),
        pytest.param(
            {"team": "fraud"},
            {"managed-by": "reconciler", "reconciler-source": CARD_FILE},
            id="a-users-tag-that-differs-is-not-an-ownership-tag",
        ),
        pytest.param(
            {**GIT.all, "managed-by": "someone-else"},
            {"managed-by": "reconciler"},
            id="a-wrong-ownership-value",
        ),
    ],
)
def test_ownership_tags(live_tags: dict[str, str], expected: dict[str, str]) -> None:
    assert ownership_tags(GIT, live(live_tags)) == expected


def test_adoption_adds_only_the_ownership_tags_and_shows_them() -> None:
    before = live({"team": "churn", "aws:cloudformation:stack-name": "x"})
    found = adoption(Address.card(CARD), CARD_ARN, Service.SAGEMAKER, GIT, before)
    ownership = {"managed-by": "reconciler", "reconciler-source": CARD_FILE}
    assert (found.address, found.action, found.reason) == (
        Address.card(CARD),
        Action.ADOPT,
        Reason.IMPORTED,
    )
    assert found.payload == Adopt(arn=CARD_ARN, service=Service.SAGEMAKER, tags=ownership)
    assert tuple(found.fields) == (
        FieldChange("$.tags.managed-by", MISSING, "reconciler"),
        FieldChange("$.tags.reconciler-source", MISSING, CARD_FILE),
    )
    assert found.guards == ()
    assert "changes nothing else" in found.detail


def test_adopting_a_share_keeps_its_differing_user_tag_for_a_later_update() -> None:
    found = adoption(
        Address.share("churn-dev"), "arn:share", Service.RAM, GIT, live({"team": "fraud"})
    )
    assert isinstance(found.payload, Adopt)
    assert found.payload.service is Service.RAM
    assert "team" not in found.payload.tags
