"""Fixtures of the catalogue's tests: a repository of several cards (one with every metric
chart, one hostile), the site `reconciler site` writes of it, and a headless Chromium
driven by Playwright (``browser``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.site.cards import write_cards

Cli = Callable[..., Any]


@pytest.fixture(scope="module")
def catalogue_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example repository with three more cards and a promotion gate for Approved."""
    from tests.conftest import copy_example

    repo = copy_example(tmp_path_factory.mktemp("catalogue") / "repo")
    write_cards(repo)
    return repo


@pytest.fixture
def built_site(cli: Cli, catalogue_repo: Path, tmp_path: Path) -> Path:
    """The site of ``catalogue_repo`` from git, written by the real command."""
    out = tmp_path / "site"
    result = cli("site", "--repo", str(catalogue_repo), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright (``tests.site.chromium``)."""
    from tests.site.chromium import launched

    with launched() as found:
        yield found


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say where the browser tests left their screenshots."""
    from tests.site.chromium import KEPT

    if KEPT:
        terminalreporter.write_line(f"catalogue screenshots: {', '.join(map(str, KEPT))}")
