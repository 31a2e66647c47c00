"""Promotion gates: what a card's content must hold to enter or stay in a status
(``lifecycle.requirements`` in reconciler.yaml), and whether a card holds it. Pure.

A requirement names a content path in a small syntax, and optionally a test of the values
found there. Paths are dotted keys; ``[*]`` takes every element of a list and
``[name=holdout]`` the elements whose ``name`` is ``holdout``::

    intended_uses.risk_rating
    evaluation_details[name=holdout].metric_groups[*].metric_data[name=auc].value

A requirement holds when the path finds at least one value that is not empty and every
value found passes its test: ``in`` (one of these values), ``not_in`` (none of these),
``at_least`` / ``at_most`` (a number within the bound). A card can name an exception to a
requirement (``gate_exceptions: {<requirement id>: <why>}`` in its file), which is itself
reviewed: it lets that requirement pass and the plan says so. ``--force`` does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_SEGMENT = re.compile(
    r"(?P<key>[A-Za-z0-9_]+)(?:\[(?:(?P<all>\*)|(?P<field>[A-Za-z0-9_]+)=(?P<value>[^\]]+))\])?"
)


@dataclass(frozen=True, kw_only=True)
class Requirement:
    """One thing a card must hold in a status."""

    id: str
    path: str
    message: str = ""
    one_of: tuple[Any, ...] = ()  # ``in``: empty means any value
    none_of: tuple[Any, ...] = ()  # ``not_in``
    at_least: float | None = None
    at_most: float | None = None

    def describe(self) -> str:
        """The requirement as the plan and validate show it."""
        tests = [f"in {list(self.one_of)}"] if self.one_of else []
        tests += [f"not in {list(self.none_of)}"] if self.none_of else []
        tests += [f">= {self.at_least:g}"] if self.at_least is not None else []
        tests += [f"<= {self.at_most:g}"] if self.at_most is not None else []
        return f"{self.path} {' and '.join(tests)}" if tests else f"{self.path} is set"


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """How a card stands against one requirement: ``held`` or not, what was found, and the
    exception that let it pass, if one did."""

    requirement: Requirement
    held: bool
    found: str
    excepted: str | None = None


def path_problem(path: str) -> str | None:
    """Why ``path`` is not a requirement path, or None."""
    for part in path.split("."):
        if not _SEGMENT.fullmatch(part):
            return (
                f"'{part}' is not a path segment: use a key, key[*] or key[field=value] "
                "(e.g. evaluation_details[name=holdout].metric_groups[*].metric_data"
                "[name=auc].value)"
            )
    return None


def values_at(content: Mapping[str, Any], path: str) -> list[Any]:
    """Every value ``path`` finds in ``content`` (none for a path that leads nowhere)."""
    found: list[Any] = [content]
    for part in path.split("."):
        match = _SEGMENT.fullmatch(part)
        if match is None:
            return []
        found = list(_step(found, match))
    return found


def _step(values: Sequence[Any], segment: re.Match[str]) -> Iterator[Any]:
    for value in values:
        child = value.get(segment["key"]) if isinstance(value, Mapping) else None
        if segment["all"] or segment["field"]:
            items = child if isinstance(child, list) else []
            field, wanted = segment["field"], segment["value"]
            yield from (
                i for i in items if not field or (isinstance(i, Mapping) and i.get(field) == wanted)
            )
        elif child is not None:
            yield child


def outcome(requirement: Requirement, content: Mapping[str, Any], excepted: str | None) -> Outcome:
    """Whether ``content`` holds ``requirement`` (or an exception lets it pass)."""
    found = [v for v in values_at(content, requirement.path) if v not in ("", [], {})]
    failing = next((v for v in found if not _passes(requirement, v)), None)
    held = bool(found) and failing is None
    shown = "nothing" if not found else repr(failing if failing is not None else found[0])
    if not held and excepted:
        return Outcome(requirement=requirement, held=True, found=shown, excepted=excepted)
    return Outcome(requirement=requirement, held=held, found=shown)


def _passes(requirement: Requirement, value: Any) -> bool:
    if requirement.one_of and value not in requirement.one_of:
        return False
    if value in requirement.none_of:
        return False
    bounds = (requirement.at_least, requirement.at_most)
    if bounds == (None, None):
        return True
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    low, high = bounds
    return (low is None or value >= low) and (high is None or value <= high)


def outcomes(
    requirements: Sequence[Requirement],
    content: Mapping[str, Any],
    exceptions: Mapping[str, str],
) -> list[Outcome]:
    """How ``content`` stands against each requirement of a status."""
    return [outcome(r, content, exceptions.get(r.id)) for r in requirements]
