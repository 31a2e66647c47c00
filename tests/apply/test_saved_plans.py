"""`apply --plan FILE`: a saved plan applies only while live state and git still give it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.apply.helpers import (
    CARD,
    Aws,
    Cli,
    apply,
    card_arn,
    edit_owner,
    live_content,
    members,
    set_status,
    steps,
)


def test_stale_saved_plan_is_refused_and_a_current_one_applies(
    cli: Cli, applied: Path, aws: Aws, tmp_path: Path
) -> None:
    set_status(applied, "PendingReview")
    saved = tmp_path / "p.json"
    assert cli("plan", "--repo", str(applied), "--out", str(saved)).exit_code == 0
    # Someone promotes the card by hand after the plan was reviewed.
    aws("sagemaker").update_model_card(ModelCardName=CARD, ModelCardStatus="PendingReview")
    result = cli("apply", "--repo", str(applied), "--plan", str(saved), "--auto-approve")
    assert (result.exit_code, result.stdout) == (1, "")
    assert "plan is stale" in result.stderr
    assert f"only in the saved plan: card.{CARD} (update_status)" in result.stderr
    assert members(aws, "churn-test", "RESOURCE") == []

    current = tmp_path / "q.json"
    assert cli("plan", "--repo", str(applied), "--out", str(current)).exit_code == 0
    edit_owner(applied, "someone-else")  # git moves on after the plan
    result = cli("apply", "--repo", str(applied), "--plan", str(current), "--auto-approve")
    assert result.exit_code == 1
    assert f"only in a plan made now: card.{CARD} (update_content)" in result.stderr
    assert live_content(aws)["model_overview"]["model_owner"] == "model-owner"

    edit_owner(applied, "model-owner")
    code, report, _ = apply(cli, applied, "--plan", str(current))
    assert code == 0
    assert report["plan_checksum"] == json.loads(current.read_text())["checksum"]
    assert steps(report) == [("share.churn-test", "associate_resources", "done")]
    assert members(aws, "churn-test", "RESOURCE") == [card_arn()]


def test_a_consumer_edit_after_the_review_makes_the_saved_plan_stale(
    cli: Cli, applied: Path, aws: Aws, tmp_path: Path
) -> None:
    """Regression, as found: a saved plan updates the card's content; then a consumer (or
    anyone with UpdateModelCard) edits the same card through the API. The plan made now
    writes the same content, so its checksum matched and apply overwrote the edit nobody
    reviewed. The saved plan records the card's version and status it was computed from."""
    edit_owner(applied, "reviewed-owner")
    saved = tmp_path / "p.json"
    assert cli("plan", "--repo", str(applied), "--out", str(saved)).exit_code == 0
    basis = json.loads(saved.read_text())["basis"]
    assert basis[f"card.{CARD}"] == {"status": "Draft", "version": 1}
    edited = {**live_content(aws), "intended_uses": {"purpose_of_model": "a consumer's edit"}}
    aws("sagemaker").update_model_card(ModelCardName=CARD, Content=json.dumps(edited))
    result = cli("apply", "--repo", str(applied), "--plan", str(saved), "--auto-approve")
    assert (result.exit_code, result.stdout) == (1, "")
    assert "plan is stale" in result.stderr
    assert f"moved: card.{CARD}: version 1 → 2" in result.stderr
    assert live_content(aws)["intended_uses"] == {"purpose_of_model": "a consumer's edit"}


def test_a_change_to_a_resource_the_plan_does_not_touch_keeps_it_current(
    cli: Cli, applied: Path, aws: Aws, tmp_path: Path
) -> None:
    edit_owner(applied, "reviewed-owner")
    saved = tmp_path / "p.json"
    assert cli("plan", "--repo", str(applied), "--out", str(saved)).exit_code == 0
    assert set(json.loads(saved.read_text())["basis"]) == {f"card.{CARD}"}
    aws("sagemaker").create_model_card(  # a card the plan does not touch, made meanwhile
        ModelCardName="Someone-Else-Card", Content="{}", ModelCardStatus="Draft"
    )
    code, report, _ = apply(cli, applied, "--plan", str(saved))
    assert code == 0, report
    assert live_content(aws)["model_overview"]["model_owner"] == "reviewed-owner"
