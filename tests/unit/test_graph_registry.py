"""graph.registry and the whole graph: which ARNs name a model version, and what the
picture draws of a group read from live state (the versions git lists, a mirror only when
its card exists live, a group a share holds)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from reconciler.common.status import ApprovalStatus, CardStatus, Lifecycle
from reconciler.desired.model import DesiredState
from reconciler.desired.registry import EmbeddedCard, GroupSpec, VersionSpec
from reconciler.graph.build import whole_from_git, whole_from_live
from reconciler.graph.model import Edge, Kind, VersionFacts
from reconciler.graph.registry import VersionRef, version_ref
from reconciler.live.model import LiveAssociation, LiveGroup, LiveVersion
from tests.unit.builders import CARD, OWNER, applied, edited, example, live_card, live_share

GROUP = "Churn-Models"
GROUP_ARN = f"arn:aws:sagemaker:us-east-1:{OWNER}:model-package-group/churn-models"


def arn(tail: str, account: str = OWNER) -> str:
    return f"arn:aws:sagemaker:us-east-1:{account}:{tail}"


REF = VersionRef(partition="aws", region="us-east-1", account=OWNER, group="churn-models", number=2)
REFS = [
    pytest.param(arn("model-package/churn-models/2"), REF, id="a-version"),
    pytest.param(arn("model-package/Churn-Models/2"), REF, id="the-group-without-case"),
    pytest.param(
        arn("model-package/churn-models/2", "999999999999"),
        replace(REF, account="9" * 12),
        id="another-account",
    ),
    pytest.param(arn("model-package/unversioned"), None, id="a-package-without-a-group"),
    pytest.param(arn("model-package/churn-models/two"), None, id="no-number"),
    pytest.param(arn("model-package/churn-models/²"), None, id="a-digit-int-refuses"),
    pytest.param(arn("model-package-group/churn-models"), None, id="a-group"),
    pytest.param(arn("model-card/churn-models/2"), None, id="another-resource"),
    pytest.param("arn:aws:s3:::model-package/churn-models/2", None, id="another-service"),
    pytest.param("model-package/churn-models/2", None, id="no-arn"),
    pytest.param(None, None, id="nothing"),
]


@pytest.mark.parametrize(("text", "expected"), REFS)
def test_version_ref(text: object, expected: VersionRef | None) -> None:
    assert version_ref(text) == expected


def spec() -> GroupSpec:
    card = EmbeddedCard(status=CardStatus.DRAFT, content={})
    versions = (
        VersionSpec(number=2, index=0, approval=ApprovalStatus.PENDING, card=card),
        VersionSpec(number=3, index=1, card_from=CARD, card=replace(card, mirrors=CARD)),
    )
    return GroupSpec(name=GROUP, file=f"registry/{GROUP}.yaml", versions=versions)


def git() -> DesiredState:
    """The example with a registry file, and its card describing version 2."""
    state = example()
    content = edited(
        state.cards[CARD].content,
        "model_package_details.model_package_arn",
        arn("model-package/churn-models/2"),
    )
    cards = {**state.cards, CARD: replace(state.cards[CARD], content=content)}
    return replace(state, cards=cards, groups={GROUP: spec()})


def live_version(number: int, **more: Any) -> LiveVersion:
    return LiveVersion(
        number=number,
        arn=arn(f"model-package/churn-models/{number}"),
        approval="PendingManualApproval",
        **more,
    )


def live_group(description: str | None = "churn") -> LiveGroup:
    stage = Lifecycle(stage="QA", status="InProgress")
    versions = {
        1: live_version(1),  # the pipeline's: git does not list it
        2: live_version(2, described=True, card_status="Draft", stage=stage),
        3: live_version(3, described=True, card_status="Draft"),
    }
    return LiveGroup(name=GROUP, arn=GROUP_ARN, description=description, tags={}, versions=versions)


def test_the_live_picture_draws_the_versions_git_lists_as_aws_has_them() -> None:
    state = git()
    live = replace(
        live_card(applied(state), content=state.cards[CARD].content), groups={GROUP: live_group()}
    )
    graph = whole_from_live(live, state)
    versions = graph.of_kind(Kind.VERSION)
    assert [v.name for v in versions] == [f"{GROUP}/2", f"{GROUP}/3"]
    assert versions[0].version == VersionFacts(
        group=GROUP,
        number=2,
        approval="PendingManualApproval",
        stage=Lifecycle(stage="QA", status="InProgress"),
        card_status="Draft",
    )
    registry = {e for e in graph.edges if "version:" in e.source + e.target}
    assert registry == {
        Edge(f"group:{GROUP}", f"version:{GROUP}/2"),
        Edge(f"group:{GROUP}", f"version:{GROUP}/3"),
        Edge(f"card:{CARD}", f"version:{GROUP}/2"),
        Edge(f"version:{GROUP}/3", f"card:{CARD}"),
    }
    assert {e for e in whole_from_git(state).edges if "version:" in e.source + e.target} == registry


def test_a_mirror_is_drawn_live_only_while_its_card_exists() -> None:
    state = git()
    live = replace(applied(state), cards={}, shares={}, groups={GROUP: live_group()})
    graph = whole_from_live(live, state)
    assert f"card:{CARD}" not in graph.nodes
    assert not [e for e in graph.edges if "card:" in e.source + e.target]


def test_a_group_that_does_not_exist_live_is_not_drawn() -> None:
    state = git()
    graph = whole_from_live(replace(applied(state), groups={GROUP: None}), state)
    assert graph.of_kind(Kind.GROUP) == graph.of_kind(Kind.VERSION) == []


def test_a_group_a_live_share_holds_is_drawn_with_the_share() -> None:
    """By its name in git when the account has the group git declares (RAM names it by
    an ARN in lower case), else by the ARN's last part."""
    state = git()
    other = "arn:aws:sagemaker:us-east-1:111111111111:model-package-group/theirs"
    held = tuple(LiveAssociation(entity=a, status="ASSOCIATED") for a in (GROUP_ARN, other))
    live = live_share(applied(state), "churn-prod", resources=held)
    graph = whole_from_live(replace(live, groups={GROUP: live_group()}), state)
    into = {e.source for e in graph.edges if e.target == "share:churn-prod"}
    assert into == {f"group:{GROUP}", "group:theirs"}
    assert graph.nodes["group:theirs"].kind is Kind.GROUP
