"""What an acceptance run works with: its repository (written from the accounts, every name
with the run's prefix and its own ownership tag value), sessions for the suite's own calls
(the card account as the reconciler acts, each target account through its role), and the
sweep that deletes whatever the run made, whatever happened.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from reconciler.aws.session import AwsSession, AwsSettings
from tests.acceptance.settings import Accounts

SESSION = "reconciler-acceptance"
GONE = frozenset({"ResourceNotFound", "UnknownResourceException", "ValidationException"})


@dataclass(frozen=True, kw_only=True)
class Names:
    """The run's card, shares, permission and model package group."""

    card: str
    dev: str
    test: str
    prod: str
    permission: str
    group: str

    @classmethod
    def of(cls, accounts: Accounts) -> Names:
        p = accounts.prefix
        return cls(
            card=f"{p}churn",
            dev=f"{p}dev",
            test=f"{p}test",
            prod=f"{p}prod",
            permission=f"{p}read-only",
            group=f"{p}churn",
        )


class Cloud:
    """Sessions for the suite's own calls."""

    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts
        settings = AwsSettings(
            region=accounts.region,
            endpoint_url=accounts.endpoint_url,
            role_arn=accounts.card_role_arn,
        )
        self.card = AwsSession(settings)
        self.card_account = self.card.caller_account()

    def consumer(self, name: str) -> AwsSession:
        return self.card.assume(self.accounts.consumers[name], SESSION)

    def card_arn(self, name: str) -> str:
        return f"arn:aws:sagemaker:{self.accounts.region}:{self.card_account}:model-card/{name}"


def write_repository(root: Path, cloud: Cloud, names: Names, package: str | None) -> None:
    """reconciler.yaml, the card (Draft) and the three shares of the run."""
    accounts = cloud.accounts
    (root / "cards").mkdir(parents=True)
    (root / "shares").mkdir()
    (root / "reconciler.yaml").write_text(_config(cloud, names, package), encoding="utf-8")
    registry = f"  model_package_details:\n    model_package_arn: {package}\n" if package else ""
    (root / "cards" / f"{names.card}.yaml").write_text(
        f"name: {names.card}\nstatus: Draft\ncontent:\n  model_overview:\n"
        f"    model_description: Acceptance run {accounts.run_id} of modelcard-reconciler.\n"
        f"    model_owner: model-owner\n  intended_uses:\n    risk_rating: Low\n{registry}",
        encoding="utf-8",
    )
    shares = {
        names.dev: (
            "dev",
            "[Draft, PendingReview, Approved]",
            "AWSRAMPermissionSageMakerModelCards",
        ),
        names.test: ("test", "[PendingReview, Approved]", "AWSRAMPermissionSageMakerModelCards"),
        names.prod: ("prod", "[Approved]", names.permission),
    }
    for name, (account, statuses, permission) in shares.items():
        (root / "shares" / f"{name}.yaml").write_text(
            f"name: {name}\nprincipals: [{account}]\ncards:\n  status: {statuses}\n"
            f"permission: {permission}\n{_outside(accounts, account)}",
            encoding="utf-8",
        )


def _outside(accounts: Accounts, account: str) -> str:
    """A share with an account outside the Organization allows it, and its edits."""
    if account not in accounts.invited:
        return ""
    edits = "allow_external_edits: true\n" if account != "prod" else ""
    return f"allow_external_principals: true\n{edits}"


def _config(cloud: Cloud, names: Names, package: str | None) -> str:
    accounts = cloud.accounts
    role = f'  role_arn: "{accounts.card_role_arn}"\n' if accounts.card_role_arn else ""
    targets = "".join(
        f'  {name}: {{id: "{accounts.account_of(name)}", role_arn: "{arn}", '
        f"external: {str(name in accounts.invited).lower()}}}\n"
        for name, arn in accounts.consumers.items()
    )
    exports = (
        f"exports: {{bucket: {accounts.bucket}, prefix: {accounts.export_prefix}}}\n"
        if accounts.bucket
        else ""
    )
    return (
        f'region: {accounts.region}\ncard_account:\n  id: "{cloud.card_account}"\n{role}'
        f"accounts:\n{targets}"
        f"permissions:\n  {names.permission}:\n"
        "    actions: [sagemaker:DescribeModelCard, sagemaker:ListModelCardVersions]\n"
        f"ownership: {{tag_value: {accounts.tag_value}}}\n{exports}"
        + ("registry: {sync_approval: true}\n" if package else "")
    )


