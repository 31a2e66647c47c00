"""A model card's ``Content`` as sent and received: parsed from its JSON string and
written in one canonical form, so both directions agree; and what the content itself names
(its model package). Pure.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def parse_content(raw: str | None) -> dict[str, Any]:
    """The card's ``Content`` string as data; an empty or missing string is ``{}``."""
    if not raw:
        return {}
    parsed = json.loads(raw)
    if not isinstance(parsed, dict):
        raise ValueError("model card Content is not a JSON object")
    return parsed


def readable_content(raw: str | None) -> dict[str, Any] | None:
    """``parse_content``, or None when the string is not a JSON object (a card edited
    outside git into something no reader can compare)."""
    try:
        return parse_content(raw)
    except ValueError:
        return None


def canonical(value: Any) -> Any:
    """A deep copy with mapping keys in sorted order, for stable output and hashing."""
    if isinstance(value, Mapping):
        return {k: canonical(value[k]) for k in sorted(value)}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    return value


def content_json(content: Mapping[str, Any]) -> str:
    """The ``Content`` string to send: canonical key order, compact separators."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def package_arn_of(content: Mapping[str, Any]) -> str | None:
    """The model package a card's content names (as the SageMaker SDK writes it)."""
    details = content.get("model_package_details")
    arn = details.get("model_package_arn") if isinstance(details, Mapping) else None
    return arn if isinstance(arn, str) and arn else None
