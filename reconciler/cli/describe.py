"""Commands that describe the repository for people and other tools: the sharing graph
with the Model Registry beside it (`graph`, from git or, with --live, from AWS), the IAM
policy each role needs (`iam-policy`) and the targets in run order (`targets`). Only
`graph --live` calls AWS.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from reconciler.cli.base import (
    EXIT_OK,
    EndpointOption,
    RepoOption,
    app,
    listing_problems,
    plan_for,
    target_for,
)
from reconciler.cli.options import choice
from reconciler.common.errors import ReconcilerError

if TYPE_CHECKING:  # the pipeline (boto3, deepdiff) loads only when a command runs
    from reconciler.desired.model import Config, DesiredState, TargetSpec
    from reconciler.iam.trust import GitHubRepository
    from reconciler.render.graph import GraphReport


class GraphFormat(str, Enum):
    mermaid = "mermaid"
    dot = "dot"
    json = "json"


GraphFormatOption = Annotated[GraphFormat, choice(GraphFormat, "--format", help="Output format.")]
LiveOption = Annotated[
    bool, typer.Option("--live", help="Draw what AWS has instead of what git declares.")
]
LiveTargetOption = Annotated[
    str | None,
    typer.Option(
        metavar="<name>",
        help="With --live and targets: in reconciler.yaml, the target to draw.",
    ),
]


@app.command()
def graph(
    repo: RepoOption = Path("."),
    fmt: GraphFormatOption = GraphFormat.mermaid,
    live: LiveOption = False,
    target: LiveTargetOption = None,
    endpoint_url: EndpointOption = None,
) -> None:
    """Draw who sees which card: cards (with status) → shares (with permission) → accounts,
    and beside them the model package groups and the versions registry files manage.

    From git by default (no AWS call); with --live, from the card account."""
    from reconciler.render.graph import GRAPHS

    report = _live_graph(repo, endpoint_url, target) if live else _git_graph(repo)
    sys.stdout.write(GRAPHS.get(fmt.value)(report))


def _live_graph(repo: Path, endpoint_url: str | None, target: str | None) -> GraphReport:
    from reconciler.diff.compose import PlanOptions
    from reconciler.graph.build import whole_from_live
    from reconciler.render.graph import GraphReport

    run = plan_for(target_for(repo, endpoint_url, target), PlanOptions())
    graph = whole_from_live(run.live, run.state)
    return GraphReport(graph=graph, source="live", context=run.plan.context)


def _git_graph(repo: Path) -> GraphReport:
    from reconciler.graph.build import whole_from_git
    from reconciler.render.graph import GraphReport
    from reconciler.run.pipeline import load_valid

    with listing_problems():
        return GraphReport(graph=whole_from_git(load_valid(repo)), source="git")


class PolicyFormat(str, Enum):
    policy = "policy"
    json = "json"


class Role(str, Enum):
    plan = "plan"
    drift = "drift"
    apply = "apply"
    verify = "verify"
    consumer_guard = "consumer-guard"
    fill = "fill"


RoleOption = Annotated[Role, choice(Role, "--role", help="The role to print a policy for.")]
AccountOption = Annotated[
    str | None,
    typer.Option(
        metavar="<name>",
        help="For consumer-guard: the target account (a name in reconciler.yaml).",
    ),
]
PolicyFormatOption = Annotated[
    PolicyFormat,
    choice(
        PolicyFormat,
        "--format",
        help="policy: the bare policy document; json: it with its role, versioned.",
    ),
]
PolicyTargetOption = Annotated[
    str | None,
    typer.Option(
        metavar="<name>",
        help="The target of reconciler.yaml whose card account the role is in.",
    ),
]
TrustOption = Annotated[
    bool,
    typer.Option(
        "--trust",
        help="Print the role's trust policy (plan, drift, apply) instead: only its workflow "
        "on the default branch may assume it (needs --github).",
    ),
]
GitHubOption = Annotated[
    str | None,
    typer.Option("--github", metavar="<owner/repo>", help="The GitHub repository, for --trust."),
]
BranchOption = Annotated[
    str, typer.Option("--branch", metavar="<name>", help="Its default branch, for --trust.")
]


@app.command("iam-policy")
def iam_policy(
    role: RoleOption,
    account: AccountOption = None,
    repo: RepoOption = Path("."),
    fmt: PolicyFormatOption = PolicyFormat.policy,
    target: PolicyTargetOption = None,
    trust: TrustOption = False,
    github: GitHubOption = None,
    branch: BranchOption = "main",
) -> None:
    """Print the least-privilege IAM policy (JSON) a role needs, or its trust policy.

    plan, drift, apply and fill run in the card account, verify in each target account;
    consumer-guard is a service control policy or permissions boundary for a target
    account that keeps the card account's cards read-only there. No AWS call."""
    from reconciler.render.written import PolicyReport, policy_json

    state = target_state(repo, target)
    document = _trust(role, github, branch, state) if trust else _policy(role, account, state)
    if fmt is PolicyFormat.json:
        report = PolicyReport(role=role.value, account=account, policy=document)
        sys.stdout.write(policy_json(report))
    else:
        sys.stdout.write(json.dumps(document, indent=2) + "\n")


