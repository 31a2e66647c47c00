"""SageMaker Clarify bias reports (``analysis.json``, Developer Guide "Analysis results")
as metric groups: one group per bias section, facet and facet value, named
``<section> <facet>=<value>`` (``pre_training_bias gender=F``), with a ``number`` metric
per bias metric (``CI``, ``DPL``, ``DI`` ...), whose notes carry the report's description
and the label it was measured for.

A section is a top-level object with ``facets`` (``pre_training_bias_metrics``,
``post_training_bias_metrics``). Other top-level objects are passed by, so the combined
``analysis.json`` of a job that also explained the model is read (the SageMaker SDK v2
crashed on it). A metric whose value is null is left out, as Clarify writes null where a
metric does not apply; one whose value is not a number (Clarify's group-variable metrics
are objects) is left out and noted. A report with no bias metric at all is a problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.evidence.values import (
    EvidenceProblem,
    Notes,
    group,
    is_number,
    label,
    mapping,
    number_metric,
    sequence,
    shown,
)


def bias_groups(report: Any, notes: Notes) -> list[dict[str, Any]]:
    """The metric groups of a Clarify bias report."""
    top = mapping(report, "the report")
    sections = {k: v for k, v in top.items() if isinstance(v, Mapping) and "facets" in v}
    if not sections:
        raise EvidenceProblem(
            "no bias section (an object with 'facets', such as pre_training_bias_metrics "
            "or post_training_bias_metrics): not a Clarify bias analysis.json"
        )
    groups = [g for name, section in sections.items() for g in _section(name, section, notes)]
    if not any(g["metric_data"] for g in groups):
        raise EvidenceProblem("holds no bias metric with a value")
    return [g for g in groups if g["metric_data"]]


def _section(name: str, section: Mapping[str, Any], notes: Notes) -> list[dict[str, Any]]:
    measured = _measured(name, section)
    short = name.removesuffix("_metrics")
    found = []
    for facet, entries in mapping(section["facets"], f"{name}.facets").items():
        for entry in sequence(entries, f"{name}.facets.{shown(facet, 40)}"):
            entry = mapping(entry, f"an entry of facet {shown(facet, 40)}")
            value = label(_required(entry, "value_or_threshold", f"facet {shown(facet, 40)}"))
            where = f"{short} {facet}={value}"
            metrics = _metrics(entry, where, measured, notes)
            found.append(group(where, metrics))
    return found


def _measured(name: str, section: Mapping[str, Any]) -> str:
    """'label approved = 1': what the section's metrics were measured for."""
    target = label(_required(section, "label", name))
    value = label(_required(section, "label_value_or_threshold", name))
    return f"label {target} = {value}"


def _required(entry: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in entry:
        raise EvidenceProblem(f"{where} has no '{key}'")
    return entry[key]


def _metrics(
    entry: Mapping[str, Any], where: str, measured: str, notes: Notes
) -> list[dict[str, Any]]:
    found = []
    for metric in sequence(_required(entry, "metrics", where), f"{where} metrics"):
        metric = mapping(metric, f"a metric of {where}")
        name, value = str(_required(metric, "name", where)), metric.get("value")
        if value is None:
            continue
        if not is_number(value):
            notes.skip(f"{name} of {where}", f"its value is {type(value).__name__}, not a number")
            continue
        description = metric.get("description")
        about = f"{description} ({measured})" if isinstance(description, str) else measured
        found.append(number_metric(name, value, about))
    return found
