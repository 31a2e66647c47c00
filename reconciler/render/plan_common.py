"""What every plan renderer shares: the report it renders, symbols, and value display."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.graph.model import GraphChange
from reconciler.plan.model import MISSING, Change, Plan, Unmanaged
from reconciler.render import Registry


@dataclass(frozen=True, kw_only=True)
class PlanReport:
    """A plan with what its renderings may show beside it."""

    plan: Plan
    stats: Mapping[str, Mapping[str, int]] | None = None  # {"calls": {...}, "attempts": {...}}
    color: bool = False
    full_plan_hint: str = "the JSON plan (reconciler plan --format json)"
    extra: Mapping[str, Any] = field(default_factory=dict)
    topology: GraphChange | None = None  # the sharing the plan changes, if any


PLANS: Registry[PlanReport] = Registry(
    "plans",
    modules=(
        "reconciler.render.plan_text",
        "reconciler.render.plan_json",
        "reconciler.render.plan_markdown",
    ),
)

SYMBOLS = {"create": "+", "update": "~", "replace": "-/+", "delete": "-"}
VERBS = {
    "create": "will be created",
    "update": "will be updated",
    "replace": "will be replaced",
    "delete": "will be deleted",
}


def action_label(change: Change) -> str:
    """The action in words: 'update content', 'associate principals'."""
    return change.action.value.replace("_", " ")


def show(value: Any, limit: int) -> str:
    """A value as compact JSON, shortened to ``limit`` characters with a note."""
    if value is MISSING:
        return "(absent)"
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def summary_line(plan: Plan) -> str:
    counts = plan.summary()
    return (
        "Plan: "
        + ", ".join(f"{counts[k]} to {k}" for k in ("create", "update", "replace"))
        + f", {counts['delete']} to delete."
    )


def unmanaged_address(item: Unmanaged) -> str:
    """card.<name>, share.<name> or version.<group>/<number>, the address style of the
    rest of the plan."""
    prefix = {"model_card": "card", "model_version": "version", "permission": "permission"}
    return f"{prefix.get(item.kind, 'share')}.{item.name}"


def arn_note(item: Unmanaged) -> str:
    """' (ARN)' where the ARN tells more than the name: a share's ID; nothing for a card,
    whose ARN is its name in the account and region the report names already."""
    return "" if item.kind == "model_card" else f" ({item.arn})"


def sorted_stats(stats: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    """``--stats``'s counts (calls and attempts, per operation), operations sorted."""
    return {k: dict(sorted(v.items())) for k, v in stats.items()}


def stats_lines(stats: Mapping[str, Mapping[str, int]] | None) -> list[str]:
    """``API calls: N`` and one line per operation, then a blank line; none without stats."""
    if stats is None:
        return []
    calls = stats.get("calls", {})
    lines = [f"API calls: {sum(calls.values())}"]
    lines += [f"  {name}: {number}" for name, number in sorted(calls.items())]
    return [*lines, ""]


def held_back(errors: int) -> str:
    """'1 error holds back the resource it is on' / 'N errors hold back the resources …'."""
    if errors == 1:
        return "1 error holds back the resource it is on"
    return f"{errors} errors hold back the resources they are on"


def needs_note(change: Change) -> str:
    flags = " and ".join(f"--{n.value}" for n in change.needs)
    return f" (needs {flags})" if flags else ""
