"""Applying model versions while SageMaker throttles: several versions updated in
parallel, each part retried with backoff, the run converges and each version's approval is
set once (CloudTrail, through `reconciler history`)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from reconciler.live.cloudtrail import SPACING
from reconciler.sandbox.faults import FaultSettings
from tests.apply.helpers import Aws, Cli, Retry, apply
from tests.apply.registry_helpers import GROUP, described, plan, register
from tests.apply.test_registry_versions import HOLDOUT


def versions(card: str, approval: str) -> str:
    """Versions 1 to 3, each with a filled card in ``card``, approval and a stage."""
    text = "versions:\n"
    for number in (1, 2, 3):
        text += (
            f"  - version: {number}\n    approval: {approval}\n"
            "    stage: {name: QA, status: InProgress}\n"
            f"    card:\n      status: {card}\n      content:\n"
            "        model_overview: {model_creator: pipeline}\n"
            "        intended_uses: {risk_rating: Low, intended_uses: Weekly scoring}\n"
        )
        text += HOLDOUT if card == "Approved" else ""
    return text


def approvals_set(cli: Cli, repo: Path, number: int) -> int:
    """How many calls CloudTrail records that set the version's approval. Each run is a
    new client: it waits out CloudTrail's lookup rate, which the run before used (the
    ``retries`` fixture skips botocore's backoff)."""
    time.sleep(SPACING)
    result = cli("history", f"{GROUP}/{number}", "--repo", str(repo), "--format", "json")
    assert result.exit_code == 0, result.stderr
    events: list[dict[str, Any]] = json.loads(result.stdout)["events"]
    return sum("approval" in e["parts"] for e in events)


def test_versions_applied_in_parallel_under_throttling_converge_approving_once(
    cli: Cli, repo: Path, aws: Aws, sandbox: Any, retries: list[Retry]
) -> None:
    arns = register(aws)
    (repo / "registry").mkdir()
    registry = repo / "registry" / f"{GROUP}.yaml"
    sandbox.faults.apply(FaultSettings(seed=5, throttle_rate={"sagemaker:*": 0.4}))
    for card, approval in (("PendingReview", "PendingManualApproval"), ("Approved", "Approved")):
        registry.write_text(f"name: {GROUP}\n" + versions(card, approval))
        code, report, stderr = apply(cli, repo, "--force", "--parallelism", "4", "--no-verify")
        assert (code, report["converged"]) == (0, True), stderr
        done = [s["address"] for s in report["steps"] if s["status"] == "done"]
        assert {f"version.{GROUP}/{n}" for n in (1, 2, 3)} <= set(done)
    throttled = {r.operation for r in retries if r.code == "ThrottlingException"}
    assert "UpdateModelPackage" in throttled
    sandbox.faults.apply(FaultSettings())
    assert not [c for c in plan(cli, repo)[1]["changes"] if c["address"].startswith("version.")]
    for number, arn in enumerate(arns, start=1):
        after = described(aws, arn)
        assert (after["ModelApprovalStatus"], after["ModelCard"]["ModelCardStatus"]) == (
            "Approved",
            "Approved",
        )
        assert approvals_set(cli, repo, number) == 1
