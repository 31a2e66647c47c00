"""drift, pull and import against the sandbox, through the real CLI.

The story: a data scientist in dev edits the shared card through the SageMaker API; the
scheduled drift report names the edit, who made it and the versions; `pull` turns it into a
YAML change that keeps the file's comments; afterwards plan and drift are empty. And
`import --all` turns cards made with plain boto3 into files that validate and plan empty.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

CARD = "Customer-Churn-Model-Card"
OWNER, DEV = "111111111111", "222222222222"
CARD_ARN = f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/{CARD}"
Cli = Callable[..., Any]


@pytest.fixture
def applied(cli: Cli, example_repo: Path, card_account_env: str) -> Path:
    result = cli("apply", "--repo", str(example_repo), "--auto-approve", "--force")
    assert result.exit_code == 0, result.stdout + result.stderr
    return example_repo


def dev_edit(aws: Callable[..., Any], **changes: str) -> None:
    """A data scientist in dev changes model_overview fields of the shared card."""
    sagemaker = aws("sagemaker", DEV, role="DataScientist")
    content = json.loads(sagemaker.describe_model_card(ModelCardName=CARD_ARN)["Content"])
    for key, value in changes.items():
        content["model_overview"][key] = value
        sagemaker.update_model_card(ModelCardName=CARD_ARN, Content=json.dumps(content))


def drift_json(cli: Cli, repo: Path) -> tuple[int, dict[str, Any]]:
    result = cli("drift", "--repo", str(repo), "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def test_no_drift_after_apply(cli: Cli, applied: Path) -> None:
    code, report = drift_json(cli, applied)
    assert (code, report["drift"], report["items"]) == (0, False, [])
    assert report["format_version"] == "1"


def test_consumer_edit_is_drift_with_attribution(
    cli: Cli, applied: Path, aws: Callable[..., Any]
) -> None:
    dev_edit(aws, model_owner="dev-team", algorithm_type="LightGBM")
    code, report = drift_json(cli, applied)
    assert code == 2
    [item] = report["items"]
    assert (item["address"], item["kind"]) == (f"card.{CARD}", "content")
    assert [(f["path"], f["live"], f["git"]) for f in item["fields"]] == [
        ("$.content.model_overview.algorithm_type", "LightGBM", "XGBoost"),
        ("$.content.model_overview.model_owner", "dev-team", "model-owner"),
    ]
    edits = item["edits"]
    assert [(e["version_from"], e["version_to"], e["account"]) for e in edits] == [
        (1, 2, DEV),
        (2, 3, DEV),
    ]
    assert edits[0]["identity"].startswith("assumed-role/DataScientist/")
    assert edits[1]["sentence"].startswith(f"edited by {edits[1]['identity']} in {DEV} at ")
    assert edits[1]["sentence"].endswith(", version 2 → 3")


COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture
def applied_from_git(
    cli: Cli, example_repo: Path, card_account_env: str, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Applied from a commit (as in CI, ``GITHUB_SHA``): each card records it per version."""
    monkeypatch.setenv("GITHUB_SHA", COMMIT)
    result = cli("apply", "--repo", str(example_repo), "--auto-approve", "--force")
    assert result.exit_code == 0, result.stdout + result.stderr
    return example_repo


def test_edits_after_an_apply_are_named_from_the_version_listing(
    cli: Cli, applied_from_git: Path, aws: Callable[..., Any]
) -> None:
    """Version 1 is the apply's (its tag says so); the two versions after it are the data
    scientist's: the newest named by the card's record, the one between described."""
    dev_edit(aws, model_owner="dev-team", algorithm_type="LightGBM")
    code, report = drift_json(cli, applied_from_git)
    assert code == 2
    [item] = report["items"]
    edits = item["edits"]
    assert [(e["version_from"], e["version_to"], e["account"]) for e in edits] == [
        (1, 2, DEV),
        (2, 3, DEV),
    ]
    assert all(e["identity"].startswith("assumed-role/DataScientist/") for e in edits)
    versions = [(v["version"], v["commit"]) for v in item["versions"]]
    assert versions == [(3, None), (2, None), (1, COMMIT)]
    assert all(v["modified_by"] for v in item["versions"])


