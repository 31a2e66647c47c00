"""`reconciler apply` and `reconciler verify` against the sandbox, through the real CLI.

Every test drives the console entry point and then reads live state with plain boto3
clients, as the card account and as each consumer account, so "applied" means what AWS
would show: cards with their ownership tags and versions, shares with their principals,
resources and permission, invitations accepted (or not) on the consumer side.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError
from botocore.loaders import Loader, create_loader
from botocore.retries.standard import ExponentialBackoff

import reconciler.commands.verify
from reconciler.sandbox.faults import FaultSettings

OWNER, DEV, TEST, PROD = "111111111111", "222222222222", "333333333333", "444444444444"
CARD = "Customer-Churn-Model-Card"
CARD_FILE = f"cards/{CARD}.yaml"
MANAGED = "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCards"
READ_ONLY = f"arn:aws:ram:us-east-1:{OWNER}:permission/read-only"
READER = "ModelCardReader"  # the consumer role named in reconciler.yaml
DESCRIBE, LIST_VERSIONS, UPDATE = (
    "sagemaker:DescribeModelCard",
    "sagemaker:ListModelCardVersions",
    "sagemaker:UpdateModelCard",
)
Cli = Callable[..., Any]
Aws = Callable[..., Any]


def card_arn(name: str = CARD) -> str:
    return f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/{name}"


# -- driving the CLI ------------------------------------------------------------------


def apply(cli: Cli, repo: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    """`apply --auto-approve --format json`: exit code, the JSON report, stderr."""
    result = cli("apply", "--repo", str(repo), "--auto-approve", "--format", "json", *args)
    assert result.stdout, result.stderr
    return result.exit_code, json.loads(result.stdout), result.stderr


def verify(cli: Cli, repo: Path) -> tuple[int, dict[str, Any]]:
    result = cli("verify", "--repo", str(repo), "--format", "json")
    assert result.stdout, result.stderr
    return result.exit_code, json.loads(result.stdout)


def steps(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(s["address"], s["action"], s["status"]) for s in report["steps"]]


def consumer(report: dict[str, Any], account: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in report["consumers"] if c["account"] == account)
    return found


# -- editing the repository -----------------------------------------------------------


def set_status(repo: Path, status: str, name: str = CARD) -> None:
    path = repo / "cards" / f"{name}.yaml"
    path.write_text(re.sub(r"(?m)^status: \w+$", f"status: {status}", path.read_text()))


def edit_owner(repo: Path, owner: str, name: str = CARD) -> None:
    path = repo / "cards" / f"{name}.yaml"
    path.write_text(re.sub(r"model_owner: .+", f"model_owner: {owner}", path.read_text()))


def add_card(repo: Path, name: str, status: str = "Draft") -> None:
    (repo / "cards" / f"{name}.yaml").write_text(
        f"name: {name}\nstatus: {status}\ncontent:\n  model_overview:\n"
        f"    model_owner: model-owner\n"
    )


# -- reading live state ---------------------------------------------------------------


def versions(aws: Aws, name: str = CARD) -> int:
    listed = aws("sagemaker").list_model_card_versions(ModelCardName=name)
    return len(listed["ModelCardVersionSummaryList"])


def live_content(aws: Aws, name: str = CARD) -> dict[str, Any]:
    content: dict[str, Any] = json.loads(
        aws("sagemaker").describe_model_card(ModelCardName=name)["Content"]
    )
    return content


def card_exists(aws: Aws, name: str) -> bool:
    try:
        aws("sagemaker").describe_model_card(ModelCardName=name)
    except ClientError as e:
        assert e.response["Error"]["Code"] == "ResourceNotFound"
        return False
    return True


def shares(aws: Aws) -> dict[str, list[dict[str, Any]]]:
    """The card account's own shares that are not deleted, by name (a list, to see twins)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for share in aws("ram").get_resource_shares(resourceOwner="SELF")["resourceShares"]:
        if share["status"] != "DELETED":
            found.setdefault(share["name"], []).append(share)
    return found


def share_arn(aws: Aws, name: str) -> str:
    (share,) = shares(aws)[name]
    arn: str = share["resourceShareArn"]
    return arn


