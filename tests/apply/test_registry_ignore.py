"""``ignore`` on a card embedded in a model version, as on a standalone card: a field the
training pipeline or a person writes in Studio under an ignored path is never planned,
reported as drift or pulled into git, and an update of other content keeps it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.apply.helpers import Aws, Cli, apply
from tests.apply.registry_helpers import GROUP, REVIEWED, declare, described, plan, register
from tests.apply.test_promotion_gates import evaluation

IGNORING = REVIEWED.replace(
    "      status: PendingReview\n",
    "      status: PendingReview\n      ignore: [evaluation_details]\n",
)


def version_fields(found: dict[str, Any]) -> list[str]:
    return [
        f["path"]
        for c in found["changes"]
        if c["address"] == f"version.{GROUP}/2"
        for f in c["fields"]
    ]


def studio_writes(aws: Aws, arn: str, **changes: Any) -> dict[str, Any]:
    """A person in Studio changes top-level sections of the version's card content."""
    content: dict[str, Any] = json.loads(described(aws, arn)["ModelCard"]["ModelCardContent"])
    content.update(changes)
    studio = aws("sagemaker", role="ConsoleAdmin")
    studio.update_model_package(
        ModelPackageArn=arn, ModelCard={"ModelCardContent": json.dumps(content)}
    )
    return content


def test_an_ignored_path_of_a_version_card_is_neither_planned_nor_pulled_and_is_kept(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    arns = register(aws)
    declare(repo, IGNORING)
    code, report, stderr = apply(cli, repo, "--force")
    assert (code, report["converged"]) == (0, True), stderr
    holdout = evaluation(0.91)
    studio_writes(aws, arns[1], evaluation_details=holdout)
    code, found = plan(cli, repo)
    assert (code, version_fields(found)) == (0, []), found["changes"]
    assert cli("drift", "--repo", str(repo), "--format", "json").exit_code == 0
    file = repo / "registry" / f"{GROUP}.yaml"
    before = file.read_text()
    pulled = cli("pull", "--repo", str(repo), "--group", GROUP)
    assert f"skipped: {GROUP}: live content already matches git" in pulled.stderr
    assert file.read_text() == before

    # A change beside it is pulled, the ignored section still is not.
    uses = {"risk_rating": "Medium", "intended_uses": "Weekly scoring"}
    studio_writes(aws, arns[1], intended_uses=uses)
    code, found = plan(cli, repo)
    assert version_fields(found) == ["$.content.intended_uses.risk_rating"]
    pulled = cli("pull", "--repo", str(repo), "--group", GROUP)
    assert f"updated: registry/{GROUP}.yaml: version 2 (card content)" in pulled.stdout
    text = file.read_text()
    assert text == before.replace("risk_rating: Low", "risk_rating: Medium")

    # Git changes other content: apply writes it and keeps what Studio wrote.
    file.write_text(text.replace("risk_rating: Medium", "risk_rating: Low"))
    code, report, stderr = apply(cli, repo)
    assert (code, report["converged"]) == (0, True), stderr
    content = json.loads(described(aws, arns[1])["ModelCard"]["ModelCardContent"])
    assert content["intended_uses"] == {**uses, "risk_rating": "Low"}
    assert content["evaluation_details"] == holdout
    assert version_fields(plan(cli, repo)[1]) == []
