"""Content values at dotted paths: removing the paths a card's ``ignore:`` leaves outside
git, and carrying live values over at those paths (an update writes the whole content;
``pull`` keeps git's seeds). Pure.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from reconciler.common.content import canonical


def without_paths(content: Mapping[str, Any], dotted: tuple[str, ...]) -> dict[str, Any]:
    """``content`` with each dotted path removed (paths owned outside git), and with any
    section the removal leaves empty removed too: a parent that held only ignored values
    is not a difference from git leaving it out."""
    result = copy.deepcopy(dict(content))
    for path in dotted:
        _remove(result, path)
    return result


def _remove(content: dict[str, Any], path: str) -> None:
    """Remove the value at ``path``, then each parent it leaves empty."""
    *parents, leaf = path.split(".")
    chain: list[dict[str, Any]] = [content]
    for part in parents:
        child = chain[-1].get(part)
        if not isinstance(child, dict):
            return
        chain.append(child)
    if leaf in chain[-1]:
        chain[-1].pop(leaf)
        for parent, key in zip(reversed(chain[:-1]), reversed(parents), strict=True):
            if parent[key]:
                break
            parent.pop(key)


def kept_live(
    desired: Mapping[str, Any], live: Mapping[str, Any], dotted: tuple[str, ...]
) -> Mapping[str, Any]:
    """The content an update writes: git's, where each ignored path holds the live value
    (or nothing, when the live card has none), never git's seed value."""
    if not dotted:
        return desired
    return with_live_values(without_paths(desired, dotted), live, dotted)


def with_live_values(
    desired: Mapping[str, Any], live: Mapping[str, Any], dotted: tuple[str, ...]
) -> dict[str, Any]:
    """``desired`` with the values ``live`` holds at the dotted paths (those it lacks stay
    as in ``desired``). UpdateModelCard replaces the whole content, so ignored values must
    be carried over; ``pull`` uses it the other way round, to keep git's ignored values.
    """
    result = copy.deepcopy(dict(desired))
    for path in dotted:
        _carry(result, live, path)
    return canonical(result)  # type: ignore[no-any-return]


def _carry(result: dict[str, Any], live: Mapping[str, Any], path: str) -> None:
    """Set the value ``live`` holds at ``path`` in ``result``, if it holds one."""
    *parents, leaf = path.split(".")
    source: Any = live
    for part in parents:
        source = source.get(part) if isinstance(source, Mapping) else None
    if not isinstance(source, Mapping) or leaf not in source:
        return
    target = result
    for part in parents:
        target = target.setdefault(part, {})
    target[leaf] = copy.deepcopy(source[leaf])
