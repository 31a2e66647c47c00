"""Commands that write: apply (to AWS), import and pull (to the repository)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from reconciler.cli.base import (
    AdoptOption,
    EndpointOption,
    PlanFormat,
    PlanFormatOption,
    RepoOption,
    WriteFormat,
    WriteFormatOption,
    app,
    plan_for,
)
from reconciler.cli.targets import (
    Output,
    TargetOption,
    results_for_targets,
    run_for_targets,
    run_output,
)
from reconciler.common.errors import ReconcilerError
from reconciler.common.words import count, printable
from reconciler.desired.model import Uses
from reconciler.render.diagnostics import DIAGNOSTICS, ValidationReport
from reconciler.render.written import Written, WrittenReport, written_json
from reconciler.run.repository import RepoLoad, load_repository

if TYPE_CHECKING:  # the pipeline (boto3, deepdiff) loads only when a command runs
    from reconciler.cli.terminal import ApplyConsole
    from reconciler.run.apply_run import ApplyRequest
    from reconciler.run.fanout import TargetResult
    from reconciler.run.pipeline import Target

R = TypeVar("R")

SavedPlanOption = Annotated[
    Path | None,
    typer.Option("--plan", help="Apply only if live state still gives this saved plan."),
]
AutoApproveOption = Annotated[
    bool, typer.Option("--auto-approve", help="Apply without asking (CI).")
]
PruneOption = Annotated[
    bool, typer.Option(help="Delete managed cards and shares no longer in git.")
]
ForceOption = Annotated[
    bool, typer.Option(help="Allow guarded changes and exceed the safety thresholds.")
]
NoVerifyOption = Annotated[
    bool, typer.Option("--no-verify", help="Skip the consumer-side verification.")
]
StatsOption = Annotated[bool, typer.Option("--stats", help="Add API call counts to the report.")]
ParallelismOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        max=64,
        metavar="<n>",
        help="Changes made at once (default: apply.parallelism in reconciler.yaml, or 10).",
    ),
]


@app.command()
def apply(
    repo: RepoOption = Path("."),
    plan_file: SavedPlanOption = None,
    auto_approve: AutoApproveOption = False,
    prune: PruneOption = False,
    force: ForceOption = False,
    adopt: AdoptOption = False,
    fmt: PlanFormatOption = PlanFormat.text,
    no_verify: NoVerifyOption = False,
    stats: StatsOption = False,
    parallelism: ParallelismOption = None,
    target: TargetOption = None,
    endpoint_url: EndpointOption = None,
) -> None:
    """Make AWS match git: plan, check safety, confirm, apply in order, verify."""
    from reconciler.cli.terminal import ApplyConsole

    request = _apply_request(
        plan_file,
        adopt=adopt,
        prune=prune,
        force=force,
        verify=not no_verify,
        parallelism=parallelism,
    )
    only = "--plan" if plan_file else None
    with ApplyConsole(auto_approve) as console:
        work = partial(_apply_one, request=request, console=console, fmt=fmt.value, stats=stats)
        code = run_for_targets(repo, endpoint_url, target, fmt.value, work, only)
    raise typer.Exit(code)


def _apply_request(
    plan_file: Path | None,
    *,
    adopt: bool,
    prune: bool,
    force: bool,
    verify: bool,
    parallelism: int | None,
) -> ApplyRequest:
    """What to apply, from the options: a saved plan's --adopt and --prune count too."""
    from reconciler.apply.safety import Flags
    from reconciler.diff.compose import PlanOptions
    from reconciler.plan.saved import read_saved_plan
    from reconciler.run.apply_run import ApplyRequest

    saved = read_saved_plan(plan_file) if plan_file else None
    options = PlanOptions(
        adopt=adopt or bool(saved and saved.adopt), prune=prune or bool(saved and saved.prune)
    )
    flags = Flags(force=force, prune=prune)
    return ApplyRequest(
        options=options, flags=flags, saved=saved, verify=verify, parallelism=parallelism
    )


def _apply_one(
    one: Target, *, request: ApplyRequest, console: ApplyConsole, fmt: str, stats: bool
) -> Output:
    """Apply to one target, and its report rendered."""
    from reconciler.render.apply_report import RunReport
    from reconciler.run.apply_run import apply_run

    outcome = apply_run(one, request, console.hooks(one))
    return run_output(RunReport.of_apply(outcome, one.call_counts() if stats else None), fmt)


_VERBS = {"import": "imported", "pull": "updated"}
NamesArgument = Annotated[list[str] | None, typer.Argument(help="Model card names.")]
AllLiveOption = Annotated[bool, typer.Option("--all", help="Every live card not in git.")]
SharesOption = Annotated[bool, typer.Option(help="Also import live shares not in git.")]
ImportGroupOption = Annotated[
    list[str] | None,
    typer.Option(
        "--group",
        metavar="<name>",
        help="A live model package group to write into registry/<name>.yaml (repeatable).",
    ),
]
PullGroupOption = Annotated[
    list[str] | None,
    typer.Option(
        "--group",
        metavar="<name>",
        help="A registry file's group whose live cards, approvals, stages and tags to pull "
        "(repeatable).",
    ),
]
AllManagedOption = Annotated[
    bool, typer.Option("--all", help="Every managed card and every registry file.")
]


