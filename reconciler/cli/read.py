"""Commands that only read: validate, plan, drift, verify, graph, iam-policy, targets."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reconciler.cli.base import (
    EXIT_CHANGES,
    EXIT_ERROR,
    EXIT_OK,
    EndpointOption,
    PlanFormat,
    PlanFormatOption,
    RepoOption,
    ValidateFormat,
    app,
    listing_problems,
    plan_for,
    report_for,
    target_for,
    terminal_color,
    write_file,
)
from reconciler.cli.options import choice
from reconciler.cli.targets import Output, TargetOption, run_for_targets
from reconciler.render.diagnostics import DIAGNOSTICS, ValidationReport
from reconciler.render.plan_common import PLANS
from reconciler.run.repository import load_repository

if TYPE_CHECKING:  # the pipeline (boto3, deepdiff) loads only when a command runs
    from reconciler.run.pipeline import Target


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


@app.command()
def plan(
    repo: RepoOption = Path("."),
    fmt: PlanFormatOption = PlanFormat.text,
    out: Annotated[Path | None, typer.Option(help="Also write the JSON plan to this file.")] = None,
    detailed_exitcode: Annotated[
        bool, typer.Option("--detailed-exitcode", help="Exit 0 with no changes, 2 with changes.")
    ] = False,
    stats: Annotated[bool, typer.Option(help="Show API calls per operation.")] = False,
    prune: Annotated[
        bool, typer.Option(help="Plan deletion of managed cards and shares no longer in git.")
    ] = False,
    adopt: Annotated[
        bool,
        typer.Option(help="Take over live cards git declares that the reconciler did not create."),
    ] = False,
    target: TargetOption = None,
    endpoint_url: EndpointOption = None,
) -> None:
    """Show what apply would change to make AWS match git. Changes nothing."""
    from reconciler.diff.compose import PlanOptions

    options = PlanOptions(adopt=adopt, prune=prune)

    def work(one: Target) -> Output:
        run = plan_for(one, options)
        report = report_for(one, run, fmt.value, stats, prune)
        if out is not None:
            saved = replace(
                report_for(one, run, "json", stats),
                extra={"options": {"prune": prune, "adopt": adopt}},
            )
            write_file(out, PLANS.get("json")(saved))
        changed = EXIT_CHANGES if detailed_exitcode and run.plan.has_changes else EXIT_OK
        code = EXIT_ERROR if run.plan.errors else changed
        return Output(body=PLANS.get(fmt.value)(report), code=code)

    only = "--out" if out is not None else None
    raise typer.Exit(
        run_for_targets(repo, endpoint_url, target, fmt.value, work, only, reads_only=True)
    )


@app.command()
def drift(
    repo: RepoOption = Path("."),
    fmt: PlanFormatOption = PlanFormat.text,
    target: TargetOption = None,
    endpoint_url: EndpointOption = None,
) -> None:
    """Report every way live state differs from git, and who changed it.

    Exit 0 no drift, 2 drift, 1 error. Changes nothing."""
    from reconciler.render.drift import DRIFT
    from reconciler.run.drift_run import drift_run

    def work(one: Target) -> Output:
        report, _ = drift_run(one)
        shown = replace(report, color=terminal_color(fmt.value))
        code = EXIT_CHANGES if report.has_drift else EXIT_OK
        return Output(body=DRIFT.get(fmt.value)(shown), code=code)

    raise typer.Exit(run_for_targets(repo, endpoint_url, target, fmt.value, work, reads_only=True))


@app.command()
def verify(
    repo: RepoOption = Path("."),
    fmt: PlanFormatOption = PlanFormat.text,
    target: TargetOption = None,
    endpoint_url: EndpointOption = None,
) -> None:
    """Check what each share target account sees, through its role_arn.

    Writes nothing except accepting pending invitations to shares the reconciler manages."""
    from reconciler.aws.waits import WaitSettings
    from reconciler.diff.compose import PlanOptions
    from reconciler.render.apply import REPORTS, RunReport
    from reconciler.run.pipeline import verify_run

    def work(one: Target) -> Output:
        verification = verify_run(one, plan_for(one, PlanOptions()), WaitSettings())
        report = RunReport(kind="verify", verification=verification, context=verification.context)
        return Output(
            body=REPORTS.get(fmt.value)(report), code=EXIT_ERROR if report.failed else EXIT_OK
        )

    raise typer.Exit(run_for_targets(repo, endpoint_url, target, fmt.value, work))


class GraphFormat(str, Enum):
    mermaid = "mermaid"
    dot = "dot"
    json = "json"


@app.command()
def graph(
    repo: RepoOption = Path("."),
    fmt: Annotated[
        GraphFormat, choice(GraphFormat, "--format", help="Output format.")
    ] = GraphFormat.mermaid,
    live: Annotated[
        bool, typer.Option("--live", help="Draw what AWS has instead of what git declares.")
    ] = False,
    target: Annotated[
        str | None,
        typer.Option(
            metavar="<name>",
            help="With --live and targets: in reconciler.yaml, the target to draw.",
        ),
    ] = None,
    endpoint_url: EndpointOption = None,
) -> None:
    """Draw who sees which card: cards (with status) → shares (with permission) → accounts.

    From git by default (no AWS call); with --live, from the card account."""
    from reconciler.graph.build import from_git, from_live
    from reconciler.render.graph import GRAPHS, GraphReport
    from reconciler.run.pipeline import load_valid

    if live:
        from reconciler.diff.compose import PlanOptions

        run = plan_for(target_for(repo, endpoint_url, target), PlanOptions())
        report = GraphReport(
            graph=from_live(run.live, run.state.config), source="live", context=run.plan.context
        )
    else:
        with listing_problems():
            report = GraphReport(graph=from_git(load_valid(repo)), source="git")
    sys.stdout.write(GRAPHS.get(fmt.value)(report))


class PolicyFormat(str, Enum):
    policy = "policy"
    json = "json"


class Role(str, Enum):
    plan = "plan"
    apply = "apply"
    verify = "verify"
    consumer_guard = "consumer-guard"


@app.command("iam-policy")
def iam_policy(
    role: Annotated[Role, choice(Role, "--role", help="The role to print a policy for.")],
    account: Annotated[
        str | None,
        typer.Option(
            metavar="<name>",
            help="For consumer-guard: the target account (a name in reconciler.yaml).",
        ),
    ] = None,
    repo: RepoOption = Path("."),
    fmt: Annotated[
        PolicyFormat,
        choice(
            PolicyFormat,
            "--format",
            help="policy: the bare policy document; json: it with its role, versioned.",
        ),
    ] = PolicyFormat.policy,
    target: Annotated[
        str | None,
        typer.Option(
            metavar="<name>",
            help="The target of reconciler.yaml whose card account the role is in.",
        ),
    ] = None,
) -> None:
    """Print the least-privilege IAM policy (JSON) a role needs.

    plan and apply run in the card account, verify in each target account; consumer-guard
    is a service control policy or permissions boundary for a target account that keeps
    the card account's cards read-only there. No AWS call."""
    from reconciler.desired.targets import for_target, selected
    from reconciler.iam.guard import guard_document
    from reconciler.iam.policy import policy_document
    from reconciler.render.written import PolicyReport, policy_json
    from reconciler.run.pipeline import load_valid, only_target

    with listing_problems():
        whole = load_valid(repo)
    name = selected(whole.config, [target])[0] if target else only_target(whole.config)
    state = for_target(whole, name)
    if role is Role.consumer_guard:
        document = guard_document(state, account)
    else:
        document = policy_document(role.value, state)
    if fmt is PolicyFormat.json:
        report = PolicyReport(role=role.value, account=account, policy=document)
        sys.stdout.write(policy_json(report))
    else:
        sys.stdout.write(json.dumps(document, indent=2) + "\n")


