"""run.commit: the commit a run applies: the repository's HEAD, else the GITHUB_SHA of a
workflow's checkout without .git, else none (what apply writes is then not from git)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from reconciler.run import commit
from reconciler.run.commit import current_commit

SHA1 = "0123456789abcdef0123456789abcdef01234567"
SHA256 = "0123456789abcdef" * 4


@pytest.fixture
def outside_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder that is no git repository (nor inside one), and no GITHUB_SHA."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.delenv("GITHUB_SHA", raising=False)
    return tmp_path


def git(repo: Path, *args: str) -> str:
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    done = subprocess.run(
        ["git", *identity, "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_the_head_of_the_repository(outside_git: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(outside_git, "init", "-q")
    git(outside_git, "commit", "-q", "--allow-empty", "-m", "first")
    monkeypatch.setenv("GITHUB_SHA", SHA1)  # the repository's own answer comes first
    assert current_commit(outside_git) == git(outside_git, "rev-parse", "HEAD")


def test_a_repository_without_a_commit_falls_back_to_github_sha(
    outside_git: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(outside_git, "init", "-q")
    monkeypatch.setenv("GITHUB_SHA", SHA1)
    assert current_commit(outside_git) == SHA1


@pytest.mark.parametrize(
    ("github_sha", "found"),
    [
        pytest.param(None, None, id="neither"),
        pytest.param(SHA1, SHA1, id="a-sha-1"),
        pytest.param(SHA256, SHA256, id="a-sha-256"),
        pytest.param(f" {SHA1.upper()}\n", SHA1, id="upper-case-and-spaces"),
        pytest.param(SHA1[:12], None, id="a-short-commit-is-not-taken"),
        pytest.param("main", None, id="a-branch-name"),
        pytest.param(SHA1 + "0", None, id="41-digits"),
        pytest.param("", None, id="empty"),
    ],
)
def test_outside_git_the_workflows_github_sha_if_it_is_a_commit(
    outside_git: Path, monkeypatch: pytest.MonkeyPatch, github_sha: str | None, found: str | None
) -> None:
    if github_sha is not None:
        monkeypatch.setenv("GITHUB_SHA", github_sha)
    assert current_commit(outside_git) == found


def test_without_a_git_program_github_sha_still_serves(
    outside_git: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(*_: object, **__: object) -> None:
        raise FileNotFoundError("git")

    monkeypatch.setattr(commit.subprocess, "run", missing)
    monkeypatch.setenv("GITHUB_SHA", SHA1)
    assert current_commit(outside_git) == SHA1


def test_a_git_that_hangs_is_given_up(outside_git: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def hangs(*_: object, **__: object) -> None:
        raise subprocess.TimeoutExpired("git", 10)

    monkeypatch.setattr(commit.subprocess, "run", hangs)
    assert current_commit(outside_git) is None
