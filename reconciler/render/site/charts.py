"""Metric charts drawn as inline SVG: a bar chart, a line graph and a matrix as a heat
map, the three graph kinds of a model card's evaluation metrics. Each is built from
numbers only; a metric whose values are not numbers (or too many to draw) gets no chart,
and its table still shows it."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from reconciler.render.site.markup import el, text, void

WIDTH, HEIGHT, MARGIN = 520, 260, 48
MOST = 2000  # points or cells beyond which a metric is shown as a table only


def chart(metric: Mapping[str, Any]) -> str | None:
    """The metric's chart, or None when it has none (a number, a string, bad values)."""
    drawn = _drawn(metric)
    if drawn is None:
        return None
    title, kind = str(metric.get("name", "")), metric.get("type")
    svg = el(
        "svg",
        el("title", text(title)),
        drawn,
        viewBox=f"0 0 {WIDTH} {HEIGHT}",
        width=WIDTH,
        height=HEIGHT,
        role="img",
        aria_label=title,
        class_=f"chart chart-{kind}",
        xmlns="http://www.w3.org/2000/svg",
    )
    return el("figure", svg, el("figcaption", text(title)))


def _drawn(metric: Mapping[str, Any]) -> str | None:
    kind, value = metric.get("type"), metric.get("value", [])
    if kind == "bar_chart" and _numbers(value):
        return _bars(value, _labels(metric.get("x_axis_name")))
    if kind == "linear_graph" and _points(value):
        return _line(value)
    if kind == "matrix" and _matrix(value):
        return _heat(value, _labels(metric.get("x_axis_name")), _labels(metric.get("y_axis_name")))
    return None


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _numbers(value: Any) -> bool:
    return isinstance(value, list) and 0 < len(value) <= MOST and all(map(_number, value))


def _points(value: Any) -> bool:
    return _numbers([n for p in value for n in p] if _pairs(value) else None)


def _pairs(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(p, list) and len(p) == 2 for p in value)


def _matrix(value: Any) -> bool:
    if not (isinstance(value, list) and value and all(isinstance(r, list) for r in value)):
        return False
    width = len(value[0])
    return all(len(r) == width for r in value) and _numbers([n for r in value for n in r])


def _labels(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _scale(low: float, high: float, start: float, end: float) -> Any:
    span = (high - low) or 1.0
    return lambda v: start + (v - low) / span * (end - start)


def _bars(values: Sequence[float], labels: list[str]) -> str:
    low, high = min(0.0, *values), max(0.0, *values)
    y = _scale(low, high, HEIGHT - MARGIN, MARGIN / 2)
    step = (WIDTH - 2 * MARGIN) / len(values)
    parts = [_axes(y(0))]
    for i, v in enumerate(values):
        top, bottom = sorted((y(v), y(0)))
        x = MARGIN + i * step
        parts.append(
            el(
                "rect",
                el("title", text(f"{labels[i] if i < len(labels) else i + 1}: {v:g}")),
                x=f"{x + step * 0.1:.1f}",
                y=f"{top:.1f}",
                width=f"{step * 0.8:.1f}",
                height=f"{max(bottom - top, 0.5):.1f}",
                class_="bar",
            )
        )
        if i < len(labels) and len(values) <= 20:
            parts.append(_label(x + step / 2, HEIGHT - MARGIN + 16, labels[i]))
    return "".join(parts) + _range(low, high)


def _line(points: Sequence[Sequence[float]]) -> str:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x = _scale(min(xs), max(xs), MARGIN, WIDTH - MARGIN)
    y = _scale(min(ys), max(ys), HEIGHT - MARGIN, MARGIN / 2)
    drawn = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in sorted(zip(xs, ys, strict=True)))
    line = void("polyline", points=drawn, class_="line") + "</polyline>"
    return _axes(HEIGHT - MARGIN) + line + _range(min(ys), max(ys))


def _heat(rows: Sequence[Sequence[float]], xs: list[str], ys: list[str]) -> str:
    flat = [v for r in rows for v in r]
    low, high = min(flat), max(flat)
    shade = _scale(low, high, 0.0, 1.0)
    cell_w = (WIDTH - 2 * MARGIN) / len(rows[0])
    cell_h = (HEIGHT - 1.5 * MARGIN) / len(rows)
    parts = []
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            parts.append(
                _cell(MARGIN + c * cell_w, MARGIN / 2 + r * cell_h, cell_w, cell_h, v, shade(v))
            )
        if r < len(ys):
            parts.append(_label(MARGIN / 2, MARGIN / 2 + (r + 0.5) * cell_h, ys[r]))
    for c, name in enumerate(xs[: len(rows[0])]):
        parts.append(_label(MARGIN + (c + 0.5) * cell_w, HEIGHT - MARGIN + 16, name))
    return "".join(parts)


def _cell(x: float, y: float, w: float, h: float, value: float, level: float) -> str:
    """One cell of the heat map: darker blue for higher values, its value written in it."""
    light = round(95 - 55 * level)
    box = void(
        "rect",
        x=f"{x:.1f}",
        y=f"{y:.1f}",
        width=f"{w:.1f}",
        height=f"{h:.1f}",
        fill=f"hsl(212, 80%, {light}%)",
        class_="cell",
    )
    shown = _label(x + w / 2, y + h / 2 + 4, f"{value:g}") if w >= 24 and h >= 14 else ""
    return box + "</rect>" + shown


def _label(x: float, y: float, words: str) -> str:
    short = words if len(words) <= 14 else words[:13] + "…"
    return el("text", text(short), x=f"{x:.1f}", y=f"{y:.1f}", text_anchor="middle")


def _axes(baseline: float) -> str:
    return "".join(
        (
            void(
                "line",
                x1=MARGIN,
                y1=f"{baseline:.1f}",
                x2=WIDTH - MARGIN,
                y2=f"{baseline:.1f}",
                class_="axis",
            )
            + "</line>",
            void("line", x1=MARGIN, y1=MARGIN / 2, x2=MARGIN, y2=HEIGHT - MARGIN, class_="axis")
            + "</line>",
        )
    )


def _range(low: float, high: float) -> str:
    return _label(MARGIN / 2, HEIGHT - MARGIN, f"{low:g}") + _label(
        MARGIN / 2, MARGIN / 2 + 4, f"{high:g}"
    )