def test_a_versions_tag_rewritten_by_hand_does_not_hide_an_edit(
    cli: Cli, applied_from_git: Path, aws: Callable[..., Any]
) -> None:
    """Attack: someone in the card account edits the card through the API, then rewrites
    the reconciler-versions tag so that the new version looks applied from git. Drift
    does not take the tag's word for the newest version: it reads the versions back to
    the one that matches git, and names the editor."""
    sagemaker = aws("sagemaker", OWNER, role="ConsoleAdmin")
    content = json.loads(sagemaker.describe_model_card(ModelCardName=CARD)["Content"])
    content["model_overview"]["model_owner"] = "someone"
    sagemaker.update_model_card(ModelCardName=CARD, Content=json.dumps(content))
    sagemaker.add_tags(
        ResourceArn=CARD_ARN, Tags=[{"Key": "reconciler-versions", "Value": f"1-2={COMMIT[:12]}"}]
    )
    code, report = drift_json(cli, applied_from_git)
    assert code == 2
    [item] = report["items"]
    [edit] = item["edits"]
    assert (edit["version_from"], edit["version_to"], edit["account"]) == (1, 2, OWNER)
    assert edit["identity"].startswith("assumed-role/ConsoleAdmin/")


def test_drift_markdown_is_an_issue_body(cli: Cli, applied: Path, aws: Callable[..., Any]) -> None:
    dev_edit(aws, model_owner="dev-team")
    result = cli("drift", "--repo", str(applied), "--format", "markdown")
    assert result.exit_code == 2
    assert result.stdout.startswith(
        "<!-- modelcard-reconciler:drift -->\n### Model card drift: 1 difference from git"
    )
    assert f"in {DEV} at " in result.stdout and "version 1 → 2" in result.stdout


def test_status_tags_and_share_changes_in_the_console_are_drift(
    cli: Cli, applied: Path, aws: Callable[..., Any]
) -> None:
    sagemaker, ram = aws("sagemaker"), aws("ram")
    sagemaker.update_model_card(ModelCardName=CARD, ModelCardStatus="PendingReview")
    sagemaker.add_tags(ResourceArn=CARD_ARN, Tags=[{"Key": "team", "Value": "fraud"}])
    share = ram.get_resource_shares(resourceOwner="SELF", name="churn-test")["resourceShares"][0]
    ram.associate_resource_share(
        resourceShareArn=share["resourceShareArn"], principals=["444444444444"]
    )
    code, report = drift_json(cli, applied)
    kinds = sorted((i["address"], i["kind"]) for i in report["items"])
    assert code == 2
    assert kinds == [
        (f"card.{CARD}", "status"),
        (f"card.{CARD}", "tags"),
        ("share.churn-test", "share_principals"),
    ]
    status = next(i for i in report["items"] if i["kind"] == "status")
    assert status["edits"][0]["account"] == OWNER


def test_card_deleted_live_and_unmanaged_card_appearing_are_drift(
    cli: Cli, applied: Path, aws: Callable[..., Any], sandbox: Any
) -> None:
    sagemaker = aws("sagemaker")
    sagemaker.delete_model_card(ModelCardName=CARD)
    sagemaker.create_model_card(ModelCardName="Shadow-Card", Content="{}", ModelCardStatus="Draft")
    sandbox.advance(60)
    code, report = drift_json(cli, applied)
    kinds = {(i["address"], i["kind"]) for i in report["items"]}
    assert code == 2
    assert (f"card.{CARD}", "missing_card") in kinds
    assert ("card.Shadow-Card", "unmanaged") in kinds


