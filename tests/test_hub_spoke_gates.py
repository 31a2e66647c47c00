"""Promotion gates in the hub: a replica is held to what ``lifecycle.requirements`` asks of
the status it would take. Spoke us trusts its cards' live status, so a card approved
there through the API would be an Approved replica in the hub: while it lacks what an
Approved card must hold, the hub's plan holds that replica back with an error naming the
requirement, the other replicas go on, a hub share of Approved cards does not take it, and
once the spoke card holds it the replica is applied and shared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.test_hub_spoke import (
    HUB,
    US,
    Cli,
    apply,
    content,
    replica,
    repo,
    sagemaker,
    shared_cards,
)

__all__ = ["repo"]  # the hub-and-spoke repository fixture

GATES = """\
lifecycle:
  requirements:
    Approved:
      - id: owned
        path: model_overview.model_owner
        message: every Approved card names who answers for the model
      - id: risk-rated
        path: intended_uses.risk_rating
        message: every Approved card carries a risk rating
"""


def hub_report(cli: Cli, repo: Path) -> tuple[int, dict[str, Any]]:
    result = cli("plan", "--repo", str(repo), "--target", "hub", "--format", "json")
    report: dict[str, Any] = json.loads(result.stdout)["targets"][0]["report"]
    return result.exit_code, report


def test_a_replica_that_would_be_approved_without_its_evidence_is_held_back(
    cli: Cli, repo: Path, sandbox: Any
) -> None:
    config = repo / "reconciler.yaml"
    config.write_text(config.read_text() + GATES)
    (repo / "shares" / "approved.yaml").write_text(
        "name: approved\ntargets: [hub]\nprincipals: [test]\n"
        "cards: {status: [Approved]}\n"
        "permission: AWSRAMPermissionSageMakerModelCards\n"
    )
    apply(cli, repo, "--target", "eu")  # spoke eu's git card Fraud, live to replicate
    us = sagemaker(sandbox, US, "us-west-2")
    us.create_model_card(ModelCardName="Risk", Content=content("us-ds"), ModelCardStatus="Draft")
    us.update_model_card(ModelCardName="Risk", ModelCardStatus="Approved")

    code, report = hub_report(cli, repo)
    assert code == 1
    (error,) = report["errors"]
    assert (error["file"], error["code"]) == ("reconciler.yaml", "replica")
    assert "replica 'us-Risk'" in error["message"] and "would be Approved" in error["message"]
    assert "requires 'risk-rated' (intended_uses.risk_rating" in error["message"]
    planned = {(c["address"], c["action"]) for c in report["changes"]}
    assert ("card.eu-Fraud", "replicate_card") in planned  # the other replicas go on
    assert not [c for c in report["changes"] if c["address"] == "card.us-Risk"]
    (share,) = [c for c in report["changes"] if c["address"] == "share.approved"]
    assert "us-Risk" not in json.dumps(share)

    applied = cli("apply", "--repo", str(repo), "--auto-approve", "--format", "json")
    assert applied.exit_code == 1, applied.stderr
    hub = sagemaker(sandbox, HUB, "us-east-1")
    names = {c["ModelCardName"] for c in hub.list_model_cards()["ModelCardSummaries"]}
    assert names == {"eu-Fraud"}  # the held replica was not written, not even as Draft

    rated = {"model_overview": {"model_owner": "us-ds"}, "intended_uses": {"risk_rating": "Low"}}
    us.update_model_card(ModelCardName="Risk", Content=json.dumps(rated))
    code, report = hub_report(cli, repo)
    assert (code, report["errors"]) == (0, [])
    apply(cli, repo, "--target", "hub")
    card, _ = replica(sandbox, "us-Risk")
    assert card["ModelCardStatus"] == "Approved"
    assert json.loads(card["Content"])["intended_uses"] == {"risk_rating": "Low"}
    assert shared_cards(sandbox, "approved") == {card["ModelCardArn"]}
