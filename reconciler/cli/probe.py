"""`reconciler probe`: check, on the card account, each AWS behaviour the reconciler and its
sandbox rely on without AWS documenting it (``reconciler.probe``); read-only unless
``--write``. Exit 0 when every assumption checked matches, 2 when one differs, 1 on error.
"""

from __future__ import annotations

import secrets
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
    RepoOption,
    app,
    target_for,
    write_file,
)
from reconciler.cli.options import choice

if TYPE_CHECKING:
    from reconciler.probe.context import ProbeContext
    from reconciler.reports.probe import ProbeReport
    from reconciler.run.pipeline import Target


class ProbeFormat(str, Enum):
    text = "text"
    json = "json"


ProbeTargetOption = Annotated[
    str | None,
    typer.Option(
        "--target",
        metavar="<name>",
        help="The target of reconciler.yaml whose card account to probe.",
    ),
]
WriteOption = Annotated[
    bool,
    typer.Option(
        "--write",
        help="Also check what needs writes, with one scratch card and one scratch share "
        "(named reconciler-probe-*), always deleted at the end.",
    ),
]
SandboxConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--sandbox-config",
        metavar="<file>",
        help="Write a sandbox accounts file whose settings match what the account showed.",
    ),
]
RoleArnOption = Annotated[
    str | None,
    typer.Option(
        "--role-arn",
        metavar="<role arn>",
        help="The role to check apply's needs with (bootstrap --operator's probe role); "
        "default: card_account.role_arn of reconciler.yaml.",
    ),
]
WaitOption = Annotated[
    float,
    typer.Option(
        "--wait",
        metavar="<seconds>",
        help="How long --write waits for anything AWS shows later (CloudTrail, deletions).",
    ),
]


@app.command()
def probe(
    repo: RepoOption = Path("."),
    target: ProbeTargetOption = None,
    write: WriteOption = False,
    fmt: Annotated[ProbeFormat, choice(ProbeFormat, "--format", help="Output format.")] = (
        ProbeFormat.text
    ),
    sandbox_config: SandboxConfigOption = None,
    wait: WaitOption = 900.0,
    role_arn: RoleArnOption = None,
    endpoint_url: EndpointOption = None,
) -> None:
    """Check what the sandbox assumes and AWS does not document, on the card account.

    Exit 0 when every assumption checked matches, 2 when one differs, 1 on an error or
    when a scratch resource could not be deleted."""
    from reconciler.probe.run import run_probe
    from reconciler.render.probe import PROBES, sandbox_settings

    ctx = probe_context(target_for(repo, endpoint_url, target), wait, role_arn)
    sys.stderr.write(f"Probing account {ctx.account} in {ctx.region} ...\n")
    report = run_probe(ctx, write)
    if sandbox_config is not None:
        write_file(sandbox_config, sandbox_settings(report))
    sys.stdout.write(PROBES.get(fmt.value)(report))
    raise typer.Exit(_exit_code(report))


def _exit_code(report: ProbeReport) -> int:
    """1 when a scratch resource was left behind, 2 when an assumption differs, else 0."""
    if report.leftovers:
        sys.stderr.write(
            "error: the probe could not delete everything it made; the report names it, "
            "with the command that deletes it\n"
        )
        return EXIT_ERROR
    return EXIT_CHANGES if report.differs else EXIT_OK


def probe_context(one: Target, wait: float, role_arn: str | None = None) -> ProbeContext:
    """The card account as apply opens it, and as the caller's own credentials; apply's
    needs are checked as ``role_arn``, else the target's apply role."""
    from reconciler.aws.session import AwsSession
    from reconciler.desired.model import Uses
    from reconciler.probe.context import ProbeContext

    config = one.state.config
    ambient = AwsSession(replace(one.session.settings, role_arn=None), one.session.stats)
    return ProbeContext(
        state=one.state,
        session=one.session,
        ambient=ambient,
        role_arn=role_arn or config.targets[config.target].role_arn_for(Uses.APPLY),
        run_id=secrets.token_hex(4),
        wait_seconds=wait,
    )
