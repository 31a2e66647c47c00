"""Changing a card in git after the first apply: a content edit that keeps the fields
owned outside git, promotions and a demotion that move the card between shares, and a
status change the lifecycle forbids.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.apply.helpers import (
    CARD,
    CARD_FILE,
    DESCRIBE,
    DEV,
    PROD,
    READER,
    UPDATE,
    Aws,
    Cli,
    add_card,
    apply,
    card_arn,
    card_exists,
    consumer,
    edit_owner,
    error_code,
    live_content,
    members,
    set_status,
    steps,
    versions,
)


def test_content_edit_writes_one_version_and_keeps_ignored_fields(
    cli: Cli, applied: Path, aws: Aws
) -> None:
    content = live_content(aws)
    evaluation = [{"name": "holdout-2026-11", "evaluation_observation": "AUC 0.91"}]
    content["evaluation_details"] = evaluation  # written by the training pipeline
    aws("sagemaker").update_model_card(ModelCardName=CARD, Content=json.dumps(content))
    assert versions(aws) == 2
    edit_owner(applied, "churn-platform")
    code, report, _ = apply(cli, applied)
    assert code == 0
    assert steps(report) == [(f"card.{CARD}", "update_content", "done")]
    assert report["converged"] is True
    assert versions(aws) == 3
    after = live_content(aws)
    assert after["model_overview"]["model_owner"] == "churn-platform"
    assert after["evaluation_details"] == evaluation
    assert after["intended_uses"] == content["intended_uses"]


def test_promotions_add_the_card_to_test_then_prod_read_only_and_demotion_removes_it(
    cli: Cli, applied: Path, aws: Aws
) -> None:
    set_status(applied, "PendingReview")
    code, report, _ = apply(cli, applied)
    assert code == 0
    assert steps(report) == [
        (f"card.{CARD}", "update_status", "done"),
        ("share.churn-test", "associate_resources", "done"),
    ]
    assert members(aws, "churn-test", "RESOURCE") == [card_arn()]
    assert members(aws, "churn-prod", "RESOURCE") == []
    assert consumer(report, "test")["visible"] == [CARD]

    set_status(applied, "Approved")
    code, report, _ = apply(cli, applied)
    assert code == 0
    assert steps(report) == [
        (f"card.{CARD}", "update_status", "done"),
        ("share.churn-prod", "associate_resources", "done"),
    ]
    assert members(aws, "churn-prod", "RESOURCE") == [card_arn()]
    prod = aws("sagemaker", PROD, role=READER)
    assert prod.describe_model_card(ModelCardName=card_arn())["ModelCardStatus"] == "Approved"
    before = versions(aws)
    # The sandbox's enforcement of read-only, not the reconciler: this write must be denied.
    assert (
        error_code(lambda: prod.update_model_card(ModelCardName=card_arn(), Content=json.dumps({})))
        == "AccessDeniedException"
    )
    checked = consumer(report, "prod")
    assert (checked["visible"], checked["permission"]) == ([CARD], "read-only")
    assert UPDATE not in checked["actions"] and DESCRIBE in checked["actions"]
    assert versions(aws) == before  # the denied write left no version and no content
    assert live_content(aws)["model_overview"]["model_owner"] == "model-owner"

    set_status(applied, "PendingReview")
    code, report, _ = apply(cli, applied)
    assert code == 0
    assert steps(report) == [
        (f"card.{CARD}", "update_status", "done"),
        ("share.churn-prod", "disassociate_resources", "done"),
    ]
    assert members(aws, "churn-prod", "RESOURCE") == []
    assert members(aws, "churn-test", "RESOURCE") == [card_arn()]
    assert error_code(lambda: prod.describe_model_card(ModelCardName=card_arn())) in (
        "AccessDeniedException",
        "ResourceNotFound",
    )


def test_an_illegal_transition_holds_back_its_card_and_nothing_else(
    cli: Cli, applied: Path, aws: Aws
) -> None:
    set_status(applied, "Approved")
    add_card(applied, "Fraud-Model-Card")
    result = cli("apply", "--repo", str(applied), "--auto-approve")
    assert result.exit_code == 1
    assert (
        f"Held back: {CARD_FILE}:3:9: Draft → Approved is not an allowed transition"
        in result.stdout
    )
    assert "Applied everything else; 1 error holds back the resource it is on" in (result.stdout)
    card = aws("sagemaker").describe_model_card(ModelCardName=CARD)
    assert (card["ModelCardStatus"], versions(aws)) == ("Draft", 1)
    assert members(aws, "churn-prod", "RESOURCE") == []  # not associated while held back
    assert card_exists(aws, "Fraud-Model-Card")  # the rest of the plan was applied


def test_a_card_archived_by_a_consumer_is_reported_and_the_rest_is_applied(
    cli: Cli, applied: Path, aws: Aws
) -> None:
    """dev (outside the Organization, with a permission that includes UpdateModelCard)
    archives the shared card; the card is held back with who did it, and another card's
    content update in the same run is applied."""
    add_card(applied, "Fraud-Model-Card")
    assert apply(cli, applied, "--no-verify")[0] == 0
    aws("sagemaker", account=DEV).update_model_card(
        ModelCardName=card_arn(), ModelCardStatus="Archived"
    )
    edit_owner(applied, "fraud-team", name="Fraud-Model-Card")
    code, report, _ = apply(cli, applied, "--no-verify")
    assert code == 1
    assert steps(report) == [("card.Fraud-Model-Card", "update_content", "done")]
    (held,) = report["blocked"]
    assert held.startswith(f"{CARD_FILE}:3:9: Archived → Draft is not an allowed transition")
    assert f"last changed by arn:aws:sts::{DEV}:assumed-role/" in held
    assert live_content(aws, "Fraud-Model-Card")["model_overview"]["model_owner"] == "fraud-team"
