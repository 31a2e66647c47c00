"""Field-level differences, as the plan shows them: JSON paths with before and after."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from reconciler.common.diagnostics import extend_path, json_path
from reconciler.load.yamlsource import PathKey
from reconciler.plan.model import MISSING, FieldChange, Listed

_DIFF_KINDS = (
    "values_changed",
    "type_changes",
    "dictionary_item_added",
    "dictionary_item_removed",
    "iterable_item_added",
    "iterable_item_removed",
)


def content_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    """Field-level changes under ``$.content`` between two normalised contents, by path;
    none for equal values (1 == 1.0, as for deepdiff), which are not compared field by
    field: a hub's thousands of unchanged replicas cost one equality test each."""
    if before == after:
        return ()
    # Imported here: deepdiff (with pydantic) costs about 90 ms to import, and a plan whose
    # cards are new or unchanged never compares content field by field.
    from deepdiff import DeepDiff

    diff = DeepDiff(dict(before), dict(after), view="tree", ignore_numeric_type_changes=True)
    found: list[FieldChange] = []
    for kind in _DIFF_KINDS:
        for level in diff.get(kind, []):
            path: PathKey = ("content", *level.path(output_format="list"))
            found.append(FieldChange(json_path(path), _side(level.t1), _side(level.t2)))
    return tuple(sorted(found, key=lambda f: f.path))


def _side(value: Any) -> Any:
    """deepdiff marks an absent side with its own ``NotPresent``; the plan uses MISSING."""
    return MISSING if type(value).__name__ == "NotPresent" else value


def new_card_fields(status: str, content: Mapping[str, Any]) -> Listed:
    """A new card's fields: its status and every value of its content, listed when read."""
    return Listed(lambda: (FieldChange("$.status", after=status), *leaves(content, "$.content")))


def leaves(value: Any, path: str) -> list[FieldChange]:
    """One added field per scalar or list inside new content; ``path`` is its JSONPath.
    A first apply lists every field of every new card, so this is one flat walk."""
    found: list[FieldChange] = []
    _leaves(value, path, found)
    return found


def _leaves(value: Any, path: str, found: list[FieldChange]) -> None:
    if isinstance(value, dict) and value:  # content is JSON data: objects are dicts
        for key in sorted(value):
            _leaves(value[key], _step(path, key), found)
    else:
        found.append(FieldChange(path, after=value))


@lru_cache(maxsize=4096)
def _step(path: str, key: str) -> str:
    """``extend_path``, remembered: every card repeats the same few hundred paths."""
    return extend_path(path, key)


def tag_fields(
    add: Mapping[str, str], remove: tuple[str, ...], live: Mapping[str, str]
) -> tuple[FieldChange, ...]:
    """One field per tag set or removed, by path."""
    fields = [FieldChange(f"$.tags.{k}", live.get(k, MISSING), v) for k, v in add.items()]
    fields += [FieldChange(f"$.tags.{k}", live[k], MISSING) for k in remove]
    return tuple(sorted(fields, key=lambda f: f.path))
