"""schema/model-package-card-content.schema.json, the reduced schema SageMaker applies to a
model version's embedded card: it is the full content schema minus exactly the documented
differences (docs/content-schema.md), and the reconciler's reduction of a standalone card
(``card_from``) keeps exactly what it allows."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from reconciler.desired.registry import (
    PACKAGE_CARD_OVERVIEW,
    PACKAGE_CARD_SECTIONS,
    package_card_content,
)

SCHEMAS = Path(__file__).resolve().parents[1] / "schema"
FULL = json.loads((SCHEMAS / "model-card-content.schema.json").read_text("utf-8"))
PACKAGE = json.loads((SCHEMAS / "model-package-card-content.schema.json").read_text("utf-8"))


def _without_annotations(node: Any) -> Any:
    if isinstance(node, dict):
        skip = {"description", "$comment", "$id"}
        return {k: _without_annotations(v) for k, v in node.items() if k not in skip}
    if isinstance(node, list):
        return [_without_annotations(v) for v in node]
    return node


def test_the_package_schema_is_the_full_one_less_the_documented_differences() -> None:
    expected = copy.deepcopy(_without_annotations(FULL))
    del expected["properties"]["model_package_details"]
    overview = expected["properties"]["model_overview"]["properties"]
    expected["properties"]["model_overview"]["properties"] = {
        k: overview[k] for k in PACKAGE_CARD_OVERVIEW
    }
    hyper = expected["definitions"]["training_hyper_parameter"]
    hyper["required"] = ["name", "value"]
    hyper["properties"]["value"]["minLength"] = 1
    assert _without_annotations(PACKAGE) == expected
    Draft7Validator.check_schema(PACKAGE)


def test_the_reduction_keeps_what_the_package_schema_allows() -> None:
    assert set(PACKAGE["properties"]) == set(PACKAGE_CARD_SECTIONS)
    assert set(PACKAGE["properties"]["model_overview"]["properties"]) == set(PACKAGE_CARD_OVERVIEW)


def test_a_standalone_card_reduced_fits_and_lists_what_was_left_out() -> None:
    content = {
        "model_overview": {"model_creator": "team", "model_owner": "o", "problem_type": "p"},
        "intended_uses": {"risk_rating": "Low"},
        "model_package_details": {"model_package_group_name": "g"},
    }
    kept, left_out = package_card_content(content)
    assert list(Draft7Validator(PACKAGE).iter_errors(kept)) == []
    assert kept["model_overview"] == {"model_creator": "team"}
    assert left_out == (
        "model_overview.model_owner",
        "model_overview.problem_type",
        "model_package_details",
    )


@pytest.mark.parametrize(
    ("content", "path"),
    [
        ({"model_overview": {"model_owner": "x"}}, "$.model_overview"),
        ({"model_package_details": {}}, "$"),
        (
            {"training_details": {"training_job_details": {"hyper_parameters": [{"name": "a"}]}}},
            "$.training_details.training_job_details.hyper_parameters[0]",
        ),
        (
            {"model_overview": {"model_artifact": ["s3://b/k"] * 16}},
            "$.model_overview.model_artifact",
        ),
    ],
)
def test_the_package_schema_refuses_what_sagemaker_refuses(
    content: dict[str, Any], path: str
) -> None:
    errors = list(Draft7Validator(PACKAGE).iter_errors(content))
    assert [e.json_path for e in errors] == [path]
