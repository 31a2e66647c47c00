"""evidence.reports: each report format, on files of the documented shapes written for these
tests (tests/fixtures/evidence/), parsed into metric groups the content schema accepts; and
each empty or malformed file (tests/fixtures/evidence/bad/, named ``<format>--<case>``)
refused with the problem its table entry names, including those the SageMaker SDK v2
crashed on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reconciler.desired.evidence import SourceKind
from reconciler.evidence.reports import MAX_REPORT_BYTES, parse_report
from reconciler.evidence.values import EvidenceProblem
from reconciler.validate.schemas import Kind, fast_validator

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "evidence"


def parsed(name: str, kind: SourceKind) -> tuple[list[dict[str, Any]], list[str]]:
    report = parse_report(kind, (FIXTURES / name).read_bytes())
    content = {"evaluation_details": [{"name": "e", "metric_groups": list(report.groups)}]}
    assert fast_validator(Kind.CONTENT)(content), "the groups must be valid card content"
    return list(report.groups), list(report.notes)


def metrics(group: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["name"]: m for m in group["metric_data"]}


def test_model_monitor_binary_quality_gives_a_matrix_curves_and_numbers() -> None:
    (group,), notes = parsed("model-monitor-binary.json", SourceKind.MODEL_MONITOR_BINARY)
    assert group["name"] == "binary_classification_metrics"
    found = metrics(group)
    assert found["confusion_matrix"] == {
        "name": "confusion_matrix",
        "type": "matrix",
        "value": [[1, 2], [0, 1]],
        "x_axis_name": ["0", "1"],
        "y_axis_name": ["0", "1"],
    }
    roc = found["receiver_operating_characteristic_curve"]
    assert roc["value"] == [[0.0, 0.0], [0.5, 1.0], [1.0, 1.0]]
    assert (roc["x_axis_name"], roc["y_axis_name"]) == (
        "false_positive_rates",
        "true_positive_rates",
    )
    assert found["precision_recall_curve"]["value"] == [[0.5, 1.0], [1.0, 0.5]]
    assert found["auc"] == {"name": "auc", "type": "number", "value": 0.75}
    assert found["auc - standard_deviation"]["value"] == 0.01
    assert "recall - standard_deviation" not in found  # "NaN": below 200 samples
    assert "accuracy" not in found and notes == ["left out accuracy: its value NaN is not a number"]


def test_model_monitor_regression_and_multiclass() -> None:
    (group,), _ = parsed("model-monitor-regression.json", SourceKind.MODEL_MONITOR_REGRESSION)
    assert list(metrics(group)) == ["mae", "mae - standard_deviation", "mse",
                                    "mse - standard_deviation", "rmse", "r2"]  # fmt: skip
    (group,), _ = parsed("model-monitor-multiclass.json", SourceKind.MODEL_MONITOR_MULTICLASS)
    matrix = metrics(group)["confusion_matrix"]
    assert matrix["x_axis_name"] == matrix["y_axis_name"] == ["cat", "dog", "fox"]
    assert matrix["value"] == [[90, 8, 2], [10, 85, 5], [1, 4, 95]]  # columns in one order


def test_clarify_bias_gives_a_group_per_section_facet_and_value() -> None:
    groups, notes = parsed("clarify-bias.json", SourceKind.CLARIFY_BIAS)
    names = [g["name"] for g in groups]
    assert names == ["pre_training_bias gender=F", "pre_training_bias age=40.5",
                     "post_training_bias gender=F"]  # fmt: skip
    ci = metrics(groups[0])["CI"]
    assert ci == {"name": "CI", "type": "number", "value": 0.12,
                  "notes": "Class Imbalance (CI) (label approved = 1)"}  # fmt: skip
    assert list(metrics(groups[2])) == ["DI"]  # AD is null: not measured, left out
    assert notes == ["left out CDDL of pre_training_bias gender=F: its value is dict, not a number"]


def test_a_combined_analysis_file_reads_as_bias_and_as_explanations() -> None:
    groups, _ = parsed("clarify-combined.json", SourceKind.CLARIFY_BIAS)
    assert [g["name"] for g in groups] == ["pre_training_bias gender=F"]
    assert groups[0]["metric_data"][0]["notes"] == "label approved = 1,2"
    groups, _ = parsed("clarify-combined.json", SourceKind.CLARIFY_EXPLAINABILITY)
    assert [g["name"] for g in groups] == ["global_shap_values label=label0"]


def test_clarify_explainability_gives_shap_values_text_and_pdp() -> None:
    groups, notes = parsed("clarify-explainability.json", SourceKind.CLARIFY_EXPLAINABILITY)
    shap, text, pdp = groups
    assert metrics(shap)["segment"] == {"name": "segment", "type": "string", "value": "retail"}
    assert metrics(shap)["active"]["type"] == "boolean"
    assert text["name"] == "global_top_shap_text label=label0 feature=review"
    found = metrics(pdp)
    assert found["data_distribution - feature=age"] == {
        "name": "data_distribution - feature=age",
        "type": "linear_graph",
        "value": [[20, 0.3], [40, 0.5], [60, 0.2]],
        "x_axis_name": "age",
        "y_axis_name": "Data distribution",
    }
    region = found["model_predictions - feature=region, label=label0"]
    assert (region["type"], region["x_axis_name"]) == ("bar_chart", ["north", "south"])
    assert notes == [
        "left out missing: a NoneType is not a number, string or boolean",
        "left out pdp of photo: data_type image is not one this reads",
    ]


def test_the_card_metric_format_is_taken_as_it_is() -> None:
    groups, _ = parsed("card-metrics.json", SourceKind.CARD_METRICS)
    assert [m["type"] for m in groups[0]["metric_data"]] == [
        "number", "boolean", "string", "matrix", "linear_graph", "bar_chart"
    ]  # fmt: skip


BAD = {
    "card-metrics--empty": "'metric_groups' is empty",
    "card-metrics--no-metric-data": "must hold name and metric_data only",
    "card-metrics--no-metric-groups": "no 'metric_groups'",
    "card-metrics--unknown-key": "unknown keys ['description']",
    "card-metrics--value-not-of-type": "the value 0.9 is not a number",
    "clarify-bias--empty-object": "no bias section",
    "clarify-bias--explanations-only": "no bias section",
    "clarify-bias--no-facet-value": "has no 'value_or_threshold'",
    "clarify-bias--no-label": "pre_training_bias_metrics has no 'label'",
    "clarify-bias--only-nulls": "holds no bias metric with a value",
    "clarify-explainability--empty-explanations": "explains nothing",
    "clarify-explainability--empty-file": "the report is empty",
    "clarify-explainability--no-explanations": "no 'explanations' object",
    "clarify-explainability--pdp-fewer-predictions": "2 label headers but 1 rows",
    "clarify-explainability--pdp-unequal-lengths": "2 feature values but 3 in data_distribution",
    "model-monitor-binary--dataset-only": "no 'binary_classification_metrics' section",
    "model-monitor-binary--empty-object": "no 'binary_classification_metrics' section",
    "model-monitor-binary--empty-section": "'binary_classification_metrics' holds no metric",
    "model-monitor-binary--nan-literal": "NaN is not a JSON value",
    "model-monitor-binary--not-json": "not JSON: Expecting ',' delimiter at line 2 column 1",
    "model-monitor-binary--ragged-matrix": "a ragged matrix",
    "model-monitor-binary--regression-report": "sections found: regression_metrics",
    "model-monitor-binary--unequal-curve": "2 false_positive_rates but 1 true_positive_rates",
    "model-monitor-multiclass--21-classes": "has 21 classes; the card schema allows 1 to 20",
}
BAD_FILES = sorted((FIXTURES / "bad").glob("*.json"))


def test_every_bad_fixture_names_the_problem_it_expects() -> None:
    assert sorted(p.stem for p in BAD_FILES) == sorted(BAD)


@pytest.mark.parametrize("path", BAD_FILES, ids=[p.stem for p in BAD_FILES])
def test_an_empty_or_malformed_report_is_refused_with_its_problem(path: Path) -> None:
    kind = SourceKind(path.stem.split("--")[0])
    with pytest.raises(EvidenceProblem) as refused:
        parse_report(kind, path.read_bytes())
    assert BAD[path.stem] in str(refused.value)


def test_a_report_larger_than_the_limit_is_refused_before_it_is_parsed() -> None:
    with pytest.raises(EvidenceProblem, match="bytes; at most"):
        parse_report(SourceKind.CARD_METRICS, b" " + b"x" * MAX_REPORT_BYTES)


def test_long_or_bracketed_names_from_a_report_are_made_names_that_fit() -> None:
    facet = "f" * 80 + "]"
    report = (
        '{"pre_training_bias_metrics": {"label": "y", "label_value_or_threshold": 1, '
        f'"facets": {{"{facet}": [{{"value_or_threshold": "[x]", "metrics": '
        '[{"name": "CI", "value": 0.1}]}]}}}'
    )
    (group,) = parse_report(SourceKind.CLARIFY_BIAS, report.encode()).groups
    assert len(group["name"]) == 63 and "[" not in group["name"] and "]" not in group["name"]
    assert group["name"].startswith("pre_training_bias ffff") and "~" in group["name"]
