"""Commands that write: apply (to AWS), import and pull (to the repository)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Protocol

import typer

from reconciler.cli.base import (
    EXIT_ERROR,
    EXIT_OK,
    EndpointOption,
    PlanFormat,
    PlanFormatOption,
    RepoOption,
    WriteFormat,
    WriteFormatOption,
    app,
    plan_for,
)
from reconciler.cli.options import colour_on
from reconciler.cli.targets import Output, TargetOption, results_for_targets, run_for_targets
from reconciler.common.errors import ReconcilerError
from reconciler.common.words import count
from reconciler.render.diagnostics import DIAGNOSTICS, ValidationReport
from reconciler.render.plan_common import PLANS, PlanReport
from reconciler.render.written import WrittenReport, written_json
from reconciler.run.repository import load_repository

if TYPE_CHECKING:  # the pipeline (boto3, deepdiff) loads only when a command runs
    from reconciler.plan.model import Plan
    from reconciler.run.fanout import TargetResult
    from reconciler.run.pipeline import Target


@app.command()
def apply(
    repo: RepoOption = Path("."),
    plan_file: Annotated[
        Path | None,
        typer.Option("--plan", help="Apply only if live state still gives this saved plan."),
    ] = None,
    auto_approve: Annotated[
        bool, typer.Option("--auto-approve", help="Apply without asking (CI).")
    ] = False,
    prune: Annotated[
        bool, typer.Option(help="Delete managed cards and shares no longer in git.")
    ] = False,
    force: Annotated[
        bool, typer.Option(help="Allow guarded changes and exceed the safety thresholds.")
    ] = False,
    adopt: Annotated[
        bool,
        typer.Option(help="Take over live cards git declares that the reconciler did not create."),
    ] = False,
    fmt: PlanFormatOption = PlanFormat.text,
    no_verify: Annotated[
        bool, typer.Option("--no-verify", help="Skip the consumer-side verification.")
    ] = False,
    stats: Annotated[
        bool, typer.Option("--stats", help="Add API call counts to the report.")
    ] = False,
    parallelism: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            metavar="<n>",
            help="Changes made at once (default: apply.parallelism in reconciler.yaml, or 10).",
        ),
    ] = None,
    target: TargetOption = None,
    endpoint_url: EndpointOption = None,
) -> None:
    """Make AWS match git: plan, check safety, confirm, apply in order, verify."""
    from reconciler.apply.safety import Flags
    from reconciler.cli.progress import ApplyProgress
    from reconciler.diff.compose import PlanOptions
    from reconciler.plan.saved import read_saved_plan
    from reconciler.render.apply import REPORTS, RunReport
    from reconciler.run.apply_run import ApplyHooks, ApplyRequest, apply_run

    saved = read_saved_plan(plan_file) if plan_file else None
    options = PlanOptions(
        adopt=adopt or bool(saved and saved.adopt), prune=prune or bool(saved and saved.prune)
    )
    request = ApplyRequest(
        options=options,
        flags=Flags(force=force, prune=prune),
        saved=saved,
        verify=not no_verify,
        parallelism=parallelism,
    )
    progress = ApplyProgress()
    asking = threading.Lock()  # one question at a time when targets run together

    def confirm(plan: Plan, name: str | None) -> bool:
        with asking:
            if name is not None and not auto_approve:
                sys.stderr.write(f"\nTarget {name}:\n")
            return _confirm(plan, auto_approve)

    def work(one: Target) -> Output:
        name = one.name if one.state.config.declares_targets else None
        hooks = (
            ApplyHooks(
                confirm=lambda p: confirm(p, None), starting=progress.start, progress=progress
            )
            if name is None
            else ApplyHooks(confirm=lambda p: confirm(p, name), starting=_announce(name))
        )
        outcome = apply_run(one, request, hooks)
        calls = one.session.stats
        report = RunReport(
            kind="apply",
            apply=outcome.report,
            verification=outcome.verification,
            context=outcome.report.context,
            stats={"calls": dict(calls.calls), "attempts": dict(calls.attempts)} if stats else None,
        )
        return Output(
            body=REPORTS.get(fmt.value)(report), code=EXIT_ERROR if report.failed else EXIT_OK
        )

    only = "--plan" if plan_file else None
    try:
        code = run_for_targets(repo, endpoint_url, target, fmt.value, work, only)
    finally:
        progress.close()
    raise typer.Exit(code)


def _announce(name: str) -> Callable[[int], None]:
    """Progress of one target among several: a line on stderr when it starts applying."""

    def starting(total: int) -> None:
        sys.stderr.write(f"target {name}: applying {count(total, 'change')}\n")

    return starting


def _confirm(plan: Plan, auto_approve: bool) -> bool:
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


_VERBS = {"import": "imported", "pull": "updated"}
NamesArgument = Annotated[list[str] | None, typer.Argument(help="Model card names.")]


@app.command("import")
def import_(
    names: NamesArgument = None,
    everything: Annotated[bool, typer.Option("--all", help="Every live card not in git.")] = False,
    shares: Annotated[bool, typer.Option(help="Also import live shares not in git.")] = False,
    repo: RepoOption = Path("."),
    fmt: WriteFormatOption = WriteFormat.text,
    target: TargetOption = None,
    endpoint_url: EndpointOption = None,
) -> None:
    """Write live cards (and shares) that git does not have into YAML files.

    Writes nothing to AWS: the next apply adopts them by adding the ownership tags."""
    _require_selection(names, everything or shares)
    from reconciler.run.pipeline import import_candidates_run
    from reconciler.workflows.importer import import_live

    declared, results = results_for_targets(
        repo,
        endpoint_url,
        target,
        lambda one: import_candidates_run(one, names or []),
        reads_only=True,
    )
    report = WrittenReport(command="import", written=(), failed=_failed_targets(results))
    for r in results:  # one after another: the files are the repository's
        if r.value is None:
            continue
        result = import_live(r.value, repo, names or [], everything, shares)
        report = _add(report, _in(r.name, declared), result, result.notes)
    if fmt is WriteFormat.text:
        for note in report.notes:
            sys.stderr.write(f"note: {note}\n")
    _finish_writing(repo, report, fmt)


@app.command()
def pull(
    names: NamesArgument = None,
    everything: Annotated[bool, typer.Option("--all", help="Every managed card.")] = False,
    repo: RepoOption = Path("."),
    fmt: WriteFormatOption = WriteFormat.text,
    target: TargetOption = None,
    endpoint_url: EndpointOption = None,
) -> None:
    """Bring live content edits of managed cards into their YAML files.

    Keeps comments and key order. Writes nothing to AWS."""
    _require_selection(names, everything)
    from reconciler.diff.compose import PlanOptions
    from reconciler.workflows.pull import pull_live

    declared, results = results_for_targets(
        repo, endpoint_url, target, lambda one: plan_for(one, PlanOptions()), reads_only=True
    )
    report = WrittenReport(command="pull", written=(), failed=_failed_targets(results))
    for r in results:  # one after another: a card of several targets is one file
        if r.value is None:
            continue
        result = pull_live(r.value, repo, names or [], everything)
        report = _add(report, _in(r.name, declared), result, [])
    _finish_writing(repo, report, fmt)


def _in(name: str, declared: bool) -> str:
    return f"target {name}: " if declared else ""


def _failed_targets(results: Sequence[TargetResult[Any]]) -> tuple[str, ...]:
    return tuple(f"target {r.name}: {r.error}" for r in results if r.error is not None)


class _Written(Protocol):
    written: list[str]
    skipped: list[str]
    failed: list[str]


def _add(
    report: WrittenReport, where: str, result: _Written, notes: Sequence[str]
) -> WrittenReport:
    """``report`` with one target's written, skipped and failed files (and notes) added;
    ``where`` names the target when there are several."""
    return replace(
        report,
        written=(*report.written, *result.written),
        skipped=(*report.skipped, *(where + s for s in result.skipped)),
        failed=(*report.failed, *(where + f for f in result.failed)),
        notes=(*report.notes, *(where + n for n in notes)),
    )


def _require_selection(names: list[str] | None, everything: bool) -> None:
    if not names and not everything:
        raise ReconcilerError("no cards selected", hint="name the cards, or pass --all")


def _finish_writing(repo: Path, report: WrittenReport, fmt: WriteFormat) -> None:
    """Report what was written and why anything named was not, then validate the repository."""
    verb, written, failed = _VERBS[report.command], report.written, report.failed
    loaded = load_repository(repo)
    if fmt is WriteFormat.json:
        sys.stdout.write(written_json(replace(report, valid=loaded.ok)))
    else:
        sys.stdout.writelines(f"{verb}: {line}\n" for line in written)
        sys.stderr.writelines(f"skipped: {line}\n" for line in report.skipped)
        sys.stderr.writelines(f"not {verb}: {line}\n" for line in failed)
    if not loaded.ok:
        sys.stderr.write(
            DIAGNOSTICS.get("text")(ValidationReport(loaded.diagnostics, loaded.files))
        )
        raise ReconcilerError(
            "the written files do not validate", hint="fix them before committing"
        )
    if failed:
        raise ReconcilerError(
            f"{count(len(failed), 'named card')} could not be {verb} (see above)",
            hint="check the names against the account and git",
        )
    tail = "Review the diff, then plan." if written else "Nothing to change."
    if fmt is WriteFormat.text:
        sys.stdout.write(
            f"{count(len(written), 'file')} {verb}; the repository validates. {tail}\n"
        )
