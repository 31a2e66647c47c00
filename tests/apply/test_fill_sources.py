"""`reconciler fill` on what people did: a value filled then edited by hand is a warning in
`validate` and is kept by the next fill unless `--overwrite`; a value written by hand is
never replaced silently; a model whose training job cannot be told is refused with what to
name; a report outside the repository is never read. A refused card's file is left as it
was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.apply.helpers import OWNER, Aws, Cli
from tests.apply.test_fill_promotion import CARD, DRAFT, card_yaml, fill, train
from tests.sandbox.test_training import IMAGE, ROLE, artifact, start_job

CARD_FILE = f"cards/{CARD}.yaml"
METRICS = {
    "metric_groups": [
        {"name": "holdout", "metric_data": [{"name": "auc", "type": "number", "value": 0.86}]}
    ]
}


def edited(repo: Path, old: str, new: str) -> str:
    path = repo / CARD_FILE
    text = path.read_text().replace(old, new, 1)
    path.write_text(text)
    return text


def warnings(cli: Cli, repo: Path) -> list[dict[str, Any]]:
    result = cli("validate", "--repo", str(repo), "--format", "json")
    assert result.exit_code == 0, result.stdout
    found = json.loads(result.stdout)["problems"]
    return [p for p in found if p["code"] == "evidence-edited"]


def test_a_filled_value_edited_by_hand_is_kept_until_overwrite(
    cli: Cli, repo: Path, aws: Aws, sandbox: Any
) -> None:
    (repo / CARD_FILE).write_text(DRAFT)
    train(aws, sandbox, "churn-xgb-1", "churn-xgb")
    assert fill(cli, repo, CARD, "--model", "churn-xgb").exit_code == 0
    assert warnings(cli, repo) == []

    text = edited(repo, "    model_name: churn-xgb\n", "    model_name: churn-xgb-final\n")
    (warning,) = warnings(cli, repo)
    line = text.splitlines().index("    model_name: churn-xgb-final") + 1
    assert (warning["severity"], warning["file"], warning["line"]) == ("warning", CARD_FILE, line)
    assert "edited by hand" in warning["message"] and "--overwrite" in warning["message"]

    refused = fill(cli, repo, CARD)
    assert refused.exit_code == 1 and refused.stdout == ""
    assert "model_overview.model_name: edited by hand since it was filled" in refused.stderr
    assert (repo / CARD_FILE).read_text() == text

    overwritten = fill(cli, repo, CARD, "--overwrite")
    assert overwritten.exit_code == 0, overwritten.stderr
    assert "-    model_name: churn-xgb-final" in overwritten.stdout
    assert card_yaml(repo)["content"]["model_overview"]["model_name"] == "churn-xgb"
    assert warnings(cli, repo) == []


def test_a_value_written_by_hand_is_not_replaced_by_a_first_fill(
    cli: Cli, repo: Path, aws: Aws, sandbox: Any
) -> None:
    by_hand = DRAFT.replace("    model_owner:", "    model_name: churn (v2)\n    model_owner:")
    (repo / CARD_FILE).write_text(by_hand)
    train(aws, sandbox, "churn-xgb-1", "churn-xgb")
    refused = fill(cli, repo, CARD, "--model", "churn-xgb")
    assert refused.exit_code == 1
    assert "model_overview.model_name: written by hand, not filled" in refused.stderr
    assert (repo / CARD_FILE).read_text() == by_hand


def test_a_model_with_several_artifacts_names_its_training_job(
    cli: Cli, repo: Path, aws: Aws, sandbox: Any
) -> None:
    """An inference pipeline of two trained containers: which job made "the model" is not
    for fill to guess (the SDK v2 took the first); it asks for --training-job."""
    (repo / CARD_FILE).write_text(DRAFT)
    train(aws, sandbox, "churn-xgb-1", "churn-xgb")
    train(aws, sandbox, "churn-prep-1", "churn-prep")
    containers = [
        {"Image": IMAGE, "ModelDataUrl": artifact(job)} for job in ("churn-prep-1", "churn-xgb-1")
    ]
    aws("sagemaker").create_model(
        ModelName="churn-pipeline", Containers=containers, ExecutionRoleArn=ROLE
    )
    refused = fill(cli, repo, CARD, "--model", "churn-pipeline")
    assert refused.exit_code == 1
    assert "model churn-pipeline has 2 artifacts: which training job made it is ambiguous" in (
        refused.stderr
    )
    assert "--training-job" in refused.stderr
    assert (repo / CARD_FILE).read_text() == DRAFT

    named = fill(cli, repo, CARD, "--model", "churn-pipeline", "--training-job", "churn-xgb-1")
    assert named.exit_code == 0, named.stderr
    job = card_yaml(repo)["evidence"][1]
    assert (job["kind"], job.get("found_from")) == ("training-job", None)
    assert job["source"].endswith(":training-job/churn-xgb-1")


def test_a_model_whose_artifact_several_jobs_wrote_names_its_training_job(
    cli: Cli, repo: Path, aws: Aws, sandbox: Any
) -> None:
    """Search answers two jobs for the model's one artifact: fill does not take the first
    (nor the newest), it names both and asks which."""
    (repo / CARD_FILE).write_text(DRAFT)
    train(aws, sandbox, "churn-xgb-1", "churn-xgb")
    start_job(aws("sagemaker"), "churn-xgb-1b")
    sandbox.complete_training_job(OWNER, "churn-xgb-1b", artifact=artifact("churn-xgb-1"))
    refused = fill(cli, repo, CARD, "--model", "churn-xgb")
    assert refused.exit_code == 1 and refused.stdout == ""
    assert (
        f"not filled: {CARD}: 2 training jobs wrote {artifact('churn-xgb-1')} "
        "(churn-xgb-1, churn-xgb-1b)"
    ) in refused.stderr
    assert "name the one that made the model with --training-job" in refused.stderr
    assert (repo / CARD_FILE).read_text() == DRAFT

    named = fill(cli, repo, CARD, "--model", "churn-xgb", "--training-job", "churn-xgb-1b")
    assert named.exit_code == 0, named.stderr
    assert card_yaml(repo)["evidence"][1]["source"] == job_arn("churn-xgb-1b")


def test_a_dry_run_prints_the_diff_and_writes_nothing(
    cli: Cli, repo: Path, aws: Aws, sandbox: Any
) -> None:
    (repo / CARD_FILE).write_text(DRAFT)
    train(aws, sandbox, "churn-xgb-1", "churn-xgb")
    tried = fill(cli, repo, CARD, "--model", "churn-xgb", "--dry-run")
    assert tried.exit_code == 0, tried.stderr
    assert (repo / CARD_FILE).read_text() == DRAFT
    assert tried.stdout.startswith(f"--- a/{CARD_FILE}\n+++ b/{CARD_FILE}\n")
    assert "+    model_name: churn-xgb\n" in tried.stdout
    assert "+  - kind: training-job\n" in tried.stdout
    assert f"would fill: {CARD_FILE}: 2 sources, " in tried.stderr
    assert "filled:" not in tried.stderr.replace("would fill:", "")

    done = fill(cli, repo, CARD, "--model", "churn-xgb")
    assert done.exit_code == 0, done.stderr
    assert untimed(done.stdout) == untimed(tried.stdout)  # the change it showed, written
    assert f"filled: {CARD_FILE}: 2 sources, " in done.stderr


def untimed(diff: str) -> list[str]:
    return [line for line in diff.splitlines() if "read_at:" not in line]


def test_a_path_under_ignore_is_never_filled(cli: Cli, repo: Path, aws: Aws, sandbox: Any) -> None:
    """The card leaves its evaluations to the pipeline that writes them in the account
    (``ignore: [evaluation_details]``): a report is not filled into them, and the card's
    file is left as it was."""
    owned = DRAFT + "ignore: [evaluation_details]\n"
    (repo / CARD_FILE).write_text(owned)
    (repo / "reports").mkdir()
    (repo / "reports" / "holdout.json").write_text(json.dumps(METRICS))
    refused = fill(
        cli, repo, CARD, "--evaluation", str(repo / "reports" / "holdout.json"),
        "--as", "card-metrics", "--name", "holdout",
    )  # fmt: skip
    assert refused.exit_code == 1 and refused.stdout == ""
    assert (
        f"not filled: {CARD}: evaluation_details[name=holdout].metric_groups[name=holdout] "
        "is under ignore: (owned by live state, not git): nothing filled"
    ) in refused.stderr
    assert (repo / CARD_FILE).read_text() == owned


def test_a_path_beside_an_ignored_one_is_filled(
    cli: Cli, repo: Path, aws: Aws, sandbox: Any
) -> None:
    """Ignoring one field of a section (its description, kept in the console) leaves the
    section's other fields to fill; the ignored one is not written."""
    owned = DRAFT + "ignore: [model_overview.model_description]\n"
    (repo / CARD_FILE).write_text(owned)
    train(aws, sandbox, "churn-xgb-1", "churn-xgb")
    filled = fill(cli, repo, CARD, "--model", "churn-xgb")
    assert filled.exit_code == 0, filled.stderr
    overview = card_yaml(repo)["content"]["model_overview"]
    assert overview["model_name"] == "churn-xgb" and "model_description" not in overview