def target_state(repo: Path, target: str | None) -> DesiredState:
    """The desired state of the target named, or of the repository's only target."""
    from reconciler.desired.targets import for_target, selected
    from reconciler.run.pipeline import load_valid, only_target

    with listing_problems():
        whole = load_valid(repo)
    name = selected(whole.config, [target])[0] if target else only_target(whole.config)
    return for_target(whole, name)


def _trust(role: Role, github: str | None, branch: str, state: DesiredState) -> dict[str, Any]:
    """The trust policy of a role a GitHub workflow assumes."""
    from reconciler.common.regions import partition_for
    from reconciler.iam.trust import WorkflowRole, trust_policy

    if role.value not in {r.value for r in WorkflowRole}:
        raise ReconcilerError(
            f"--trust prints the trust policy of a role a workflow assumes, not {role.value}",
            hint="use --role plan, drift or apply; a reader role trusts the apply role "
            "(docs/ci.md)",
        )
    config = state.config
    return trust_policy(
        WorkflowRole(role.value),
        github_repository(github, branch),
        partition=partition_for(config.region),
        account_id=config.card_account_id,
    )


def github_repository(github: str | None, branch: str) -> GitHubRepository:
    """``--github`` and ``--branch`` as the repository whose workflows assume the roles."""
    from reconciler.iam.trust import GitHubRepository

    if not github or github.count("/") != 1 or "" in github.split("/"):
        raise ReconcilerError(
            "--github needs <owner/repo>, the repository whose workflows assume the roles",
            hint="e.g. --github acme/model-cards",
        )
    return GitHubRepository(name=github, default_branch=branch)


def _policy(role: Role, account: str | None, state: DesiredState) -> dict[str, Any]:
    from reconciler.iam.guard import guard_document
    from reconciler.iam.policy import policy_document

    if role is Role.consumer_guard:
        return guard_document(state, account)
    return policy_document(role.value, state)


class MatrixFormat(str, Enum):
    text = "text"
    json = "json"


class Wave(str, Enum):
    first = "first"
    hubs = "hubs"


MatrixFormatOption = Annotated[
    MatrixFormat, choice(MatrixFormat, "--format", help="json: a GitHub Actions matrix.")
]
WaveOption = Annotated[
    Wave | None,
    choice(
        Wave,
        "--wave",
        help="Only 'first' (every target that is not a hub) or 'hubs' (run after them).",
    ),
]


@app.command()
def targets(
    repo: RepoOption = Path("."),
    fmt: MatrixFormatOption = MatrixFormat.text,
    wave: WaveOption = None,
) -> None:
    """List the targets of reconciler.yaml, in run order. No AWS call.

    --format json prints {"include": [{"target", "account", "region", "hub"}, ...]} for
    a workflow's strategy.matrix."""
    from reconciler.run.pipeline import load_valid

    with listing_problems():
        config = load_valid(repo).config
    rows = _in_wave(config, wave)
    if fmt is MatrixFormat.json:
        sys.stdout.write(_matrix(rows))
    else:
        sys.stdout.writelines(_target_line(config, t) for t in rows)
    raise typer.Exit(EXIT_OK)


def _in_wave(config: Config, wave: Wave | None) -> list[TargetSpec]:
    """The targets of ``wave`` (default: every target), in run order."""
    from reconciler.desired.targets import selected, waves

    first, hubs = waves(config)
    chosen = {None: first + hubs, Wave.first: first, Wave.hubs: hubs}[wave]
    return [config.targets[n] for n in selected(config, None) if n in chosen]


def _matrix(rows: list[TargetSpec]) -> str:
    """A GitHub Actions matrix of ``rows``."""
    include = [
        {"target": t.name, "account": t.card_account_id, "region": t.region, "hub": t.hub or ""}
        for t in rows
    ]
    return json.dumps({"include": include}, sort_keys=True) + "\n"


def _target_line(config: Config, target: TargetSpec) -> str:
    role = f" (spoke of {target.hub})" if target.hub else ""
    role = " (hub)" if config.spokes_of(target.name) else role
    return f"{target.name}: account {target.card_account_id}, {target.region}{role}\n"