def model_package(cloud: Cloud, names: Names) -> str:
    """A model package awaiting approval, in a group of the run's name: what the card
    documents, and what approving the card approves."""
    sagemaker = cloud.card.client("sagemaker")
    sagemaker.create_model_package_group(ModelPackageGroupName=names.group)
    made = sagemaker.create_model_package(
        ModelPackageGroupName=names.group, ModelApprovalStatus="PendingManualApproval"
    )
    return str(made["ModelPackageArn"])


def sweep(cloud: Cloud, names: Names, package: str | None) -> list[str]:
    """Delete everything of the run that is left; what could not be deleted."""
    problems: list[str] = []
    for what, delete in (
        ("shares", lambda: _shares(cloud)),
        ("card", lambda: _card(cloud, names)),
        ("permission", lambda: _permission(cloud, names)),
        ("model package", lambda: _package(cloud, names, package)),
        ("exports", lambda: _exports(cloud)),
    ):
        try:
            delete()
        except ClientError as e:
            problems.append(f"{what}: {e}")
    return problems


def _shares(cloud: Cloud) -> None:
    ram = cloud.card.client("ram")
    owned = [{"tagKey": "managed-by", "tagValues": [cloud.accounts.tag_value]}]
    found = ram.get_resource_shares(resourceOwner="SELF", tagFilters=owned)["resourceShares"]
    for share in found:
        if share["status"] not in ("DELETING", "DELETED"):
            ram.delete_resource_share(resourceShareArn=share["resourceShareArn"])
    arns = [s["resourceShareArn"] for s in found]
    _wait(lambda: arns == [] or _deleted(ram, arns))


def _deleted(ram: Any, arns: list[str]) -> bool:
    shares = ram.get_resource_shares(resourceOwner="SELF", resourceShareArns=arns)
    return all(s["status"] == "DELETED" for s in shares["resourceShares"])


def _card(cloud: Cloud, names: Names) -> None:
    _unless_gone(lambda: cloud.card.client("sagemaker").delete_model_card(ModelCardName=names.card))


def _permission(cloud: Cloud, names: Names) -> None:
    ram = cloud.card.client("ram")
    own = ram.list_permissions(permissionType="CUSTOMER_MANAGED")["permissions"]
    for permission in own:
        if permission["name"] == names.permission:
            ram.delete_permission(permissionArn=permission["arn"])


def _package(cloud: Cloud, names: Names, package: str | None) -> None:
    if package is None:
        return
    sagemaker = cloud.card.client("sagemaker")
    _unless_gone(lambda: sagemaker.delete_model_package(ModelPackageName=package))
    _unless_gone(lambda: sagemaker.delete_model_package_group(ModelPackageGroupName=names.group))


def _exports(cloud: Cloud) -> None:
    accounts = cloud.accounts
    if accounts.bucket is None:
        return
    s3 = cloud.card.client("s3")
    listed = s3.list_objects_v2(Bucket=accounts.bucket, Prefix=f"{accounts.export_prefix}/")
    for item in listed.get("Contents", []):
        s3.delete_object(Bucket=accounts.bucket, Key=item["Key"])


def _unless_gone(call: Callable[[], Any]) -> None:
    try:
        call()
    except ClientError as e:
        code = e.response["Error"]["Code"]
        if code not in GONE and "being deleted" not in str(e):
            raise


def _wait(done: Callable[[], bool], seconds: float = 300.0) -> None:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        time.sleep(2.0)
