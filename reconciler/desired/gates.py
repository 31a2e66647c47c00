"""Promotion gates: what a card's content must hold to enter or stay in a status
(``lifecycle.requirements`` in reconciler.yaml), and whether a card holds it. Pure.

A requirement names a content path in a small syntax, and optionally a test of the values
found there. Paths are dotted keys; ``[*]`` takes every element of a list and
``[name=holdout]`` the elements whose ``name`` is ``holdout`` (a value may hold dots and
spaces, not ``]``; the provenance ``reconciler fill`` records uses the same paths)::

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


def split_path(path: str) -> list[str]:
    """The segments of ``path``: split at each dot outside ``[...]``."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(path):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == "." and depth == 0:
            parts.append(path[start:i])
            start = i + 1
    return [*parts, path[start:]]


def segment(part: str) -> re.Match[str] | None:
    """One segment of a path: ``key``, ``key[*]`` or ``key[field=value]`` (its groups
    ``key``, ``all``, ``field`` and ``value``), or None."""
    return _SEGMENT.fullmatch(part)


def path_problem(path: str) -> str | None:
    """Why ``path`` is not a requirement path, or None."""
    for part in split_path(path):
        if not _SEGMENT.fullmatch(part):
            return (
                f"'{part}' is not a path segment: use a key, key[*] or key[field=value] "
                "(e.g. evaluation_details[name=holdout].metric_groups[*].metric_data"
                "[name=auc].value)"
            )
    return None


def values_at(content: Mapping[str, Any], path: str) -> list[Any]:
    """Every value ``path`` finds in ``content`` (none for a path that leads nowhere)."""
    return [value for _, value in located(content, path)]


Located = tuple[tuple[str | int, ...], Any]


def located(content: Mapping[str, Any], path: str) -> list[Located]:
    """Every value ``path`` finds in ``content``, each with its keys and list indexes from
    the top of ``content`` (where validate places a diagnostic)."""
    found: list[Located] = [((), content)]
    for part in split_path(path):
        match = _SEGMENT.fullmatch(part)
        if match is None:
            return []
        found = list(_step(found, match))
    return found


def _step(values: Sequence[Located], segment: re.Match[str]) -> Iterator[Located]:
    key = segment["key"]
    for where, value in values:
        child = value.get(key) if isinstance(value, Mapping) else None
        if segment["all"] or segment["field"]:
            items = child if isinstance(child, list) else []
            field, wanted = segment["field"], segment["value"]
            yield from (
                ((*where, key, i), item)
                for i, item in enumerate(items)
                if not field or (isinstance(item, Mapping) and item.get(field) == wanted)
            )
        elif child is not None:
            yield (*where, key), child


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
