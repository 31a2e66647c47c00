"""Hub and spoke: the hub holds a replica of every live card of its spokes, with the
spoke's content and status and the source card's ARN and version in tags. One apply over
every target creates a spoke's git card and replicates it in the same run; the hub's plan
shows replicate_card for a content edit or a status change made in a spoke through the
API; a replica edited by hand in the hub is drift that the next apply restores; a replica
whose source is gone is removed only with --prune; a hub share selects replicas by name
and by status.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.test_iam_enforced import create_role
from tests.test_output_schemas import conforms

Cli = Callable[..., Any]

HUB, EU, US, TEST = "111111111111", "666666666666", "777777777777", "333333333333"
REPLICA_OF, REPLICA_VERSION = "reconciler-replica-of", "reconciler-replica-version"

CONFIG = f"""\
targets:
  hub:
    card_account: {{id: "{HUB}"}}
    region: us-east-1
  eu:
    card_account: {{id: "{EU}", role_arn: "arn:aws:iam::{EU}:role/reconciler"}}
    region: eu-west-1
    hub: hub
  us:
    card_account: {{id: "{US}", role_arn: "arn:aws:iam::{US}:role/reconciler"}}
    region: us-west-2
    hub: hub
    trust_live_status: true
accounts:
  test: {{id: "{TEST}"}}
"""


def card_text(name: str, target: str, owner: str, status: str = "Draft") -> str:
    return (
        f"name: {name}\ntargets: [{target}]\nstatus: {status}\n"
        f"content:\n  model_overview:\n    model_owner: {owner}\n"
    )


@pytest.fixture
def repo(tmp_path: Path, card_account_env: str, trusted_role: Callable[..., str]) -> Path:
    """A git card in spoke eu, a hub share of eu's replica (by name) and one of every
    PendingReview card and replica (by status). Spoke us trusts its cards' live status;
    eu does not. Each spoke's ``reconciler`` role trusts the hub account."""
    for spoke in (EU, US):
        trusted_role(spoke, "reconciler")
    root = tmp_path / "repo"
    (root / "cards").mkdir(parents=True)
    (root / "shares").mkdir()
    (root / "reconciler.yaml").write_text(CONFIG)
    (root / "cards" / "Fraud.yaml").write_text(card_text("Fraud", "eu", "eu-team"))
    (root / "shares" / "central.yaml").write_text(
        "name: central\ntargets: [hub]\nprincipals: [test]\n"
        "cards: {status: [PendingReview]}\n"
        "permission: AWSRAMPermissionSageMakerModelCards\n"
    )
    (root / "shares" / "fraud.yaml").write_text(
        "name: fraud\ntargets: [hub]\nprincipals: [test]\n"
        "cards: {names: [eu-Fraud]}\n"
        "permission: AWSRAMPermissionSageMakerModelCards\n"
    )
    return root


def sagemaker(sandbox: Any, account: str, region: str) -> Any:
    return sandbox.client("sagemaker", account=account, region=region)


def replica(sandbox: Any, name: str) -> tuple[dict[str, Any], dict[str, str]]:
    client = sagemaker(sandbox, HUB, "us-east-1")
    card = client.describe_model_card(ModelCardName=name)
    tags = client.list_tags(ResourceArn=card["ModelCardArn"])["Tags"]
    return card, {t["Key"]: t["Value"] for t in tags}


def apply(cli: Cli, repo: Path, *args: str) -> dict[str, Any]:
    result = cli("apply", "--repo", str(repo), "--auto-approve", "--format", "json", *args)
    assert result.exit_code == 0, result.stdout + result.stderr
    return {t["name"]: t["report"] for t in json.loads(result.stdout)["targets"]}


