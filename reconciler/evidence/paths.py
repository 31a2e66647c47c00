"""Writing at the content paths evidence fills, in the promotion gates' syntax
(``desired.gates``): ``a.b`` sets a key, ``a[name=x]`` the element of list ``a`` whose
``name`` is ``x`` (appended when there is none, so an evaluation or metric group keeps its
place in the card once it has one). Removing a value also removes the mappings and lists
it leaves empty on its way up. Pure: both work on a plain copy of the content.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from reconciler.desired.gates import segment, split_path


def set_at(content: dict[str, Any], path: str, value: Any) -> None:
    """Make ``path`` in ``content`` hold ``value``, creating what leads to it."""
    parts = split_path(path)
    node: Any = content
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        node = _child(node, part, value if last else None, last)


def _child(node: MutableMapping[str, Any], part: str, value: Any, last: bool) -> Any:
    """The value under one segment of ``node``, created (or, ``last``, replaced)."""
    found = segment(part)
    if found is None or found["all"]:
        raise ValueError(f"'{part}' names no single place to write")
    key, field = found["key"], found["field"]
    if field is None:
        if last:
            node[key] = value
        return node.setdefault(key, {})
    items = node.setdefault(key, [])
    index = next((i for i, v in enumerate(items) if _named(v, field, found["value"])), None)
    new = value if last else {field: found["value"]}
    if index is None:
        items.append(new)
        return new
    if last:
        items[index] = new
    return items[index]


def _named(item: Any, field: str, wanted: str) -> bool:
    return isinstance(item, MutableMapping) and item.get(field) == wanted


def remove_at(content: dict[str, Any], path: str) -> None:
    """Remove the value at ``path``, and what that leaves empty above it."""
    trail: list[tuple[Any, Any]] = []  # (container, key or index) from the top
    node: Any = content
    for part in split_path(path):
        found = segment(part)
        if found is None or not isinstance(node, MutableMapping) or found["key"] not in node:
            return
        trail.append((node, found["key"]))
        node = node[found["key"]]
        if found["field"] is not None:
            index = _index(node, found["field"], found["value"])
            if index is None:
                return
            trail.append((node, index))
            node = node[index]
    _prune(trail)


def _index(items: Any, field: str, wanted: str) -> int | None:
    if not isinstance(items, list):
        return None
    return next((i for i, v in enumerate(items) if _named(v, field, wanted)), None)


def _prune(trail: list[tuple[Any, Any]]) -> None:
    """Delete the last step of ``trail``, then each container left empty above it."""
    while trail:
        container, key = trail.pop()
        del container[key]
        if container:
            return
