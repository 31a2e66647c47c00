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
from reconciler.desired.model import Uses
from reconciler.render.targets import GROUPED, TargetSection

if TYPE_CHECKING:
    from reconciler.desired.model import Config
    from reconciler.render.apply_report import RunReport
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


def run_output(report: RunReport, fmt: str) -> Output:
    """An apply or verify report rendered in ``fmt``, and 1 when anything failed."""
    from reconciler.render.apply import REPORTS

    return Output(body=REPORTS.get(fmt)(report), code=EXIT_ERROR if report.failed else EXIT_OK)


def worst(codes: list[int]) -> int:
    """The exit code of several: an error (1) over changes or drift (2) over none (0)."""
    return EXIT_ERROR if EXIT_ERROR in codes else max(codes, default=EXIT_OK)


def results_for_targets(
    repo: Path,
    endpoint_url: str | None,
    names: list[str] | None,
    work: Callable[[Target], R],
    one_only: str | None = None,
    uses: Uses = Uses.APPLY,
) -> tuple[bool, list[TargetResult[R]]]:
    """Whether reconciler.yaml declares targets, and ``work``'s result for each selected
    target. Without targets: the one target's error is raised, as before targets existed.
    ``one_only`` names an option (``--out``, ``--plan``) that needs one selected target;
    ``uses``: which of a target's card account roles the command assumes."""
    from reconciler.run.fanout import for_each_target
    from reconciler.run.pipeline import RunSettings, load_valid

    with showing_problems(repo):
        state = load_valid(repo)
        _require_one(state.config, names, one_only)
        settings = RunSettings(repo=repo, endpoint_url=endpoint_url, uses=uses)
        results = for_each_target(state, settings, names, work)
    declared = state.config.declares_targets
    _show_errors(results, declared)
    return declared, results


def _require_one(config: Config, names: list[str] | None, one_only: str | None) -> None:
    """``one_only``, an option that holds the plan of one target, needs one selected."""
    from reconciler.desired.targets import selected

    if one_only and len(selected(config, names)) > 1:
        raise ReconcilerError(
            f"{one_only} holds the plan of one target, and this run has several",
            hint="name one with --target",
        )


def _show_errors(results: list[TargetResult[R]], declared: bool) -> None:
    """Each failed target named on stderr; without targets, the one target's error raised."""
    for r in results:
        if r.error is not None and not declared:
            raise r.error
        if r.error is not None:
            sys.stderr.write(f"error: target {r.name}: {r.error}\n")


def run_for_targets(
    repo: Path,
    endpoint_url: str | None,
    names: list[str] | None,
    fmt: str,
    work: Callable[[Target], Output],
    one_only: str | None = None,
    uses: Uses = Uses.APPLY,
) -> int:
    """``work`` for each selected target; prints one report and returns the worst exit
    code. A repository without targets: prints its one report exactly as before."""
    declared, results = results_for_targets(repo, endpoint_url, names, work, one_only, uses)
    if not declared:
        (only,) = results
        assert only.value is not None
        sys.stdout.write(only.value.body)
        return only.value.code
    sys.stdout.write(GROUPED.get(fmt)([_section(r) for r in results]))
    return worst([r.value.code if r.value is not None else EXIT_ERROR for r in results])


def _section(result: TargetResult[Output]) -> TargetSection:
    """One target's part of the grouped report: its rendered report, or its error."""
    return TargetSection(
        name=result.name,
        account=result.account,
        region=result.region,
        body=result.value.body if result.value is not None else "",
        error=str(result.error) if result.error is not None else None,
    )
