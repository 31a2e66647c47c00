"""Wildcard matching as IAM does it, for actions, resources and the ``Arn*`` operators.

Actions match case-insensitively with ``*`` and ``?``. ARNs match case-sensitively and
segment by segment (IAM's policy reference, element ``Resource``): ``*`` and ``?`` stay
within one colon-separated segment, except that a ``*`` ending a segment may run past
the colons, and the sixth segment (the resource) is everything after the fifth colon.
A policy resource of ``*`` matches every request, including the ``*`` of an action that
has no resource type; any other pattern never matches that ``*``.
"""

from __future__ import annotations

import re
from functools import lru_cache


def _glob(text: str, star: str, mark: str) -> str:
    return "".join(star if c == "*" else mark if c == "?" else re.escape(c) for c in text)


@lru_cache(maxsize=4096)
def action_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(_glob(pattern, ".*", "."), re.IGNORECASE | re.DOTALL)


def _segment(text: str, last: bool) -> str:
    if last:
        return _glob(text, ".*", ".")
    if text.endswith("*"):
        return _glob(text[:-1], "[^:]*", "[^:]") + ".*"
    return _glob(text, "[^:]*", "[^:]")


@lru_cache(maxsize=4096)
def arn_pattern(pattern: str) -> re.Pattern[str]:
    if pattern == "*":
        return re.compile(".*", re.DOTALL)
    parts = pattern.split(":", 5)
    body = ":".join(_segment(p, i == 5) for i, p in enumerate(parts))
    return re.compile(body, re.DOTALL)


@lru_cache(maxsize=4096)
def string_pattern(pattern: str) -> re.Pattern[str]:
    """``StringLike``: ``*`` and ``?`` anywhere, case-sensitive."""
    return re.compile(_glob(pattern, ".*", "."), re.DOTALL)


def arn_matches(pattern: str, arn: str) -> bool:
    if arn == "*":
        return pattern == "*"
    return arn_pattern(pattern).fullmatch(arn) is not None
