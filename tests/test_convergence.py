"""Cases where a naive reconciler fails to converge or opens a share without consent."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

CARD = "Customer-Churn-Model-Card"
OWNER, DEV = "111111111111", "222222222222"
CARD_ARN = f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/{CARD}"
Cli = Callable[..., Any]


def apply(cli: Cli, repo: Path, *flags: str) -> tuple[int, dict[str, Any]]:
    result = cli(
        "apply", "--repo", str(repo), "--auto-approve", "--no-verify", "--format", "json", *flags
    )
    return result.exit_code, json.loads(result.stdout) if result.stdout else {}


def steps(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(s["address"], s["action"], s["status"]) for s in report.get("steps", [])]


def dev_principal_status(aws: Callable[..., Any]) -> str:
    ram = aws("ram")
    share = ram.get_resource_shares(resourceOwner="SELF", name="churn-dev")["resourceShares"][0]
    found = ram.get_resource_share_associations(
        associationType="PRINCIPAL", resourceShareArns=[share["resourceShareArn"]], principal=DEV
    )["resourceShareAssociations"]
    return str(max(found, key=lambda a: a["lastUpdatedTime"])["status"])


@pytest.fixture
def applied(cli: Cli, example_repo: Path, card_account_env: str) -> Path:
    assert apply(cli, example_repo, "--force")[0] == 0
    return example_repo


def test_adding_an_outside_account_to_an_open_share_needs_force(
    cli: Cli, applied: Path, aws: Callable[..., Any]
) -> None:
    share = applied / "shares" / "churn-dev.yaml"
    share.write_text(
        share.read_text().replace("principals: [dev]", 'principals: [dev, "999999999999"]')
    )
    code, report = apply(cli, applied)
    assert code == 1
    assert report["refused"] == [
        "share.churn-dev: it opens the share to principals outside the Organization "
        "(999999999999): apply with --force to allow it"
    ]
    assert apply(cli, applied, "--force")[0] == 0


def test_an_invitation_that_expires_twice_is_sent_twice(
    cli: Cli, applied: Path, sandbox: Any, aws: Callable[..., Any]
) -> None:
    for _ in range(2):
        sandbox.advance(13 * 3600)  # nobody in dev accepts; the invitation expires
        assert dev_principal_status(aws) == "DISASSOCIATED"
        code, report = apply(cli, applied)  # re-inviting a declared account needs no --force
        assert (code, steps(report)) == (0, [("share.churn-dev", "associate_principals", "done")])
        assert dev_principal_status(aws) == "ASSOCIATING"  # a fresh invitation is pending


def test_a_hand_made_share_with_a_managed_name_does_not_hide_it(
    cli: Cli, applied: Path, aws: Callable[..., Any]
) -> None:
    aws("ram").create_resource_share(
        name="churn-test", resourceArns=[CARD_ARN], principals=["333333333333"]
    )
    result = cli("plan", "--repo", str(applied), "--format", "json", "--detailed-exitcode")
    plan = json.loads(result.stdout)
    assert (result.exit_code, plan["changes"], plan["errors"]) == (0, [], [])
    assert [u["name"] for u in plan["unmanaged"]] == ["churn-test"]


def test_a_rename_whose_delete_failed_is_finished_by_the_next_apply(
    cli: Cli, applied: Path, sandbox: Any, aws: Callable[..., Any]
) -> None:
    old = applied / "cards" / f"{CARD}.yaml"
    (applied / "cards" / "Churn-Card.yaml").write_text(
        old.read_text().replace(f"name: {CARD}", f"name: Churn-Card\nprevious_names: [{CARD}]")
    )
    old.unlink()
    sandbox.faults.fail_next("DeleteModelCard", 1, "ValidationException")
    code, report = apply(cli, applied, "--force")
    assert (code, steps(report)[0]) == (1, ("card.Churn-Card", "replace_card", "failed"))
    plan = json.loads(cli("plan", "--repo", str(applied), "--format", "json").stdout)
    leftover = [c for c in plan["changes"] if c["action"] == "delete_card"]
    assert [(c["address"], c["needs"]) for c in leftover] == [(f"card.{CARD}", ["force"])]
    code, report = apply(cli, applied, "--force")
    assert code == 0 and report["converged"] is True
    sandbox.advance(60)
    names = [c["ModelCardName"] for c in aws("sagemaker").list_model_cards()["ModelCardSummaries"]]
    assert names == ["Churn-Card"]


def test_a_permission_edited_six_times_keeps_working(
    cli: Cli, applied: Path, aws: Callable[..., Any]
) -> None:
    config = applied / "reconciler.yaml"
    both = "actions: [sagemaker:DescribeModelCard, sagemaker:ListModelCardVersions]"
    one = "actions: [sagemaker:DescribeModelCard]"
    for round_ in range(6):  # RAM keeps at most five versions of a permission
        text = config.read_text()
        config.write_text(text.replace(both, one) if both in text else text.replace(one, both))
        code, report = apply(cli, applied)
        assert code == 0, (round_, report)
    arn = f"arn:aws:ram:us-east-1:{OWNER}:permission/read-only"
    versions = aws("ram").list_permission_versions(permissionArn=arn)["permissions"]
    assert len(versions) == 5
    assert [v["version"] for v in versions if v["defaultVersion"]] == ["7"]
