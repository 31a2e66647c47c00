"""The diff of a model version's stage: a change of the stage's description alone is
planned showing the description it writes, never as two equal stages; an equal stage
with its description is no change."""

from __future__ import annotations

from dataclasses import replace

from reconciler.common.status import Lifecycle
from reconciler.diff.compose import PlanOptions
from reconciler.run.pipeline import build_plan
from tests.test_plan_golden import GROUP, example, promoted_version, registered


def stage_fields(wanted: Lifecycle, live: Lifecycle) -> list[tuple[str, object, object]]:
    state = promoted_version(example())
    group = state.groups[GROUP]
    version = replace(group.versions[0], stage=wanted)
    state = replace(state, groups={GROUP: replace(group, versions=(version,))})
    live_state = registered(example())
    held = live_state.groups[GROUP]
    assert held is not None
    moved = replace(held, versions={2: replace(held.versions[2], stage=live)})
    plan = build_plan(state, replace(live_state, groups={GROUP: moved}), PlanOptions())
    return [
        (f.path, f.before, f.after) for c in plan.changes for f in c.fields if f.path == "$.stage"
    ]


def test_a_new_stage_description_alone_is_shown_with_the_stage() -> None:
    live = Lifecycle(stage="QA", status="InProgress")
    wanted = replace(live, description="shadow scoring")
    assert stage_fields(wanted, live) == [
        ("$.stage", "QA/InProgress", "QA/InProgress (shadow scoring)")
    ]
    assert stage_fields(live, wanted) == [
        ("$.stage", "QA/InProgress (shadow scoring)", "QA/InProgress")
    ]
    assert stage_fields(wanted, wanted) == []
