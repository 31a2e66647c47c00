"""Shared test configuration.

The sandbox fixtures come from the sandbox's pytest plugin. ``cli`` runs the real console
entry point in-process and returns its exit code and output.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from reconciler.cli import main

pytest_plugins = ["reconciler.sandbox.pytest_plugin"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
        ) -> Callable[..., CliResult]:
    """Run ``reconciler <args>`` through the real entry point."""

    def run(*args: str) -> CliResult:
        monkeypatch.setattr(sys, "argv", ["reconciler", *args])
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main()
        out = capsys.readouterr()
        code = exited.value.code
        return CliResult(code if isinstance(code, int) else 1, out.out, out.err)

    return run


@pytest.fixture
def project_root() -> Path:
    return PROJECT_ROOT
