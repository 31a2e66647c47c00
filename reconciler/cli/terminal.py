"""The terminal side of an apply: the question asked before anything changes (on stderr,
one target at a time when targets run together), and what each target shows while it
applies: the progress of the only target, or one line as each of several starts.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from reconciler.cli.options import colour_on
from reconciler.cli.progress import ApplyProgress
from reconciler.common.errors import ReconcilerError
from reconciler.common.words import count
from reconciler.render.plan_common import PLANS, PlanReport

if TYPE_CHECKING:  # the pipeline (boto3, deepdiff) loads only when a command runs
    from reconciler.plan.model import Plan
    from reconciler.run.apply_run import ApplyHooks
    from reconciler.run.pipeline import Target


class ApplyConsole:
    """Confirmation and progress for every target of one apply."""

    def __init__(self, auto_approve: bool) -> None:
        self.auto_approve = auto_approve
        self.progress = ApplyProgress()
        self._asking = threading.Lock()  # one question at a time when targets run together

    def hooks(self, target: Target) -> ApplyHooks:
        """How ``target``'s apply asks and reports: with a progress bar when it is the
        repository's only target, with its name and a line when it starts otherwise."""
        from reconciler.run.apply_run import ApplyHooks

        if not target.state.config.declares_targets:
            confirm = partial(self.confirm, name=None)
            return ApplyHooks(confirm=confirm, starting=self.progress.start, progress=self.progress)
        return ApplyHooks(
            confirm=partial(self.confirm, name=target.name), starting=_announce(target.name)
        )

    def confirm(self, plan: Plan, name: str | None) -> bool:
        with self._asking:
            if name is not None and not self.auto_approve:
                sys.stderr.write(f"\nTarget {name}:\n")
            return confirmed(plan, self.auto_approve)

    def __enter__(self) -> ApplyConsole:
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.close()


def _announce(name: str) -> Callable[[int], None]:
    """Progress of one target among several: a line on stderr when it starts applying."""

    def starting(total: int) -> None:
        sys.stderr.write(f"target {name}: applying {count(total, 'change')}\n")

    return starting


def confirmed(plan: Plan, auto_approve: bool) -> bool:
    """Whether to apply ``plan``: yes with ``--auto-approve``; otherwise the plan is shown
    on stderr and only 'yes' typed on the terminal applies it."""
    if auto_approve:
        return True
    if not sys.stdin.isatty():
        raise ReconcilerError(
            "apply needs a confirmation and there is no terminal to ask on",
            hint="review the plan, then pass --auto-approve",
        )
    sys.stderr.write(PLANS.get("text")(PlanReport(plan=plan, color=colour_on(sys.stderr))))
    sys.stderr.write("\nApply these changes? Only 'yes' is accepted: ")
    sys.stderr.flush()
    return sys.stdin.readline().strip() == "yes"
