"""The pre-commit hooks a card repository adds (`.pre-commit-hooks.yaml`), run through
pre-commit itself: `pre-commit try-repo` runs each hook on a card repository with one
invalid card, and again after the fix.

`reconciler-validate` is what most repositories use: pre-commit installs this repository
into a fresh virtualenv with pip from the package index (about half a minute; the
environment lives in a temporary PRE_COMMIT_HOME for this test only).
`reconciler-validate-system` runs the `reconciler` already on PATH (here, this test's).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, copy_example

CARD = "cards/Customer-Churn-Model-Card.yaml"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _try_repo(repo: Path, home: Path, hook: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PRE_COMMIT_COLOR": "never",
        "GIT_AUTHOR_NAME": "card author",
        "GIT_AUTHOR_EMAIL": "author@example.com",
        "GIT_COMMITTER_NAME": "card author",
        "GIT_COMMITTER_EMAIL": "author@example.com",
    }
    if hook.endswith("-system"):  # the reconciler this test runs, found on PATH
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env["PATH"]])
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(PROJECT_ROOT)]
    return subprocess.run(
        [*command, hook, "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )


@pytest.mark.parametrize("hook", ["reconciler-validate", "reconciler-validate-system"])
def test_the_hook_fails_on_an_invalid_card_with_its_position_then_passes(
    tmp_path: Path, hook: str
) -> None:
    repo = copy_example(tmp_path / "cards-repo")
    _git(repo, "init", "-q")
    card = repo / CARD
    valid = card.read_text(encoding="utf-8")
    assert "    model_owner: " in valid
    lines = valid.splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines) if text.startswith("    model_owner: "))
    lines[line] = "    model_owner: 42\n"
    card.write_text("".join(lines), encoding="utf-8")
    _git(repo, "add", "-A")

    failed = _try_repo(repo, tmp_path / "pre-commit-home", hook)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "reconciler validate" in failed.stdout
    assert "Failed" in failed.stdout
    where = f"{CARD}:{line + 1}:18: error: $.content.model_overview.model_owner"
    assert where in failed.stdout

    card.write_text(valid, encoding="utf-8")
    _git(repo, "add", "-A")
    passed = _try_repo(repo, tmp_path / "pre-commit-home", hook)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
