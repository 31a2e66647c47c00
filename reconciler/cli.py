"""The command line: options in, a pipeline run, a rendering on stdout, an exit code out.

This is the only module that parses options, prints and exits. stdout carries only the
product (a report, a plan); progress and errors go to stderr.
"""

from __future__ import annotations

import sys
import traceback
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from typer.exceptions import TyperException

from reconciler import __version__
from reconciler.errors import ReconcilerError
from reconciler.render.diagnostics import DIAGNOSTICS, ValidationReport
from reconciler.repo import load_repository

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
