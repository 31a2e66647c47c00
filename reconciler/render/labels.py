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
    return _CANDIDATES.sub(lambda m: _label(m, names), text)


# What may be an ID or ARN in a sentence: each is looked up, so the cost does not grow with
# the number of names (a first apply names every card it creates).
_CANDIDATES = re.compile(r"(?<![\w:/-])(?:arn:[\w+=.@:/-]+|\d{12})(?![\w/-])")


def _label(match: re.Match[str], names: Mapping[str, str]) -> str:
    """The name for the match (a full stop after an ARN ends the sentence, not the ARN),
    unless the text names it already: 'dev (222222222222)'."""
    text, before = match.group(0), match.string[: match.start()]
    key = text if text in names else text.rstrip(".")
    label = names.get(key)
    if label is None or _named_already(before, key, label):
        return text
    return label + text[len(key) :]


def _named_already(before: str, key: str, label: str) -> bool:
    name = label.removesuffix(f" ({key})")
    return name != label and re.search(rf"{re.escape(name)}['\"]? \($", before) is not None
