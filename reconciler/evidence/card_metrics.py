"""Evaluation results already in the card's own metric format, ``{"metric_groups": [...]}``
(the ``metric_groups`` of an ``evaluation_details`` entry in the model card JSON schema),
as a training pipeline writes them. Taken as they are, once each metric holds to the
schema's rules and one the schema leaves out: a metric's ``value`` is of its ``type``
(a ``number`` is a finite number, a ``string`` a string, a ``boolean`` a boolean), as the
SageMaker SDK v2 checked too. Anything else is a problem naming the group and metric.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reconciler.evidence.values import (
    GROUP_LIMIT,
    NAME_LIMIT,
    NOTES_LIMIT,
    TEXT_LIMIT,
    EvidenceProblem,
    is_number,
    mapping,
    sequence,
    shown,
)

MAX_MATRIX = 20
KEYS = frozenset({"name", "type", "value", "notes", "x_axis_name", "y_axis_name"})


def metric_groups(report: Any) -> list[dict[str, Any]]:
    """The groups of a card-metrics document, each checked."""
    top = mapping(report, "the report")
    if "metric_groups" not in top:
        raise EvidenceProblem("no 'metric_groups': not the card's metric format")
    groups = sequence(top["metric_groups"], "metric_groups")
    if not groups:
        raise EvidenceProblem("'metric_groups' is empty")
    return [_group(i, g) for i, g in enumerate(groups)]


def _group(i: int, raw: Any) -> dict[str, Any]:
    found = mapping(raw, f"metric group {i + 1}")
    name = _name(found.get("name"), GROUP_LIMIT, f"metric group {i + 1}")
    if set(found) != {"name", "metric_data"}:
        raise EvidenceProblem(f"metric group {shown(name)} must hold name and metric_data only")
    metrics = sequence(found["metric_data"], f"{shown(name)}.metric_data")
    return {"name": name, "metric_data": [_metric(name, m) for m in metrics]}


def _name(value: Any, limit: int, where: str) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= limit:
        raise EvidenceProblem(f"{where} needs a name of 1 to {limit} characters")
    if "[" in value or "]" in value:
        raise EvidenceProblem(f"{where}: the name {shown(value)} holds a bracket")
    return value


def _metric(group: str, raw: Any) -> dict[str, Any]:
    metric = mapping(raw, f"a metric of {shown(group)}")
    where = f"metric {shown(metric.get('name'))} of {shown(group)}"
    _name(metric.get("name"), NAME_LIMIT, where)
    unknown = sorted(set(metric) - KEYS)
    if unknown:
        raise EvidenceProblem(f"{where}: unknown keys {shown(unknown)}")
    kind = metric.get("type")
    check = CHECKS.get(kind) if isinstance(kind, str) else None
    if check is None:
        raise EvidenceProblem(f"{where}: type {shown(kind)} is not one of {', '.join(CHECKS)}")
    problem = check(metric) or _notes(metric)
    if problem:
        raise EvidenceProblem(f"{where}: {problem}")
    return dict(metric)


def _notes(metric: Mapping[str, Any]) -> str | None:
    notes = metric.get("notes", "")
    return None if isinstance(notes, str) and len(notes) <= NOTES_LIMIT else "notes too long"


def _text_axes(metric: Mapping[str, Any]) -> str | None:
    for axis in ("x_axis_name", "y_axis_name"):
        if axis in metric and not _text(metric[axis]):
            return f"{axis} is not a string of at most {TEXT_LIMIT} characters"
    return None


def _text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= TEXT_LIMIT


def _simple(metric: Mapping[str, Any]) -> str | None:
    value, kind = metric.get("value"), metric["type"]
    ok = {
        "number": is_number(value),
        "string": _text(value),
        "boolean": isinstance(value, bool),
    }[kind]
    return _text_axes(metric) if ok else f"the value {shown(value, 40)} is not a {kind}"


def _linear(metric: Mapping[str, Any]) -> str | None:
    points = metric.get("value")
    pairs = isinstance(points, list) and points and all(_pair(p) for p in points)
    return _text_axes(metric) if pairs else "the value is not a list of [x, y] number pairs"


def _pair(point: Any) -> bool:
    return isinstance(point, list) and len(point) == 2 and all(is_number(v) for v in point)


def _bars(metric: Mapping[str, Any]) -> str | None:
    bars = metric.get("value")
    if not (isinstance(bars, list) and bars and all(is_number(v) for v in bars)):
        return "the value is not a list of numbers"
    return _axis_list(metric, "x_axis_name") or (
        None if _text(metric.get("y_axis_name", "")) else "y_axis_name is not a short string"
    )


def _matrix(metric: Mapping[str, Any]) -> str | None:
    rows = metric.get("value")
    if not (isinstance(rows, list) and 1 <= len(rows) <= MAX_MATRIX):
        return f"the value is not a list of 1 to {MAX_MATRIX} rows"
    for row in rows:
        if not (isinstance(row, list) and 1 <= len(row) <= MAX_MATRIX):
            return f"a row is not a list of 1 to {MAX_MATRIX} numbers"
        if not all(is_number(v) for v in row):
            return "a row holds a non-number"
    return _axis_list(metric, "x_axis_name") or _axis_list(metric, "y_axis_name")


def _axis_list(metric: Mapping[str, Any], axis: str) -> str | None:
    names = metric.get(axis, [])
    if isinstance(names, list) and all(_text(n) for n in names):
        return None
    return f"{axis} is not a list of strings of at most {TEXT_LIMIT} characters"


CHECKS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    "number": _simple,
    "string": _simple,
    "boolean": _simple,
    "linear_graph": _linear,
    "bar_chart": _bars,
    "matrix": _matrix,
}
