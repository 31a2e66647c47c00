"""Metric charts: drawn from numbers only, every label escaped; values that are not all
numbers (or not a well-formed matrix) get no chart and break nothing."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.render.site.charts import chart


@pytest.mark.parametrize(
    "metric",
    [
        {"name": "m", "type": "bar_chart", "value": ["<script>"]},
        {"name": "m", "type": "bar_chart", "value": [float("nan")]},
        {"name": "m", "type": "bar_chart", "value": [True, 1]},
        {"name": "m", "type": "linear_graph", "value": [[0, 1], [2]]},
        {"name": "m", "type": "matrix", "value": [[1, 2], [3]]},
        {"name": "m", "type": "matrix", "value": "1,2"},
        {"name": "m", "type": "number", "value": 0.9},
        {"name": "m", "type": "bar_chart", "value": list(range(5000))},
    ],
)
def test_values_that_are_not_a_chart_get_none(metric: dict[str, Any]) -> None:
    assert chart(metric) is None


def test_labels_and_names_are_escaped() -> None:
    hostile = "<script>alert(1)</script>"
    drawn = chart(
        {"name": hostile, "type": "matrix", "value": [[1, 2], [3, 4]], "x_axis_name": [hostile]}
    )
    assert drawn is not None and "<script>" not in drawn
    assert "&lt;script&gt;" in drawn
    assert drawn.count('class="cell"') == 4


def test_a_bar_chart_has_a_bar_per_value_negative_ones_too() -> None:
    drawn = chart({"name": "delta", "type": "bar_chart", "value": [-1, 0.5, 2]})
    assert drawn is not None and drawn.count('class="bar"') == 3
