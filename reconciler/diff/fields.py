"""Field-level differences, as the plan shows them: JSON paths with before and after."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from deepdiff import DeepDiff

from reconciler.diagnostics import extend_path, json_path
from reconciler.load.yamlsource import PathKey
from reconciler.plan.model import MISSING, FieldChange

_DIFF_KINDS = (
    "values_changed",
    "type_changes",
    "dictionary_item_added",
    "dictionary_item_removed",
    "iterable_item_added",
    "iterable_item_removed",
)


def content_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    """Field-level changes under ``$.content`` between two normalised contents, by path."""
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


def leaves(value: Any, path: str) -> Iterator[FieldChange]:
    """One added field per scalar or list inside new content; ``path`` is its JSONPath."""
    if isinstance(value, Mapping) and value:
        for key in sorted(value):
            yield from leaves(value[key], extend_path(path, key))
    else:
        yield FieldChange(path, after=value)


def tag_fields(
    add: Mapping[str, str], remove: tuple[str, ...], live: Mapping[str, str]
) -> tuple[FieldChange, ...]:
    """One field per tag set or removed, by path."""
    fields = [FieldChange(f"$.tags.{k}", live.get(k, MISSING), v) for k, v in add.items()]
    fields += [FieldChange(f"$.tags.{k}", live[k], MISSING) for k in remove]
    return tuple(sorted(fields, key=lambda f: f.path))
