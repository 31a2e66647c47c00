"""Commands that read live state and change nothing: validate (no AWS call), plan, drift
and verify (which only accepts invitations to the shares the reconciler manages)."""

from __future__ import annotations

import sys
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reconciler.cli.base import (
    EXIT_CHANGES,
    EXIT_ERROR,
    EXIT_OK,
    AdoptOption,
    EndpointOption,
    PlanFormat,
    PlanFormatOption,
    RepoOption,
    ValidateFormat,
    app,
    plan_for,
    report_for,
    terminal_color,
    write_file,
)
from reconciler.cli.options import choice
from reconciler.cli.targets import Output, TargetOption, run_for_targets, run_output
from reconciler.desired.model import Uses
from reconciler.render.diagnostics import DIAGNOSTICS, ValidationReport
from reconciler.render.plan_common import PLANS
from reconciler.run.repository import base_gates, load_repository

if TYPE_CHECKING:  # the pipeline (boto3, deepdiff) loads only when a command runs
    from reconciler.diff.compose import PlanOptions
    from reconciler.run.pipeline import PlanRun, Target


@app.command()
def validate(
    repo: RepoOption = Path("."),
    fmt: Annotated[
        ValidateFormat, choice(ValidateFormat, "--format", help="Output format.")
    ] = ValidateFormat.text,
) -> None:
    """Check every file of the repository; exit 0 when valid, 1 otherwise. No AWS call."""
    loaded = load_repository(repo)
    report = ValidationReport(loaded.diagnostics, loaded.files)
    sys.stdout.write(DIAGNOSTICS.get(fmt.value)(report))
    raise typer.Exit(EXIT_OK if report.valid else EXIT_ERROR)


OutOption = Annotated[Path | None, typer.Option(help="Also write the JSON plan to this file.")]
DetailedExitcodeOption = Annotated[
    bool, typer.Option("--detailed-exitcode", help="Exit 0 with no changes, 2 with changes.")
]
StatsOption = Annotated[bool, typer.Option(help="Show API calls per operation.")]
PruneOption = Annotated[
    bool, typer.Option(help="Plan deletion of managed cards and shares no longer in git.")
]
GatesBaseOption = Annotated[
    Path | None,
    typer.Option(
        "--gates-base",
        metavar="<reconciler.yaml>",
        help="The base branch's reconciler.yaml: name the cards a change to its gates "
        "lets through.",
    ),
]


@app.command()
def plan(
    repo: RepoOption = Path("."),
    fmt: PlanFormatOption = PlanFormat.text,
    out: OutOption = None,
    detailed_exitcode: DetailedExitcodeOption = False,
    stats: StatsOption = False,
    prune: PruneOption = False,
    adopt: AdoptOption = False,
    gates_base: GatesBaseOption = None,
    target: TargetOption = None,
    endpoint_url: EndpointOption = None,
) -> None:
    """Show what apply would change to make AWS match git. Changes nothing."""
    from reconciler.diff.compose import PlanOptions

    base = None if gates_base is None else base_gates(gates_base)
    options = PlanOptions(adopt=adopt, prune=prune, gates_base=base)
    work = partial(
        _plan_one, options=options, fmt=fmt.value, out=out, stats=stats, detailed=detailed_exitcode
    )
    only = "--out" if out is not None else None
    raise typer.Exit(
        run_for_targets(repo, endpoint_url, target, fmt.value, work, only, uses=Uses.PLAN)
    )


def _plan_one(
    one: Target, *, options: PlanOptions, fmt: str, out: Path | None, stats: bool, detailed: bool
) -> Output:
    """One target's plan rendered (and saved to ``out``); 1 when the plan has errors, 2
    when it has changes and ``detailed`` (--detailed-exitcode) asks."""
    run = plan_for(one, options)
    report = report_for(one, run, fmt, stats, options.prune)
    if out is not None:
        _save_plan(out, one, run, stats, options)
    changed = EXIT_CHANGES if detailed and run.plan.has_changes else EXIT_OK
    code = EXIT_ERROR if run.plan.errors else changed
    return Output(body=PLANS.get(fmt)(report), code=code)


def _save_plan(out: Path, one: Target, run: PlanRun, stats: bool, options: PlanOptions) -> None:
    """The JSON plan written to ``out``, with the options apply --plan must use again."""
    saved = replace(
        report_for(one, run, "json", stats),
        extra={"options": {"prune": options.prune, "adopt": options.adopt}},
    )
    write_file(out, PLANS.get("json")(saved))


@app.command()
def drift(
    repo: RepoOption = Path("."),
    fmt: PlanFormatOption = PlanFormat.text,
    target: TargetOption = None,
    endpoint_url: EndpointOption = None,
) -> None:
    """Report every way live state differs from git, and who changed it.

    Exit 0 no drift, 2 drift, 1 error. Changes nothing."""
    work = partial(_drift_one, fmt=fmt.value)
    raise typer.Exit(run_for_targets(repo, endpoint_url, target, fmt.value, work, uses=Uses.DRIFT))


def _drift_one(one: Target, fmt: str) -> Output:
    """One target's drift rendered; 2 when there is drift."""
    from reconciler.render.drift import DRIFT
    from reconciler.run.drift_run import drift_run

    report, _ = drift_run(one)
    shown = replace(report, color=terminal_color(fmt))
    code = EXIT_CHANGES if report.has_drift else EXIT_OK
    return Output(body=DRIFT.get(fmt)(shown), code=code)


@app.command()
def verify(
    repo: RepoOption = Path("."),
    fmt: PlanFormatOption = PlanFormat.text,
    target: TargetOption = None,
    endpoint_url: EndpointOption = None,
) -> None:
    """Check what each share target account sees, through its role_arn.

    Writes nothing except accepting pending invitations to shares the reconciler manages."""
    work = partial(_verify_one, fmt=fmt.value)
    raise typer.Exit(run_for_targets(repo, endpoint_url, target, fmt.value, work))


def _verify_one(one: Target, fmt: str) -> Output:
    """What each consumer account of one target sees, rendered; 1 when anything fails."""
    from reconciler.aws.waits import WaitSettings
    from reconciler.diff.compose import PlanOptions
    from reconciler.render.apply_report import RunReport
    from reconciler.run.pipeline import verify_run

    verification = verify_run(one, plan_for(one, PlanOptions()), WaitSettings())
    return run_output(RunReport.of_verify(verification), fmt)
