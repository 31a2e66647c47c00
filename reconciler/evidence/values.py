"""Untrusted values from reports and API responses, checked before they become content:
finite numbers, bounded text, names that fit the card schema (and the path syntax of
``desired.gates``), and the problem raised when a source is malformed. Pure.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reconciler.common.words import printable

NAME_LIMIT = 255  # a metric's name (schema: training_metric, simple_metric, ...)
GROUP_LIMIT = 63  # a metric group's and an evaluation's name
TEXT_LIMIT = 63  # a string metric's value and an axis name
NOTES_LIMIT = 1024


class EvidenceProblem(ValueError):
    """A source that cannot be filled from: what is wrong with it, for people."""


@dataclass(kw_only=True)
class Notes:
    """What a parser left out and why (a value of no known shape, a null metric)."""

    lines: list[str] = field(default_factory=list)

    def skip(self, what: str, why: str) -> None:
        self.lines.append(f"left out {shown(what)}: {why}")


def shown(text: object, limit: int = 80) -> str:
    """Untrusted text for a message: printable and at most ``limit`` characters."""
    raw = printable(str(text))
    return raw if len(raw) <= limit else raw[: limit - 1] + "…"


def is_number(value: Any) -> bool:
    """A finite int or float (not a bool, not NaN or infinite)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def numbers(value: Any, what: str) -> list[float]:
    """A non-empty list of finite numbers, or an EvidenceProblem naming ``what``."""
    if not isinstance(value, list) or not value or not all(is_number(v) for v in value):
        raise EvidenceProblem(f"{what} is not a non-empty list of numbers")
    return list(value)


def fit(text: str, limit: int) -> str:
    """``text`` made a name: brackets (which end a path selector) as parentheses, control
    characters as spaces, and when longer than ``limit`` cut with a digest of the whole,
    so two long names stay apart."""
    clean = "".join(c if c.isprintable() else " " for c in text)
    clean = clean.replace("[", "(").replace("]", ")").strip() or "-"
    if len(clean) <= limit:
        return clean
    tail = "~" + hashlib.sha256(clean.encode("utf-8")).hexdigest()[:8]
    return clean[: limit - len(tail)].rstrip() + tail


def label(value: Any) -> str:
    """A label, facet value or threshold as text (scalars, or a list of them)."""
    if isinstance(value, list):
        return ",".join(label(v) for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str | int | float):
        return str(value)
    raise EvidenceProblem(f"{shown(value)} is not a label")


def mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise EvidenceProblem(f"{what} is not a JSON object")
    return value


def sequence(value: Any, what: str) -> Sequence[Any]:
    if not isinstance(value, list):
        raise EvidenceProblem(f"{what} is not a list")
    return value


def number_metric(name: str, value: Any, notes: str = "") -> dict[str, Any]:
    metric: dict[str, Any] = {"name": fit(name, NAME_LIMIT), "type": "number", "value": value}
    if notes:
        metric["notes"] = fit(notes, NOTES_LIMIT)
    return metric


def group(name: str, metrics: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": fit(name, GROUP_LIMIT), "metric_data": metrics}
