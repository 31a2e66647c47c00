"""ARNs the reconciler needs to predict (model cards and RAM permissions), and the AWS
managed RAM permissions for model cards with the actions each grants."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Protocol

import boto3

RESOURCE_TYPE = "sagemaker:ModelCard"
CARD_RESOURCE = ":model-card/"  # arn:<partition>:sagemaker:<region>:<account>:model-card/<name>


def card_name(arn: str) -> str | None:
    """The name of the model card an ARN names; None for any other ARN (or a principal)."""
    head, found, name = arn.partition(CARD_RESOURCE)
    return name if found and head.startswith("arn:") and "/" not in name else None


def account_and_region(arn: str) -> tuple[str, str]:
    """The account and region an ARN names (empty strings for what is not an ARN)."""
    parts = arn.split(":", 5)
    return (parts[4], parts[3]) if len(parts) == 6 and parts[0] == "arn" else ("", "")


@cache
def partition_for(region: str) -> str:
    """The partition of a region (aws, aws-cn, aws-us-gov), from botocore's bundled data."""
    partition: str = boto3.session.Session().get_partition_for_region(region)
    return partition


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

    def permission(self, name: str) -> str:
        """AWS managed names resolve to the global managed ARN, others to the account's."""
        if name in AWS_MANAGED_PERMISSIONS:
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
