"""The git commit a run applies: ``git rev-parse HEAD`` of the repository, else the
``GITHUB_SHA`` a GitHub workflow sets (a checkout without its .git folder). None when
neither is known: what apply writes is then recorded as not from git. And the last commit
that changed each card file, which the catalogue shows.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from reconciler.reports.catalogue import LastChange

_SHA = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")


def current_commit(repo: Path) -> str | None:
    """The commit checked out in ``repo``, or GITHUB_SHA, or None."""
    try:
        found = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        found = None
    sha = found.stdout.strip() if found is not None and found.returncode == 0 else ""
    sha = sha or os.environ.get("GITHUB_SHA", "").strip().lower()
    return sha if _SHA.fullmatch(sha) else None


_RECORD, _FIELD = "\x1e", "\x1f"


def last_changes(repo: Path, folder: str) -> dict[str, LastChange]:
    """The last commit that changed each file under ``folder``, by path relative to the
    repository; empty when ``repo`` is not a git checkout (or git is not installed)."""
    fields = _FIELD.join(("%H", "%an", "%aI", "%s"))
    log = _git(repo, "log", f"--format={_RECORD}{fields}", "--name-only", "--relative", folder)
    found: dict[str, LastChange] = {}
    for record in log.split(_RECORD)[1:]:
        head, _, names = record.partition("\n")
        parts = head.split(_FIELD)
        if len(parts) != 4:
            continue
        change = LastChange(commit=parts[0], author=parts[1], date=parts[2], subject=parts[3])
        for name in names.split("\n"):
            if name.startswith(f"{folder}/"):
                found.setdefault(name, change)
    return found


def _git(repo: Path, *args: str) -> str:
    """What ``git -C repo <args>`` prints (the last one a path), or "" when it fails."""
    try:
        found = subprocess.run(
            ["git", "-C", str(repo), *args[:-1], "--", args[-1]],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return found.stdout if found.returncode == 0 else ""