def test_a_model_no_training_job_wrote_is_filled_without_one(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    (repo / CARD_FILE).write_text(DRAFT)
    container = {"Image": IMAGE, "ModelDataUrl": "s3://ml-artifacts/imported/model.tar.gz"}
    aws("sagemaker").create_model(
        ModelName="imported", PrimaryContainer=container, ExecutionRoleArn=ROLE
    )
    filled = fill(cli, repo, CARD, "--model", "imported")
    assert filled.exit_code == 0, filled.stderr
    assert "no training job in the account wrote s3://ml-artifacts/imported" in filled.stderr
    assert [s["kind"] for s in card_yaml(repo)["evidence"]] == ["model"]


def test_reports_outside_the_repository_are_never_read(
    cli: Cli, repo: Path, tmp_path: Path
) -> None:
    """The attack: a pull request records a report at ../../ (or a symlink out of the
    repository), so that `fill --all` run by someone else reads a file of theirs into a
    card that is then shared."""
    secret = tmp_path / "secret.json"
    secret.write_text('{"version": "1.0", "metric_groups": []}')
    (repo / CARD_FILE).write_text(DRAFT)
    named = fill(
        cli, repo, CARD, "--evaluation", str(secret), "--as", "card-metrics", "--name", "x"
    )
    assert named.exit_code == 1 and "outside the repository" in named.stderr

    (repo / "reports").mkdir()
    (repo / "reports" / "holdout.json").symlink_to(secret)
    recorded = DRAFT + (
        "evidence:\n"
        "  - kind: card-metrics\n"
        "    source: reports/holdout.json\n"
        "    evaluation: holdout\n"
        "    version: sha256:0\n"
        "    read_at: '2026-01-01T00:00:00Z'\n"
        "    fills:\n"
        "      evaluation_details[name=holdout].metric_groups[name=m]: sha256:0123456789abcdef\n"
    )
    (repo / CARD_FILE).write_text(recorded)
    refreshed = fill(cli, repo, "--all")
    assert refreshed.exit_code == 1 and "outside the repository" in refreshed.stderr
    assert (repo / CARD_FILE).read_text() == recorded


def test_drift_names_a_newer_training_job_and_fill_all_takes_it(
    cli: Cli, repo: Path, aws: Aws, sandbox: Any
) -> None:
    """The model is made again under its name from a retrained job: drift says so of the
    card, and a refresh records the new job found from the model."""
    (repo / CARD_FILE).write_text(DRAFT)
    train(aws, sandbox, "churn-xgb-1", "churn-xgb")
    assert fill(cli, repo, CARD, "--model", "churn-xgb").exit_code == 0
    aws("sagemaker").delete_model(ModelName="churn-xgb")
    train(aws, sandbox, "churn-xgb-2", "churn-xgb")

    drifted = cli("drift", "--repo", str(repo), "--format", "json")
    items = [i for i in json.loads(drifted.stdout)["items"] if i["kind"] == "evidence"]
    assert {i["address"] for i in items} == {f"card.{CARD}"}
    details = sorted(i["detail"] for i in items)
    assert details[0].startswith("model arn:") and "the model was created again" in details[0]
    assert details[1].endswith("a newer training job for the model: " + job_arn("churn-xgb-2"))

    assert fill(cli, repo, "--all").exit_code == 0
    job = card_yaml(repo)["content"]["training_details"]["training_job_details"]
    assert job["training_arn"] == job_arn("churn-xgb-2")
    again = cli("drift", "--repo", str(repo), "--format", "json")
    assert [i for i in json.loads(again.stdout)["items"] if i["kind"] == "evidence"] == []


def job_arn(name: str) -> str:
    return f"arn:aws:sagemaker:us-east-1:111111111111:training-job/{name}"
