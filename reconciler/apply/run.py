"""The apply pipeline: plan from live state, refuse a stale or unsafe plan, confirm,
execute in order, re-plan to prove convergence, then verify what consumers see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from reconciler.apply.executor import execute
from reconciler.apply.report import ApplyReport, Step, StepStatus
from reconciler.apply.safety import Flags, refusals
from reconciler.aws.waits import WaitSettings
from reconciler.commands.verify import verify_consumers
from reconciler.diff.compose import PlanOptions
from reconciler.errors import ReconcilerError
from reconciler.pipeline import PlanRun, RunSettings, plan_run
from reconciler.plan.model import Plan
from reconciler.plan.saved import SavedPlan, ensure_current
from reconciler.words import count


class PlanHasErrors(ReconcilerError):
    def __init__(self, plan: Plan) -> None:
        n = len(plan.errors)
        super().__init__(
            f"the plan has {count(n, 'error')}; nothing was applied",
            hint="fix them (see above) and plan again",
        )
        self.plan = plan


@dataclass(frozen=True)
class ApplyRequest:
    settings: RunSettings
    options: PlanOptions
    flags: Flags
    saved: SavedPlan | None = None
    waits: WaitSettings = field(default_factory=WaitSettings)
    verify: bool = True


@dataclass(frozen=True)
class ApplyHooks:
    """How the caller takes part: confirming the plan, and hearing about each step."""

    confirm: Callable[[Plan], bool]
    progress: Callable[[Step], None] = lambda step: None


def apply_run(request: ApplyRequest, hooks: ApplyHooks) -> tuple[ApplyReport, PlanRun]:
    """Apply what git declares; the report says what happened, step by step."""
    run = plan_run(request.settings, request.options)
    plan = run.plan
    if plan.errors:
        raise PlanHasErrors(plan)
    if request.saved is not None:
        ensure_current(request.saved, plan)
    report = ApplyReport(plan.checksum(), context=dict(plan.context), warnings=plan.warnings)
    blocked = refusals(plan, run.state.config.safety, request.flags)
    if blocked:
        return _with(report, refused=tuple(blocked)), run
    if not plan.changes and not plan.adoptions:
        return _with(report, converged=True), run
    if not hooks.confirm(plan):
        raise ReconcilerError(
            "apply cancelled; nothing was changed",
            hint="answer 'yes' to apply, or review the plan first with `reconciler plan`",
        )
    steps = execute(run.session, plan, request.waits, hooks.progress)
    report = _with(report, steps=steps)
    if any(s.status is StepStatus.FAILED for s in steps):
        return report, run
    return _after(request, report)


def _after(request: ApplyRequest, report: ApplyReport) -> tuple[ApplyReport, PlanRun]:
    """Re-read live state: the plan must now be empty. Then check the consumers."""
    again = plan_run(request.settings, request.options)
    remaining = (*again.plan.adoptions, *again.plan.changes)
    report = _with(report, remaining=remaining, converged=not remaining)
    if request.verify:
        checks = verify_consumers(again.session, again.state, again.live, request.waits)
        report = _with(report, checks=checks)
    return report, again


def _with(report: ApplyReport, **changes: object) -> ApplyReport:
    return replace(report, **changes)  # type: ignore[arg-type]
