"""IDs and ARNs shown by name in reports for people: ``dev (222222222222)`` for an
account of reconciler.yaml, a permission by its name, a card of the card account by its
name. The names come with the plan (``Plan.names``); JSON keeps the IDs and ARNs as data.
Card content is never relabelled: it is the user's text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

CONTENT = "$.content"


def labelled(path: str, value: Any, names: Mapping[str, str]) -> Any:
    """``value`` with each ID or ARN it is (or lists) shown by name; content unchanged."""
    if not names or path.startswith(CONTENT):
        return value
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list | tuple):
        return [names.get(v, v) if isinstance(v, str) else v for v in value]
    return value


def labelled_text(text: str, names: Mapping[str, str]) -> str:
    """A sentence with the IDs and ARNs it mentions shown by name."""
    if not names or not text:
        return text
    return _pattern(tuple(names)).sub(lambda m: _label(m, names), text)


def _label(match: re.Match[str], names: Mapping[str, str]) -> str:
    """The name for the match, unless the text already names it: 'dev (222222222222)'."""
    key, before = match.group(0), match.string[: match.start()]
    label = names[key]
    name = label.removesuffix(f" ({key})")
    if name != label and re.search(rf"{re.escape(name)}['\"]? \($", before):
        return key
    return label


_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}


def _pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``keys`` as a whole token (longest first, so an ARN wins over an ID in it)."""
    if keys not in _CACHE:
        alternatives = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
        _CACHE.clear()
        _CACHE[keys] = re.compile(rf"(?<![\w:/-])(?:{alternatives})(?![\w/-])")
    return _CACHE[keys]
