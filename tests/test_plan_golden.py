"""Golden files pin each plan renderer for fixed scenarios.

Plans are built by the pure diff from this repository's example and fixed live states, so
every byte is deterministic. Run with UPDATE_GOLDEN=1 to rewrite the files after an
intended change, then review the diff.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from reconciler.common.arns import Arns
from reconciler.common.status import ApprovalStatus, CardStatus, Lifecycle
from reconciler.desired.model import DesiredState
from reconciler.desired.registry import EmbeddedCard, GroupSpec, VersionSpec
from reconciler.diff.compose import PlanOptions
from reconciler.live.model import (
    LiveAssociation,
    LiveCard,
    LiveGroup,
    LivePermission,
    LiveShare,
    LiveState,
    LiveVersion,
)
from reconciler.plan.address import Address
from reconciler.plan.codec import checksum
from reconciler.plan.model import Plan
from reconciler.render import plan_json, plan_markdown, plan_text  # noqa: F401
from reconciler.render.plan_common import PLANS, PlanReport
from reconciler.run.pipeline import build_plan
from reconciler.run.repository import load_repository

GOLDEN = Path(__file__).parent / "golden" / "plan"
ROOT = Path(__file__).resolve().parent.parent
OWN = {"managed-by": "reconciler"}
CARD = "Customer-Churn-Model-Card"
EMPTY = LiveState(cards={}, shares={}, permissions={})


def example() -> DesiredState:
    state = load_repository(ROOT).state
    assert state is not None
    return state


def with_card(state: DesiredState, **changes: object) -> DesiredState:
    from dataclasses import replace

    card = replace(state.cards[CARD], **changes)  # type: ignore[arg-type]
    return replace(state, cards={**state.cards, CARD: card})


def reworded(state: DesiredState) -> DesiredState:
    """The card's description reworded in git, and the test share opened to prod too."""
    from dataclasses import replace

    content = dict(state.cards[CARD].content)
    overview = dict(content["model_overview"])
    overview["model_description"] = (
        "Gradient-boosted trees predicting which subscribers will cancel in the next 60 days, "
        "retrained every week."
    )
    content["model_overview"] = overview
    share = replace(state.shares["churn-test"], principals=("test", "prod"))
    return replace(with_card(state, content=content), shares={**state.shares, "churn-test": share})


def applied(state: DesiredState) -> LiveState:
    """The live state right after the example repository was applied."""
    arns = Arns.for_config(state.config)
    card = state.cards[CARD]
    live_card = LiveCard(
        name=CARD,
        arn=arns.card(CARD),
        status=card.status,
        version=1,
        content=dict(card.content),
        tags={**card.tags, **OWN, "reconciler-source": card.file},
        confirmed=True,
        last_modified_by="arn:aws:sts::111111111111:assumed-role/Deploy/ci",
        last_modified_time="2026-11-20T10:00:00+00:00",
    )
    shares = {}
    for share in state.shares.values():
        members = [arns.card(CARD)] if card.status in share.card_statuses else []
        principal = state.config.accounts[share.principals[0]].id
        shares[share.name] = LiveShare(
            name=share.name,
            arn=f"arn:aws:ram:us-east-1:111111111111:resource-share/{share.name}",
            status="ACTIVE",
            allow_external_principals=share.allow_external_principals,
            tags={**share.tags, **OWN, "reconciler-source": share.file},
            resources=tuple(LiveAssociation(entity=m, status="ASSOCIATED") for m in members),
            principals=(LiveAssociation(entity=principal, status="ASSOCIATED"),),
            permission_arns=(arns.permission(share.permission),),
        )
    permission = LivePermission(
        name="read-only",
        arn=arns.permission("read-only"),
        version="1",
        actions=("sagemaker:DescribeModelCard", "sagemaker:ListModelCardVersions"),
        tags={**OWN, "reconciler-source": "reconciler.yaml"},
    )
    return LiveState(cards={CARD: live_card}, shares=shares, permissions={"read-only": permission})


def edited_live(state: DesiredState) -> LiveState:
    live = applied(state)
    card = live.cards[CARD]
    content = {
        **card.content,
        "model_overview": {**card.content["model_overview"], "model_owner": "data-science-dev"},
    }
    from dataclasses import replace

    edited = replace(
        card,
        content=content,
        version=2,
        last_modified_by="arn:aws:sts::222222222222:assumed-role/DataScientist/ana",
    )
    return replace(live, cards={CARD: edited})


def unmanaged_live(state: DesiredState) -> LiveState:
    live = applied(state)
    legacy = LiveCard(
        name="Legacy-Fraud-Card",
        arn=Arns.for_config(state.config).card("Legacy-Fraud-Card"),
        status="Approved",
        version=4,
        content={},
        tags={"team": "fraud"},
    )
    from dataclasses import replace

    return replace(live, cards={**live.cards, legacy.name: legacy})


