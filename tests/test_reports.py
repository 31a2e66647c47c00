"""Apply, verify and drift reports as people read them, and saved-plan refusals."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from reconciler.apply.report import ApplyReport, GuardRefusal, Step, StepStatus
from reconciler.common.errors import ReconcilerError
from reconciler.plan.actions import Action, Guard
from reconciler.plan.address import Address
from reconciler.plan.model import FieldChange, Plan
from reconciler.plan.saved import ensure_current, read_saved_plan
from reconciler.render.apply import REPORTS
from reconciler.render.apply_report import RunReport
from reconciler.render.drift import DRIFT
from reconciler.reports.consumers import AccountCheck, VerifyReport
from reconciler.reports.drift import DriftItem, DriftReport, Edit

CONTEXT = {"account": "111111111111", "region": "us-east-1"}
FAILED = RunReport(
    kind="apply",
    apply=ApplyReport(
        checksum="sha256:x",
        steps=(
            Step(
                address=Address.card("A"),
                action=Action.UPDATE_CONTENT,
                status=StepStatus.DONE,
                detail="wrote content of A",
            ),
            Step(
                address=Address.share("s"),
                action=Action.CREATE_SHARE,
                status=StepStatus.FAILED,
                detail="CreateResourceShare failed",
                error_code="ServiceUnavailableException",
                error_message="Service unavailable | retry later",
            ),
            Step(
                address=Address.share("t"),
                action=Action.CREATE_SHARE,
                status=StepStatus.NOT_ATTEMPTED,
            ),
        ),
        context=CONTEXT,
        warnings=("card 'B' is managed but no longer in git",),
    ),
    context=CONTEXT,
)


def test_failed_apply_text_names_the_error_and_what_was_not_attempted() -> None:
    text = REPORTS.get("text")(FAILED)
    assert (
        "  ✗ failed        share.s (create_share): ServiceUnavailableException: Service "
        "unavailable | retry later" in text
    )
    assert "  · not attempted share.t (create_share)" in text
    assert "Warning: card 'B' is managed but no longer in git" in text
    assert text.rstrip().endswith(
        "Failed at share.s (create_share); 1 later step not "
        "attempted. Once the cause is fixed, apply again: it picks "
        "up where it stopped."
    )


def test_apply_markdown_is_a_job_summary_with_escaped_cells() -> None:
    text = REPORTS.get("markdown")(FAILED)
    assert text.startswith("### Model card apply\n\nFailed at share.s")
    assert (
        "| ✗ | `share.s` | create_share | ServiceUnavailableException: Service unavailable "
        "\\| retry later |" in text
    )
    assert "> ⚠️ card 'B' is managed but no longer in git" in text


def test_verify_markdown_lists_each_consumer() -> None:
    check = AccountCheck(
        account="prod",
        account_id="444444444444",
        share="churn-prod",
        invitation="not needed (same Organization)",
        visible=("A",),
        missing=("B",),
        permission="read-only",
        actions=("sagemaker:DescribeModelCard",),
        problems=("cannot describe B",),
    )
    verification = VerifyReport(checks=(check,), context=CONTEXT)
    report = RunReport(kind="verify", verification=verification, context=CONTEXT)
    text = REPORTS.get("markdown")(report)
    assert (
        "| prod | churn-prod | not needed (same Organization) | 1/2 | read-only | "
        "cannot describe B |" in text
    )
    assert json.loads(REPORTS.get("json")(report))["failed"] is True


def test_refused_apply_says_nothing_was_applied() -> None:
    report = RunReport(
        kind="apply",
        apply=ApplyReport(
            checksum="sha256:x",
            refused=(GuardRefusal(address=Address.card("A"), guard=Guard.ARCHIVES_APPROVED),),
            context=CONTEXT,
        ),
        context=CONTEXT,
    )
    assert REPORTS.get("text")(report).splitlines()[2:] == [
        "Refused: card.A: it archives an Approved card: apply with --force to allow it",
        "",
        "Refused: nothing was applied.",
    ]


def test_drift_text_shows_edits_fields_details_and_remedies() -> None:
    report = DriftReport(
        items=(
            DriftItem(
                address=Address.card("A"),
                kind="content",
                summary="content edited outside git",
                detail="",
                fields=(FieldChange("$.content.x", "live", "git"),),
                edits=(
                    Edit(
                        identity="assumed-role/Dev/ana",
                        account="222222222222",
                        time="2026-11-26T10:00:00",
                        version_from=1,
                        version_to=2,
                    ),
                ),
                remedy="pull or apply",
            ),
            DriftItem(
                address=Address.card("S"),
                kind="unmanaged",
                summary="model card not managed by the reconciler",
                detail="arn:aws:sagemaker:us-east-1:111111111111:model-card/S",
                remedy="import it",
            ),
        ),
        context=CONTEXT,
        cards_checked=2,
        shares_checked=1,
    )
    assert DRIFT.get("text")(report).splitlines()[2:] == [
        "! card.A [content]: content edited outside git",
        "    edited by assumed-role/Dev/ana in 222222222222 at 2026-11-26T10:00:00, version 1 → 2",
        '    $.content.x: live "live", git "git"',
        "    remedy: pull or apply",
        "",
        "! card.S [unmanaged]: model card not managed by the reconciler",
        "    arn:aws:sagemaker:us-east-1:111111111111:model-card/S",
        "    remedy: import it",
        "",
        "2 differences from git (2 cards and 1 share checked).",
    ]


def test_no_drift_text() -> None:
    assert (
        DRIFT.get("text")(
            DriftReport(items=(), context=CONTEXT, cards_checked=3, shares_checked=2)
        ).splitlines()[-1]
        == "No drift: live state matches git (3 cards and 2 shares checked)."
    )


def test_saved_plan_of_another_format_is_refused(tmp_path: Path) -> None:
    saved = tmp_path / "p.json"
    saved.write_text(json.dumps({"format_version": "0", "checksum": "sha256:x"}))
    with pytest.raises(
        ReconcilerError, match="has plan format '0'; this reconciler reads format '2'"
    ):
        read_saved_plan(saved)


def test_unreadable_saved_plan_is_refused(tmp_path: Path) -> None:
    saved = tmp_path / "p.json"
    saved.write_text("{not json")
    with pytest.raises(ReconcilerError, match="cannot read the saved plan"):
        read_saved_plan(saved)


def test_stale_plan_with_the_same_resources_says_values_differ(tmp_path: Path) -> None:
    saved = tmp_path / "p.json"
    saved.write_text(
        json.dumps({"format_version": "2", "checksum": "sha256:old", "changes": [], "basis": {}})
    )
    with pytest.raises(ReconcilerError, match="with different values"):
        ensure_current(read_saved_plan(saved), Plan(changes=()), moved=[])


def test_a_saved_plan_that_records_no_basis_is_refused(tmp_path: Path) -> None:
    """A plan written before plans recorded their live basis cannot show it is current."""
    saved = tmp_path / "p.json"
    saved.write_text(json.dumps({"format_version": "2", "checksum": "sha256:x", "changes": []}))
    with pytest.raises(ReconcilerError, match="records no live basis"):
        ensure_current(read_saved_plan(saved), Plan(changes=()), moved=[])


def test_a_basis_naming_no_resource_is_refused(tmp_path: Path) -> None:
    saved = tmp_path / "p.json"
    body = {"format_version": "2", "checksum": "x", "changes": [], "basis": {"../x": {}}}
    saved.write_text(json.dumps(body))
    with pytest.raises(ReconcilerError, match="not a resource address"):
        read_saved_plan(saved)


def test_saved_plan_of_format_1_is_refused_with_the_reason(tmp_path: Path) -> None:
    saved = tmp_path / "p.json"
    saved.write_text(json.dumps({"format_version": "1", "checksum": "sha256:x", "changes": []}))
    with pytest.raises(ReconcilerError, match="format 1 plans carry untyped params") as caught:
        read_saved_plan(saved)
    assert caught.value.hint == "plan again with this version"


def test_drift_shows_a_long_text_edit_word_by_word_and_accounts_by_name() -> None:
    git = "Not validated for business customers; retrain every quarter with fresh data."
    live = "Not validated for small business customers; retrain every quarter with fresh data."
    report = DriftReport(
        items=(
            DriftItem(
                address=Address.card("A"),
                kind="content",
                summary="content edited outside git",
                fields=(FieldChange("$.content.caveats", live, git),),
            ),
            DriftItem(
                address=Address.share("s"),
                kind="share_principals",
                summary="principals missing from the share",
                fields=(FieldChange("$.principals", after="222222222222"),),
            ),
        ),
        context=CONTEXT,
        names={"222222222222": "dev (222222222222)"},
    )
    markdown = DRIFT.get("markdown")(report)
    assert "```diff\n  Not validated for\n+ small\n  business customers;" in markdown
    assert "<code>&quot;dev (222222222222)&quot;</code>" in markdown
    text = DRIFT.get("text")(report)
    assert "$.content.caveats: from git to live: Not validated for {+small+} business" in text
    assert 'live (absent), git "dev (222222222222)"' in text
    coloured = DRIFT.get("text")(replace(report, color=True))
    assert "Not validated for \033[32msmall\033[0m business" in coloured
