"""`apply` without --auto-approve asks on a terminal and applies only after 'yes'."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def apply_on_a_terminal(repo: Path, answer: str) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point with a pseudo-terminal as stdin."""
    leader, follower = os.openpty()
    os.write(leader, answer.encode() + b"\n")
    try:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "reconciler",
                "apply",
                "--repo",
                str(repo),
                "--force",
                "--no-verify",
            ],
            stdin=follower,
            capture_output=True,
            text=True,
            timeout=120,
            env=dict(os.environ),
            check=False,
        )
    finally:
        os.close(leader)
        os.close(follower)


def test_no_answer_but_yes_applies_nothing(
    example_repo: Path, card_account_env: str, aws: Any
) -> None:
    result = apply_on_a_terminal(example_repo, "y")
    assert result.returncode == 1
    assert "Apply these changes? Only 'yes' is accepted:" in result.stderr
    assert "apply cancelled; nothing was changed" in result.stderr
    assert aws("sagemaker").list_model_cards()["ModelCardSummaries"] == []


def test_yes_applies_after_showing_the_plan(
    example_repo: Path, card_account_env: str, aws: Any
) -> None:
    result = apply_on_a_terminal(example_repo, "yes")
    assert result.returncode == 0, result.stderr
    assert "+ card.Customer-Churn-Model-Card" in result.stderr  # the plan shown before asking
    assert "Apply complete: 5 changes made" in result.stdout
    assert len(aws("sagemaker").list_model_cards()["ModelCardSummaries"]) == 1
