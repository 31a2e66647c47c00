"""`reconciler site`: the catalogue of every card as a static HTML site. From git by
default (no AWS call); with --live, from each target's card account as well."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reconciler.cli.base import (
    EXIT_OK,
    EndpointOption,
    RepoOption,
    app,
    listing_problems,
    showing_problems,
)
from reconciler.cli.targets import TargetOption
from reconciler.common import words

if TYPE_CHECKING:  # the pipeline loads only when the command runs
    from reconciler.workflows.site import SiteSource

SiteLiveOption = Annotated[
    bool,
    typer.Option(
        "--live",
        help="Add what AWS has: status, versions, who sees what, drift, PDF exports "
        "(the drift role's reads).",
    ),
]
OutOption = Annotated[
    Path, typer.Option("--out", metavar="<dir>", help="The folder to write the site into.")
]


@app.command()
def site(
    out: OutOption = Path("site"),
    live: SiteLiveOption = False,
    target: TargetOption = None,
    repo: RepoOption = Path("."),
    endpoint_url: EndpointOption = None,
) -> None:
    """Write a static HTML catalogue of every card: an index, a page per card and who
    sees which card. From git alone by default (no AWS call); --live adds status,
    versions, drift and PDF exports from each target's card account."""
    from reconciler.render.site import render_site
    from reconciler.workflows.files import write_site

    source = _live(repo, endpoint_url, target) if live else _git(repo, target)
    pages = {path: page.encode("utf-8") for path, page in render_site(source.catalogue).items()}
    write_site(out, {**pages, **source.files})
    count = len(source.catalogue.cards)
    sys.stderr.write(f"Wrote the catalogue of {words.count(count, 'card')} to {out}/\n")
    sys.stdout.write(f"{(out / 'index.html').resolve().as_uri()}\n")
    raise typer.Exit(EXIT_OK)


def _git(repo: Path, target: list[str] | None) -> SiteSource:
    from reconciler.workflows.site import from_repository

    with listing_problems():
        return from_repository(repo, target)


def _live(repo: Path, endpoint_url: str | None, target: list[str] | None) -> SiteSource:
    from reconciler.workflows.site import from_live_state, live_settings

    with showing_problems(repo):
        return from_live_state(live_settings(repo, endpoint_url), target)
