"""Commands that write: apply (to AWS), import and pull (to the repository)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    showing_problems,
    target_for,
)
from reconciler.cli.options import colour_on
from reconciler.errors import ReconcilerError
from reconciler.load.repo import load_repository
from reconciler.render.diagnostics import DIAGNOSTICS, ValidationReport
from reconciler.render.plan_common import PLANS, PlanReport
from reconciler.render.written import WrittenReport, written_json
from reconciler.words import count

if TYPE_CHECKING:  # the pipeline (boto3, deepdiff) loads only when a command runs
    from reconciler.plan.model import Plan


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
    endpoint_url: EndpointOption = None,
) -> None:
    """Make AWS match git: plan, check safety, confirm, apply in order, verify."""
    from reconciler.apply.safety import Flags
    from reconciler.cli.progress import ApplyProgress
    from reconciler.diff.compose import PlanOptions
    from reconciler.pipeline import (
        ApplyHooks,
        ApplyRequest,
        RunSettings,
        apply_run,
        connect,
    )
    from reconciler.plan.saved import read_saved_plan
    from reconciler.render.apply import REPORTS, RunReport

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
    hooks = ApplyHooks(
        confirm=lambda p: _confirm(p, auto_approve), starting=progress.start, progress=progress
    )
    try:
        with showing_problems(repo):
            target = connect(RunSettings(repo=repo, endpoint_url=endpoint_url))
            outcome = apply_run(target, request, hooks)
    finally:
        progress.close()
    calls = target.session.stats
    report = RunReport(
        kind="apply",
        apply=outcome.report,
        verification=outcome.verification,
        context=outcome.report.context,
        stats={"calls": dict(calls.calls), "attempts": dict(calls.attempts)} if stats else None,
    )
    sys.stdout.write(REPORTS.get(fmt.value)(report))
    raise typer.Exit(EXIT_ERROR if report.failed else EXIT_OK)


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
    endpoint_url: EndpointOption = None,
) -> None:
    """Write live cards (and shares) that git does not have into YAML files.

    Writes nothing to AWS: the next apply adopts them by adding the ownership tags."""
    _require_selection(names, everything or shares)
    from reconciler.commands.importer import import_live

    with showing_problems(repo):
        from reconciler.pipeline import RunSettings, connect, import_candidates_run

        target = connect(RunSettings(repo=repo, endpoint_url=endpoint_url))
        run = import_candidates_run(target, names or [])
    result = import_live(run, repo, names or [], everything, shares)
    if fmt is WriteFormat.text:
        for note in result.notes:
            sys.stderr.write(f"note: {note}\n")
    report = WrittenReport(
        command="import",
        written=tuple(result.written),
        skipped=tuple(result.skipped),
        failed=tuple(result.failed),
        notes=tuple(result.notes),
    )
    _finish_writing(repo, report, fmt)


@app.command()
def pull(
    names: NamesArgument = None,
    everything: Annotated[bool, typer.Option("--all", help="Every managed card.")] = False,
    repo: RepoOption = Path("."),
    fmt: WriteFormatOption = WriteFormat.text,
    endpoint_url: EndpointOption = None,
) -> None:
    """Bring live content edits of managed cards into their YAML files.

    Keeps comments and key order. Writes nothing to AWS."""
    _require_selection(names, everything)
    from reconciler.commands.pull import pull_live
    from reconciler.diff.compose import PlanOptions

    run = plan_for(target_for(repo, endpoint_url), PlanOptions())
    result = pull_live(run, repo, names or [], everything)
    report = WrittenReport(
        command="pull",
        written=tuple(result.written),
        skipped=tuple(result.skipped),
        failed=tuple(result.failed),
    )
    _finish_writing(repo, report, fmt)


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
