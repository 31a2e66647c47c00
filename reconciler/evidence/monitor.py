"""SageMaker Model Monitor model quality statistics (``statistics.json``) as one metric
group, named after its section: ``regression_metrics``, ``binary_classification_metrics``
or ``multiclass_classification_metrics`` (Developer Guide, "Model quality metrics and
Amazon CloudWatch monitoring").

- A scalar, ``{"value": v, "standard_deviation": s}``, is a ``number`` metric, and its
  deviation a second one (``<name> - standard_deviation``) when it is a number: Model
  Monitor writes ``"NaN"`` below 200 samples.
- ``confusion_matrix`` (``{actual: {predicted: count}}``) is a ``matrix``: a row per actual
  label, in the report's order, named in ``x_axis_name``; a column per predicted label in
  ``y_axis_name``. Every row must hold the same labels, and at most 20 (the schema's).
- ``receiver_operating_characteristic_curve`` is a ``linear_graph`` of (false positive
  rate, true positive rate); ``precision_recall_curve`` of (recall, precision).

What the SageMaker SDK v2 crashed on or filled wrongly is a problem here, and nothing is
filled: no section, an empty one, a ragged matrix, curves of unequal lengths.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.evidence.values import (
    TEXT_LIMIT,
    EvidenceProblem,
    Notes,
    fit,
    group,
    is_number,
    mapping,
    number_metric,
    numbers,
    shown,
)

MAX_CLASSES = 20  # the schema's matrix_metric: 1-20 rows of 1-20 numbers
CURVES = {
    "receiver_operating_characteristic_curve": ("false_positive_rates", "true_positive_rates"),
    "precision_recall_curve": ("recalls", "precisions"),
}
SECTIONS = (
    "regression_metrics",
    "binary_classification_metrics",
    "multiclass_classification_metrics",
)


def quality_group(report: Any, section: str, notes: Notes) -> list[dict[str, Any]]:
    """The one metric group of ``section`` in a statistics.json document."""
    top = mapping(report, "the report")
    if section not in top:
        found = ", ".join(shown(k, 40) for k in top if k in SECTIONS) or "none"
        raise EvidenceProblem(
            f"no '{section}' section (model quality sections found: {found}): "
            "not this kind of Model Monitor statistics.json"
        )
    values = mapping(top[section], section)
    metrics = [m for name, v in values.items() for m in _metric(str(name), v, notes)]
    if not metrics:
        raise EvidenceProblem(f"'{section}' holds no metric")
    return [group(section, metrics)]


def _metric(name: str, value: Any, notes: Notes) -> list[dict[str, Any]]:
    if name == "confusion_matrix":
        return [confusion_matrix(value)]
    if name in CURVES:
        return [curve(name, value)]
    if isinstance(value, Mapping) and "value" in value:
        return _scalar(name, value, notes)
    notes.skip(name, "not a metric of a known shape")
    return []


def _scalar(name: str, value: Mapping[str, Any], notes: Notes) -> list[dict[str, Any]]:
    if not is_number(value["value"]):
        notes.skip(name, f"its value {shown(value['value'], 20)} is not a number")
        return []
    found = [number_metric(name, value["value"])]
    deviation = value.get("standard_deviation")
    if is_number(deviation):
        found.append(number_metric(f"{name} - standard_deviation", deviation))
    return found


def curve(name: str, value: Any) -> dict[str, Any]:
    """A curve as a ``linear_graph`` of (x, y) points."""
    x_name, y_name = CURVES[name]
    points = mapping(value, name)
    xs = numbers(points.get(x_name), f"{name}.{x_name}")
    ys = numbers(points.get(y_name), f"{name}.{y_name}")
    if len(xs) != len(ys):
        raise EvidenceProblem(f"{name}: {len(xs)} {x_name} but {len(ys)} {y_name}")
    return {
        "name": name,
        "type": "linear_graph",
        "value": [[x, y] for x, y in zip(xs, ys, strict=True)],
        "x_axis_name": x_name,
        "y_axis_name": y_name,
    }


def confusion_matrix(value: Any) -> dict[str, Any]:
    """``{actual: {predicted: count}}`` as a square ``matrix``, rows in report order."""
    rows = mapping(value, "confusion_matrix")
    if not 1 <= len(rows) <= MAX_CLASSES:
        raise EvidenceProblem(
            f"confusion_matrix has {len(rows)} classes; the card schema allows 1 to {MAX_CLASSES}"
        )
    first = list(mapping(next(iter(rows.values())), "a confusion_matrix row"))
    matrix = [_row(actual, cells, first) for actual, cells in rows.items()]
    return {
        "name": "confusion_matrix",
        "type": "matrix",
        "value": matrix,
        "x_axis_name": [fit(str(k), TEXT_LIMIT) for k in rows],
        "y_axis_name": [fit(str(k), TEXT_LIMIT) for k in first],
    }


def _row(actual: str, cells: Any, columns: list[str]) -> list[float]:
    row = mapping(cells, f"confusion_matrix row {shown(actual, 20)}")
    if sorted(row) != sorted(columns):
        raise EvidenceProblem(
            f"confusion_matrix row {shown(actual, 20)} has predicted labels "
            f"{shown(sorted(row))}, the first row {shown(sorted(columns))}: a ragged matrix"
        )
    if len(columns) > MAX_CLASSES:
        raise EvidenceProblem(f"confusion_matrix has {len(columns)} predicted labels")
    counts = [row[c] for c in columns]
    if not all(is_number(c) for c in counts):
        raise EvidenceProblem(f"confusion_matrix row {shown(actual, 20)} holds a non-number")
    return counts