def members(
    aws: Aws, share: str, kind: str, statuses: tuple[str, ...] = ("ASSOCIATED",)
) -> list[str]:
    """Entities of one kind (RESOURCE or PRINCIPAL) associated with a share by name."""
    listed = aws("ram").get_resource_share_associations(
        associationType=kind, resourceShareArns=[share_arn(aws, share)]
    )
    return sorted(
        a["associatedEntity"]
        for a in listed["resourceShareAssociations"]
        if a["status"] in statuses
    )


def invitations(aws: Aws, account: str) -> dict[str, str]:
    """The latest invitation status per share name, as the receiving account sees it."""
    listed = aws("ram", account).get_resource_share_invitations()["resourceShareInvitations"]
    latest: dict[str, tuple[Any, str]] = {}
    for i in listed:
        if (
            i["resourceShareName"] not in latest
            or i["invitationTimestamp"] >= latest[i["resourceShareName"]][0]
        ):
            latest[i["resourceShareName"]] = (i["invitationTimestamp"], i["status"])
    return {name: status for name, (_, status) in latest.items()}


def error_code(call: Callable[[], Any]) -> str:
    with pytest.raises(ClientError) as raised:
        call()
    code: str = raised.value.response["Error"]["Code"]
    return code


# -- fixtures -------------------------------------------------------------------------


class _PathsOnce(list[str]):
    """Search paths that each boto3 session may append to without growing the list."""

    def append(self, path: str) -> None:
        if path not in self:
            super().append(path)


@pytest.fixture(scope="module")
def shared_loader() -> Loader:
    loader = create_loader()
    loader._search_paths = _PathsOnce(loader.search_paths)
    return loader


@pytest.fixture(autouse=True)
def _models_loaded_once(shared_loader: Loader, monkeypatch: pytest.MonkeyPatch) -> None:
    """One botocore data loader for every session the CLI opens (one per run, one per
    assumed consumer role), so service models are parsed once per module, not per
    session; this only saves time and changes no behaviour."""
    monkeypatch.setattr(botocore.session, "create_loader", lambda *_: shared_loader)


@pytest.fixture
def repo(example_repo: Path, card_account_env: str, sandbox: Any) -> Path:
    """The example repository against a sandbox with short asynchronous delays."""
    sandbox.configure(
        replace(sandbox.config, association_delay_seconds=0.02, deletion_delay_seconds=0.02)
    )
    return example_repo


@pytest.fixture
def applied(cli: Cli, repo: Path) -> Path:
    """The example repository, applied once (with --force for the external dev share)."""
    code, report, stderr = apply(cli, repo, "--force")
    assert (code, report["converged"]) == (0, True), stderr
    return repo


@dataclass(frozen=True)
class Retry:
    service: str
    operation: str
    code: str | None
    attempt: int
    delay: float  # what botocore's backoff asked for


@pytest.fixture
def retries(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Retry]]:
    """Every retry botocore decides on, recorded; the backoff sleep itself is skipped so
    that tests with many injected faults stay fast."""
    seen: list[Retry] = []
    original = ExponentialBackoff.delay_amount

    def record(self: ExponentialBackoff, context: Any) -> float:
        model = context.operation_model
        seen.append(
            Retry(
                model.service_model.service_name,
                model.name,
                context.get_error_code(),
                context.attempt_number,
                original(self, context),
            )
        )
        return 0.0

    monkeypatch.setattr(ExponentialBackoff, "delay_amount", record)
    yield seen


# -- 1, 2: first apply and idempotence -------------------------------------------------


