"""What the apply scenarios share: the example's names, driving the CLI, editing the
repository copy, and reading live state with plain boto3 clients.

Every scenario drives the console entry point and then reads live state as the card
account and as each consumer account, so "applied" means what AWS would show: cards with
their ownership tags and versions, shares with their principals, resources and permission,
invitations accepted (or not) on the consumer side.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

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
BUCKET, PREFIX = "audit-exports", "model-cards"  # where the ``exporting`` fixture exports


def card_arn(name: str = CARD) -> str:
    return f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/{name}"


@dataclass(frozen=True)
class Retry:
    """One retry botocore decided on (see the ``retries`` fixture)."""

    service: str
    operation: str
    code: str | None
    attempt: int
    delay: float  # what botocore's backoff asked for


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


# What the example's promotion gates ask of an Approved card (reconciler.yaml).
GATED_CONTENT = """\
  intended_uses: {intended_uses: Batch scoring., risk_rating: Low}
  evaluation_details:
    - name: holdout
      metric_groups: [{name: quality, metric_data: [{name: auc, type: number, value: 0.9}]}]
"""


def add_card(repo: Path, name: str, status: str = "Draft") -> None:
    """A card with an owner, which meets the example's promotion gates."""
    (repo / "cards" / f"{name}.yaml").write_text(
        f"name: {name}\nstatus: {status}\ncontent:\n  model_overview:\n"
        f"    model_owner: model-owner\n{GATED_CONTENT}"
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
