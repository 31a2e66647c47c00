"""The first apply of the example repository, the second one that changes nothing, and an
apply that cannot ask for confirmation.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from tests.apply.helpers import (
    CARD,
    CARD_FILE,
    DESCRIBE,
    DEV,
    LIST_VERSIONS,
    MANAGED,
    PROD,
    READ_ONLY,
    READER,
    TEST,
    Aws,
    Cli,
    apply,
    card_arn,
    consumer,
    invitations,
    members,
    shares,
    steps,
    versions,
)


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