def test_expired_invitation_is_drift(
    cli: Cli, example_repo: Path, card_account_env: str, sandbox: Any
) -> None:
    cli("apply", "--repo", str(example_repo), "--auto-approve", "--force", "--no-verify")
    sandbox.advance(13 * 3600)
    code, report = drift_json(cli, example_repo)
    assert code == 2
    [item] = report["items"]
    assert (item["address"], item["kind"]) == ("share.churn-dev", "share_principals")
    assert "DISASSOCIATED" in item["detail"]


def test_pull_keeps_comments_then_plan_and_drift_are_empty(
    cli: Cli, applied: Path, aws: Callable[..., Any]
) -> None:
    card_file = applied / "cards" / f"{CARD}.yaml"
    before = card_file.read_text()
    dev_edit(aws, model_owner="dev-team")
    result = cli("pull", CARD, "--repo", str(applied))
    assert result.exit_code == 0, result.stderr
    after = card_file.read_text()
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert changed == [("    model_owner: model-owner", "    model_owner: dev-team")]
    assert "# evaluation results are written by the training pipeline" in after
    plan = cli("plan", "--repo", str(applied), "--detailed-exitcode")
    assert plan.exit_code == 0, plan.stdout
    assert drift_json(cli, applied)[0] == 0


def test_pull_leaves_ignored_paths_out_of_git(
    cli: Cli, applied: Path, aws: Callable[..., Any]
) -> None:
    sagemaker = aws("sagemaker")
    content = json.loads(sagemaker.describe_model_card(ModelCardName=CARD)["Content"])
    content["evaluation_details"] = [{"name": "pipeline-run-7"}]
    content["intended_uses"]["risk_rating"] = "High"
    sagemaker.update_model_card(ModelCardName=CARD, Content=json.dumps(content))
    assert cli("pull", "--all", "--repo", str(applied)).exit_code == 0
    text = (applied / "cards" / f"{CARD}.yaml").read_text()
    assert "risk_rating: High" in text and "pipeline-run-7" not in text
    assert "- name: holdout  " in text  # the seed git holds stays as it was


def test_pull_without_selection_is_refused(cli: Cli, example_repo: Path) -> None:
    result = cli("pull", "--repo", str(example_repo))
    assert result.exit_code == 1
    assert "no cards selected: name the cards, pass --group <name>, or pass --all" in result.stderr


def bare_repo(root: Path) -> Path:
    (root / "cards").mkdir(parents=True)
    (root / "shares").mkdir()
    (root / "reconciler.yaml").write_text(
        'region: us-east-1\ncard_account: {id: "111111111111"}\n'
        'accounts:\n  prod: {id: "444444444444"}\n'
    )
    return root


def test_import_all_writes_valid_files_and_the_plan_is_empty(
    cli: Cli, tmp_path: Path, aws: Callable[..., Any], card_account_env: str, sandbox: Any
) -> None:
    sagemaker = aws("sagemaker")
    long_text = "Scores applications for fraud risk. " * 6
    sagemaker.create_model_card(
        ModelCardName="Fraud-Card",
        ModelCardStatus="Approved",
        Content=json.dumps(
            {
                "intended_uses": {"risk_rating": "High"},
                "model_overview": {"model_description": long_text.strip(), "model_owner": "fraud"},
                "additional_information": {"caveats_and_recommendations": "Line one.\nLine two."},
            }
        ),
        Tags=[{"Key": "team", "Value": "fraud"}],
    )
    sagemaker.create_model_card(ModelCardName="Churn-Card", ModelCardStatus="Draft", Content="{}")
    ram = aws("ram")
    ram.create_resource_share(
        name="fraud-prod",
        principals=["444444444444"],
        allowExternalPrincipals=False,
        resourceArns=[f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/Fraud-Card"],
    )
    sandbox.advance(5)  # the share's association settles
    repo = bare_repo(tmp_path / "repo")
    result = cli("import", "--all", "--shares", "--repo", str(repo))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (repo / "cards").iterdir()) == [
        "Churn-Card.yaml",
        "Fraud-Card.yaml",
    ]
    fraud = (repo / "cards" / "Fraud-Card.yaml").read_text()
    assert fraud.index("model_overview:") < fraud.index("intended_uses:")  # schema order
    assert "caveats_and_recommendations: |-" in fraud
    assert "model_description: >-" in fraud
    assert cli("validate", "--repo", str(repo)).exit_code == 0
    plan = cli("plan", "--repo", str(repo), "--detailed-exitcode", "--format", "json")
    body = json.loads(plan.stdout)
    assert (plan.exit_code, body["changes"], body["errors"]) == (0, [], []), body
    assert sorted(a["address"] for a in body["adoptions"]) == [
        "card.Churn-Card",
        "card.Fraud-Card",
        "share.fraud-prod",
    ]


