"""SageMaker Clarify explainability reports (``analysis.json``'s ``explanations``,
Developer Guide "Analysis results" and "Partial dependence plots") as metric groups.

- ``kernel_shap``: per label, ``global_shap_values`` (feature → value) is the group
  ``global_shap_values label=<label>`` with a metric per feature, typed by its value
  (number, string or boolean); for text features, ``global_top_shap_text`` (feature →
  token → value) is a group per feature, ``global_top_shap_text label=<l> feature=<f>``.
  ``expected_value`` is not a metric of the card.
- ``pdp``: one group ``pdp``; a numerical feature is a ``linear_graph`` of (feature value,
  y), a categorical one a ``bar_chart`` over its values: ``data_distribution - feature=<f>``
  and, per label header, ``model_predictions - feature=<f>, label=<l>``.

No ``explanations`` object (what the SageMaker SDK v2 met, as a ValueError, when S3 gave
it nothing to read) or one that explains nothing is a problem; so are PDP lists of unequal
lengths and fewer prediction rows than label headers, which it crashed on or cut short.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reconciler.evidence.values import (
    NAME_LIMIT,
    TEXT_LIMIT,
    EvidenceProblem,
    Notes,
    fit,
    group,
    is_number,
    mapping,
    numbers,
    sequence,
    shown,
)


def explanation_groups(report: Any, notes: Notes) -> list[dict[str, Any]]:
    """The metric groups of a Clarify explainability report."""
    explanations = mapping(report, "the report").get("explanations")
    if not isinstance(explanations, Mapping):
        raise EvidenceProblem(
            "no 'explanations' object: not a Clarify explainability analysis.json (or an empty one)"
        )
    groups: list[dict[str, Any]] = []
    for method, found in explanations.items():
        if method == "kernel_shap":
            groups += _shap(mapping(found, "kernel_shap"), notes)
        elif method == "pdp":
            groups += _pdp(sequence(found, "pdp"), notes)
        else:
            notes.skip(f"explanations.{method}", "not an explanation method this reads")
    if not groups:
        raise EvidenceProblem("'explanations' explains nothing (no SHAP values, no PDP)")
    return groups


def _shap(by_label: Mapping[str, Any], notes: Notes) -> list[dict[str, Any]]:
    groups = []
    for name, found in by_label.items():
        found = mapping(found, f"kernel_shap.{shown(name, 40)}")
        values = found.get("global_shap_values")
        if isinstance(values, Mapping):
            groups.append(group(f"global_shap_values label={name}", _typed(values, notes)))
        texts = found.get("global_top_shap_text")
        for feature, tokens in texts.items() if isinstance(texts, Mapping) else ():
            tokens = mapping(tokens, f"global_top_shap_text.{shown(feature, 40)}")
            where = f"global_top_shap_text label={name} feature={feature}"
            groups.append(group(where, _typed(tokens, notes)))
    return [g for g in groups if g["metric_data"]]


def _typed(values: Mapping[str, Any], notes: Notes) -> list[dict[str, Any]]:
    """A metric per entry, typed by its value; other values left out and noted."""
    metrics = []
    for name, value in values.items():
        kind = _kind(value)
        if kind is None:
            notes.skip(name, f"a {type(value).__name__} is not a number, string or boolean")
            continue
        shown_value = fit(value, TEXT_LIMIT) if kind == "string" else value
        metrics.append({"name": fit(str(name), NAME_LIMIT), "type": kind, "value": shown_value})
    return metrics


def _kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if is_number(value):
        return "number"
    return "string" if isinstance(value, str) else None


def _pdp(entries: Sequence[Any], notes: Notes) -> list[dict[str, Any]]:
    metrics = []
    for entry in entries:
        entry = mapping(entry, "a pdp entry")
        feature = str(entry.get("feature_name", ""))
        kind = entry.get("data_type")
        if kind not in ("numerical", "categorical"):
            notes.skip(f"pdp of {feature}", f"data_type {shown(kind, 20)} is not one this reads")
            continue
        metrics += _pdp_feature(entry, feature, kind == "numerical")
    return [group("pdp", metrics)] if metrics else []


def _pdp_feature(entry: Mapping[str, Any], feature: str, numerical: bool) -> list[dict[str, Any]]:
    """The data distribution and each label's predictions over one feature's values."""
    where = f"pdp of {shown(feature, 40)}"
    at = entry.get("feature_values")
    xs = numbers(at, f"{where}: feature_values") if numerical else _labels(at, where)
    headers = sequence(entry.get("label_headers"), f"{where}: label_headers")
    rows = sequence(entry.get("model_predictions"), f"{where}: model_predictions")
    if len(rows) < len(headers):
        raise EvidenceProblem(
            f"{where}: {len(headers)} label headers but {len(rows)} rows of model_predictions"
        )
    series = [(f"data_distribution - feature={feature}", "Data distribution", "data_distribution")]
    series += [
        (f"model_predictions - feature={feature}, label={h}", str(h), f"model_predictions[{i}]")
        for i, h in enumerate(headers)
    ]
    ys = [entry.get("data_distribution"), *rows]
    plot = _Plot(feature=feature, xs=xs, where=where)
    return [
        plot.metric(name, axis, values, member)
        for (name, axis, member), values in zip(series, ys, strict=False)
    ]


@dataclass(frozen=True)
class _Plot:
    """One feature's x values: numbers for a line, category names for bars."""

    feature: str
    xs: list[Any]
    where: str

    def metric(self, name: str, axis: str, ys: Any, member: str) -> dict[str, Any]:
        values = numbers(ys, f"{self.where}: {member}")
        if len(values) != len(self.xs):
            raise EvidenceProblem(
                f"{self.where}: {len(self.xs)} feature values but {len(values)} in {member}"
            )
        axes = {"y_axis_name": fit(axis, TEXT_LIMIT)}
        if all(is_number(x) for x in self.xs):
            pairs = [[x, y] for x, y in zip(self.xs, values, strict=True)]
            line = {
                "type": "linear_graph",
                "value": pairs,
                "x_axis_name": fit(self.feature, TEXT_LIMIT),
            }
            return {"name": fit(name, NAME_LIMIT), **line, **axes}
        bars = {"type": "bar_chart", "value": values, "x_axis_name": self.xs}
        return {"name": fit(name, NAME_LIMIT), **bars, **axes}


def _labels(value: Any, where: str) -> list[str]:
    found = sequence(value, f"{where}: feature_values")
    if not found:
        raise EvidenceProblem(f"{where}: feature_values is empty")
    return [fit(str(v), TEXT_LIMIT) for v in found]
