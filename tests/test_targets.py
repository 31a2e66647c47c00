"""One repository, two card accounts in two regions: planned, applied and drifted per
target (--target) and all together, with one report grouped by target; a target whose
credentials belong to another account fails alone while the other applies; and the GitHub
Actions matrix that `reconciler targets --format json` prints.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.test_iam_enforced import create_role

Cli = Callable[..., Any]

EU, US, TEST = "111111111111", "555555555555", "333333333333"
CONTENT = "content:\n  model_overview:\n    model_owner: {owner}\n"

CONFIG = f"""\
targets:
  eu:
    card_account: {{id: "{EU}"}}
    region: eu-west-1
  us:
    card_account: {{id: "{US}", role_arn: "arn:aws:iam::{US}:role/reconciler"}}
    region: us-east-1
accounts:
  test: {{id: "{TEST}"}}
"""


def write_repo(root: Path, config: str = CONFIG) -> Path:
    """Cards Eu-Card (eu only), Us-Card (us only) and Both-Card (every target); a share
    of Eu-Card in eu only."""
    (root / "cards").mkdir(parents=True)
    (root / "shares").mkdir()
    (root / "reconciler.yaml").write_text(config)
    cards = {"Eu-Card": "[eu]", "Us-Card": "[us]", "Both-Card": None}
    for name, targets in cards.items():
        where = f"targets: {targets}\n" if targets else ""
        owner = name.lower()
        text = f"name: {name}\n{where}status: Draft\n" + CONTENT.format(owner=owner)
        (root / "cards" / f"{name}.yaml").write_text(text)
    (root / "shares" / "eu-test.yaml").write_text(
        "name: eu-test\ntargets: [eu]\nprincipals: [test]\ncards: {names: [Eu-Card]}\n"
        "permission: AWSRAMPermissionSageMakerModelCards\n"
    )
    return root


@pytest.fixture
def repo(tmp_path: Path, card_account_env: str, trusted_role: Callable[..., str]) -> Path:
    """The repository, and target us's ``reconciler`` role, trusted by eu's account."""
    trusted_role(US, "reconciler")
    return write_repo(tmp_path / "repo")


def live_names(sandbox: Any, account: str, region: str) -> set[str]:
    client = sandbox.client("sagemaker", account=account, region=region)
    return {c["ModelCardName"] for c in client.list_model_cards()["ModelCardSummaries"]}


def by_target(stdout: str) -> dict[str, Any]:
    document = json.loads(stdout)
    return {t["name"]: t for t in document["targets"]}


def test_validate_places_each_target_problem_on_its_line(cli: Cli, repo: Path) -> None:
    (repo / "cards" / "Us-Card.yaml").write_text(
        "name: Us-Card\ntargets: [usa]\nstatus: Draft\n" + CONTENT.format(owner="x")
    )
    (repo / "shares" / "all.yaml").write_text(
        f'name: all\nprincipals: ["{US}"]\ncards: {{names: [Eu-Card]}}\n'
        "permission: AWSRAMPermissionSageMakerModelCards\nallow_external_principals: true\n"
    )
    result = cli("validate", "--repo", str(repo))
    assert result.exit_code == 1
    assert (
        "cards/Us-Card.yaml:2:11: error: $.targets[0]: unknown target 'usa': did you mean 'us'?"
        in result.stdout
    )
    assert (
        f"shares/all.yaml:2:14: error: $.principals[0]: '{US}' is the card account of target "
        "'us' itself" in result.stdout
    )
    assert (
        "shares/all.yaml:3:17: error: $.cards.names[0]: card 'Eu-Card' is not in target 'us'"
        in result.stdout
    )


def test_plan_apply_and_drift_per_target_and_all_together(
    cli: Cli, repo: Path, sandbox: Any
) -> None:
    planned = cli("plan", "--repo", str(repo), "--format", "json", "--detailed-exitcode")
    assert planned.exit_code == 2, planned.stderr
    plans = by_target(planned.stdout)
    assert [t for t in plans] == ["eu", "us"]
    assert plans["eu"]["region"] == "eu-west-1" and plans["us"]["account"] == US
    addresses = {n: {c["address"] for c in t["report"]["changes"]} for n, t in plans.items()}
    assert addresses["eu"] == {"card.Eu-Card", "card.Both-Card", "share.eu-test"}
    assert addresses["us"] == {"card.Us-Card", "card.Both-Card"}

    us_only = cli("plan", "--repo", str(repo), "--target", "us", "--format", "json")
    assert us_only.exit_code == 0
    assert list(by_target(us_only.stdout)) == ["us"]

    only_eu = cli("apply", "--repo", str(repo), "--auto-approve", "--target", "eu")
    assert only_eu.exit_code == 0, only_eu.stdout + only_eu.stderr
    assert "=== target eu (account 111111111111, eu-west-1) ===" in only_eu.stdout
    assert "target us" not in only_eu.stdout
    assert live_names(sandbox, EU, "eu-west-1") == {"Eu-Card", "Both-Card"}
    assert live_names(sandbox, US, "us-east-1") == set()
    assert live_names(sandbox, EU, "us-east-1") == set()  # cards are regional

    everything = cli("apply", "--repo", str(repo), "--auto-approve", "--format", "json")
    assert everything.exit_code == 0, everything.stderr
    reports = by_target(everything.stdout)
    assert reports["eu"]["report"]["outcome"] == "No changes. Live state matches git."
    assert live_names(sandbox, US, "us-east-1") == {"Us-Card", "Both-Card"}

    us_client = sandbox.client("sagemaker", account=US, region="us-east-1")
    us_client.update_model_card(
        ModelCardName="Both-Card", Content=json.dumps({"model_overview": {"model_owner": "z"}})
    )
    assert cli("drift", "--repo", str(repo), "--target", "eu").exit_code == 0
    one = cli("drift", "--repo", str(repo), "--target", "us", "--format", "json")
    assert one.exit_code == 2
    assert [i["address"] for i in by_target(one.stdout)["us"]["report"]["items"]] == [
        "card.Both-Card"
    ]
    both = cli("drift", "--repo", str(repo), "--format", "markdown")
    assert both.exit_code == 2
    assert "## Target `eu`" in both.stdout and "## Target `us`" in both.stdout


def test_a_target_with_the_wrong_credentials_fails_alone(
    cli: Cli, tmp_path: Path, card_account_env: str, sandbox: Any
) -> None:
    """us names no role, so it would run with the ambient credentials of the eu account:
    the wrong-account guard stops us, and eu applies."""
    config = CONFIG.replace(f', role_arn: "arn:aws:iam::{US}:role/reconciler"', "")
    repo = write_repo(tmp_path / "repo", config)
    result = cli("apply", "--repo", str(repo), "--auto-approve", "--format", "json")
    assert result.exit_code == 1
    reports = by_target(result.stdout)
    assert reports["us"]["report"] is None
    assert f"the credentials are for account {EU}" in reports["us"]["error"]
    assert f"error: target us: the credentials are for account {EU}" in result.stderr
    assert reports["eu"]["report"]["converged"] is True
    assert live_names(sandbox, EU, "eu-west-1") == {"Eu-Card", "Both-Card"}


def test_targets_prints_the_github_actions_matrix(cli: Cli, repo: Path) -> None:
    result = cli("targets", "--repo", str(repo), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "include": [
            {"target": "eu", "account": EU, "region": "eu-west-1", "hub": ""},
            {"target": "us", "account": US, "region": "us-east-1", "hub": ""},
        ]
    }
    assert json.loads(
        cli("targets", "--repo", str(repo), "--format", "json", "--wave", "hubs").stdout
    ) == {"include": []}


def test_a_single_target_repository_is_one_implicit_target(cli: Cli, example_repo: Path) -> None:
    result = cli("targets", "--repo", str(example_repo), "--format", "json")
    assert json.loads(result.stdout) == {
        "include": [
            {"target": "default", "account": "111111111111", "region": "us-east-1", "hub": ""}
        ]
    }


def test_an_unknown_target_is_a_clear_error(cli: Cli, repo: Path) -> None:
    result = cli("plan", "--repo", str(repo), "--target", "eu-west")
    assert result.exit_code == 1
    assert "error: unknown target 'eu-west'" in result.stderr


def test_out_needs_one_target(cli: Cli, repo: Path, tmp_path: Path) -> None:
    result = cli("plan", "--repo", str(repo), "--out", str(tmp_path / "plan.json"))
    assert result.exit_code == 1
    assert "--out holds the plan of one target" in result.stderr


def test_import_pull_and_verify_per_target(cli: Cli, repo: Path, sandbox: Any) -> None:
    assert cli("apply", "--repo", str(repo), "--auto-approve").exit_code == 0
    us = sandbox.client("sagemaker", account=US, region="us-east-1")
    us.create_model_card(
        ModelCardName="Found-Live",
        Content=json.dumps({"model_overview": {"model_owner": "us-ds"}}),
        ModelCardStatus="Draft",
    )
    imported = cli("import", "--repo", str(repo), "--all", "--target", "us")
    assert imported.exit_code == 0, imported.stderr
    written = (repo / "cards" / "Found-Live.yaml").read_text()
    assert "name: Found-Live\ntargets:\n  - us\n" in written
    assert cli("plan", "--repo", str(repo), "--target", "eu", "--detailed-exitcode").exit_code == 0

    us.update_model_card(
        ModelCardName="Us-Card", Content=json.dumps({"model_overview": {"model_owner": "edited"}})
    )
    pulled = cli("pull", "--repo", str(repo), "Us-Card", "--target", "us")
    assert pulled.exit_code == 0, pulled.stderr
    assert "model_owner: edited" in (repo / "cards" / "Us-Card.yaml").read_text()

    verified = cli("verify", "--repo", str(repo), "--format", "json")
    assert verified.exit_code == 0, verified.stdout
    assert [t["name"] for t in json.loads(verified.stdout)["targets"]] == ["eu", "us"]


def test_reading_commands_take_the_targets_plan_role(
    cli: Cli, repo: Path, aws: Callable[..., Any]
) -> None:
    """plan, drift, import and pull assume plan_role_arn when a target names one (here a
    role holding exactly the printed plan policy); apply and verify keep role_arn (here a
    role that may do nothing)."""
    printed = cli("iam-policy", "--role", "plan", "--target", "us", "--repo", str(repo))
    assert printed.exit_code == 0, printed.stderr
    deny = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}],
    }
    create_role(aws, US, "UsPlan", json.loads(printed.stdout))
    create_role(aws, US, "UsApply", deny)
    config = (
        (repo / "reconciler.yaml")
        .read_text()
        .replace(
            f'role_arn: "arn:aws:iam::{US}:role/reconciler"',
            f'role_arn: "arn:aws:iam::{US}:role/UsApply", '
            f'plan_role_arn: "arn:aws:iam::{US}:role/UsPlan"',
        )
    )
    (repo / "reconciler.yaml").write_text(config)
    assert cli("validate", "--repo", str(repo)).exit_code == 0
    assert cli("plan", "--repo", str(repo), "--target", "us").exit_code == 0
    assert cli("drift", "--repo", str(repo), "--target", "us").exit_code == 2
    applied = cli("apply", "--repo", str(repo), "--target", "us", "--auto-approve")
    assert applied.exit_code == 1
    assert "AccessDenied" in applied.stdout + applied.stderr


def test_grouped_reports_and_the_matrix_follow_their_schemas(cli: Cli, repo: Path) -> None:
    from tests.test_output_schemas import conforms

    conforms("targets", cli("targets", "--repo", str(repo), "--format", "json").stdout)
    planned = conforms(
        "targets-report", cli("plan", "--repo", str(repo), "--format", "json").stdout
    )
    for target in planned["targets"]:
        conforms("plan", json.dumps(target["report"]))
    applied = cli("apply", "--repo", str(repo), "--auto-approve", "--format", "json").stdout
    for target in conforms("targets-report", applied)["targets"]:
        conforms("report", json.dumps(target["report"]))
    drifted = cli("drift", "--repo", str(repo), "--format", "json").stdout
    for target in conforms("targets-report", drifted)["targets"]:
        conforms("drift", json.dumps(target["report"]))
