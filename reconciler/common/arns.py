"""ARNs the reconciler needs to predict (model cards, model package groups and RAM
permissions), and the AWS managed RAM permissions for model cards and for model package
groups with the actions each grants."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol

from reconciler.common.regions import partition_for

RESOURCE_TYPE = "sagemaker:ModelCard"
CARD_RESOURCE = ":model-card/"  # arn:<partition>:sagemaker:<region>:<account>:model-card/<name>
GROUP_RESOURCE_TYPE = "sagemaker:ModelPackageGroup"
GROUP_RESOURCE = ":model-package-group/"


def card_name(arn: str) -> str | None:
    """The name of the model card an ARN names; None for any other ARN (or a principal)."""
    head, found, name = arn.partition(CARD_RESOURCE)
    return name if found and head.startswith("arn:") and "/" not in name else None


def group_name(arn: str) -> str | None:
    """The name of the model package group an ARN names; None for any other ARN."""
    head, found, name = arn.partition(GROUP_RESOURCE)
    return name if found and head.startswith("arn:") and "/" not in name else None


def account_and_region(arn: str) -> tuple[str, str]:
    """The account and region an ARN names (empty strings for what is not an ARN)."""
    parts = arn.split(":", 5)
    return (parts[4], parts[3]) if len(parts) == 6 and parts[0] == "arn" else ("", "")


class CardAccount(Protocol):
    """Where cards live: the configuration of one target (``desired.model.Config``)."""

    @property
    def region(self) -> str: ...

    @property
    def card_account_id(self) -> str: ...


@dataclass(frozen=True)
class Arns:
    """ARN builders bound to the card account and region."""

    partition: str
    region: str
    account: str

    @classmethod
    def for_config(cls, config: CardAccount) -> Arns:
        return cls(partition_for(config.region), config.region, config.card_account_id)

    def card(self, name: str) -> str:
        return f"arn:{self.partition}:sagemaker:{self.region}:{self.account}{CARD_RESOURCE}{name}"

    def group(self, name: str) -> str:
        """A model package group of the card account (SageMaker writes the name in lower
        case in the ARN, docs/registry.md)."""
        head = f"arn:{self.partition}:sagemaker:{self.region}:{self.account}"
        return f"{head}{GROUP_RESOURCE}{name.lower()}"

    def model_version(self, group: str, number: int) -> str:
        """A version of a model package group (``model-package/<group>/<n>``, lower case)."""
        head = f"arn:{self.partition}:sagemaker:{self.region}:{self.account}"
        return f"{head}:model-package/{group.lower()}/{number}"

    def permission(self, name: str) -> str:
        """AWS managed names resolve to the global managed ARN, others to the account's."""
        if name in AWS_MANAGED_PERMISSIONS or name in GROUP_PERMISSIONS:
            return f"arn:{self.partition}:ram::aws:permission/{name}"
        return f"arn:{self.partition}:ram:{self.region}:{self.account}:permission/{name}"


AWS_MANAGED_PERMISSIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "AWSRAMPermissionSageMakerModelCards": (
            "sagemaker:DescribeModelCard",
            "sagemaker:ListModelCardVersions",
            "sagemaker:UpdateModelCard",
        ),
        "AWSRAMPermissionSageMakerModelCardsAllowExport": (
            "sagemaker:DescribeModelCard",
            "sagemaker:ListModelCardVersions",
            "sagemaker:UpdateModelCard",
            "sagemaker:CreateModelCardExportJob",
            "sagemaker:DescribeModelCardExportJob",
        ),
    }
)

_GROUP_READS = (
    "sagemaker:DescribeModelPackage",
    "sagemaker:DescribeModelPackageGroup",
    "sagemaker:ListModelPackages",
)

# The AWS managed RAM permissions for model package groups that AWS's own samples attach
# (docs/registry.md). AWS does not publish their action lists in its guides: these are the
# actions of the resource policy the Developer Guide's "Set up discoverability" writes
# (read), plus registering a version for AllowRegister; `ram get-permission` on an account
# is the authority and `reconciler probe` prints what it says. None lets a consumer
# UpdateModelPackage.
GROUP_PERMISSIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "AWSRAMPermissionSageMakerModelPackageGroup": _GROUP_READS,
        "AWSRAMPermissionSageMakerModelPackageGroupAllowDeploy": _GROUP_READS,
        "AWSRAMPermissionSageMakerModelPackageGroupAllowRegister": (
            "sagemaker:CreateModelPackage",
            *_GROUP_READS,
        ),
    }
)
