"""`reconciler fill --model-package` in the sandbox: a model version registered by a
training pipeline, with the evaluation reports its ModelMetrics name, fills the card's
`model_package_details` and records the version under `evidence:`; fill says how to fill
each named report (a source of its own, chosen by the person filling); once the version
is approved, `drift` names the card whose recorded version changed and `fill --all`
takes the approval, each under the role its printed policy makes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.apply.helpers import OWNER, Aws, Cli
from tests.apply.registry_helpers import GROUP
from tests.apply.test_fill_promotion import (
    BIAS,
    CARD,
    DRAFT,
    HOLDOUT,
    card_yaml,
    fill,
    role_for,
    use_roles,
)
from tests.sandbox.test_training import IMAGE, artifact

CARD_FILE = f"cards/{CARD}.yaml"
METRICS = {
    "ModelQuality": {"Statistics": {"ContentType": "application/json", "S3Uri": HOLDOUT}},
    "Bias": {"Report": {"ContentType": "application/json", "S3Uri": BIAS}},
}


def register(aws: Aws) -> str:
    """One version of the churn models, as a pipeline registers it after evaluation."""
    sm = aws("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName=GROUP)
    container = {"Image": IMAGE, "ModelDataUrl": artifact("churn-xgb-1")}
    arn: str = sm.create_model_package(
        ModelPackageGroupName=GROUP,
        ModelPackageDescription="churn scorer, weekly retrain",
        InferenceSpecification={
            "Containers": [container],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
        ModelMetrics=METRICS,
        Domain="MACHINE_LEARNING",
        Task="CLASSIFICATION",
    )["ModelPackageArn"]
    return arn


def evidence_items(cli: Cli, repo: Path) -> list[dict[str, Any]]:
    drifted = cli("drift", "--repo", str(repo), "--format", "json")
    assert drifted.exit_code in (0, 2), drifted.stderr
    return [i for i in json.loads(drifted.stdout)["items"] if i["kind"] == "evidence"]


def test_a_model_version_fills_its_details_and_names_its_reports(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    (repo / CARD_FILE).write_text(DRAFT)
    arn = register(aws)
    assert arn == f"arn:aws:sagemaker:us-east-1:{OWNER}:model-package/{GROUP.lower()}/1"

    filled = fill(cli, repo, CARD, "--model-package", arn)
    assert filled.exit_code == 0, filled.stderr
    assert f"+    model_package_arn: {arn}" in filled.stdout
    details = card_yaml(repo)["content"]["model_package_details"]
    assert details == {
        "model_package_arn": arn,
        "model_package_name": GROUP,
        "model_package_group_name": GROUP,
        "model_package_description": "churn scorer, weekly retrain",
        "domain": "MACHINE_LEARNING",
        "task": "CLASSIFICATION",
        "model_package_status": "Completed",
        "model_approval_status": "PendingManualApproval",
        "model_package_version": 1,
        "created_by": {"user_profile_name": aws("sts").get_caller_identity()["UserId"]},
        "inference_specification": {
            "containers": [{"image": IMAGE, "model_data_url": artifact("churn-xgb-1")}]
        },
    }
    (source,) = card_yaml(repo)["evidence"]
    assert (source["kind"], source["source"]) == ("model-package", arn)
    paths = [f"model_package_details.{k}" for k in details if k != "created_by"]
    paths.append("model_package_details.created_by.user_profile_name")
    assert sorted(source["fills"]) == sorted(paths)
    assert (
        f"note: {CARD}: the model package names a report (ModelQuality.Statistics): fill it "
        f"with --evaluation {HOLDOUT} --as model-monitor-binary|regression|multiclass "
        "--name <evaluation>"
    ) in filled.stderr
    assert f"(Bias.Report): fill it with --evaluation {BIAS} --as clarify-bias" in filled.stderr
    assert "evaluation_details" not in card_yaml(repo)["content"]  # named, not read
    assert evidence_items(cli, repo) == []


def test_drift_names_a_card_whose_model_version_changed_and_fill_all_takes_it(
    cli: Cli, repo: Path, aws: Aws, trusted_role: Callable[..., str]
) -> None:
    """Each read under the role the printed policy makes: drift's and fill's."""
    (repo / CARD_FILE).write_text(DRAFT)
    arn = register(aws)
    assert fill(cli, repo, CARD, "--model-package", arn).exit_code == 0
    read = card_yaml(repo)["evidence"][0]["version"]
    roles = {f"{r}_role_arn": role_for(cli, trusted_role, repo, r) for r in ("drift", "fill")}
    use_roles(repo, **roles)

    aws("sagemaker").update_model_package(
        ModelPackageArn=arn, ModelApprovalStatus="Approved", ApprovalDescription="holdout AUC 0.86"
    )
    (item,) = evidence_items(cli, repo)
    assert item["address"] == f"card.{CARD}"
    assert item["detail"].startswith(f"model-package {arn}: the model package changed ({read} → ")

    refreshed = fill(cli, repo, "--all")
    assert refreshed.exit_code == 0, refreshed.stderr
    assert "+    model_approval_status: Approved" in refreshed.stdout
    details = card_yaml(repo)["content"]["model_package_details"]
    assert details["approval_description"] == "holdout AUC 0.86"
    assert evidence_items(cli, repo) == []
