"""Words in messages: counts ("1 error", "3 errors") and untrusted text made printable."""

from __future__ import annotations


def count(number: int, noun: str) -> str:
    """``number`` and ``noun``, with an "s" unless the number is one."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def printable(text: str) -> str:
    """``text`` with control characters (which a terminal would obey) shown escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
