"""The plan as versioned, deterministic JSON: the artifact `apply --plan` checks.

Shape (documented in docs/formats.md): format_version, reconciler_version, checksum,
context, summary, has_changes, changes[], unmanaged[], errors[], warnings[], and stats
when requested.
"""

from __future__ import annotations

import json
from typing import Any

from reconciler import __version__
from reconciler.plan.codec import FORMAT_VERSION, change_to_json, checksum
from reconciler.render.diagnostics import diagnostic_json
from reconciler.render.plan_common import PLANS, PlanReport, sorted_stats


def plan_document(report: PlanReport) -> dict[str, Any]:
    plan = report.plan
    body: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "reconciler_version": __version__,
        "checksum": checksum(plan),
        "context": dict(plan.context),
        "summary": plan.summary(),
        "has_changes": plan.has_changes,
        "changes": [change_to_json(c) for c in plan.changes],
        "adoptions": [change_to_json(c) for c in plan.adoptions],
        "unmanaged": [{"kind": u.kind, "name": u.name, "arn": u.arn} for u in plan.unmanaged],
        "errors": [diagnostic_json(e) for e in plan.errors],
        "warnings": list(plan.warnings),
        "names": dict(plan.names),
        "basis": {a: dict(facts) for a, facts in plan.basis.items()},
    }
    if report.stats is not None:
        body["stats"] = sorted_stats(report.stats)
    body.update(report.extra)
    return body


@PLANS.register("json")
def render(report: PlanReport) -> str:
    return (
        json.dumps(
            plan_document(report), indent=2, sort_keys=True, ensure_ascii=False, default=_default
        )
        + "\n"
    )


def _default(value: Any) -> Any:
    if isinstance(value, tuple | frozenset | set):
        return sorted(value) if isinstance(value, frozenset | set) else list(value)
    return str(value)
