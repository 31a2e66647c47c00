"""A card's content as a document, section by section in the order SageMaker's console
shows a model card: overview, intended uses, business details, training details,
evaluation (metric tables, and charts for graph metrics), additional information, then
the model package. Every key and value is text; nested values become nested lists."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.render.site.charts import chart
from reconciler.render.site.markup import el, table, text

SECTIONS = (
    ("model_overview", "Model overview"),
    ("intended_uses", "Intended uses"),
    ("business_details", "Business details"),
    ("training_details", "Training details"),
    ("evaluation_details", "Evaluation"),
    ("additional_information", "Additional information"),
    ("model_package_details", "Model package"),
)


def sections(content: Mapping[str, Any]) -> list[str]:
    """Each section of the console's order as a ``<section>``; an empty one says so."""
    out = []
    for key, title in SECTIONS:
        value = content.get(key)
        body = _evaluation(value) if key == "evaluation_details" else _value(value)
        if _empty(value):
            body = el("p", "Not filled in.", class_="muted")
        out.append(el("section", el("h2", text(title)), body, id=key.replace("_", "-")))
    return out


def _empty(value: Any) -> bool:
    return value is None or value == {} or value == [] or value == ""


def label(key: object) -> str:
    """``model_owner`` as "Model owner"."""
    words = str(key).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _value(value: Any) -> str:
    if isinstance(value, Mapping):
        rows = [el("dt", text(label(k))) + el("dd", _value(v)) for k, v in value.items()]
        return el("dl", *rows)
    if isinstance(value, list):
        return el("ul", *(el("li", _value(v)) for v in value))
    if isinstance(value, str) and "\n" in value:
        return el("pre", text(value))
    return text("" if value is None else value)


def _evaluation(value: Any) -> str:
    if not isinstance(value, list):
        return _value(value)
    parts = []
    for job in value:
        if not isinstance(job, Mapping):
            parts.append(el("p", _value(job)))
            continue
        about = {k: v for k, v in job.items() if k not in ("name", "metric_groups")}
        groups = job.get("metric_groups")
        parts.append(el("h3", text(job.get("name", "Evaluation"))) + _value(about))
        parts += [_group(g) for g in groups] if isinstance(groups, list) else []
    return "".join(parts)


def _group(group: Any) -> str:
    if not isinstance(group, Mapping):
        return el("p", _value(group))
    metrics = [m for m in group.get("metric_data") or () if isinstance(m, Mapping)]
    rows = [
        (
            text(m.get("name", "")),
            text(m.get("type", "")),
            _metric_value(m),
            text(m.get("notes", "")),
        )
        for m in metrics
    ]
    charts = [c for c in (chart(m) for m in metrics) if c is not None]
    heading = el("h4", text(group.get("name", "Metrics")))
    return el(
        "div",
        heading,
        table(("Metric", "Type", "Value", "Notes"), rows),
        *charts,
        class_="metric-group",
    )


def _metric_value(metric: Mapping[str, Any]) -> str:
    value = metric.get("value")
    if metric.get("type") in ("bar_chart", "linear_graph", "matrix"):
        said = "drawn below" if chart(metric) is not None else "not drawn: not all numbers"
        values = el("details", el("summary", "values"), el("pre", text(value)))
        return el("span", said, class_="muted") + values
    return text(value)
