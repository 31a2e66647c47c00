"""diff.compose: the card, permission and share diffs put together, and the plan made of
them: execution order, what one diff tells another, and what a plan with errors shows.
"""

from __future__ import annotations

from dataclasses import replace

from reconciler.desired.model import DesiredState
from reconciler.diff.compose import PlanOptions, diff_all, plan_from
from reconciler.live.model import LiveState
from reconciler.normalize.state import normalise
from reconciler.plan.address import Address
from reconciler.plan.model import Action, PlanPart, Reason, Unmanaged
from reconciler.plan.payloads import ChangeMembers, MemberKind
from tests.unit.builders import (
    ARNS,
    CARD,
    CARD_ARN,
    DESCRIBE,
    EMPTY,
    applied,
    card_as_applied,
    example,
    live_card,
    live_share,
    live_with,
    share_arn,
    with_card,
    with_permission,
)

GIT = example()
LIVE = applied(GIT)


def diff(git: DesiredState, live: LiveState, **options: bool) -> PlanPart:
    return diff_all(normalise(git, live), ARNS, PlanOptions(**options))


def test_a_first_plan_is_in_execution_order() -> None:
    found = diff(GIT, EMPTY)
    assert [(c.address, c.action) for c in found.changes] == [
        (Address.permission("read-only"), Action.CREATE_PERMISSION),
        (Address.card(CARD), Action.CREATE_CARD),
        (Address.share("churn-dev"), Action.CREATE_SHARE),
        (Address.share("churn-prod"), Action.CREATE_SHARE),
        (Address.share("churn-test"), Action.CREATE_SHARE),
    ]


def test_a_card_replaced_under_its_name_is_associated_again_never_disassociated() -> None:
    found = diff(with_card(GIT, kms_key_id="alias/model-cards"), LIVE)
    assert [(c.address, c.action) for c in found.changes] == [
        (Address.card(CARD), Action.REPLACE_CARD),
        (Address.share("churn-dev"), Action.ASSOCIATE_RESOURCES),
    ]
    assert found.changes[1].payload == ChangeMembers(
        share_arn=share_arn("churn-dev"), kind=MemberKind.RESOURCE, entities=(CARD_ARN,)
    )


def test_a_new_permission_version_is_attached_to_the_shares_that_use_it() -> None:
    found = diff(with_permission(GIT, "read-only", DESCRIBE), LIVE)
    assert [(c.address, c.action, c.reason) for c in found.changes] == [
        (Address.permission("read-only"), Action.UPDATE_PERMISSION, Reason.ACTIONS_DIFFER),
        (Address.share("churn-prod"), Action.SET_PERMISSION, Reason.PERMISSION_RENEWED),
    ]


def test_an_error_holds_back_the_changes_of_its_card_and_keeps_errors_and_warnings() -> None:
    live = live_with(LIVE, cards=(card_as_applied(GIT.cards[CARD], name="Old-Card"),))
    git = with_card(GIT, status="Approved", content={})
    git = replace(git, config=replace(git.config, requirements={}))  # no gates: one error
    n = normalise(git, live)
    found = diff_all(n, ARNS, PlanOptions())
    assert found.changes  # the content change was found
    plan = plan_from(n, found, ARNS)
    assert (plan.changes, plan.adoptions) == ((), ())
    assert [e.code for e in plan.errors] == ["illegal-transition"]
    assert plan.warnings == (
        "card 'Old-Card' is managed but no longer in git: plan with --prune to delete it",
    )


def test_a_plan_lists_unmanaged_resources_except_those_it_adopts() -> None:
    stranger = card_as_applied(
        GIT.cards[CARD], name="Legacy-Card", arn=ARNS.card("Legacy-Card"), tags={}
    )
    live = live_with(
        live_card(LIVE, tags={"team": "churn", "cost-center": "ml-platform"}), cards=(stranger,)
    )
    live = live_share(live, "churn-test", tags={"purpose": "testing"})
    n = normalise(GIT, live)
    plan = plan_from(n, diff_all(n, ARNS, PlanOptions()), ARNS)
    assert [(a.address, a.action) for a in plan.adoptions] == [
        (Address.card(CARD), Action.ADOPT),
        (Address.share("churn-test"), Action.ADOPT),
    ]
    assert plan.unmanaged == (Unmanaged("model_card", "Legacy-Card", ARNS.card("Legacy-Card")),)
    assert (plan.managed_cards, plan.has_changes) == (0, False)
    assert plan.context == {"region": "us-east-1", "account": "111111111111"}
