"""AWS failing under apply: a step that fails after botocore's retries stops the run and
the next apply converges without twins; throttling is retried with backoff; a validation
error fails the step on its first attempt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reconciler.sandbox.faults import FailNext, FaultSettings
from tests.apply.helpers import (
    CARD,
    Aws,
    Cli,
    Retry,
    add_card,
    apply,
    consumer,
    edit_owner,
    members,
    shares,
    steps,
    versions,
)


def test_failed_step_stops_the_run_and_the_next_apply_converges_without_twins(
    cli: Cli, repo: Path, aws: Aws, sandbox: Any, retries: list[Retry]
) -> None:
    later = {n: (repo / "shares" / f"{n}.yaml").read_text() for n in ("churn-prod", "churn-test")}
    for name in later:
        (repo / "shares" / f"{name}.yaml").unlink()
    assert apply(cli, repo, "--force")[0] == 0
    for name, text in later.items():
        (repo / "shares" / f"{name}.yaml").write_text(text)
    edit_owner(repo, "churn-platform")

    sandbox.faults.fail_next("CreateResourceShare", 10, "ServiceUnavailable")
    code, report, _ = apply(cli, repo, "--parallelism", "1")  # one share after the other
    assert code == 1
    assert (report["failed"], report["converged"]) == (True, None)
    assert steps(report) == [
        (f"card.{CARD}", "update_content", "done"),
        ("share.churn-prod", "create_share", "failed"),
        ("share.churn-test", "create_share", "not attempted"),
    ]
    failed = report["steps"][1]
    assert (failed["detail"], failed["error_code"]) == (
        "CreateResourceShare failed",
        "ServiceUnavailableException",
    )
    attempts = [r.attempt for r in retries if r.operation == "CreateResourceShare"]
    assert attempts == [1, 2, 3, 4, 5, 6, 7, 8, 9]  # ten attempts in all, then it fails
    assert sorted(shares(aws)) == ["churn-dev"]
    assert versions(aws) == 2

    sandbox.faults.apply(FaultSettings())
    code, report, _ = apply(cli, repo)
    assert (code, report["converged"]) == (0, True)
    assert steps(report) == [
        ("share.churn-prod", "create_share", "done"),
        ("share.churn-test", "create_share", "done"),
    ]
    assert {n: len(s) for n, s in shares(aws).items()} == {
        "churn-dev": 1,
        "churn-prod": 1,
        "churn-test": 1,
    }
    assert versions(aws) == 2
    assert apply(cli, repo)[1]["steps"] == []


def test_apply_converges_under_throttling(
    cli: Cli, repo: Path, aws: Aws, sandbox: Any, retries: list[Retry]
) -> None:
    sandbox.faults.apply(FaultSettings(seed=7, throttle_rate={"sagemaker:*": 0.3, "ram:*": 0.3}))
    code, report, stderr = apply(cli, repo, "--force")
    assert code == 0, stderr
    assert (report["converged"], len(report["steps"])) == (True, 5)
    assert consumer(report, "dev")["invitation"] == "accepted now"
    throttled = [r for r in retries if r.code == "ThrottlingException"]
    assert {r.service for r in throttled} == {"sagemaker", "ram"}
    assert all(r.delay > 0 for r in throttled)  # botocore backed off before each retry
    sandbox.faults.apply(FaultSettings())
    assert apply(cli, repo)[1]["steps"] == []
    assert versions(aws) == 1
    assert {n: len(s) for n, s in shares(aws).items()} == {
        "churn-dev": 1,
        "churn-prod": 1,
        "churn-test": 1,
    }


def test_validation_error_fails_the_step_on_the_first_attempt(
    cli: Cli, applied: Path, aws: Aws, sandbox: Any, retries: list[Retry]
) -> None:
    edit_owner(applied, "churn-platform")
    sandbox.faults.fail_next("UpdateModelCard", 2, "ValidationException")
    code, report, _ = apply(cli, applied)
    assert code == 1
    assert steps(report) == [(f"card.{CARD}", "update_content", "failed")]
    assert report["steps"][0]["error_code"] == "ValidationException"
    assert [rule.count for rule in sandbox.faults.settings.fail_next] == [1]  # one call made
    assert [r for r in retries if r.operation == "UpdateModelCard"] == []
    assert versions(aws) == 1


def test_apply_converges_when_answers_are_lost_after_the_call_took_effect(
    cli: Cli, repo: Path, aws: Aws, sandbox: Any, retries: list[Retry]
) -> None:
    """30 % throttling and 10 % of answers lost (the call acted, the caller got a 503):
    the first apply converges, in parallel, and nothing exists twice."""
    names = [f"Card-{i:02d}" for i in range(12)]
    for name in names:
        add_card(repo, name, "Approved")
    faults = {"sagemaker:*": 0.3, "ram:*": 0.3}
    lost = {"sagemaker:*": 0.1, "ram:*": 0.1}
    sandbox.faults.apply(FaultSettings(seed=11, throttle_rate=faults, lose_rate=lost))
    code, report, stderr = apply(cli, repo, "--force", "--no-verify")
    assert code == 0, stderr
    assert report["converged"] is True
    codes = {r.code for r in retries}
    assert "ThrottlingException" in codes
    assert codes & {"ServiceUnavailable", "ServiceUnavailableException"}  # answers were lost
    sandbox.faults.apply(FaultSettings())
    assert apply(cli, repo, "--no-verify")[1]["steps"] == []
    listed = aws("sagemaker").list_model_cards(MaxResults=100)["ModelCardSummaries"]
    assert sorted(c["ModelCardName"] for c in listed) == sorted([CARD, *names])
    assert {name: versions(aws, name) for name in names} == {name: 1 for name in names}
    assert {n: len(s) for n, s in shares(aws).items()} == {
        "churn-dev": 1,
        "churn-prod": 1,
        "churn-test": 1,
    }
    assert len(members(aws, "churn-prod", "RESOURCE")) == len(names)


def test_a_failure_in_a_parallel_batch_stops_new_work_and_the_next_apply_converges(
    cli: Cli, repo: Path, aws: Aws, sandbox: Any, retries: list[Retry]
) -> None:
    """Cards created ten at a time; one create is refused: cards already being created
    finish, no new one starts, shares are not attempted, and the next apply creates
    exactly what is missing."""
    names = [f"Card-{i:02d}" for i in range(30)]
    for name in names:
        add_card(repo, name, "Approved")
    sandbox.faults.apply(
        FaultSettings(
            fail_next=[FailNext(operation="CreateModelCard", count=1, code="ValidationException")]
        )
    )
    code, report, _ = apply(cli, repo, "--force", "--no-verify", "--parallelism", "10")
    assert code == 1
    by_status: dict[str, list[str]] = {}
    for address, action, status in steps(report):
        by_status.setdefault(status, []).append(f"{address}:{action}")
    assert len(by_status["failed"]) == 1
    assert "not attempted" in by_status  # the rest of the batch, and every share
    assert all(s.startswith("share.") or ":create_card" in s for s in by_status["not attempted"])
    created = sum(1 for s in by_status.get("done", []) if s.endswith(":create_card"))
    assert created < len(names) + 1  # those already running finished; no new one started
    code, report, _ = apply(cli, repo, "--force", "--no-verify")
    assert (code, report["converged"]) == (0, True)
    done = [s for s in steps(report) if s[1] == "create_card"]
    assert len(done) == len(names) + 1 - created  # exactly the cards still missing
    listed = aws("sagemaker").list_model_cards(MaxResults=100)["ModelCardSummaries"]
    assert sorted(c["ModelCardName"] for c in listed) == sorted([CARD, *names])
    assert {n: len(s) for n, s in shares(aws).items()} == {
        "churn-dev": 1,
        "churn-prod": 1,
        "churn-test": 1,
    }


def test_a_refused_customer_managed_permission_points_to_the_consumer_guard(
    cli: Cli, repo: Path, sandbox: Any
) -> None:
    sandbox.faults.fail_next("CreatePermission", 1, "OperationNotPermittedException")
    code, report, _ = apply(cli, repo, "--force", "--no-verify")
    assert code == 1
    (failed,) = [s for s in report["steps"] if s["status"] == "failed"]
    assert (failed["action"], failed["error_code"]) == (
        "create_permission",
        "OperationNotPermittedException",
    )
    assert "reconciler iam-policy --role consumer-guard --account" in failed["error_message"]
