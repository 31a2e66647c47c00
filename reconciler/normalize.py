"""Normalisation before comparison, in one place.

Live model cards carry server fields (ARN, version, times, who created or modified them)
and a ``Content`` JSON string. Comparison uses only what git declares: parsed content with
the card's ignored paths removed, the status, tags and KMS key. Ignored paths are declared
per card (``ignore:``); the server fields are never part of ``LiveCard.content``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

SERVER_FIELDS = frozenset(
    {
        "ModelCardArn",
        "ModelCardVersion",
        "CreationTime",
        "CreatedBy",
        "LastModifiedTime",
        "LastModifiedBy",
        "ModelCardProcessingStatus",
    }
)


def parse_content(raw: str | None) -> dict[str, Any]:
    """The card's ``Content`` string as data; an empty or missing string is ``{}``."""
    if not raw:
        return {}
    parsed = json.loads(raw)
    return parsed if isinstance(parsed, dict) else {}


def canonical(value: Any) -> Any:
    """A deep copy with mapping keys in sorted order, for stable output and hashing."""
    if isinstance(value, Mapping):
        return {k: canonical(value[k]) for k in sorted(value)}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    return value


def without_paths(content: Mapping[str, Any], dotted: tuple[str, ...]) -> dict[str, Any]:
    """``content`` with each dotted path removed (paths owned outside git)."""
    result = copy.deepcopy(dict(content))
    for path in dotted:
        *parents, leaf = path.split(".")
        node: Any = result
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(leaf, None)
    return result


def with_live_values(
    desired: Mapping[str, Any], live: Mapping[str, Any], dotted: tuple[str, ...]
) -> dict[str, Any]:
    """The content to write: git's content plus the live values of the ignored paths.

    UpdateModelCard replaces the whole content, so ignored values must be carried over.
    """
    result = copy.deepcopy(dict(desired))
    for path in dotted:
        *parents, leaf = path.split(".")
        source: Any = live
        for part in parents:
            source = source.get(part) if isinstance(source, Mapping) else None
        if not isinstance(source, Mapping) or leaf not in source:
            continue
        target = result
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = copy.deepcopy(source[leaf])
    return canonical(result)  # type: ignore[no-any-return]


def content_json(content: Mapping[str, Any]) -> str:
    """The ``Content`` string to send: canonical key order, compact separators."""
    return json.dumps(canonical(content), separators=(",", ":"), ensure_ascii=False)