def test_next_apply_adopts_imported_cards_and_changes_nothing_else(
    cli: Cli, tmp_path: Path, aws: Callable[..., Any], card_account_env: str
) -> None:
    sagemaker = aws("sagemaker")
    sagemaker.create_model_card(
        ModelCardName="Legacy",
        ModelCardStatus="Draft",
        Content='{"model_overview": {"model_owner": "ops"}}',
    )
    repo = bare_repo(tmp_path / "repo")
    assert cli("import", "Legacy", "--repo", str(repo)).exit_code == 0
    result = cli("apply", "--repo", str(repo), "--auto-approve", "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0
    assert [(s["address"], s["action"], s["status"]) for s in report["steps"]] == [
        ("card.Legacy", "adopt", "done")
    ]
    versions = sagemaker.list_model_card_versions(ModelCardName="Legacy")
    assert len(versions["ModelCardVersionSummaryList"]) == 1
    tags = sagemaker.list_tags(
        ResourceArn=report["steps"] and f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/Legacy"
    )["Tags"]
    assert {"Key": "managed-by", "Value": "reconciler"} in tags


def test_unmanaged_card_that_differs_from_git_is_still_an_error(
    cli: Cli, tmp_path: Path, aws: Callable[..., Any], card_account_env: str
) -> None:
    aws("sagemaker").create_model_card(
        ModelCardName="Legacy", ModelCardStatus="Draft", Content="{}"
    )
    repo = bare_repo(tmp_path / "repo")
    (repo / "cards" / "Legacy.yaml").write_text("name: Legacy\nstatus: Approved\ncontent: {}\n")
    result = cli("plan", "--repo", str(repo))
    assert result.exit_code == 1
    assert "differs from git: run `reconciler import Legacy`" in result.stdout


def test_import_names_the_shares_an_imported_card_will_join(
    cli: Cli, applied: Path, aws: Callable[..., Any]
) -> None:
    aws("sagemaker").create_model_card(
        ModelCardName="Legacy", ModelCardStatus="Approved", Content="{}"
    )
    result = cli("import", "Legacy", "--repo", str(applied))
    assert result.exit_code == 0
    assert (
        "note: Legacy (Approved) will join churn-dev, churn-prod, churn-test, which "
        "select Approved cards: the next plan shows the association"
    ) in result.stderr


def test_import_never_overwrites_a_file(cli: Cli, applied: Path) -> None:
    result = cli("import", CARD, "--repo", str(applied))
    assert "skipped: Customer-Churn-Model-Card: already declared" in result.stderr


def test_naming_a_card_that_does_not_exist_fails(cli: Cli, applied: Path) -> None:
    pulled = cli("pull", "No-Such-Card", "--repo", str(applied))
    imported = cli("import", "No-Such-Card", "--repo", str(applied))
    assert (pulled.exit_code, imported.exit_code) == (1, 1)
    assert "not updated: No-Such-Card: not declared in git" in pulled.stderr
    assert "not imported: No-Such-Card: no such model card in the account" in imported.stderr
