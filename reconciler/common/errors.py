"""Operational failures: what happened, why, and what to do.

Problems in the user's files are diagnostics, not exceptions. These are for everything
else (AWS refused, a file could not be written, a plan is stale) and the CLI prints them as
one line, with the chain of causes under ``--debug``.
"""

from __future__ import annotations


class ReconcilerError(Exception):
    """A failure the user can act on; ``hint`` says how."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if not self.hint:
            return self.message
        # After a list of details the advice goes on its own line, where it is seen.
        return (
            f"{self.message}\n{self.hint}"
            if "\n" in self.message
            else f"{self.message}: {self.hint}"
        )
