"""Counting words in messages: "1 error", "3 errors"."""

from __future__ import annotations


def count(number: int, noun: str) -> str:
    """``number`` and ``noun``, with an "s" unless the number is one."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
