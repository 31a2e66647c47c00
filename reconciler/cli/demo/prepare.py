"""The demo's accounts, and what the copied example repository and the sandbox are given
before the first step: the audit trail's model package (declared in the card, with the
exports bucket in reconciler.yaml, which the card account's stack then creates), and the
infrastructure `reconciler bootstrap` generates, deployed as on AWS (``stacks``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

CARD_ACCOUNT, DEV, TEST, PROD = "111111111111", "222222222222", "333333333333", "444444444444"
CARD = "Customer-Churn-Model-Card"
ADMIN = "SandboxAdmin"
READER_ROLE = "ModelCardReader"
EXPORT_BUCKET = "model-card-exports"
PACKAGE_GROUP = "customer-churn"


def audit_trail(sandbox: Any, repo: Path) -> str:
    """A model package awaiting approval, which the card declares, and the exports bucket in
    reconciler.yaml (the card account's stack creates it); the package's ARN."""
    sagemaker = sandbox.client("sagemaker", CARD_ACCOUNT, ADMIN)
    sagemaker.create_model_package_group(ModelPackageGroupName=PACKAGE_GROUP)
    package = sagemaker.create_model_package(ModelPackageGroupName=PACKAGE_GROUP)
    package_arn: str = package["ModelPackageArn"]
    with (repo / "reconciler.yaml").open("a", encoding="utf-8") as config:
        config.write(
            f"exports: {{bucket: {EXPORT_BUCKET}, prefix: model-cards}}\n"
            "registry: {sync_approval: true}\n"
        )
    with (repo / "cards" / f"{CARD}.yaml").open("a", encoding="utf-8") as card:
        card.write(f"  model_package_details:\n    model_package_arn: {package_arn}\n")
    return package_arn