class MatrixFormat(str, Enum):
    text = "text"
    json = "json"


class Wave(str, Enum):
    first = "first"
    hubs = "hubs"


@app.command()
def targets(
    repo: RepoOption = Path("."),
    fmt: Annotated[
        MatrixFormat, choice(MatrixFormat, "--format", help="json: a GitHub Actions matrix.")
    ] = MatrixFormat.text,
    wave: Annotated[
        Wave | None,
        choice(
            Wave,
            "--wave",
            help="Only 'first' (every target that is not a hub) or 'hubs' (run after them).",
        ),
    ] = None,
) -> None:
    """List the targets of reconciler.yaml, in run order. No AWS call.

    --format json prints {"include": [{"target", "account", "region", "hub"}, ...]} for
    a workflow's strategy.matrix."""
    from reconciler.desired.targets import selected, waves
    from reconciler.run.pipeline import load_valid

    with listing_problems():
        config = load_valid(repo).config
    first, hubs = waves(config)
    chosen = {None: first + hubs, Wave.first: first, Wave.hubs: hubs}[wave]
    rows = [config.targets[n] for n in selected(config, None) if n in chosen]
    if fmt is MatrixFormat.json:
        include = [
            {"target": t.name, "account": t.card_account_id, "region": t.region, "hub": t.hub or ""}
            for t in rows
        ]
        sys.stdout.write(json.dumps({"include": include}, sort_keys=True) + "\n")
    else:
        for t in rows:
            role = f" (spoke of {t.hub})" if t.hub else ""
            role = " (hub)" if config.spokes_of(t.name) else role
            sys.stdout.write(f"{t.name}: account {t.card_account_id}, {t.region}{role}\n")
    raise typer.Exit(EXIT_OK)
