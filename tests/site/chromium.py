"""A headless Chromium for the catalogue's browser tests: Debian's ``chromium`` package
(``/usr/bin/chromium``, or ``RECONCILER_CHROMIUM``) driven by Playwright for Python, never
a browser Playwright downloads. Without one the tests are skipped with the reason, except
under CI (the ``CI`` variable set), where a browser test that cannot run fails."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("RECONCILER_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("RECONCILER_ARTIFACTS", "build/test-artifacts"))
KEPT: list[Path] = []  # the screenshots this run took, which the summary names


def keep_screenshot(page: Any, name: str) -> None:
    """A full-page screenshot of ``page`` kept as ``ARTIFACTS/name``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = (ARTIFACTS / name).resolve()
    page.screenshot(path=str(path), full_page=True)
    KEPT.append(path)


def unavailable(reason: str) -> None:
    """Skip with ``reason``; under CI, fail: CI installs the browser, so a skip hides a
    broken setup."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(reason)


@contextmanager
def launched() -> Iterator[Any]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install playwright)")
    if not Path(CHROMIUM).is_file():
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Error as e:
            unavailable(f"Chromium at {CHROMIUM} does not start: {e}")
        try:
            yield browser
        finally:
            browser.close()