def hub_plan(cli: Cli, repo: Path, *args: str) -> list[dict[str, Any]]:
    result = cli("plan", "--repo", str(repo), "--target", "hub", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    report = conforms("targets-report", result.stdout)["targets"][0]["report"]
    changes: list[dict[str, Any]] = conforms("plan", json.dumps(report))["changes"]
    return changes


def content(owner: str) -> str:
    return json.dumps({"model_overview": {"model_owner": owner}})


def test_replicas_follow_their_spoke_cards(cli: Cli, repo: Path, sandbox: Any) -> None:
    us = sagemaker(sandbox, US, "us-west-2")
    risk = us.create_model_card(
        ModelCardName="Risk", Content=content("us-ds"), ModelCardStatus="Draft"
    )

    # One apply: eu creates Fraud from git, then the hub replicates it and us's Risk.
    reports = apply(cli, repo)
    assert list(reports) == ["eu", "us", "hub"]
    fraud, tags = replica(sandbox, "eu-Fraud")
    source = sagemaker(sandbox, EU, "eu-west-1").describe_model_card(ModelCardName="Fraud")
    assert json.loads(fraud["Content"]) == json.loads(source["Content"])
    assert tags[REPLICA_OF] == source["ModelCardArn"] and tags[REPLICA_VERSION] == "1"
    _, risk_tags = replica(sandbox, "us-Risk")
    assert risk_tags[REPLICA_OF] == risk["ModelCardArn"]
    assert hub_plan(cli, repo) == []

    # A spoke data scientist edits Risk through the API: a newer version to replicate.
    us.update_model_card(ModelCardName="Risk", Content=content("us-ds-2"))
    (change,) = hub_plan(cli, repo)
    assert (change["address"], change["action"], change["reason"]) == (
        "card.us-Risk",
        "replicate_card",
        "source_updated",
    )
    assert {
        "path": "$.content.model_overview.model_owner",
        "before": "us-ds",
        "after": "us-ds-2",
    } in change["fields"]
    apply(cli, repo, "--target", "hub")
    card, tags = replica(sandbox, "us-Risk")
    assert json.loads(card["Content"])["model_overview"]["model_owner"] == "us-ds-2"
    assert tags[REPLICA_VERSION] == "2"

    # A new status in the spoke; the hub share selects PendingReview replicas.
    us.update_model_card(ModelCardName="Risk", ModelCardStatus="PendingReview")
    reasons = {(c["address"], c["action"], c["reason"]) for c in hub_plan(cli, repo)}
    assert ("card.us-Risk", "replicate_card", "source_status") in reasons
    apply(cli, repo, "--target", "hub")
    assert replica(sandbox, "us-Risk")[0]["ModelCardStatus"] == "PendingReview"
    assert shared_cards(sandbox) == {card["ModelCardArn"]}
    assert shared_cards(sandbox, "fraud") == {replica(sandbox, "eu-Fraud")[0]["ModelCardArn"]}

    # The source is gone: the replica stays until --prune.
    us.delete_model_card(ModelCardName="Risk")
    sandbox.advance(60)
    kept = cli("plan", "--repo", str(repo), "--target", "hub", "--format", "json")
    report = json.loads(kept.stdout)["targets"][0]["report"]
    assert [(c["address"], c["action"]) for c in report["changes"]] == [
        ("share.central", "disassociate_resources")  # no longer selected by its status
    ]
    assert f"replica 'us-Risk' stands for {risk['ModelCardArn']}, which is gone" in str(
        report["warnings"]
    )
    deleting = [c for c in hub_plan(cli, repo, "--prune") if c["address"] == "card.us-Risk"]
    assert [(c["action"], c["reason"]) for c in deleting] == [("delete_card", "source_gone")]
    apply(cli, repo, "--target", "hub", "--prune")
    names = sagemaker(sandbox, HUB, "us-east-1").list_model_cards()["ModelCardSummaries"]
    assert {c["ModelCardName"] for c in names} == {"eu-Fraud"}


def shared_cards(sandbox: Any, name: str = "central") -> set[str]:
    ram = sandbox.client("ram", account=HUB, region="us-east-1")
    share = ram.get_resource_shares(resourceOwner="SELF", name=name)["resourceShares"][0]
    found = ram.get_resource_share_associations(
        associationType="RESOURCE", resourceShareArns=[share["resourceShareArn"]]
    )["resourceShareAssociations"]
    return {a["associatedEntity"] for a in found if a["status"] == "ASSOCIATED"}


def test_a_replica_edited_in_the_hub_is_drift_and_apply_restores_it(
    cli: Cli, repo: Path, sandbox: Any
) -> None:
    apply(cli, repo)
    hub = sagemaker(sandbox, HUB, "us-east-1")
    hub.update_model_card(ModelCardName="eu-Fraud", Content=content("someone-in-the-hub"))
    drift = cli("drift", "--repo", str(repo), "--target", "hub", "--format", "json")
    assert drift.exit_code == 2
    (item,) = json.loads(drift.stdout)["targets"][0]["report"]["items"]
    assert (item["address"], item["kind"]) == ("card.eu-Fraud", "replica")
    (change,) = hub_plan(cli, repo)
    assert change["reason"] == "replica_edited"
    apply(cli, repo)
    card, tags = replica(sandbox, "eu-Fraud")
    assert json.loads(card["Content"])["model_overview"]["model_owner"] == "eu-team"
    assert tags[REPLICA_VERSION] == "1"


def test_a_replica_name_that_would_not_fit_is_an_error_on_the_card(cli: Cli, repo: Path) -> None:
    long = "F" * 61
    (repo / "cards" / f"{long}.yaml").write_text(card_text(long, "eu", "x"))
    result = cli("validate", "--repo", str(repo))
    assert result.exit_code == 1
    assert (
        f"cards/{long}.yaml:1:7: error: $.name: its replica in hub 'hub' would be named "
        f"'eu-{long}' (64 characters); SageMaker allows 63" in result.stdout
    )


def test_replication_runs_under_the_printed_policies(
    cli: Cli, repo: Path, sandbox: Any, aws: Callable[..., Any]
) -> None:
    """The hub applies with its printed apply policy and reads each spoke through the
    spoke's printed plan policy, with the sandbox enforcing IAM: creating, updating and
    pruning replicas needs nothing more."""
    (repo / "shares" / "central.yaml").unlink()
    (repo / "shares" / "fraud.yaml").unlink()

    def role(target: str, kind: str, account: str) -> str:
        policy = cli("iam-policy", "--role", kind, "--target", target, "--repo", str(repo))
        assert policy.exit_code == 0, policy.stderr
        return create_role(aws, account, f"{target}-{kind}", json.loads(policy.stdout))

    roles = {
        "hub": role("hub", "apply", HUB),
        "eu": role("eu", "plan", EU),
        "us": role("us", "plan", US),
    }
    text = (repo / "reconciler.yaml").read_text()
    text = text.replace(f'{{id: "{HUB}"}}', f'{{id: "{HUB}", role_arn: "{roles["hub"]}"}}')
    for target, account in (("eu", EU), ("us", US)):
        text = text.replace(f"arn:aws:iam::{account}:role/reconciler", roles[target])
    (repo / "reconciler.yaml").write_text(text)
    us = sagemaker(sandbox, US, "us-west-2")
    us.create_model_card(ModelCardName="Risk", Content=content("us-ds"), ModelCardStatus="Draft")

    apply(cli, repo, "--target", "hub")
    us.update_model_card(ModelCardName="Risk", Content=content("us-ds-2"))
    us.update_model_card(ModelCardName="Risk", ModelCardStatus="PendingReview")
    apply(cli, repo, "--target", "hub")
    card, tags = replica(sandbox, "us-Risk")
    assert (card["ModelCardStatus"], tags[REPLICA_VERSION]) == ("PendingReview", "2")
    us.delete_model_card(ModelCardName="Risk")
    sandbox.advance(60)
    apply(cli, repo, "--target", "hub", "--prune")
    names = sagemaker(sandbox, HUB, "us-east-1").list_model_cards()["ModelCardSummaries"]
    assert [c["ModelCardName"] for c in names] == []

    # The spoke's role is what reads its cards: without its policy the hub cannot.
    nothing = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}],
    }
    aws("iam", account=US).put_role_policy(
        RoleName="us-plan", PolicyName="reconciler", PolicyDocument=json.dumps(nothing)
    )
    denied = cli("plan", "--repo", str(repo), "--target", "hub")
    assert denied.exit_code == 1
    assert "AccessDenied" in denied.stderr and "reading spoke 'us'" in denied.stderr


