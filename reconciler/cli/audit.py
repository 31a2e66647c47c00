"""The audit trail's commands: `history` (read only) and `export` (downloads a card
version's PDF, exporting it first if S3 has none)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reconciler.cli.base import EXIT_OK, EndpointOption, RepoOption, app, target_for
from reconciler.desired.model import Uses

if TYPE_CHECKING:  # the pipeline (boto3) loads only when a command runs
    from reconciler.run.pipeline import Target


class ReportFormat(str, Enum):
    text = "text"
    json = "json"


NameArgument = Annotated[str, typer.Argument(help="The model card's name.")]
HistoryArgument = Annotated[
    str,
    typer.Argument(
        help="The model card's name, or <model package group>/<version> for a model "
        "version's card, approval and stage."
    ),
]
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
    name: HistoryArgument,
    repo: RepoOption = Path("."),
    fmt: FormatOption = ReportFormat.text,
    endpoint_url: EndpointOption = None,
    target: OneTarget = None,
) -> None:
    """Show every live version of a card and the commit behind it, or a model version's
    changes. Changes nothing.

    Per card version: number, status, time, who made it (as SageMaker records it), and
    the commit that produced it, or "not from git". For <group>/<version>: its current
    card, approval and stage, and each call that registered or changed it in CloudTrail's
    90 days (when, who, which parts)."""
    one = target_for(repo, endpoint_url, target, Uses.DRIFT)
    sys.stdout.write(_history(one, name, fmt.value))
    raise typer.Exit(EXIT_OK)


def _history(one: Target, name: str, fmt: str) -> str:
    from reconciler.render.audit import HISTORY, VERSION_HISTORY
    from reconciler.workflows.audit import card_history, version_history

    if "/" in name:  # no card name holds a "/"
        return VERSION_HISTORY.get(fmt)(version_history(one.session, one.state, name))
    return HISTORY.get(fmt)(card_history(one.session, one.state, name))


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
