"""A card filled from its evidence, from an empty Draft to Approved, in the sandbox: `fill`
writes what the model, its training job and two evaluation reports hold into the YAML
(keeping its comments) and records where each value came from; `validate` shows the gate
the holdout AUC does not meet; the report object is written again with a better AUC,
`drift` names the card whose report changed, `fill --all` (as the fill role, under the
policy `iam-policy --role fill` prints) refreshes the card, the gate passes, and the
promotion plans and applies."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.apply.helpers import OWNER, Aws, Cli, apply, live_content, set_status
from tests.sandbox.test_training import IMAGE, ROLE, artifact, start_job

CARD = "Churn-Scorer"
BUCKET = "ml-reports"
HOLDOUT = f"s3://{BUCKET}/holdout/statistics.json"
BIAS = f"s3://{BUCKET}/clarify/analysis.json"
DRAFT = f"""\
# The churn scorer's card: owner and intended use written by people, the rest filled.
name: {CARD}
status: Draft
content:
  model_overview:
    model_owner: model-owner       # who answers for the model
  intended_uses:
    intended_uses: Weekly batch scoring of active subscribers.
    risk_rating: Low
"""
BIAS_REPORT = {
    "version": "1.0",
    "post_training_bias_metrics": {
        "label": "churned",
        "label_value_or_threshold": "1",
        "facets": {
            "plan": [{"value_or_threshold": "basic", "metrics": [{"name": "DI", "value": 0.93}]}]
        },
    },
}


def holdout(auc: float) -> bytes:
    metrics = {
        "confusion_matrix": {"0": {"0": 80, "1": 7}, "1": {"0": 5, "1": 8}},
        "auc": {"value": auc, "standard_deviation": 0.01},
    }
    return json.dumps({"version": 0.0, "binary_classification_metrics": metrics}).encode()


def train(aws: Aws, sandbox: Any, job: str, model: str) -> None:
    """A training job that ends with its validation AUC, and the model made from it."""
    sm = aws("sagemaker")
    start_job(sm, job)
    sandbox.complete_training_job(OWNER, job, {"validation:auc": 0.9, "train:auc": 0.95})
    container = {"Image": IMAGE, "ModelDataUrl": artifact(job)}
    sm.create_model(ModelName=model, PrimaryContainer=container, ExecutionRoleArn=ROLE)


def evidence_in_sandbox(aws: Aws, sandbox: Any) -> None:
    s3 = aws("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="holdout/statistics.json", Body=holdout(0.72))
    s3.put_object(Bucket=BUCKET, Key="clarify/analysis.json", Body=json.dumps(BIAS_REPORT).encode())
    train(aws, sandbox, "churn-xgb-1", "churn-xgb")


def role_for(cli: Cli, trusted_role: Callable[..., str], repo: Path, role: str) -> str:
    """The card account role holding what `iam-policy --role <role>` prints."""
    printed = cli("iam-policy", "--role", role, "--repo", str(repo))
    assert printed.exit_code == 0, printed.stderr
    arn: str = trusted_role(OWNER, f"Reconciler{role.title()}", OWNER, json.loads(printed.stdout))
    return arn


def use_roles(repo: Path, **roles: str) -> None:
    """Name card_account roles in reconciler.yaml (fill_role_arn=..., drift_role_arn=...)."""
    config = repo / "reconciler.yaml"
    anchor = f'  id: "{OWNER}"'
    lines = "".join(f'\n  {key}: "{arn}"' for key, arn in roles.items())
    config.write_text(config.read_text().replace(anchor, anchor + lines, 1))


def fill(cli: Cli, repo: Path, *args: str) -> Any:
    return cli("fill", *args, "--repo", str(repo))


def problems(cli: Cli, repo: Path, code: str) -> list[dict[str, Any]]:
    result = cli("validate", "--repo", str(repo), "--format", "json")
    return [p for p in json.loads(result.stdout)["problems"] if p["code"] == code]


def test_a_card_filled_from_its_evidence_walks_from_draft_to_approved(
    cli: Cli, applied: Path, aws: Aws, sandbox: Any, trusted_role: Callable[..., str]
) -> None:
    repo = applied
    (repo / "cards" / f"{CARD}.yaml").write_text(DRAFT)
    evidence_in_sandbox(aws, sandbox)

    filled = fill(
        cli, repo, CARD, "--model", "churn-xgb",
        "--evaluation", HOLDOUT, "--as", "model-monitor-binary", "--name", "holdout",
        "--evaluation", BIAS, "--as", "clarify-bias", "--name", "fairness",
    )  # fmt: skip
    assert filled.exit_code == 0, filled.stderr
    assert f"+    model_id: arn:aws:sagemaker:us-east-1:{OWNER}:model/churn-xgb" in filled.stdout
    text = (repo / "cards" / f"{CARD}.yaml").read_text()
    assert "model_owner: model-owner       # who answers for the model" in text
    assert text.startswith("# The churn scorer's card")
    card = card_yaml(repo)
    kinds = [(s["kind"], s.get("found_from")) for s in card["evidence"]]
    model_arn = f"arn:aws:sagemaker:us-east-1:{OWNER}:model/churn-xgb"
    assert kinds == [
        ("model", None),
        ("training-job", model_arn),
        ("model-monitor-binary", None),
        ("clarify-bias", None),
    ]
    job = card["content"]["training_details"]["training_job_details"]
    assert {"name": "validation:auc", "value": 0.9} in job["training_metrics"]
    assert job["hyper_parameters"] == [
        {"name": "eta", "value": "0.2"},
        {"name": "max_depth", "value": "5"},
    ]

    set_status(repo, "PendingReview", CARD)
    assert apply(cli, repo)[0] == 0
    set_status(repo, "Approved", CARD)
    (gate,) = problems(cli, repo, "gate")
    assert (gate["file"], gate["line"]) == (f"cards/{CARD}.yaml", 3)
    assert "'holdout-auc'" in gate["message"] and "found 0.72" in gate["message"]
    assert cli("plan", "--repo", str(repo)).exit_code == 1

    aws("s3").put_object(Bucket=BUCKET, Key="holdout/statistics.json", Body=holdout(0.86))
    use_roles(repo, drift_role_arn=role_for(cli, trusted_role, repo, "drift"))
    drifted = cli("drift", "--repo", str(repo), "--format", "json")
    assert drifted.exit_code == 2, drifted.stderr
    (stale,) = [i for i in json.loads(drifted.stdout)["items"] if i["kind"] == "evidence"]
    assert stale["address"] == f"card.{CARD}"
    assert stale["detail"].startswith(f"model-monitor-binary {HOLDOUT}: a new report object")

    use_roles(repo, fill_role_arn=role_for(cli, trusted_role, repo, "fill"))
    refreshed = fill(cli, repo, "--all")
    assert refreshed.exit_code == 0, refreshed.stderr
    changed = [line.replace(" ", "") for line in refreshed.stdout.splitlines()]
    assert "-value:0.72" in changed and "+value:0.86" in changed
    assert problems(cli, repo, "gate") == [] and problems(cli, repo, "evidence-edited") == []
    code, report, stderr = apply(cli, repo)
    assert code == 0, stderr
    assert ("card." + CARD, "update_status", "done") in [
        (s["address"], s["action"], s["status"]) for s in report["steps"]
    ]
    auc = live_content(aws, CARD)["evaluation_details"][0]["metric_groups"][0]["metric_data"]
    assert {"name": "auc", "type": "number", "value": 0.86} in auc
    again = cli("drift", "--repo", str(repo), "--format", "json")
    assert [i for i in json.loads(again.stdout)["items"] if i["kind"] == "evidence"] == []


def card_yaml(repo: Path) -> dict[str, Any]:
    from reconciler.load.yamlsource import load_text

    path = repo / "cards" / f"{CARD}.yaml"
    document = load_text(path.read_text(), str(path)).document
    assert document is not None
    data: dict[str, Any] = document.data
    return data
