"""Hub and spoke, attacked: what a hub holds and shares onward went through review.

A spoke card encrypted with the spoke's customer-managed key is replicated only under the
hub key the spoke's entry names (``replica_kms_key_id``); without one it is a plan error
on that replica, never a copy with less protection, and the hub's other replicas go on. A
spoke API user who sets a card git does not declare to Approved gets a replica held at
Draft, and the hub share that takes Approved cards to prod never holds it.

Each test first does what the attacker (or the careless user) did when the hole was found,
then checks what stops it, through the real CLI against the sandbox.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.test_hub_spoke import (
    CONFIG,
    EU,
    HUB,
    US,
    Cli,
    apply,
    card_text,
    content,
    hub_plan,
    replica,
    sagemaker,
    shared_cards,
)
from tests.test_iam_enforced import create_role

PROD = "444444444444"
TO_PROD = (
    "name: to-prod\ntargets: [hub]\nprincipals: [prod]\n"
    "cards: {status: [Approved]}\npermission: AWSRAMPermissionSageMakerModelCards\n"
)


@pytest.fixture
def repo(tmp_path: Path, card_account_env: str, trusted_role: Callable[..., str]) -> Path:
    """A hub with spokes eu (which does not trust live status) and us (which does), a git
    card in eu, and a hub share of every Approved card and replica to prod."""
    for spoke in (EU, US):
        trusted_role(spoke, "reconciler")
    root = tmp_path / "repo"
    (root / "cards").mkdir(parents=True)
    (root / "shares").mkdir()
    (root / "reconciler.yaml").write_text(CONFIG + f'  prod: {{id: "{PROD}"}}\n')
    (root / "cards" / "Fraud.yaml").write_text(card_text("Fraud", "eu", "eu-team"))
    (root / "shares" / "to-prod.yaml").write_text(TO_PROD)
    return root


def hub_report(cli: Cli, repo: Path) -> tuple[int, dict[str, Any]]:
    """The hub's plan as JSON, errors or not: exit code and report."""
    result = cli("plan", "--repo", str(repo), "--target", "hub", "--format", "json")
    assert result.stdout, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)["targets"][0]["report"]
    return result.exit_code, report


def hub_cards(sandbox: Any) -> set[str]:
    listed = sagemaker(sandbox, HUB, "us-east-1").list_model_cards()["ModelCardSummaries"]
    return {c["ModelCardName"] for c in listed}


def spoke_key(sandbox: Any) -> str:
    """A customer-managed key of spoke eu, whose default key policy lets eu's IAM decide."""
    kms = sandbox.client("kms", account=EU, region="eu-west-1")
    arn: str = kms.create_key(Description="eu model cards")["KeyMetadata"]["Arn"]
    return arn


def hub_key(sandbox: Any) -> str:
    """The hub's key for replicas, as a user makes it: the default key policy, which lets
    the hub account's IAM policies (the printed apply policy) decide."""
    kms = sandbox.client("kms", account=HUB, region="us-east-1")
    arn: str = kms.create_key(Description="hub replicas")["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/replicas", TargetKeyId=arn)
    return arn


def name_replica_key(repo: Path, key: str) -> None:
    """Spoke eu's entry in reconciler.yaml names the hub's key for its replicas."""
    text = (repo / "reconciler.yaml").read_text()
    anchor = "    region: eu-west-1\n"
    assert anchor in text
    (repo / "reconciler.yaml").write_text(
        text.replace(anchor, f"{anchor}    replica_kms_key_id: {key}\n", 1)
    )


def run_under_printed_policies(cli: Cli, repo: Path, aws: Callable[..., Any]) -> None:
    """The hub applies with its printed apply policy and reads eu through eu's printed
    plan policy, the roles made as a user makes them (CreateRole, PutRolePolicy)."""

    def role(target: str, kind: str, account: str) -> str:
        policy = cli("iam-policy", "--role", kind, "--target", target, "--repo", str(repo))
        assert policy.exit_code == 0, policy.stderr
        return create_role(aws, account, f"{target}-{kind}", json.loads(policy.stdout))

    hub, eu = role("hub", "apply", HUB), role("eu", "plan", EU)
    text = (repo / "reconciler.yaml").read_text()
    text = text.replace(f'{{id: "{HUB}"}}', f'{{id: "{HUB}", role_arn: "{hub}"}}')
    text = text.replace(f"arn:aws:iam::{EU}:role/reconciler", eu)
    (repo / "reconciler.yaml").write_text(text)


