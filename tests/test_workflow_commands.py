"""Under GitHub Actions, nothing the reconciler prints can act as a workflow command: a
card's text (from a pull request, or from AWS) that holds a line like ``::add-mask::`` or
``::error::`` is printed while the runner's command processing is paused with a token
nobody can guess, and resumed when the process ends."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import copy_example

INJECTED = "::error title=spoofed::all checks passed"


def _run(repo: Path, *args: str, actions: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    if actions:
        env["GITHUB_ACTIONS"] = "true"
    command = [sys.executable, "-m", "reconciler", *args, "--repo", str(repo)]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def _hostile_repo(tmp_path: Path) -> Path:
    repo = copy_example(tmp_path)
    card = next((repo / "cards").glob("*.yaml"))
    card.write_text(card.read_text() + f"bogus_key: |\n  x\n  {INJECTED}\n")
    return repo


def test_a_run_under_actions_pauses_commands_first_and_resumes_them_last(
    tmp_path: Path,
) -> None:
    result = _run(_hostile_repo(tmp_path), "validate", actions=True)
    assert result.returncode == 1
    first, *_, last = result.stderr.splitlines()
    paused = re.fullmatch(r"::stop-commands::([0-9a-f]{32})", first)
    assert paused, first
    assert last == f"::{paused.group(1)}::"
    output = result.stdout + result.stderr
    assert "bogus_key" in output  # the problem is still reported, as text


def test_each_run_pauses_with_a_new_token(tmp_path: Path) -> None:
    repo = _hostile_repo(tmp_path)
    tokens = {_run(repo, "validate", actions=True).stderr.splitlines()[0] for _ in range(2)}
    assert len(tokens) == 2


def test_annotations_stay_on_for_format_github_and_outside_actions(tmp_path: Path) -> None:
    repo = _hostile_repo(tmp_path)
    annotated = _run(repo, "validate", "--format", "github", actions=True)
    assert "::stop-commands::" not in annotated.stdout + annotated.stderr
    assert re.search(r"^::error file=", annotated.stdout, re.M), annotated.stdout
    plain = _run(repo, "validate", actions=False)
    assert "::stop-commands::" not in plain.stdout + plain.stderr