def test_two_spoke_cards_under_one_replica_name_hold_back_only_that_replica(
    cli: Cli, repo: Path, sandbox: Any
) -> None:
    text = (
        (repo / "reconciler.yaml")
        .read_text()
        .replace("hub: hub", 'hub: hub\n    replica_name: "{card}"')
    )
    (repo / "reconciler.yaml").write_text(text)
    for account, region in ((EU, "eu-west-1"), (US, "us-west-2")):
        sagemaker(sandbox, account, region).create_model_card(
            ModelCardName="Same", Content=content("x"), ModelCardStatus="Draft"
        )
    sagemaker(sandbox, EU, "eu-west-1").create_model_card(
        ModelCardName="Unique", Content=content("x"), ModelCardStatus="Draft"
    )
    result = cli("plan", "--repo", str(repo), "--target", "hub", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)["targets"][0]["report"]
    (error,) = report["errors"]
    assert "would both be replicated as 'Same': neither is" in error["message"]
    assert "another replica_name" in error["message"]
    planned = {(c["address"], c["action"]) for c in report["changes"]}
    assert ("card.Unique", "replicate_card") in planned  # the other replicas go on
    assert not [c for c in report["changes"] if c["address"] == "card.Same"]


def test_a_spoke_api_user_cannot_approve_what_the_hub_shares(
    cli: Cli, repo: Path, sandbox: Any
) -> None:
    """Attack: a data scientist of spoke eu (which does not trust live status) creates a
    card through the API and sets it PendingReview. The hub's replica is held at Draft,
    the plan says why, and the share that takes PendingReview cards does not get it."""
    eu = sagemaker(sandbox, EU, "eu-west-1")
    eu.create_model_card(ModelCardName="Shadow", Content=content("x"), ModelCardStatus="Draft")
    eu.update_model_card(ModelCardName="Shadow", ModelCardStatus="PendingReview")
    (change,) = [c for c in hub_plan(cli, repo) if c["address"] == "card.eu-Shadow"]
    assert change["action"] == "replicate_card"
    assert "held at Draft: the spoke card is PendingReview" in change["detail"]
    apply(cli, repo)
    assert replica(sandbox, "eu-Shadow")[0]["ModelCardStatus"] == "Draft"
    shadow = replica(sandbox, "eu-Shadow")[0]["ModelCardArn"]
    assert shadow not in shared_cards(sandbox)
    assert hub_plan(cli, repo) == []  # held, not drift: nothing to do until git says so


def test_what_a_spoke_wrote_in_the_same_run_is_replicated_before_search_shows_it(
    cli: Cli, repo: Path, sandbox: Any
) -> None:
    """The hub reads its spokes with Search, whose index lags behind writes: what the
    spoke's apply just created or changed is read from the card store, so one apply
    replicates it, and the next plan finds nothing to do."""
    sandbox.configure(replace(sandbox.config, search_index_delay_seconds=3600))
    apply(cli, repo)
    fraud, tags = replica(sandbox, "eu-Fraud")
    assert json.loads(fraud["Content"])["model_overview"]["model_owner"] == "eu-team"
    (repo / "cards" / "Fraud.yaml").write_text(card_text("Fraud", "eu", "eu-team-2"))
    apply(cli, repo)
    fraud, tags = replica(sandbox, "eu-Fraud")
    assert json.loads(fraud["Content"])["model_overview"]["model_owner"] == "eu-team-2"
    assert tags[REPLICA_VERSION] == "2"
    assert hub_plan(cli, repo) == []
