"""Tags on model cards: validation by AWS's tag rules, add (overwrite), list, delete.

Key 1-128 and value 0-256 characters of letters, digits, spaces and ``_.:/=+-@``
(the model's ``[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*``, which Python's ``re`` cannot express);
``aws:`` is reserved; at most 50 tags per resource.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from reconciler.sandbox.errors import validation
from reconciler.sandbox.paging import page

MAX_TAGS = 50
_EXTRA = set("_.:/=+-@")


def _allowed(text: str) -> bool:
    return all(ch in _EXTRA or unicodedata.category(ch)[0] in "LZN" for ch in text)


def _check_tag(key: str, value: str) -> None:
    if not 1 <= len(key) <= 128 or not _allowed(key):
        raise validation(
            f"Tag key '{key}' is invalid: use 1-128 letters, digits, spaces or _.:/=+-@"
        )
    if len(value) > 256 or not _allowed(value):
        raise validation(
            f"Tag value for key '{key}' is invalid: use 0-256 letters, digits, spaces or _.:/=+-@"
        )
    if key.lower().startswith("aws:"):
        raise validation(f"Tag key '{key}' uses the reserved prefix 'aws:'.")


def parse_tags(raw: list[dict[str, Any]] | None) -> dict[str, str]:
    """Wire tags to an ordered dict; a later duplicate key wins, as in AddTags."""
    tags: dict[str, str] = {}
    for item in raw or []:
        key, value = str(item.get("Key", "")), str(item.get("Value", ""))
        _check_tag(key, value)
        tags[key] = value
    return tags


def add_tags(current: dict[str, str], raw: list[dict[str, Any]]) -> dict[str, str]:
    """Merged tags after AddTags (existing keys are overwritten)."""
    merged = {**current, **parse_tags(raw)}
    if len(merged) > MAX_TAGS:
        raise validation(
            f"A resource can have at most {MAX_TAGS} tags; this request "
            f"would leave {len(merged)}. Delete tags first."
        )
    return merged


def wire(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def list_tags(tags: dict[str, str], params: dict[str, Any]) -> dict[str, Any]:
    items, extra = page(wire(tags), params, params.get("MaxResults", 50))
    return {"Tags": items, **extra}
