"""`reconciler bootstrap`: the infrastructure the reconciler runs on, as CloudFormation
templates generated from the repository (``reconciler.bootstrap``), written to ``--out``
with NEXT.md. No AWS call."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from reconciler.cli.base import RepoOption, app, write_file
from reconciler.cli.describe import (
    BranchOption,
    PolicyTargetOption,
    github_repository,
    target_state,
)

GitHubRequired = Annotated[
    str,
    typer.Option(
        "--github",
        metavar="<owner/repo>",
        help="The GitHub repository whose workflows assume the roles.",
    ),
]
OutOption = Annotated[
    Path, typer.Option("--out", metavar="<dir>", help="Where to write the templates and NEXT.md.")
]
ProviderOption = Annotated[
    bool,
    typer.Option(
        "--with-oidc-provider/--without-oidc-provider",
        help="Create GitHub's OIDC provider in the card account (without: it has one already).",
    ),
]
GuardOption = Annotated[
    bool,
    typer.Option(
        "--consumer-guard",
        help="Also create the consumer guard in each target account, as the reader role's "
        "permissions boundary.",
    ),
]


OperatorOption = Annotated[
    list[str] | None,
    typer.Option(
        "--operator",
        metavar="<role arn>",
        help="A role or user of the card account who probes it and runs the acceptance suite: "
        "adds the probe role (the apply role's policy), which only operators may assume. "
        "Repeat for several.",
    ),
]
AcceptanceOption = Annotated[
    bool,
    typer.Option(
        "--acceptance",
        help="Also create the acceptance suite's roles: its role in the card account and its "
        "reader in each target account (docs/acceptance.md).",
    ),
]


@app.command()
def bootstrap(
    github: GitHubRequired,
    target: PolicyTargetOption = None,
    repo: RepoOption = Path("."),
    branch: BranchOption = "main",
    out: OutOption = Path("bootstrap"),
    oidc_provider: ProviderOption = True,
    consumer_guard: GuardOption = False,
    operator: OperatorOption = None,
    acceptance: AcceptanceOption = False,
) -> None:
    """Write the CloudFormation templates of the reconciler's roles, built from the repository.

    card-account.yaml (GitHub's OIDC provider, the plan, drift and apply roles with exactly
    the policies iam-policy prints, the exports bucket; with --operator the probe role, with
    --acceptance the acceptance suite's role), target-accounts.yaml (a StackSet: the reader
    role of each target account, and the acceptance suite's) and NEXT.md (the deploy
    commands and GitHub settings). No AWS call."""
    from reconciler.bootstrap.build import bootstrap as build
    from reconciler.bootstrap.model import BootstrapSettings

    settings = BootstrapSettings(
        github=github_repository(github, branch),
        oidc_provider=oidc_provider,
        consumer_guard=consumer_guard,
        operators=tuple(operator or ()),
        acceptance=acceptance,
    )
    generated = build(target_state(repo, target), settings)
    _write(out, generated.files())


def _write(out: Path, files: dict[str, str]) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        from reconciler.common.errors import ReconcilerError

        raise ReconcilerError(
            f"cannot create {out}: {e.strerror}", hint="choose a writable directory for --out"
        ) from e
    for name, text in files.items():
        write_file(out / name, text)
        sys.stdout.write(f"wrote {out / name}\n")
    sys.stdout.write(f"next: {out / 'NEXT.md'}\n")
