"""The catalogue's test cards, written into a copy of the example repository: an Approved
card with a metric of every chart kind, a card in review, and a hostile card whose text
holds markup, a ``javascript:`` link and 100 KB on one line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

FRAUD, CREDIT, HOSTILE = "Fraud-Detector", "Credit-Scorer", "Hostile-Card"
EXAMPLE = "Customer-Churn-Model-Card"
PAYLOAD = "<script>window.__pwned = true</script>"
IMAGE = '<img src="x" onerror="window.__pwned = true">'
LINK = "javascript:window.__pwned=true"
LONG = "A" * 99_000  # one line of nearly 100 KB, as much as SageMaker takes

GATE = """\
lifecycle:
  requirements:
    Approved:
      - id: risk-rated
        path: intended_uses.risk_rating
        in: [Low, Medium]
      - id: holdout-auc
        path: evaluation_details[name=holdout].metric_groups[*].metric_data[name=auc].value
        at_least: 0.8
"""


def _metrics() -> list[dict[str, Any]]:
    return [
        {"name": "auc", "type": "number", "value": 0.91},
        {
            "name": "confusion",
            "type": "matrix",
            "value": [[50, 3], [7, 40]],
            "x_axis_name": ["fraud", "genuine"],
            "y_axis_name": ["fraud", "genuine"],
        },
        {
            "name": "recall by segment",
            "type": "bar_chart",
            "value": [0.7, 0.82, 0.9],
            "x_axis_name": ["retail", "business", "online"],
            "y_axis_name": "recall",
        },
        {
            "name": "roc",
            "type": "linear_graph",
            "value": [[0, 0], [0.1, 0.6], [0.3, 0.85], [1, 1]],
            "x_axis_name": "false positive rate",
            "y_axis_name": "true positive rate",
        },
    ]


def _card(name: str, status: str, owner: str, risk: str, **more: Any) -> dict[str, Any]:
    content = {
        "model_overview": {"model_description": f"The {name}.", "model_owner": owner},
        "intended_uses": {"purpose_of_model": "Scoring.", "risk_rating": risk},
        **more,
    }
    return {"name": name, "status": status, "content": content}


def cards() -> list[dict[str, Any]]:
    evaluation = [
        {"name": "holdout", "metric_groups": [{"name": "quality", "metric_data": _metrics()}]}
    ]
    training = {"training_observations": "Trained on 2024 transactions."}
    hostile = _card(HOSTILE, "Draft", f"owner {PAYLOAD}", "Low")
    hostile["content"]["model_overview"]["model_description"] = f"{IMAGE} see [docs]({LINK})"
    hostile["content"]["additional_information"] = {"caveats_and_recommendations": LINK}
    hostile["content"]["model_package_details"] = {"domain": LONG}
    return [
        _card(
            FRAUD,
            "Approved",
            "risk-team",
            "Medium",
            training_details=training,
            evaluation_details=evaluation,
        ),
        _card(CREDIT, "PendingReview", "credit-team", "High"),
        hostile,
    ]


def write_cards(repo: Path) -> None:
    for card in cards():
        text = yaml.safe_dump(card, sort_keys=False, width=200_000)
        (repo / "cards" / f"{card['name']}.yaml").write_text(text, encoding="utf-8")
    config_path = repo / "reconciler.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["lifecycle"] = yaml.safe_load(GATE)["lifecycle"]  # the catalogue's two gates only
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
