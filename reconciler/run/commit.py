"""The git commit a run applies: ``git rev-parse HEAD`` of the repository, else the
``GITHUB_SHA`` a GitHub workflow sets (a checkout without its .git folder). None when
neither is known: what apply writes is then recorded as not from git.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

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