def test_a_spoke_card_under_its_own_key_is_replicated_only_under_the_hub_key_named(
    cli: Cli, repo: Path, sandbox: Any, aws: Callable[..., Any]
) -> None:
    """As found: a spoke data scientist encrypts a card with the spoke's customer-managed
    key, and the hub replicated it with no SecurityConfig, under SageMaker's own key. Now
    the replica is a plan error naming ``replica_kms_key_id`` while the other replicas go
    on; once eu's entry names the hub's key, apply creates the replica under that key."""
    eu = sagemaker(sandbox, EU, "eu-west-1")
    source = eu.create_model_card(
        ModelCardName="Secret",
        Content=content("eu-ds"),
        ModelCardStatus="Draft",
        SecurityConfig={"KmsKeyId": spoke_key(sandbox)},
    )["ModelCardArn"]
    eu.create_model_card(ModelCardName="Open", Content=content("eu-ds"), ModelCardStatus="Draft")

    code, report = hub_report(cli, repo)
    assert code == 1
    (error,) = report["errors"]
    assert (error["file"], error["path"]) == ("reconciler.yaml", "$.targets.eu")
    assert f"spoke card {source} is encrypted with the customer-managed key" in error["message"]
    assert "replica_kms_key_id under targets.eu" in error["message"]
    planned = {(c["address"], c["action"]) for c in report["changes"]}
    assert ("card.eu-Open", "replicate_card") in planned  # the other replicas go on
    assert not [c for c in report["changes"] if c["address"] == "card.eu-Secret"]
    held = cli("apply", "--repo", str(repo), "--target", "hub", "--auto-approve")
    assert held.exit_code == 1
    assert hub_cards(sandbox) == {"eu-Open"}  # no copy under a weaker key

    key = hub_key(sandbox)
    name_replica_key(repo, key)
    run_under_printed_policies(cli, repo, aws)
    (change,) = [c for c in hub_plan(cli, repo) if c["address"] == "card.eu-Secret"]
    assert (change["action"], change["reason"]) == ("replicate_card", "source_new")
    apply(cli, repo, "--target", "hub")
    card, _ = replica(sandbox, "eu-Secret")
    assert card["SecurityConfig"] == {"KmsKeyId": key}
    assert json.loads(card["Content"]) == {"model_overview": {"model_owner": "eu-ds"}}
    assert hub_plan(cli, repo) == []


def prod_sees(sandbox: Any) -> set[str]:
    """The model cards shared with prod, as prod's RAM lists them."""
    ram = sandbox.client("ram", account=PROD, region="us-east-1")
    listed = ram.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"]
    return {r["arn"] for r in listed}


def test_a_spoke_api_user_who_approves_a_card_does_not_reach_prod(
    cli: Cli, repo: Path, sandbox: Any
) -> None:
    """As found: a data scientist of spoke eu (which does not trust live status) creates a
    card through the API and walks it to Approved; the hub replicated the live status and
    its share of Approved cards took it to prod with no pull request. Now the replica is
    held at Draft, the plan says why, and prod never gets it, while the card git approved
    in the same spoke reaches prod through the same share."""
    (repo / "cards" / "Fraud.yaml").write_text(card_text("Fraud", "eu", "eu-team", "Approved"))
    eu = sagemaker(sandbox, EU, "eu-west-1")
    eu.create_model_card(ModelCardName="Shadow", Content=content("x"), ModelCardStatus="Draft")
    for status in ("PendingReview", "Approved"):
        eu.update_model_card(ModelCardName="Shadow", ModelCardStatus=status)
    assert eu.describe_model_card(ModelCardName="Shadow")["ModelCardStatus"] == "Approved"

    apply(cli, repo, "--target", "eu")
    changes = hub_plan(cli, repo)
    (change,) = [c for c in changes if c["address"] == "card.eu-Shadow"]
    assert (change["action"], change["reason"]) == ("replicate_card", "source_new")
    assert (
        "held at Draft: the spoke card is Approved, a status no reviewed commit"
        in (change["detail"])
    )
    assert {"path": "$.status", "after": "Draft"} in change["fields"]
    (share,) = [c for c in changes if c["address"] == "share.to-prod"]
    shadow = f"arn:aws:sagemaker:us-east-1:{HUB}:model-card/eu-Shadow"
    fraud = f"arn:aws:sagemaker:us-east-1:{HUB}:model-card/eu-Fraud"
    assert shadow not in json.dumps(share) and fraud in json.dumps(share)

    apply(cli, repo, "--target", "hub")
    assert replica(sandbox, "eu-Shadow")[0]["ModelCardStatus"] == "Draft"
    assert replica(sandbox, "eu-Fraud")[0]["ModelCardStatus"] == "Approved"
    assert shared_cards(sandbox, "to-prod") == {fraud}
    assert prod_sees(sandbox) == {fraud}
    assert hub_plan(cli, repo) == []  # held, not drift: nothing to do until git says so
