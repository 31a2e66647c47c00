"""Commands that run locally: the demo and the sandbox."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
import yaml

from reconciler.cli.base import (
    app,
)
from reconciler.common.errors import ReconcilerError

if TYPE_CHECKING:
    from reconciler.sandbox.config import SandboxConfig

ExampleOption = Annotated[
    Path,
    typer.Option("--repo", help="Example repository to start from (copied; never changed)."),
]
HostOption = Annotated[
    str, typer.Option(metavar="<address>", help="Address to listen on (loopback).")
]
PortOption = Annotated[int, typer.Option(metavar="<port>", help="Port; 0 picks a free one.")]
AccountsOption = Annotated[
    Path | None,
    typer.Option(help="YAML file declaring the default account, an Organization and timings."),
]
VerboseOption = Annotated[bool, typer.Option(help="Log every request.")]


DemoSiteOption = Annotated[
    Path,
    typer.Option(
        "--site", metavar="<dir>", help="Where to write the catalogue of the final state."
    ),
]


@app.command()
def demo(source: ExampleOption = Path("."), site: DemoSiteOption = Path("build/demo-site")) -> None:
    """Walk the card lifecycle end to end on an embedded sandbox.

    Exit 0 when every step behaved as expected."""
    try:
        from reconciler.cli.demo import DemoFailed, run_demo
    except ImportError as e:
        raise ReconcilerError(
            "the demo needs the sandbox", hint="pip install 'modelcard-reconciler[sandbox]'"
        ) from e
    _require_example(source)
    started = time.monotonic()
    try:
        run_demo(source, lambda text: print(text, flush=True), site)
    except DemoFailed as e:
        raise ReconcilerError(
            f"demo step failed: expected that {e}", hint="run with --debug and report it"
        ) from e
    print(
        f"\n✓ Demo complete in {time.monotonic() - started:.1f} s: every step behaved as expected."
    )


def _require_example(source: Path) -> None:
    if not (source / "reconciler.yaml").is_file():
        raise ReconcilerError(
            f"{source} holds no reconciler.yaml",
            hint="run the demo from this repository's root, or pass --repo",
        )


@app.command()
def sandbox(
    host: HostOption = "127.0.0.1",
    port: PortOption = 4566,
    accounts: AccountsOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Run the local multi-account AWS sandbox in the foreground until Ctrl-C."""
    try:
        from reconciler.sandbox.server import serve
    except ImportError as e:
        raise ReconcilerError(
            "the sandbox is not installed", hint="pip install 'modelcard-reconciler[sandbox]'"
        ) from e
    serve(host, port, _sandbox_config(accounts), verbose)


def _sandbox_config(accounts: Path | None) -> SandboxConfig:
    """The accounts file read, or the sandbox's default accounts without one."""
    from reconciler.sandbox.config import SandboxConfig, load_config

    try:
        return load_config(accounts) if accounts else SandboxConfig()
    except (OSError, ValueError, TypeError, KeyError, yaml.YAMLError) as e:
        raise ReconcilerError(
            f"cannot use the accounts file {accounts}: {e}",
            hint="see the README's sandbox section for its format",
        ) from e