GROUP = "Churn-Models"
REVIEWED_CARD = {
    "model_overview": {"model_creator": "pipeline"},
    "intended_uses": {"risk_rating": "Low", "intended_uses": "Weekly scoring"},
    "evaluation_details": [
        {
            "name": "holdout",
            "metric_groups": [
                {
                    "name": "quality",
                    "metric_data": [{"name": "auc", "type": "number", "value": 0.91}],
                }
            ],
        }
    ],
}


def promoted_version(state: DesiredState) -> DesiredState:
    """Version 2 of a group, its card filled and Approved, the version approved and moved
    to production in git."""
    from dataclasses import replace

    version = VersionSpec(
        number=2,
        index=0,
        approval=ApprovalStatus.APPROVED,
        stage=Lifecycle(stage="Production", status="Approved", description="weekly scoring"),
        card=EmbeddedCard(status=CardStatus.APPROVED, content=REVIEWED_CARD),
    )
    group = GroupSpec(name=GROUP, file=f"registry/{GROUP}.yaml", versions=(version,))
    return replace(state, groups={GROUP: group})


def registered(state: DesiredState) -> LiveState:
    """The example applied, and the pipeline's version 2 in review, in QA."""
    from dataclasses import replace

    arn = f"arn:aws:sagemaker:us-east-1:111111111111:model-package/{GROUP.lower()}/2"
    version = LiveVersion(
        number=2,
        arn=arn,
        approval="PendingManualApproval",
        stage=Lifecycle(stage="QA", status="InProgress"),
        described=True,
        card_status="PendingReview",
        content={
            "model_overview": {"model_creator": "pipeline"},
            "intended_uses": {"risk_rating": "Medium"},
        },
        last_modified_by="arn:aws:sts::111111111111:assumed-role/Pipeline/train",
        last_modified_time="2026-11-20T10:00:00+00:00",
    )
    group = LiveGroup(
        name=GROUP,
        arn=f"arn:aws:sagemaker:us-east-1:111111111111:model-package-group/{GROUP.lower()}",
        description=None,
        tags={},
        versions={2: version},
    )
    return replace(applied(state), groups={GROUP: group})


def empty_repo() -> DesiredState:
    from dataclasses import replace

    state = example()
    return replace(state, cards={}, shares={})


SCENARIOS: dict[str, Callable[[], Plan]] = {
    "empty-repo": lambda: build_plan(empty_repo(), EMPTY, PlanOptions()),
    "first-apply": lambda: build_plan(example(), EMPTY, PlanOptions()),
    "no-changes": lambda: build_plan(example(), applied(example()), PlanOptions()),
    "content-edit": lambda: build_plan(
        with_card(
            example(),
            content={**example().cards[CARD].content, "intended_uses": {"risk_rating": "Medium"}},
        ),
        applied(example()),
        PlanOptions(),
    ),
    "long-text-and-names": lambda: build_plan(
        reworded(example()), applied(example()), PlanOptions()
    ),
    "live-edit": lambda: build_plan(example(), edited_live(example()), PlanOptions()),
    "promotion": lambda: build_plan(
        with_card(example(), status="PendingReview"), applied(example()), PlanOptions()
    ),
    "unmanaged-card": lambda: build_plan(example(), unmanaged_live(example()), PlanOptions()),
    "version-update": lambda: build_plan(
        promoted_version(example()), registered(example()), PlanOptions()
    ),
    "illegal-transition": lambda: build_plan(
        with_card(example(), status="Approved"), applied(example()), PlanOptions()
    ),
}
FORMATS = {"text": "txt", "markdown": "md", "json": "json"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_rendering_matches_golden_file(scenario: str, fmt: str) -> None:
    rendered = PLANS.get(fmt)(PlanReport(plan=SCENARIOS[scenario]()))
    golden = GOLDEN / f"{scenario}.{FORMATS[fmt]}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_colour_codes_only_when_asked() -> None:
    plan = SCENARIOS["promotion"]()
    plain = PLANS.get("text")(PlanReport(plan=plan))
    coloured = PLANS.get("text")(PlanReport(plan=plan, color=True))
    assert "\033[" not in plain
    assert "\033[33m~\033[0m card.Customer-Churn-Model-Card" in coloured


def test_markdown_stays_under_the_github_limit_and_says_what_was_left_out() -> None:
    from dataclasses import replace

    plan = SCENARIOS["first-apply"]()
    big = replace(
        plan,
        changes=tuple(
            replace(c, address=Address(c.address.kind, f"{c.address.name}-{i:04d}"))
            for i in range(400)
            for c in plan.changes
        ),
    )
    text = PLANS.get("markdown")(PlanReport(plan=big, full_plan_hint="the plan.json artifact"))
    assert len(text) <= 65_536
    assert "left out to stay under GitHub's 65,536-character limit" in text
    assert "the plan.json artifact" in text


def test_checksum_is_stable_and_sensitive_to_every_change() -> None:
    first, again = SCENARIOS["promotion"](), SCENARIOS["promotion"]()
    other = SCENARIOS["content-edit"]()
    assert checksum(first) == checksum(again)
    assert checksum(first) != checksum(other)
