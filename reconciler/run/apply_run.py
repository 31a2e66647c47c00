"""The apply run: a plan run, the safety checks and the caller's confirmation, the
execution, then a re-plan that proves convergence, the apply time recorded on the shares
it changed, and the consumers' check. Composed from the pipeline's stages like every
other run (``pipeline``).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from reconciler.apply.executor import DEFAULT_PARALLELISM, execute
from reconciler.apply.report import ApplyReport, Step, StepStatus
from reconciler.apply.safety import Flags, refusals
from reconciler.apply.shares import stamp_applied
from reconciler.aws.waits import WaitSettings
from reconciler.common.diagnostics import Diagnostic
from reconciler.common.errors import ReconcilerError
from reconciler.diff.basis import basis, moved
from reconciler.diff.compose import PlanOptions
from reconciler.live.model import LiveCard
from reconciler.plan.address import Address
from reconciler.plan.codec import checksum
from reconciler.plan.model import Plan
from reconciler.plan.saved import SavedPlan, ensure_current
from reconciler.reports.consumers import VerifyReport
from reconciler.run.pipeline import PlanRun, Target, plan_run, read_cards, verify_run


@dataclass(frozen=True, kw_only=True)
class ApplyRequest:
    options: PlanOptions
    flags: Flags
    saved: SavedPlan | None = None
    waits: WaitSettings = field(default_factory=WaitSettings)
    verify: bool = True
    parallelism: int | None = None  # --parallelism; else reconciler.yaml; else the default


@dataclass(frozen=True, kw_only=True)
class ApplyHooks:
    """How the caller takes part: confirming the plan, and hearing about each step."""

    confirm: Callable[[Plan], bool]
    starting: Callable[[int], None] = lambda total: None  # how many steps are about to run
    progress: Callable[[Step], None] = lambda step: None


@dataclass(frozen=True, kw_only=True)
class ApplyOutcome:
    report: ApplyReport
    verification: VerifyReport | None  # None when nothing was applied or --no-verify
    run: PlanRun  # the last plan run: after the apply, when one happened

    @property
    def failed(self) -> bool:
        return self.report.failed or bool(self.verification and self.verification.failed)


def apply_run(target: Target, request: ApplyRequest, hooks: ApplyHooks) -> ApplyOutcome:
    """Apply what git declares; the report says what happened, step by step."""
    run = plan_run(target, request.options)
    plan = run.plan
    with ThreadPoolExecutor(max_workers=2) as beside:
        # The checksum is needed only for the report (and a saved plan's check), so it is
        # worked out while the steps run; the re-plan's card read starts as soon as only
        # RAM changes are left to run.
        summed = beside.submit(checksum, plan)
        if request.saved is not None:
            ensure_current(request.saved, plan, _moved(request.saved, run), summed.result())
        report = _report_of(plan)
        stopped = _without_steps(target, request, plan, report, summed)
        if stopped is not None:
            return ApplyOutcome(report=stopped, verification=None, run=run)
        _confirm(hooks, plan)
        steps, cards = _execute(target, request, hooks, run, beside)
        report = replace(report, checksum=summed.result(), steps=steps)
        if any(s.status is StepStatus.FAILED for s in steps):
            return ApplyOutcome(report=report, verification=None, run=run)
        return _after(target, request, report, cards[0] if cards else None)


def _moved(saved: SavedPlan, run: PlanRun) -> list[str]:
    """The live facts the saved plan was computed from that are not so any more."""
    then = saved.basis or {}
    return moved(then, basis(run.live, (Address.parse(a) for a in then)))


def _report_of(plan: Plan) -> ApplyReport:
    """The report before any step: what the plan says besides its changes."""
    return ApplyReport(
        checksum="",
        context=plan.context,
        names=plan.names,
        warnings=plan.warnings,
        blocked=plan.errors,
    )


def _without_steps(
    target: Target, request: ApplyRequest, plan: Plan, report: ApplyReport, summed: Future[str]
) -> ApplyReport | None:
    """The report of an apply that runs no step, if this one runs none: refused by the
    safety checks, or with nothing to change."""
    blocked = refusals(plan, target.state.config.safety, request.flags)
    if blocked:
        return replace(report, checksum=summed.result(), refused=tuple(blocked))
    if not plan.changes and not plan.adoptions:
        return replace(report, checksum=summed.result(), converged=True)
    return None


def _confirm(hooks: ApplyHooks, plan: Plan) -> None:
    if not hooks.confirm(plan):
        raise ReconcilerError(
            "apply cancelled; nothing was changed",
            hint="answer 'yes' to apply, or review the plan first with `reconciler plan`",
        )


def _execute(
    target: Target,
    request: ApplyRequest,
    hooks: ApplyHooks,
    run: PlanRun,
    beside: ThreadPoolExecutor,
) -> tuple[tuple[Step, ...], list[Future[dict[str, LiveCard]]]]:
    """Run the plan's steps; the re-plan's read of the cards starts ``beside`` them once
    only RAM changes are left (the future is in the list returned, if it started)."""
    plan = run.plan
    parallelism = request.parallelism or target.state.config.parallelism or DEFAULT_PARALLELISM
    hooks.starting(len(plan.adoptions) + len(plan.changes))
    cards: list[Future[dict[str, LiveCard]]] = []
    steps = execute(
        target.session,
        plan,
        request.waits,
        hooks.progress,
        parallelism,
        commit=target.commit,
        cards_final=lambda: cards.append(beside.submit(read_cards, target.session, run.state)),
    )
    return steps, cards


def _after(
    target: Target,
    request: ApplyRequest,
    report: ApplyReport,
    cards: Future[dict[str, LiveCard]] | None,
) -> ApplyOutcome:
    """Re-read live state: the plan must now be empty. Record on each share changed when
    apply changed it. Then check the consumers."""
    again = plan_run(target, request.options, cards)
    remaining = (*again.plan.adoptions, *again.plan.changes)
    found = _new_errors(report.blocked, again.plan.errors)
    report = replace(
        report,
        remaining=remaining,
        blocked=(*report.blocked, *found),
        converged=not remaining and not found,
    )
    report = replace(report, warnings=(*report.warnings, *_stamp(target, report, again)))
    verification = verify_run(target, again, request.waits) if request.verify else None
    return ApplyOutcome(report=report, verification=verification, run=again)


def _new_errors(before: tuple[Diagnostic, ...], after: tuple[Diagnostic, ...]) -> list[Diagnostic]:
    """The re-plan's errors the first plan did not have: what the apply itself brought about
    (an account RAM now calls external, say) is part of its result, never left for the
    next plan to find."""
    known = {(e.file, e.path, e.message) for e in before}
    return [e for e in after if (e.file, e.path, e.message) not in known]


def utc_now() -> str:
    """Now, as the time apply records on shares: UTC, ISO 8601, to the second."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _stamp(target: Target, report: ApplyReport, run: PlanRun) -> list[str]:
    """Tag the shares this apply changed with the time (``ownership.applied_tag_key``)."""
    done = {
        s.address.name for s in report.steps if s.status is StepStatus.DONE and s.address.is_share
    }
    arns = [run.live.shares[name].arn for name in sorted(done) if name in run.live.shares]
    key = target.state.config.ownership.applied_tag_key
    return stamp_applied(target.session.client("ram"), arns, key, utc_now())
