"""The audit trail's commands: `history` (read only) and `export` (downloads a card
version's PDF, exporting it first if S3 has none)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from reconciler.cli.base import EXIT_OK, EndpointOption, RepoOption, app, target_for
from reconciler.desired.model import Uses


class ReportFormat(str, Enum):
    text = "text"
    json = "json"


NameArgument = Annotated[str, typer.Argument(help="The model card's name.")]
FormatOption = Annotated[ReportFormat, typer.Option("--format", help="Output format.")]
VersionOption = Annotated[
    int | None,
    typer.Option(metavar="<n>", help="The card version (default: the current one).", min=1),
]
PdfOption = Annotated[
    Path | None, typer.Option(help="Where to save the PDF (default: <name>-v<N>.pdf).")
]
OneTarget = Annotated[
    str | None,
    typer.Option(
        "--target",
        metavar="<name>",
        help="The target of reconciler.yaml the card is in (needed with several).",
    ),
]


@app.command()
def history(
    name: NameArgument,
    repo: RepoOption = Path("."),
    fmt: FormatOption = ReportFormat.text,
    endpoint_url: EndpointOption = None,
    target: OneTarget = None,
) -> None:
    """Show every live version of a card and the commit behind it. Changes nothing.

    Per version: number, status, time, who made it (as SageMaker records it), and the
    commit that produced it, or "not from git"."""
    from reconciler.render.audit import HISTORY
    from reconciler.workflows.audit import card_history

    one = target_for(repo, endpoint_url, target, Uses.DRIFT)
    report = card_history(one.session, one.state, name)
    sys.stdout.write(HISTORY.get(fmt.value)(report))
    raise typer.Exit(EXIT_OK)


@app.command()
def export(
    name: NameArgument,
    version: VersionOption = None,
    out: PdfOption = None,
    repo: RepoOption = Path("."),
    fmt: FormatOption = ReportFormat.text,
    endpoint_url: EndpointOption = None,
    target: OneTarget = None,
) -> None:
    """Download the PDF of a card version, exporting it first if S3 has none.

    The PDF comes from the exports bucket of reconciler.yaml; a version without one gets
    a SageMaker export job first."""
    from reconciler.aws.waits import WaitSettings
    from reconciler.render.audit import EXPORTS
    from reconciler.workflows.audit import export_pdf

    one = target_for(repo, endpoint_url, target)
    report = export_pdf(
        one.session, one.state, name, version=version, out=out, waits=WaitSettings()
    )
    sys.stdout.write(EXPORTS.get(fmt.value)(report))
    raise typer.Exit(EXIT_OK)
