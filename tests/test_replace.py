"""Replacing a card that is shared: a new KMS key (same name) or a rename (new name).

SageMaker can change neither, so the card is deleted and created again; RAM drops a
deleted card from its shares, so the plan associates the new card and never tries to
disassociate the deleted one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

CARD = "Customer-Churn-Model-Card"
OWNER = "111111111111"
Cli = Callable[..., Any]


def apply(cli: Cli, repo: Path, *flags: str) -> dict[str, Any]:
    result = cli(
        "apply", "--repo", str(repo), "--auto-approve", "--no-verify", "--format", "json", *flags
    )
    report: dict[str, Any] = json.loads(result.stdout)
    assert result.exit_code == 0, (result.stderr, report)
    return report


def dev_shared_arns(aws: Callable[..., Any]) -> list[str]:
    ram = aws("ram")
    share = ram.get_resource_shares(resourceOwner="SELF", name="churn-dev")["resourceShares"][0]
    associations = ram.get_resource_share_associations(
        associationType="RESOURCE",
        resourceShareArns=[share["resourceShareArn"]],
        associationStatus="ASSOCIATED",
    )["resourceShareAssociations"]
    return sorted(a["associatedEntity"] for a in associations)


def test_new_kms_key_replaces_the_card_and_keeps_it_shared(
    cli: Cli, example_repo: Path, card_account_env: str, aws: Callable[..., Any]
) -> None:
    apply(cli, example_repo, "--force")
    card = example_repo / "cards" / f"{CARD}.yaml"
    card.write_text(
        card.read_text().replace("status: Draft", "status: Draft\nkms_key_id: alias/model-cards")
    )
    plan = json.loads(cli("plan", "--repo", str(example_repo), "--format", "json").stdout)
    assert [(c["address"], c["action"]) for c in plan["changes"]] == [
        (f"card.{CARD}", "replace_card"),
        ("share.churn-dev", "associate_resources"),
    ]
    refused = cli("apply", "--repo", str(example_repo), "--auto-approve", "--no-verify")
    assert refused.exit_code == 1
    assert "version history" in refused.stdout
    report = apply(cli, example_repo, "--force")
    assert report["converged"] is True
    described = aws("sagemaker").describe_model_card(ModelCardName=CARD)
    assert described["SecurityConfig"] == {"KmsKeyId": "alias/model-cards"}
    assert dev_shared_arns(aws) == [f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/{CARD}"]


def test_rename_creates_the_new_card_shares_it_and_deletes_the_old(
    cli: Cli, example_repo: Path, card_account_env: str, aws: Callable[..., Any]
) -> None:
    apply(cli, example_repo, "--force")
    old = example_repo / "cards" / f"{CARD}.yaml"
    new_name = "Churn-Model-Card"
    text = old.read_text().replace(f"name: {CARD}", f"name: {new_name}\nprevious_names: [{CARD}]")
    old.unlink()
    (example_repo / "cards" / f"{new_name}.yaml").write_text(text)
    plan = json.loads(cli("plan", "--repo", str(example_repo), "--format", "json").stdout)
    assert [(c["address"], c["action"]) for c in plan["changes"]] == [
        (f"card.{new_name}", "replace_card"),
        ("share.churn-dev", "associate_resources"),
    ]
    report = apply(cli, example_repo, "--force")
    assert report["converged"] is True
    names = [c["ModelCardName"] for c in aws("sagemaker").list_model_cards()["ModelCardSummaries"]]
    assert names == [new_name]
    assert dev_shared_arns(aws) == [f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/{new_name}"]