@app.command("import")
def import_(
    names: NamesArgument = None,
    everything: AllLiveOption = False,
    shares: SharesOption = False,
    group: ImportGroupOption = None,
    repo: RepoOption = Path("."),
    fmt: WriteFormatOption = WriteFormat.text,
    target: TargetOption = None,
    endpoint_url: EndpointOption = None,
) -> None:
    """Write live cards (and shares, and model package groups) that git does not have into
    YAML files.

    Writes nothing to AWS: the next apply adopts cards and shares by adding the ownership
    tags; an imported group plans empty."""
    _require_selection(names, everything or shares or bool(group))
    from reconciler.run.pipeline import import_candidates_run
    from reconciler.workflows.importer import import_live

    chosen, groups = names or [], tuple(group or ())
    declared, results = results_for_targets(
        repo,
        endpoint_url,
        target,
        lambda one: import_candidates_run(one, chosen, groups),
        uses=Uses.PLAN,
    )
    write = partial(
        import_live, repo=repo, names=chosen, everything=everything, shares=shares, groups=groups
    )
    report = _collected("import", declared, results, write)
    if fmt is WriteFormat.text:
        sys.stderr.writelines(f"note: {printable(note)}\n" for note in report.notes)
    _finish_writing(repo, report, fmt)


@app.command()
def pull(
    names: NamesArgument = None,
    everything: AllManagedOption = False,
    group: PullGroupOption = None,
    repo: RepoOption = Path("."),
    fmt: WriteFormatOption = WriteFormat.text,
    target: TargetOption = None,
    endpoint_url: EndpointOption = None,
) -> None:
    """Bring live content edits of managed cards, and live changes of registry-managed
    model versions and group tags, into their YAML files.

    Keeps comments and key order. Writes nothing to AWS."""
    _require_selection(names, everything or bool(group))
    from reconciler.diff.compose import PlanOptions
    from reconciler.workflows.pull_registry import pull_all

    declared, results = results_for_targets(
        repo, endpoint_url, target, lambda one: plan_for(one, PlanOptions()), uses=Uses.PLAN
    )
    groups = tuple(group or ())
    write = partial(pull_all, repo=repo, names=names or [], everything=everything, groups=groups)
    _finish_writing(repo, _collected("pull", declared, results, write), fmt)


def _collected(
    command: str, declared: bool, results: Sequence[TargetResult[R]], write: Callable[[R], Written]
) -> WrittenReport:
    """What ``write`` wrote for each target that was read, and the targets that failed.
    One target after another: the files are the repository's (a card of several targets
    is one file)."""
    report = WrittenReport(command=command, written=(), failed=_failed_targets(results))
    for r in results:
        if r.value is not None:
            report = report.adding(f"target {r.name}: " if declared else "", write(r.value))
    return report


def _failed_targets(results: Sequence[TargetResult[Any]]) -> tuple[str, ...]:
    return tuple(f"target {r.name}: {r.error}" for r in results if r.error is not None)


def _require_selection(names: list[str] | None, everything: bool) -> None:
    if not names and not everything:
        raise ReconcilerError(
            "no cards selected", hint="name the cards, pass --group <name>, or pass --all"
        )


def _finish_writing(repo: Path, report: WrittenReport, fmt: WriteFormat) -> None:
    """Report what was written and why anything named was not, then validate the repository."""
    verb = _VERBS[report.command]
    loaded = load_repository(repo)
    _show_written(replace(report, valid=loaded.ok), fmt)
    _require_valid(loaded)
    if report.failed:
        raise ReconcilerError(
            f"{count(len(report.failed), 'resource')} could not be {verb} (see above)",
            hint="check the names against the account and git",
        )
    if fmt is WriteFormat.text:
        tail = "Review the diff, then plan." if report.written else "Nothing to change."
        sys.stdout.write(
            f"{count(len(report.written), 'file')} {verb}; the repository validates. {tail}\n"
        )


def _require_valid(loaded: RepoLoad) -> None:
    """The repository's problems listed on stderr and raised, if the written files made any."""
    if not loaded.ok:
        sys.stderr.write(
            DIAGNOSTICS.get("text")(ValidationReport(loaded.diagnostics, loaded.files))
        )
        raise ReconcilerError(
            "the written files do not validate", hint="fix them before committing"
        )


def _show_written(report: WrittenReport, fmt: WriteFormat) -> None:
    """The files written on stdout (or the JSON report); what was not written on stderr."""
    verb = _VERBS[report.command]
    if fmt is WriteFormat.json:
        sys.stdout.write(written_json(report))
        return
    sys.stdout.writelines(f"{verb}: {line}\n" for line in report.written)
    sys.stderr.writelines(f"skipped: {printable(line)}\n" for line in report.skipped)
    sys.stderr.writelines(f"not {verb}: {printable(line)}\n" for line in report.failed)
