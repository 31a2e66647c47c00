"""The command line: options in, a pipeline run, a rendering on stdout, an exit code out.

This is the only module that parses options, prints and exits. stdout carries only the
product (a report, a plan); progress and errors go to stderr.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from typer.exceptions import TyperException

from reconciler import __version__
from reconciler.apply.report import ApplyReport, Step
from reconciler.apply.run import ApplyHooks, ApplyRequest, PlanHasErrors, apply_run
from reconciler.apply.safety import Flags
from reconciler.apply.waits import WaitSettings
from reconciler.diff import PlanOptions
from reconciler.errors import ReconcilerError
from reconciler.pipeline import (
    InvalidRepository,
    PlanRun,
    RunSettings,
    drift_run,
    load_valid,
    plan_run,
)
from reconciler.plan import Plan
from reconciler.render import plan_json, plan_markdown, plan_text  # noqa: F401 (registers)
from reconciler.render.apply import REPORTS
from reconciler.render.diagnostics import DIAGNOSTICS, ValidationReport
from reconciler.render.drift import DRIFT
from reconciler.render.plan_common import PLANS, PlanReport
from reconciler.repo import load_repository
from reconciler.saved_plan import read_saved_plan
from reconciler.verify import verify_consumers

EXIT_OK, EXIT_ERROR, EXIT_CHANGES = 0, 1, 2

app = typer.Typer(
    name="reconciler",
    help="GitOps for Amazon SageMaker Model Cards and their AWS RAM shares.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

RepoOption = Annotated[Path, typer.Option("--repo", help="Repository root.", show_default=True)]


class State:
    debug = False


class PlanFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


EndpointOption = Annotated[str | None, typer.Option(
    "--endpoint-url", help="AWS endpoint (the sandbox's); defaults to AWS_ENDPOINT_URL or AWS.")]


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show the cause chain of errors.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    State.debug = debug
    if version:
        typer.echo(__version__)
        raise typer.Exit(EXIT_OK)


@app.command()
def validate(
    repo: RepoOption = Path("."),
    fmt: Annotated[ValidateFormat, typer.Option("--format", help="Output format.")] =
    ValidateFormat.text,
) -> None:
    """Check every file of the repository; exit 0 when valid, 1 otherwise. No AWS call."""
    loaded = load_repository(repo)
    report = ValidationReport(loaded.diagnostics, loaded.files)
    sys.stdout.write(DIAGNOSTICS.get(fmt.value)(report))
    raise typer.Exit(EXIT_OK if report.valid else EXIT_ERROR)


@app.command()
def plan(
    repo: RepoOption = Path("."),
    fmt: Annotated[PlanFormat, typer.Option("--format", help="Output format.")] = PlanFormat.text,
    out: Annotated[Path | None, typer.Option(help="Also write the JSON plan to this file.")] =
    None,
    detailed_exitcode: Annotated[bool, typer.Option(
        "--detailed-exitcode", help="Exit 0 with no changes, 2 with changes.")] = False,
    stats: Annotated[bool, typer.Option(help="Show API calls per operation.")] = False,
    prune: Annotated[bool, typer.Option(
        help="Plan deletion of managed cards and shares no longer in git.")] = False,
    adopt: Annotated[bool, typer.Option(
        help="Take over live cards git declares that the reconciler did not create.")] = False,
    endpoint_url: EndpointOption = None,
) -> None:
    """Show what apply would change to make AWS match git. Changes nothing."""
    options = PlanOptions(adopt=adopt, prune=prune)
    run = _plan(repo, endpoint_url, options)
    report = _report_for(run, fmt.value, stats)
    if out is not None:
        saved = replace(_report_for(run, "json", stats),
                        extra={"options": {"prune": prune, "adopt": adopt}})
        _write(out, PLANS.get("json")(saved))
    sys.stdout.write(PLANS.get(fmt.value)(report))
    if run.plan.errors:
        raise typer.Exit(EXIT_ERROR)
    changed = EXIT_CHANGES if detailed_exitcode and run.plan.has_changes else EXIT_OK
    raise typer.Exit(changed)


def _plan(repo: Path, endpoint_url: str | None, options: PlanOptions) -> PlanRun:
    sys.stderr.write(f"Reading live state for {repo.resolve()} ...\n")
    try:
        return plan_run(RunSettings(repo, endpoint_url), options)
    except InvalidRepository as e:
        sys.stderr.write(DIAGNOSTICS.get("text")(ValidationReport(e.diagnostics, ())))
        raise


def _report_for(run: PlanRun, fmt: str, stats: bool) -> PlanReport:
    counts = {"calls": dict(run.stats.calls), "attempts": dict(run.stats.attempts)}
    color = fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    return PlanReport(run.plan, counts if stats else None, color)


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise ReconcilerError(f"cannot write {path}: {e.strerror}",
                              hint="choose a writable path for --out") from e


@app.command()
def apply(
    repo: RepoOption = Path("."),
    plan_file: Annotated[Path | None, typer.Option(
        "--plan", help="Apply only if live state still gives this saved plan.")] = None,
    auto_approve: Annotated[bool, typer.Option(
        "--auto-approve", help="Apply without asking (CI).")] = False,
    prune: Annotated[bool, typer.Option(
        help="Delete managed cards and shares no longer in git.")] = False,
    force: Annotated[bool, typer.Option(
        help="Allow guarded changes and exceed the safety thresholds.")] = False,
    adopt: Annotated[bool, typer.Option(
        help="Take over live cards git declares that the reconciler did not create.")] = False,
    fmt: Annotated[PlanFormat, typer.Option("--format", help="Report format.")] =
    PlanFormat.text,
    no_verify: Annotated[bool, typer.Option(
        "--no-verify", help="Skip the consumer-side verification.")] = False,
    endpoint_url: EndpointOption = None,
) -> None:
    """Make AWS match git: plan, check safety, confirm, apply in order, verify."""
    saved = read_saved_plan(plan_file) if plan_file else None
    options = PlanOptions(adopt=adopt or bool(saved and saved.adopt),
                          prune=prune or bool(saved and saved.prune))
    request = ApplyRequest(RunSettings(repo, endpoint_url), options, Flags(force, prune),
                           saved, verify=not no_verify)
    hooks = ApplyHooks(confirm=lambda p: _confirm(p, auto_approve), progress=_progress)
    try:
        report, _ = apply_run(request, hooks)
    except PlanHasErrors as e:
        sys.stderr.write(PLANS.get("text")(PlanReport(e.plan)))
        raise
    except InvalidRepository as e:
        sys.stderr.write(DIAGNOSTICS.get("text")(ValidationReport(e.diagnostics, ())))
        raise
    sys.stdout.write(REPORTS.get(fmt.value)(report))
    raise typer.Exit(EXIT_ERROR if report.failed else EXIT_OK)


def _confirm(plan: Plan, auto_approve: bool) -> bool:
    if auto_approve:
        return True
    if not sys.stdin.isatty():
        raise ReconcilerError("apply needs a confirmation and there is no terminal to ask on",
                              hint="review the plan, then pass --auto-approve")
    sys.stderr.write(PLANS.get("text")(PlanReport(plan, color=sys.stderr.isatty())))
    sys.stderr.write("\nApply these changes? Only 'yes' is accepted: ")
    sys.stderr.flush()
    return sys.stdin.readline().strip() == "yes"


def _progress(step: Step) -> None:
    sys.stderr.write(f"  {step.status.value:<13} {step.address} ({step.action})\n")


@app.command()
def verify(
    repo: RepoOption = Path("."),
    fmt: Annotated[PlanFormat, typer.Option("--format", help="Report format.")] =
    PlanFormat.text,
    endpoint_url: EndpointOption = None,
) -> None:
    """Check what each share target account sees, through its role_arn. Writes nothing
    except accepting pending invitations to shares the reconciler manages."""
    run = _plan(repo, endpoint_url, PlanOptions())
    checks = verify_consumers(run.session, run.state, run.live, WaitSettings())
    report = ApplyReport("", checks=checks, context=dict(run.plan.context), kind="verify")
    sys.stdout.write(REPORTS.get(fmt.value)(report))
    raise typer.Exit(EXIT_ERROR if report.failed else EXIT_OK)


@app.command()
def demo(
    source: Annotated[Path, typer.Option(
        "--repo", help="Example repository to start from (copied; never changed).")] =
    Path("."),
) -> None:
    """Walk the model card lifecycle end to end on an embedded sandbox; exit 0 when every
    step behaved as expected."""
    try:
        from reconciler.demo import DemoFailed, run_demo
    except ImportError as e:
        raise ReconcilerError("the demo needs the sandbox",
                              hint="pip install 'modelcard-reconciler[sandbox]'") from e
    started = time.monotonic()
    try:
        run_demo(source, lambda text: print(text, flush=True))
    except DemoFailed as e:
        raise ReconcilerError(f"demo step failed: expected that {e}",
                              hint="run with --debug and report it") from e
    print(f"\n✓ Demo complete in {time.monotonic() - started:.1f} s: every step behaved as "
          "expected.")


@app.command()
def drift(
    repo: RepoOption = Path("."),
    fmt: Annotated[PlanFormat, typer.Option("--format", help="Output format.")] =
    PlanFormat.text,
    endpoint_url: EndpointOption = None,
) -> None:
    """Report every way live state differs from git, and who changed it. Exit 0 no drift,
    2 drift, 1 error. Changes nothing."""
    sys.stderr.write(f"Reading live state for {repo.resolve()} ...\n")
    try:
        report, _ = drift_run(RunSettings(repo, endpoint_url))
    except InvalidRepository as e:
        sys.stderr.write(DIAGNOSTICS.get("text")(ValidationReport(e.diagnostics, ())))
        raise
    sys.stdout.write(DRIFT.get(fmt.value)(report))
    raise typer.Exit(EXIT_CHANGES if report.has_drift else EXIT_OK)


NamesArgument = Annotated[list[str] | None, typer.Argument(help="Model card names.")]


@app.command("import")
def import_(
    names: NamesArgument = None,
    everything: Annotated[bool, typer.Option("--all", help="Every live card not in git.")] =
    False,
    shares: Annotated[bool, typer.Option(help="Also import live shares not in git.")] = False,
    repo: RepoOption = Path("."),
    endpoint_url: EndpointOption = None,
) -> None:
    """Write live cards (and shares) that git does not have into YAML files. Writes nothing
    to AWS: the next apply adopts them by adding the ownership tags."""
    _require_selection(names, everything or shares)
    from reconciler.importer import import_live

    run = _plan(repo, endpoint_url, PlanOptions())
    result = import_live(run, repo, names or [], everything, shares)
    _finish_writing(repo, result.written, result.skipped, "imported")


@app.command()
def pull(
    names: NamesArgument = None,
    everything: Annotated[bool, typer.Option("--all", help="Every managed card.")] = False,
    repo: RepoOption = Path("."),
    endpoint_url: EndpointOption = None,
) -> None:
    """Bring live content edits of managed cards into their YAML files, keeping comments
    and key order. Writes nothing to AWS."""
    _require_selection(names, everything)
    from reconciler.pull import pull_live

    run = _plan(repo, endpoint_url, PlanOptions())
    result = pull_live(run, repo, names or [], everything)
    _finish_writing(repo, result.written, result.skipped, "updated")


def _require_selection(names: list[str] | None, everything: bool) -> None:
    if not names and not everything:
        raise ReconcilerError("no cards selected", hint="name the cards, or pass --all")


def _finish_writing(repo: Path, written: list[str], skipped: list[str], verb: str) -> None:
    """Report the files written, then validate the repository with them."""
    for line in written:
        sys.stdout.write(f"{verb}: {line}\n")
    for line in skipped:
        sys.stderr.write(f"skipped: {line}\n")
    loaded = load_repository(repo)
    if not loaded.ok:
        sys.stderr.write(DIAGNOSTICS.get("text")(ValidationReport(loaded.diagnostics,
                                                                  loaded.files)))
        raise ReconcilerError("the written files do not validate", hint="fix them before "
                              "committing")
    sys.stdout.write(f"{len(written)} file{'s' if len(written) != 1 else ''} {verb}; the "
                     "repository validates. Review the diff, then plan.\n")


class Role(str, Enum):
    plan = "plan"
    apply = "apply"
    verify = "verify"


@app.command("iam-policy")
def iam_policy(
    role: Annotated[Role, typer.Option("--role", help="The role to print a policy for.")],
    repo: RepoOption = Path("."),
) -> None:
    """Print the least-privilege IAM policy (JSON) a role needs: plan and apply run in the
    card account, verify in each target account. No AWS call."""
    from reconciler.iam import policy_document

    state = load_valid(repo)
    sys.stdout.write(json.dumps(policy_document(role.value, state.config), indent=2) + "\n")


@app.command()
def sandbox(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port; 0 picks a free one.")] = 4566,
    accounts: Annotated[Path | None, typer.Option(
        help="YAML file declaring the default account, an Organization and timings.")] = None,
) -> None:
    """Run the local multi-account AWS sandbox in the foreground until Ctrl-C."""
    try:
        from reconciler.sandbox.config import SandboxConfig, load_config
        from reconciler.sandbox.server import serve
    except ImportError as e:
        raise ReconcilerError("the sandbox is not installed",
                              hint="pip install 'modelcard-reconciler[sandbox]'") from e
    config = load_config(accounts) if accounts else SandboxConfig()
    serve(host, port, config)


def main() -> None:
    """Console entry point: the one place that turns failures into exit codes."""
    try:
        result = app(standalone_mode=False)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except TyperException as e:  # usage errors: shown as usual, but exit 1 (2 means "changes")
        show = getattr(e, "show", None)
        if callable(show):
            show()
        sys.exit(EXIT_ERROR)
    except ReconcilerError as e:
        _report(e)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    sys.exit(result if isinstance(result, int) else EXIT_OK)


def _report(error: ReconcilerError) -> None:
    sys.stderr.write(f"error: {error}\n")
    if State.debug:
        traceback.print_exception(error, file=sys.stderr)
    elif error.__cause__ is not None:
        sys.stderr.write(f"  caused by: {error.__cause__}\n  (run with --debug for details)\n")
