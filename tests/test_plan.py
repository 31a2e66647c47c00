"""`reconciler plan` against the sandbox, through the real CLI and real boto3 calls.

Live state is created with plain boto3 clients, the way the reconciler would leave it, so
these tests also pin what "applied" means: tags, ARNs, permissions and associations.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from reconciler.common.content import content_json

OWNER, DEV, TEST, PROD = "111111111111", "222222222222", "333333333333", "444444444444"
CARD = "Customer-Churn-Model-Card"
CARD_ARN = f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/{CARD}"
MANAGED = "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerModelCards"
READ_ONLY = f"arn:aws:ram:us-east-1:{OWNER}:permission/read-only"
Cli = Callable[..., Any]


def tags(
    source: str, extra: dict[str, str] | None = None, key: str = "Key", value: str = "Value"
) -> list[dict[str, str]]:
    pairs = {**(extra or {}), "managed-by": "reconciler", "reconciler-source": source}
    return [{key: k, value: v} for k, v in sorted(pairs.items())]


def create_example_live(aws: Callable[..., Any], sandbox: Any, repo: Path) -> None:
    """What applying the example repository leaves in the account, made with plain boto3."""
    card = yaml.safe_load((repo / "cards" / f"{CARD}.yaml").read_text())
    sagemaker, ram = aws("sagemaker"), aws("ram")
    sagemaker.create_model_card(
        ModelCardName=CARD,
        ModelCardStatus=card["status"],
        Content=content_json(card["content"]),
        Tags=tags(f"cards/{CARD}.yaml", card["tags"]),
    )
    policy = {
        "Effect": "Allow",
        "Action": ["sagemaker:DescribeModelCard", "sagemaker:ListModelCardVersions"],
    }
    ram.create_permission(
        name="read-only",
        resourceType="sagemaker:ModelCard",
        policyTemplate=json.dumps(policy),
        tags=tags("reconciler.yaml", key="key", value="value"),
    )
    shares = [
        ("churn-dev", DEV, [CARD_ARN], MANAGED, True, {"purpose": "development"}),
        ("churn-test", TEST, [], MANAGED, False, {"purpose": "testing"}),
        ("churn-prod", PROD, [], READ_ONLY, False, {"purpose": "production"}),
    ]
    for name, principal, resources, permission, external, extra in shares:
        ram.create_resource_share(
            name=name,
            principals=[principal],
            resourceArns=resources,
            permissionArns=[permission],
            allowExternalPrincipals=external,
            tags=tags(f"shares/{name}.yaml", extra, "key", "value"),
        )
    sandbox.advance(5)


def plan_json(cli: Cli, repo: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = cli("plan", "--repo", str(repo), "--format", "json", *args)
    assert result.stdout, result.stderr
    return result.exit_code, json.loads(result.stdout)


def actions(plan: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["address"], c["action"]) for c in plan["changes"]]


def set_status(repo: Path, status: str) -> None:
    path = repo / "cards" / f"{CARD}.yaml"
    path.write_text(path.read_text().replace("status: Draft", f"status: {status}"))


@pytest.fixture
def live_example(
    aws: Callable[..., Any], sandbox: Any, example_repo: Path, card_account_env: str
) -> Path:
    create_example_live(aws, sandbox, example_repo)
    return example_repo


def test_first_plan_creates_the_card_shares_and_permission(
    cli: Cli, example_repo: Path, card_account_env: str
) -> None:
    code, plan = plan_json(cli, example_repo, "--detailed-exitcode")
    assert code == 2
    assert actions(plan) == [
        ("permission.read-only", "create_permission"),
        (f"card.{CARD}", "create_card"),
        ("share.churn-dev", "create_share"),
        ("share.churn-prod", "create_share"),
        ("share.churn-test", "create_share"),
    ]
    dev = plan["changes"][2]
    assert dev["payload"]["resource_arns"] == [CARD_ARN]
    assert dev["payload"]["principals"] == [DEV]
    assert dev["needs"] == ["force"]  # opens the share to an account outside the Organization
    assert plan["changes"][3]["payload"]["permission_arn"] == READ_ONLY


def test_applied_state_plans_no_changes(cli: Cli, live_example: Path) -> None:
    code, plan = plan_json(cli, live_example, "--detailed-exitcode")
    assert (code, plan["changes"], plan["errors"], plan["warnings"]) == (0, [], [], [])
    text = cli("plan", "--repo", str(live_example), "--detailed-exitcode")
    assert text.exit_code == 0
    assert text.stdout.rstrip().endswith("No changes. Live state matches git.")


def test_one_field_edit_shows_exactly_that_field(cli: Cli, live_example: Path) -> None:
    path = live_example / "cards" / f"{CARD}.yaml"
    path.write_text(
        path.read_text().replace("model_owner: model-owner", "model_owner: churn-platform")
    )
    code, plan = plan_json(cli, live_example, "--detailed-exitcode")
    assert code == 2
    assert actions(plan) == [(f"card.{CARD}", "update_content")]
    assert plan["changes"][0]["fields"] == [
        {
            "path": "$.content.model_overview.model_owner",
            "before": "model-owner",
            "after": "churn-platform",
        }
    ]


def test_promotion_plans_status_change_and_the_test_share(cli: Cli, live_example: Path) -> None:
    set_status(live_example, "PendingReview")
    code, plan = plan_json(cli, live_example, "--detailed-exitcode")
    assert code == 2
    assert actions(plan) == [
        (f"card.{CARD}", "update_status"),
        ("share.churn-test", "associate_resources"),
    ]
    assert plan["changes"][1]["payload"]["entities"] == [CARD_ARN]


def test_edit_by_another_account_shows_as_a_change_back_to_git(
    cli: Cli, live_example: Path, aws: Callable[..., Any]
) -> None:
    dev_ram, dev_sagemaker = aws("ram", DEV), aws("sagemaker", DEV)
    invitation = dev_ram.get_resource_share_invitations()["resourceShareInvitations"][0]
    dev_ram.accept_resource_share_invitation(
        resourceShareInvitationArn=invitation["resourceShareInvitationArn"]
    )
    card = json.loads(dev_sagemaker.describe_model_card(ModelCardName=CARD_ARN)["Content"])
    card["model_overview"]["model_owner"] = "data-science-dev"
    dev_sagemaker.update_model_card(ModelCardName=CARD_ARN, Content=json.dumps(card))
    code, plan = plan_json(cli, live_example, "--detailed-exitcode")
    change = plan["changes"][0]
    assert code == 2
    assert actions(plan) == [(f"card.{CARD}", "update_content")]
    assert change["fields"] == [
        {
            "path": "$.content.model_overview.model_owner",
            "before": "data-science-dev",
            "after": "model-owner",
        }
    ]
    assert f"arn:aws:sts::{DEV}:assumed-role/" in change["detail"]
    assert "live version 2" in change["detail"]
    assert change["reason"] == "content_differs"


def test_ignored_paths_are_never_reported(
    cli: Cli, live_example: Path, aws: Callable[..., Any]
) -> None:
    sagemaker = aws("sagemaker")
    content = json.loads(sagemaker.describe_model_card(ModelCardName=CARD)["Content"])
    content["evaluation_details"] = [{"name": "holdout-2026-11", "evaluation_observation": "ok"}]
    sagemaker.update_model_card(ModelCardName=CARD, Content=json.dumps(content))
    code, plan = plan_json(cli, live_example, "--detailed-exitcode")
    assert (code, plan["changes"]) == (0, [])


def test_illegal_transition_is_a_plan_error_at_the_status_line(
    cli: Cli, live_example: Path
) -> None:
    set_status(live_example, "Approved")
    code, plan = plan_json(cli, live_example, "--detailed-exitcode")
    assert code == 1
    assert plan["changes"] == []
    assert [(e["file"], e["line"], e["column"], e["code"]) for e in plan["errors"]] == [
        (f"cards/{CARD}.yaml", 3, 9, "illegal-transition")
    ]
    assert "Draft → Approved is not an allowed transition" in plan["errors"][0]["message"]


def test_unmanaged_cards_are_listed_and_never_changed(
    cli: Cli, live_example: Path, aws: Callable[..., Any]
) -> None:
    aws("sagemaker").create_model_card(
        ModelCardName="Legacy-Fraud-Card", Content="{}", ModelCardStatus="Approved"
    )
    code, plan = plan_json(cli, live_example, "--detailed-exitcode", "--prune")
    assert (code, plan["changes"]) == (0, [])
    assert plan["unmanaged"] == [
        {
            "kind": "model_card",
            "name": "Legacy-Fraud-Card",
            "arn": f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/Legacy-Fraud-Card",
        }
    ]


def test_unmanaged_card_with_a_git_name_must_be_imported(
    cli: Cli, example_repo: Path, aws: Callable[..., Any], card_account_env: str
) -> None:
    aws("sagemaker").create_model_card(ModelCardName=CARD, Content="{}", ModelCardStatus="Draft")
    code, plan = plan_json(cli, example_repo)
    assert code == 1
    assert [e["code"] for e in plan["errors"]] == ["unmanaged-card"]
    assert f"reconciler import {CARD}" in plan["errors"][0]["message"]
    code, adopted = plan_json(cli, example_repo, "--adopt")
    assert code == 0
    assert (f"card.{CARD}", "update_tags") in actions(adopted)
    # The ownership tags come first, as an adoption, so every change after it is made to a
    # card that is already managed (what the apply role's IAM policy requires).
    [adoption] = adopted["adoptions"]
    assert adoption["address"] == f"card.{CARD}"
    assert sorted(adoption["payload"]["tags"]) == ["managed-by", "reconciler-source"]
    tags = next(c for c in adopted["changes"] if c["action"] == "update_tags")
    assert "managed-by" not in tags["payload"]["add"]


def test_managed_card_removed_from_git_needs_prune(cli: Cli, live_example: Path) -> None:
    (live_example / "cards" / f"{CARD}.yaml").unlink()
    for share in ("churn-dev", "churn-test", "churn-prod"):
        path = live_example / "shares" / f"{share}.yaml"
        path.write_text(path.read_text().replace("status: [", "status: [Archived, "))
    code, plan = plan_json(cli, live_example, "--detailed-exitcode")
    assert (code, [a for _, a in actions(plan)]) == (2, ["disassociate_resources"])
    assert plan["warnings"] == [
        f"card '{CARD}' is managed but no longer in git: plan with --prune to delete it"
    ]
    code, pruned = plan_json(cli, live_example, "--prune")
    assert actions(pruned)[-1] == (f"card.{CARD}", "delete_card")
    assert pruned["changes"][-1]["needs"] == ["prune"]


def test_wrong_account_is_refused_with_both_ids(
    cli: Cli, example_repo: Path, card_account_env: str
) -> None:
    config = example_repo / "reconciler.yaml"
    config.write_text(config.read_text().replace('id: "111111111111"', 'id: "999999999999"'))
    result = cli("plan", "--repo", str(example_repo))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        "credentials are for account 111111111111, but reconciler.yaml says the card "
        "account is 999999999999"
    ) in result.stderr


def test_invalid_repository_makes_no_aws_call(
    cli: Cli, example_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    set_status(example_repo, "Aproved")
    result = cli("plan", "--repo", str(example_repo))
    assert result.exit_code == 1
    assert "'Aproved' is not allowed" in result.stderr
    assert "the repository has 1 error" in result.stderr


def test_out_writes_a_stable_json_plan_with_checksum(
    cli: Cli, example_repo: Path, card_account_env: str, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    cli("plan", "--repo", str(example_repo), "--out", str(first))
    cli("plan", "--repo", str(example_repo), "--out", str(second))
    a, b = json.loads(first.read_text()), json.loads(second.read_text())
    assert a["format_version"] == "2"
    assert a["checksum"].startswith("sha256:") and a["checksum"] == b["checksum"]


def test_cards_missing_from_the_search_index_are_confirmed_by_describe(
    cli: Cli, sandbox: Any, aws: Callable[..., Any], example_repo: Path, card_account_env: str
) -> None:
    sandbox.configure(replace(sandbox.config, search_index_delay_seconds=3600))
    create_example_live(aws, sandbox, example_repo)
    code, plan = plan_json(cli, example_repo, "--detailed-exitcode", "--stats")
    assert (code, plan["changes"]) == (0, [])
    assert plan["stats"]["calls"]["sagemaker.DescribeModelCard"] == 1


def test_unchanged_cards_cost_one_search_call_per_hundred(
    cli: Cli, aws: Callable[..., Any], sandbox: Any, example_repo: Path, card_account_env: str
) -> None:
    create_example_live(aws, sandbox, example_repo)
    sagemaker = aws("sagemaker")
    for i in range(149):
        name = f"Card-{i:03d}"
        (example_repo / "cards" / f"{name}.yaml").write_text(
            f"name: {name}\nstatus: Archived\ncontent: {{}}\n"
        )  # in no share
        sagemaker.create_model_card(
            ModelCardName=name,
            Content="{}",
            ModelCardStatus="Archived",
            Tags=tags(f"cards/{name}.yaml"),
        )
    code, plan = plan_json(cli, example_repo, "--detailed-exitcode", "--stats")
    calls = plan["stats"]["calls"]
    assert (code, actions(plan)) == (0, [])
    assert calls["sagemaker.Search"] == 2
    assert "sagemaker.DescribeModelCard" not in calls


def test_expired_invitation_is_invited_again(cli: Cli, live_example: Path, sandbox: Any) -> None:
    sandbox.advance(13 * 3600)  # dev never accepted; the 12-hour invitation expires
    code, plan = plan_json(cli, live_example, "--detailed-exitcode")
    assert code == 2
    assert actions(plan) == [("share.churn-dev", "associate_principals")]
    assert plan["changes"][0]["payload"]["entities"] == [DEV]
    assert "DISASSOCIATED" in plan["changes"][0]["detail"]


def test_markdown_plan_for_a_pull_request(cli: Cli, live_example: Path) -> None:
    set_status(live_example, "PendingReview")
    result = cli("plan", "--repo", str(live_example), "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "<!-- modelcard-reconciler:plan -->\n### Model card plan: 0 to create, 2 to update"
    )
    assert "<details><summary><code>share.churn-test</code>" in result.stdout


def test_share_left_on_an_old_permission_version_is_planned_back(
    cli: Cli, live_example: Path, aws: Callable[..., Any]
) -> None:
    policy = {
        "Effect": "Allow",
        "Action": ["sagemaker:DescribeModelCard", "sagemaker:ListModelCardVersions"],
    }
    aws("ram").create_permission_version(permissionArn=READ_ONLY, policyTemplate=json.dumps(policy))
    code, plan = plan_json(cli, live_example, "--detailed-exitcode")
    assert code == 2
    assert actions(plan) == [("share.churn-prod", "set_permission")]
    assert "older version of read-only" in plan["changes"][0]["detail"]
    assert plan["changes"][0]["reason"] == "permission_outdated"
    applied = cli("apply", "--repo", str(live_example), "--auto-approve", "--no-verify")
    assert applied.exit_code == 0, applied.stdout
    assert plan_json(cli, live_example, "--detailed-exitcode")[0] == 0


def test_an_organization_principal_waits_until_organizations_confirms_the_organization(
    cli: Cli, example_repo: Path, card_account_env: str
) -> None:
    """reconciler.yaml and the share agree on an Organization, but Organizations says the
    card account is in another one: the share is held back with the reason; the rest of
    the plan stands."""
    config = example_repo / "reconciler.yaml"
    config.write_text(
        config.read_text().replace("safety:", 'organization: {id: "o-otherorg123"}\nsafety:')
    )
    (example_repo / "shares" / "org-wide.yaml").write_text(
        "name: org-wide\nprincipals: [arn:aws:organizations::111111111111:organization/"
        "o-otherorg123]\ncards: {status: [Approved]}\npermission: read-only\n"
    )
    code, plan = plan_json(cli, example_repo)
    assert code == 1
    (error,) = plan["errors"]
    assert (error["file"], error["code"]) == ("shares/org-wide.yaml", "organization-mismatch")
    assert "Organizations says the card account is in o-sandbox0001" in error["message"]
    assert "share.org-wide" not in {c["address"] for c in plan["changes"]}
    assert "card.Customer-Churn-Model-Card" in {c["address"] for c in plan["changes"]}