def test_first_apply_creates_permission_card_and_shares_and_checks_consumers(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    code, report, _ = apply(cli, repo, "--force")
    assert code == 0
    assert (report["failed"], report["converged"], report["remaining"]) == (False, True, [])
    assert steps(report) == [
        ("permission.read-only", "create_permission", "done"),
        (f"card.{CARD}", "create_card", "done"),
        ("share.churn-dev", "create_share", "done"),
        ("share.churn-prod", "create_share", "done"),
        ("share.churn-test", "create_share", "done"),
    ]
    card = aws("sagemaker").describe_model_card(ModelCardName=CARD)
    assert (card["ModelCardArn"], card["ModelCardStatus"]) == (card_arn(), "Draft")
    tags = aws("sagemaker").list_tags(ResourceArn=card_arn())["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {
        "managed-by": "reconciler",
        "reconciler-source": CARD_FILE,
        "team": "churn",
        "cost-center": "ml-platform",
    }

    live = shares(aws)
    assert sorted(live) == ["churn-dev", "churn-prod", "churn-test"]
    assert [len(v) for v in live.values()] == [1, 1, 1]
    assert {n: s[0]["allowExternalPrincipals"] for n, s in live.items()} == {
        "churn-dev": True,
        "churn-prod": False,
        "churn-test": False,
    }
    for name, (share,) in live.items():
        assert {"key": "reconciler-source", "value": f"shares/{name}.yaml"} in share["tags"]
        assert {"key": "managed-by", "value": "reconciler"} in share["tags"]
    assert members(aws, "churn-dev", "RESOURCE") == [card_arn()]
    assert members(aws, "churn-test", "RESOURCE") == members(aws, "churn-prod", "RESOURCE") == []
    assert members(aws, "churn-dev", "PRINCIPAL") == [DEV]  # accepted by the verification
    assert members(aws, "churn-test", "PRINCIPAL") == [TEST]
    assert members(aws, "churn-prod", "PRINCIPAL") == [PROD]
    ram = aws("ram")
    attached = {
        n: [
            p["arn"]
            for p in ram.list_resource_share_permissions(resourceShareArn=s[0]["resourceShareArn"])[
                "permissions"
            ]
        ]
        for n, s in live.items()
    }
    assert attached == {"churn-dev": [MANAGED], "churn-prod": [READ_ONLY], "churn-test": [MANAGED]}
    permission = ram.get_permission(permissionArn=READ_ONLY)["permission"]
    assert sorted(json.loads(permission["permission"])["Action"]) == [DESCRIBE, LIST_VERSIONS]

    dev, prod = consumer(report, "dev"), consumer(report, "prod")
    assert (dev["invitation"], dev["visible"], dev["ok"]) == ("accepted now", [CARD], True)
    assert (prod["permission"], prod["actions"]) == ("read-only", [DESCRIBE, LIST_VERSIONS])
    assert (prod["visible"], prod["missing"], prod["ok"]) == ([], [], True)
    assert invitations(aws, DEV) == {"churn-dev": "ACCEPTED"}
    dev_view = aws("sagemaker", DEV, role=READER).describe_model_card(ModelCardName=card_arn())
    assert dev_view["ModelCardStatus"] == "Draft"


def test_second_apply_changes_nothing(cli: Cli, applied: Path, aws: Aws) -> None:
    before_versions, before_shares = versions(aws), shares(aws)
    result = cli("apply", "--repo", str(applied), "--auto-approve")
    assert result.exit_code == 0
    assert result.stdout.rstrip().endswith("No changes. Live state matches git.")
    code, report, _ = apply(cli, applied)
    assert (code, report["steps"], report["converged"]) == (0, [], True)
    assert versions(aws) == before_versions == 1
    after = aws("ram").get_resource_shares(resourceOwner="SELF")["resourceShares"]
    assert len(after) == sum(len(v) for v in before_shares.values()) == 3


# -- 3: content edits and ignored paths -----------------------------------------------


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


# -- 4: promotion and demotion ---------------------------------------------------------


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


def test_changed_permission_actions_reach_the_shares_that_use_it(
    cli: Cli, applied: Path, aws: Aws
) -> None:
    sagemaker = aws("sagemaker")
    for status in ("PendingReview", "Approved"):  # promoted by hand, then declared in git
        sagemaker.update_model_card(ModelCardName=CARD, ModelCardStatus=status)
    set_status(applied, "Approved")
    config = applied / "reconciler.yaml"
    config.write_text(
        config.read_text().replace(
            f"actions: [{DESCRIBE}, {LIST_VERSIONS}]", f"actions: [{DESCRIBE}]"
        )
    )
    code, report, _ = apply(cli, applied)
    assert code == 0
    assert steps(report) == [
        ("permission.read-only", "update_permission", "done"),
        ("share.churn-prod", "set_permission", "done"),
        ("share.churn-prod", "associate_resources", "done"),
        ("share.churn-test", "associate_resources", "done"),
    ]
    assert report["steps"][0]["detail"] == "created version 2 of read-only (now the default)"
    in_force = aws("ram").list_resource_share_permissions(
        resourceShareArn=share_arn(aws, "churn-prod")
    )["permissions"]
    assert [(p["arn"], p["version"]) for p in in_force] == [(READ_ONLY, "2")]
    prod = aws("sagemaker", PROD, role=READER)
    assert prod.describe_model_card(ModelCardName=card_arn())["ModelCardStatus"] == "Approved"
    assert (
        error_code(lambda: prod.list_model_card_versions(ModelCardName=card_arn()))
        == "AccessDeniedException"
    )
    checked = consumer(report, "prod")
    assert (checked["actions"], checked["ok"]) == ([DESCRIBE], True)


def test_verify_reads_the_permission_version_a_share_uses_not_the_default(
    cli: Cli, applied: Path, aws: Aws
) -> None:
    widened = {"Effect": "Allow", "Action": [DESCRIBE, LIST_VERSIONS, UPDATE]}
    aws("ram").create_permission_version(
        permissionArn=READ_ONLY, policyTemplate=json.dumps(widened)
    )  # by hand
    code, checked = verify(cli, applied)
    assert code == 0
    prod = consumer(checked, "prod")
    assert (prod["permission"], prod["actions"]) == ("read-only", [DESCRIBE, LIST_VERSIONS])
    code, report, _ = apply(cli, applied)
    assert (code, steps(report)) == (
        0,
        [
            ("permission.read-only", "update_permission", "done"),
            ("share.churn-prod", "set_permission", "done"),
        ],
    )
    assert consumer(report, "prod")["actions"] == [DESCRIBE, LIST_VERSIONS]


# -- 5: illegal transition ---------------------------------------------------------------


def test_illegal_transition_is_refused_before_any_write(cli: Cli, applied: Path, aws: Aws) -> None:
    set_status(applied, "Approved")
    result = cli("apply", "--repo", str(applied), "--auto-approve")
    assert (result.exit_code, result.stdout) == (1, "")
    assert (
        f"{CARD_FILE}:3:9: $.status: Draft → Approved is not an allowed transition" in result.stderr
    )
    assert "nothing was applied" in result.stderr
    card = aws("sagemaker").describe_model_card(ModelCardName=CARD)
    assert (card["ModelCardStatus"], versions(aws)) == ("Draft", 1)
    assert members(aws, "churn-prod", "RESOURCE") == []


# -- 6: saved plans ------------------------------------------------------------------------


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


# -- 7: thresholds -------------------------------------------------------------------------


def test_update_threshold_refuses_with_numbers_until_forced(cli: Cli, repo: Path, aws: Aws) -> None:
    config = repo / "reconciler.yaml"
    config.write_text(config.read_text().replace("safety:\n", "safety:\n  min_existing: 2\n"))
    others = ["Fraud-Model-Card", "Pricing-Model-Card", "Upsell-Model-Card"]
    for name in others:
        add_card(repo, name)
    code, report, _ = apply(cli, repo, "--force")
    assert (code, len(report["steps"])) == (0, 8)
    edit_owner(repo, "fraud-team", others[0])
    edit_owner(repo, "pricing-team", others[1])

    code, report, _ = apply(cli, repo)
    assert code == 1
    assert report["steps"] == []
    assert report["refused"] == [
        "the plan would update 2 of 4 managed cards (50%), above safety.max_update_percent "
        "= 30%: review the plan, then apply with --force, or raise the limit in "
        "reconciler.yaml"
    ]
    assert [versions(aws, n) for n in others] == [1, 1, 1]

    code, report, _ = apply(cli, repo, "--force")
    assert code == 0
    assert steps(report) == [
        (f"card.{others[0]}", "update_content", "done"),
        (f"card.{others[1]}", "update_content", "done"),
    ]
    assert [versions(aws, n) for n in others] == [2, 2, 1]


# -- 8: pruning ------------------------------------------------------------------------------


def test_prune_deletes_only_managed_cards_and_approved_ones_need_force(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    add_card(repo, "Extra-Model-Card")
    add_card(repo, "Legacy-Model-Card", status="Approved")
    aws("sagemaker").create_model_card(
        ModelCardName="Unmanaged-Card", Content="{}", ModelCardStatus="Approved"
    )
    code, _, _ = apply(cli, repo, "--force")
    assert code == 0
    assert card_arn("Legacy-Model-Card") in members(aws, "churn-prod", "RESOURCE")

    (repo / "cards" / "Extra-Model-Card.yaml").unlink()
    code, report, _ = apply(cli, repo)
    assert code == 0
    assert steps(report) == [("share.churn-dev", "disassociate_resources", "done")]
    assert card_exists(aws, "Extra-Model-Card")
    plan = cli("plan", "--repo", str(repo))
    assert (
        "Warning: card 'Extra-Model-Card' is managed but no longer in git: plan with "
        "--prune to delete it" in plan.stdout
    )

    code, report, _ = apply(cli, repo, "--prune")
    assert code == 0
    assert steps(report) == [("card.Extra-Model-Card", "delete_card", "done")]
    assert not card_exists(aws, "Extra-Model-Card")

    (repo / "cards" / "Legacy-Model-Card.yaml").unlink()
    code, report, _ = apply(cli, repo, "--prune")
    assert (code, report["steps"]) == (1, [])
    assert report["refused"] == [
        "card.Legacy-Model-Card: it deletes an Approved card: apply with --force to allow it"
    ]
    assert card_arn("Legacy-Model-Card") in members(aws, "churn-prod", "RESOURCE")

    code, report, _ = apply(cli, repo, "--prune", "--force")
    assert code == 0
    assert steps(report) == [
        ("share.churn-dev", "disassociate_resources", "done"),
        ("share.churn-prod", "disassociate_resources", "done"),
        ("share.churn-test", "disassociate_resources", "done"),
        ("card.Legacy-Model-Card", "delete_card", "done"),
    ]
    assert not card_exists(aws, "Legacy-Model-Card")

    untouched = aws("sagemaker").describe_model_card(ModelCardName="Unmanaged-Card")
    assert (untouched["ModelCardStatus"], untouched["ModelCardVersion"]) == ("Approved", 1)
    assert aws("sagemaker").list_tags(ResourceArn=card_arn("Unmanaged-Card"))["Tags"] == []


def test_prune_deletes_a_managed_share_removed_from_git_and_never_an_unmanaged_one(
    cli: Cli, applied: Path, aws: Aws
) -> None:
    aws("ram").create_resource_share(name="hand-made-test", principals=[TEST])
    (applied / "shares" / "churn-test.yaml").unlink()
    code, report, _ = apply(cli, applied)
    assert (code, report["steps"]) == (0, [])
    assert (
        "share 'churn-test' is managed but no longer in git"
        in cli("plan", "--repo", str(applied)).stdout
    )
    assert sorted(shares(aws)) == ["churn-dev", "churn-prod", "churn-test", "hand-made-test"]

    code, report, _ = apply(cli, applied, "--prune")
    assert code == 0
    assert steps(report) == [("share.churn-test", "delete_share", "done")]
    assert sorted(shares(aws)) == ["churn-dev", "churn-prod", "hand-made-test"]
    assert apply(cli, applied, "--prune")[1]["steps"] == []


# -- 9: a failure mid-apply, then convergence ------------------------------------------------


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
    code, report, _ = apply(cli, repo)
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
    assert attempts == [1, 2, 3, 4, 5, 6, 7]  # eight attempts in all, then the step fails
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


# -- 10: consumer verification ---------------------------------------------------------------


def test_verify_accepts_the_pending_invitation_of_a_managed_share(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    code, report, _ = apply(cli, repo, "--force", "--no-verify")
    assert (code, report["consumers"]) == (0, [])
    assert invitations(aws, DEV) == {"churn-dev": "PENDING"}
    code, checked = verify(cli, repo)
    assert code == 0
    assert checked["kind"] == "verify"
    assert checked["steps"] == []
    dev = consumer(checked, "dev")
    assert (dev["invitation"], dev["visible"], dev["ok"]) == ("accepted now", [CARD], True)
    assert invitations(aws, DEV) == {"churn-dev": "ACCEPTED"}
    assert consumer(verify(cli, repo)[1], "dev")["invitation"] == "already accepted"


def test_expired_invitation_is_a_problem_and_the_next_apply_invites_again(
    cli: Cli, repo: Path, aws: Aws, sandbox: Any
) -> None:
    assert apply(cli, repo, "--force", "--no-verify")[0] == 0
    sandbox.advance(13 * 3600)
    code, checked = verify(cli, repo)
    assert (code, checked["failed"]) == (1, True)
    dev = consumer(checked, "dev")
    assert dev["ok"] is False
    assert "invitation is EXPIRED: the next apply invites the account again" in dev["problems"]
    assert invitations(aws, DEV) == {"churn-dev": "EXPIRED"}

    code, report, _ = apply(cli, repo)
    assert code == 0
    assert steps(report) == [("share.churn-dev", "associate_principals", "done")]
    assert consumer(report, "dev")["invitation"] == "accepted now"
    assert invitations(aws, DEV) == {"churn-dev": "ACCEPTED"}
    assert members(aws, "churn-dev", "PRINCIPAL") == [DEV]


def test_verify_never_accepts_an_invitation_to_an_unmanaged_share(
    cli: Cli, repo: Path, aws: Aws
) -> None:
    assert apply(cli, repo, "--force", "--no-verify")[0] == 0
    aws("ram").create_resource_share(
        name="hand-made-dev",
        principals=[DEV],
        resourceArns=[card_arn()],
        allowExternalPrincipals=True,
    )
    assert invitations(aws, DEV) == {"churn-dev": "PENDING", "hand-made-dev": "PENDING"}
    code, _ = verify(cli, repo)
    assert code == 0
    assert invitations(aws, DEV) == {"churn-dev": "ACCEPTED", "hand-made-dev": "PENDING"}


# -- 11: confirmation -------------------------------------------------------------------------


def test_apply_without_auto_approve_and_without_a_terminal_writes_nothing(
    cli: Cli, repo: Path, aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("yes\n"))  # piped, not a terminal
    result = cli("apply", "--repo", str(repo), "--force")
    assert (result.exit_code, result.stdout) == (1, "")
    assert "there is no terminal to ask on" in result.stderr
    assert "--auto-approve" in result.stderr
    assert aws("sagemaker").list_model_cards()["ModelCardSummaries"] == []
    assert shares(aws) == {}
    assert aws("ram").list_permissions(permissionType="CUSTOMER_MANAGED")["permissions"] == []


# -- 12: throttling and errors that are not retried --------------------------------------------


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


def test_verify_does_not_wait_for_cards_git_declares_but_no_apply_has_shared(
    cli: Cli, repo: Path, aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert apply(cli, repo, "--force", "--no-verify")[0] == 0
    add_card(repo, "Next-Model-Card")  # merged, not applied yet
    waited: list[str] = []  # what verify was willing to wait for (a non-zero timeout)
    real_poll = reconciler.commands.verify.poll

    def poll(settings: Any, done: Any, what: str) -> Any:
        if settings.timeout > 0:
            waited.append(what)
        return real_poll(settings, done, what)

    monkeypatch.setattr(reconciler.commands.verify, "poll", poll)
    code, checked = verify(cli, repo)
    assert not [what for what in waited if "Next-Model-Card" in what]
    assert code == 1
    dev = consumer(checked, "dev")
    assert (dev["invitation"], dev["visible"], dev["missing"]) == (
        "accepted now",
        [CARD],
        ["Next-Model-Card"],
    )
    assert dev["problems"] == [
        "cannot describe Next-Model-Card: the share does not hold it; run apply"
    ]
