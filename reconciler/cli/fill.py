"""`reconciler fill`: write what a card's evidence holds (a SageMaker model, its training
job, a model version, evaluation reports) into its YAML, and print the change as a diff.
Reads AWS only; the change reaches AWS through the usual review and apply."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reconciler.cli.base import EXIT_ERROR, EXIT_OK, EndpointOption, RepoOption, app, target_for
from reconciler.common.errors import ReconcilerError
from reconciler.common.words import count, printable
from reconciler.desired.evidence import REPORT_KINDS, S3_PREFIX, SourceKind
from reconciler.desired.model import Uses
from reconciler.run.repository import load_repository

if TYPE_CHECKING:  # the pipeline (boto3) loads only when the command runs
    from reconciler.workflows.fill import FillRequest, FillResult
    from reconciler.workflows.fill_sources import Wanted


CardArgument = Annotated[str | None, typer.Argument(help="The model card to fill.")]
AllOption = Annotated[
    bool, typer.Option("--all", help="Refresh every card from the sources it records.")
]
TargetOption = Annotated[
    str | None,
    typer.Option("--target", metavar="<name>", help="The target whose card account to read."),
]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", metavar="<name>", help="A SageMaker model (name or ARN)."),
]
JobOption = Annotated[
    str | None,
    typer.Option(
        "--training-job",
        metavar="<name>",
        help="A training job (name or ARN); default: the one that wrote the model's artifact.",
    ),
]
PackageOption = Annotated[
    str | None,
    typer.Option("--model-package", metavar="<arn>", help="A model version (package ARN)."),
]
EvaluationOption = Annotated[
    list[str] | None,
    typer.Option(
        "--evaluation",
        metavar="<s3-uri|file>",
        help="An evaluation report (repeatable; each with --as and --name).",
    ),
]
AsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--as",
        metavar=f"<{'|'.join(k.value for k in REPORT_KINDS)}>",
        help="The format of the --evaluation in the same place.",
    ),
]
NameOption = Annotated[
    list[str] | None,
    typer.Option(
        "--name",
        metavar="<evaluation>",
        help="The evaluation_details entry the --evaluation in the same place fills.",
    ),
]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Print the diff; write nothing.")]
OverwriteOption = Annotated[
    bool,
    typer.Option("--overwrite", help="Replace values edited by hand (or never filled)."),
]


@app.command("fill")
def fill_command(
    name: CardArgument = None,
    everything: AllOption = False,
    repo: RepoOption = Path("."),
    target: TargetOption = None,
    model: ModelOption = None,
    training_job: JobOption = None,
    model_package: PackageOption = None,
    evaluation: EvaluationOption = None,
    report_format: AsOption = None,
    group: NameOption = None,
    dry_run: DryRunOption = False,
    overwrite: OverwriteOption = False,
    endpoint_url: EndpointOption = None,
) -> None:
    """Write what a card's sources hold into its YAML, keeping comments; print the diff.

    Sources: a model (and the training job that wrote its artifact), a training job, a
    model version, evaluation reports. Without sources, the card's recorded ones are read
    again. Reads AWS only."""
    from reconciler.workflows.fill import fill

    wanted = _wanted(repo, model, training_job, model_package, (evaluation, report_format, group))
    request = _request(name, everything, wanted, dry_run=dry_run, overwrite=overwrite)
    one = target_for(repo, endpoint_url, target, Uses.FILL)
    result = fill(one, repo, request)
    raise typer.Exit(_shown(repo, result, dry_run))


def _request(
    name: str | None, everything: bool, wanted: list[Wanted], *, dry_run: bool, overwrite: bool
) -> FillRequest:
    from reconciler.workflows.fill import FillRequest

    if everything and (name or wanted):
        raise ReconcilerError(
            "--all refreshes every card from its recorded sources",
            hint="name no card and no source with it",
        )
    if not everything and not name:
        raise ReconcilerError("no card selected", hint="name the card, or pass --all")
    return FillRequest(
        names=(name,) if name else (),
        everything=everything,
        wanted=tuple(wanted),
        dry_run=dry_run,
        overwrite=overwrite,
    )


def _wanted(
    repo: Path,
    model: str | None,
    job: str | None,
    package: str | None,
    reports: tuple[list[str] | None, list[str] | None, list[str] | None],
) -> list[Wanted]:
    """The sources named on the command line, in the order they are read."""
    from reconciler.workflows.fill_sources import Wanted

    wanted = []
    if model:
        wanted.append(Wanted(kind=SourceKind.MODEL, location=model, find_job=job is None))
    if job:
        wanted.append(Wanted(kind=SourceKind.TRAINING_JOB, location=job))
    if package:
        wanted.append(Wanted(kind=SourceKind.MODEL_PACKAGE, location=package))
    return wanted + _reports(repo, *reports)


def _reports(
    repo: Path, where: list[str] | None, kinds: list[str] | None, names: list[str] | None
) -> list[Wanted]:
    from reconciler.workflows.fill_sources import Wanted

    where, kinds, names = where or [], kinds or [], names or []
    if not len(where) == len(kinds) == len(names):
        raise ReconcilerError(
            f"{count(len(where), '--evaluation')}, {count(len(kinds), '--as')} and "
            f"{count(len(names), '--name')}",
            hint="give each --evaluation its --as format and --name, in the same order",
        )
    return [
        Wanted(kind=_format(kind), location=_location(repo, uri), evaluation=name)
        for uri, kind, name in zip(where, kinds, names, strict=True)
    ]


def _format(text: str) -> SourceKind:
    found = next((k for k in REPORT_KINDS if k.value == text), None)
    if found is None:
        raise ReconcilerError(
            f"--as {printable(text)!r} is not a report format",
            hint=f"use one of {', '.join(k.value for k in REPORT_KINDS)}",
        )
    return found


def _location(repo: Path, given: str) -> str:
    """An S3 URI as given; a file as its path in the repository, which must hold it."""
    if given.startswith(S3_PREFIX):
        bucket, _, key = given.removeprefix(S3_PREFIX).partition("/")
        if not bucket or not key:
            raise ReconcilerError(f"{printable(given)} is not s3://bucket/key")
        return given
    root, path = repo.resolve(), Path(given).resolve()
    if root not in path.parents:
        raise ReconcilerError(
            f"{printable(given)} is outside the repository {root}",
            hint="copy the report into the repository, so `fill --all` can read it again",
        )
    return path.relative_to(root).as_posix()


def _shown(repo: Path, result: FillResult, dry_run: bool) -> int:
    """The diffs on stdout; what was filled, left out or refused on stderr; the exit code."""
    sys.stdout.writelines(result.diffs)
    verb = "would fill" if dry_run else "filled"
    sys.stderr.writelines(f"{verb}: {line}\n" for line in result.written)
    sys.stderr.writelines(f"note: {line}\n" for line in result.notes)
    sys.stderr.writelines(f"not filled: {line}\n" for line in result.failed)
    if not dry_run and result.written:
        loaded = load_repository(repo)
        sys.stderr.write("The repository validates.\n" if loaded.ok else "")
    if not result.written and not result.failed:
        sys.stderr.write("Nothing to change: the cards hold what their sources say.\n")
    return EXIT_ERROR if result.failed else EXIT_OK
