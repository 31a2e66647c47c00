"""The report the apply renderers show (``RunReport``: an apply with its verification,
or a verify alone, built from what the run gave), and the sentences every format of it
shares: why apply refused, what held a resource back, and what happened overall.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from typing_extensions import assert_never

from reconciler.apply.report import (
    ApplyReport,
    GuardRefusal,
    Limit,
    Refusal,
    StepStatus,
    ThresholdRefusal,
)
from reconciler.common.diagnostics import Diagnostic
from reconciler.common.words import count
from reconciler.render.plan_common import held_back
from reconciler.reports.consumers import AccountCheck, VerifyReport


class Applied(Protocol):
    """What an apply run gives (``run.apply_run.ApplyOutcome``), as far as its report goes."""

    @property
    def report(self) -> ApplyReport: ...

    @property
    def verification(self) -> VerifyReport | None: ...


@dataclass(frozen=True, kw_only=True)
class RunReport:
    """What the renderers show: an apply (with its verification) or a verify alone."""

    kind: str  # "apply" or "verify"
    apply: ApplyReport | None = None
    verification: VerifyReport | None = None
    context: Mapping[str, str] = field(default_factory=dict)
    stats: Mapping[str, Mapping[str, int]] | None = None  # with --stats: calls per operation

    @classmethod
    def of_apply(
        cls, outcome: Applied, stats: Mapping[str, Mapping[str, int]] | None = None
    ) -> RunReport:
        """The report of an apply run, with its verification (and ``--stats``'s counts)."""
        return cls(
            kind="apply",
            apply=outcome.report,
            verification=outcome.verification,
            context=outcome.report.context,
            stats=stats,
        )

    @classmethod
    def of_verify(cls, verification: VerifyReport) -> RunReport:
        """The report of a verify run: what each consumer account sees."""
        return cls(kind="verify", verification=verification, context=verification.context)

    @property
    def applied(self) -> ApplyReport:
        """The apply report, or an empty one for a verify."""
        return self.apply or ApplyReport(checksum="")

    @property
    def checks(self) -> tuple[AccountCheck, ...]:
        return self.verification.checks if self.verification else ()

    @property
    def failed(self) -> bool:
        return bool(self.apply and self.apply.failed) or bool(
            self.verification and self.verification.failed
        )


def refusal_text(refusal: Refusal) -> str:
    """Why apply refused, and what allows it."""
    match refusal:
        case GuardRefusal(address=address, guard=guard, note=note):
            why = f"{guard.text} ({note})" if note else guard.text
            return f"{address}: {why}: apply with --{guard.flag.value} to allow it"
        case ThresholdRefusal(limit=limit, cards=cards, existing=existing):
            verb = "update" if limit is Limit.UPDATE else "delete or replace"
            return (
                f"the plan would {verb} {cards} of {existing} managed cards "
                f"({100.0 * cards / existing:.0f}%), above safety.max_{limit.value}_percent "
                f"= {refusal.percent_allowed:g}%: review the plan, then apply with --force, "
                "or raise the limit in reconciler.yaml"
            )
        case _:
            assert_never(refusal)


def blocked_text(error: Diagnostic) -> str:
    """A plan error that held its resource back, where it is."""
    return f"{error.file}:{error.line}:{error.column}: {error.message}"


def outcome(run: RunReport) -> str:
    """One sentence: what happened overall."""
    return _stopped(run.applied) or _short_of_git(run) or _complete(run)


def _stopped(report: ApplyReport) -> str | None:
    """Why the apply stopped before its end, if it did: a refusal or a failed step."""
    if report.refused:
        return "Refused: nothing was applied."
    failed = [s for s in report.steps if s.status is StepStatus.FAILED]
    if not failed:
        return None
    skipped = sum(1 for s in report.steps if s.status is StepStatus.NOT_ATTEMPTED)
    return (
        f"Failed at {failed[0].address} ({failed[0].action.value}); "
        f"{count(skipped, 'later step')} not attempted. Once the cause is fixed, "
        "apply again: it picks up where it stopped."
    )


def _short_of_git(run: RunReport) -> str | None:
    """What still differs from git after every step ran, if anything does."""
    report = run.applied
    if report.converged is False and not report.remaining:
        return (
            "Applied, but the plan made after it finds errors (see above): live state does "
            "not match git."
        )
    if report.converged is False:
        return "Applied, but live state still differs from git (see remaining changes)."
    if report.blocked:
        return (
            f"Applied everything else; {held_back(len(report.blocked))} (see above): fix it, "
            "then apply again."
        )
    if any(not c.ok for c in run.checks):
        return "Applied; consumer verification found problems."
    return None


def _complete(run: RunReport) -> str:
    if run.kind == "verify":
        return "Every consumer account sees what git declares."
    done = sum(1 for s in run.applied.steps if s.status is StepStatus.DONE)
    return (
        f"Apply complete: {count(done, 'change')} made; live state matches git."
        if done
        else "No changes. Live state matches git."
    )
