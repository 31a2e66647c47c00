"""Commands over several targets: the ``--target`` option, and one report grouped by
target with the worst exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from reconciler.cli.base import EXIT_ERROR, EXIT_OK, showing_problems
from reconciler.common.errors import ReconcilerError
from reconciler.render.targets import GROUPED, TargetSection

if TYPE_CHECKING:
    from reconciler.run.fanout import TargetResult
    from reconciler.run.pipeline import Target

R = TypeVar("R")

TargetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--target",
        metavar="<name>",
        help="Only this target of reconciler.yaml (repeatable); default: every target.",
    ),
]


@dataclass(frozen=True, kw_only=True)
class Output:
    """One target's report, rendered, and the exit code it alone would give."""

    body: str
    code: int


def worst(codes: list[int]) -> int:
    """The exit code of several: an error (1) over changes or drift (2) over none (0)."""
    return EXIT_ERROR if EXIT_ERROR in codes else max(codes, default=EXIT_OK)


def results_for_targets(
    repo: Path,
    endpoint_url: str | None,
    names: list[str] | None,
    work: Callable[[Target], R],
    one_only: str | None = None,
    reads_only: bool = False,
) -> tuple[bool, list[TargetResult[R]]]:
    """Whether reconciler.yaml declares targets, and ``work``'s result for each selected
    target. Without targets: the one target's error is raised, as before targets existed.
    ``one_only`` names an option (``--out``, ``--plan``) that needs one selected target;
    ``reads_only``: the command writes nothing to AWS (a target's plan_role_arn serves)."""
    from reconciler.desired.targets import selected
    from reconciler.run.fanout import for_each_target
    from reconciler.run.pipeline import RunSettings, load_valid

    with showing_problems(repo):
        state = load_valid(repo)
        if one_only and len(selected(state.config, names)) > 1:
            raise ReconcilerError(
                f"{one_only} holds the plan of one target, and this run has several",
                hint="name one with --target",
            )
        settings = RunSettings(repo=repo, endpoint_url=endpoint_url, reads_only=reads_only)
        results = for_each_target(state, settings, names, work)
    declared = state.config.declares_targets
    for r in results:
        if r.error is not None and not declared:
            raise r.error
        if r.error is not None:
            sys.stderr.write(f"error: target {r.name}: {r.error}\n")
    return declared, results


def run_for_targets(
    repo: Path,
    endpoint_url: str | None,
    names: list[str] | None,
    fmt: str,
    work: Callable[[Target], Output],
    one_only: str | None = None,
    reads_only: bool = False,
) -> int:
    """``work`` for each selected target; prints one report and returns the worst exit
    code. A repository without targets: prints its one report exactly as before."""
    declared, results = results_for_targets(repo, endpoint_url, names, work, one_only, reads_only)
    if not declared:
        (only,) = results
        assert only.value is not None
        sys.stdout.write(only.value.body)
        return only.value.code
    sections = [
        TargetSection(
            name=r.name,
            account=r.account,
            region=r.region,
            body=r.value.body if r.value is not None else "",
            error=str(r.error) if r.error is not None else None,
        )
        for r in results
    ]
    sys.stdout.write(GROUPED.get(fmt)(sections))
    return worst([r.value.code if r.value is not None else EXIT_ERROR for r in results])
