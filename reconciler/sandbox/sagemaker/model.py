"""The sandbox's model-card records and how each renders into SageMaker's wire shapes.

A card is a list of immutable content versions (only a version's status may change),
plus card-level facts: name, ARN, creation, KMS key, tags and deletion progress.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from reconciler.sandbox.caller import Caller

DELETION_STAGES = (
    "DeletePending",
    "DeleteInProgress",
    "ContentDeleted",
    "ExportJobsDeleted",
    "DeleteCompleted",
)


def user_context(caller: Caller) -> dict[str, Any]:
    """SageMaker's ``UserContext`` for an API caller: the IAM identity, and as the user
    profile name its principal id (``<role id>:<session>``; the account id for the root),
    as GetCallerIdentity's ``UserId`` says it."""
    return {
        "UserProfileName": caller.principal_id,
        "IamIdentity": {"Arn": caller.arn, "PrincipalId": caller.principal_id},
    }


# A model-card ARN as ModelCardNameOrArn allows it: (region, account, name).
CARD_ARN = re.compile(r"arn:aws[a-z\-]*:sagemaker:([a-z0-9\-]*):(\d{12}):model-card/(.*)")


def sagemaker_arn(region: str, account: str, resource: str) -> str:
    """The ARN of a SageMaker resource given as ``<type>/<name>``."""
    return f"arn:aws:sagemaker:{region}:{account}:{resource}"


def card_arn(region: str, account: str, name: str) -> str:
    return sagemaker_arn(region, account, f"model-card/{name}")


@dataclass
class CardVersion:
    number: int
    content: str
    status: str
    created: float
    modified: float
    modified_by: dict[str, Any]


@dataclass(eq=False)  # identity matters: two cards are never "equal"
class Card:
    account: str
    region: str
    name: str
    created: float
    created_by: dict[str, Any]
    security_config: dict[str, Any] | None
    versions: list[CardVersion] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    deleted_at: float | None = None

    @property
    def arn(self) -> str:
        return card_arn(self.region, self.account, self.name)

    @property
    def latest(self) -> CardVersion:
        return self.versions[-1]

    def version(self, number: int | None) -> CardVersion | None:
        if number is None:
            return self.latest
        return next((v for v in self.versions if v.number == number), None)


def deletion_stage(card: Card, now: float, delay: float) -> str | None:
    """Where an asynchronous delete stands: a ModelCardProcessingStatus, or None if not deleting.

    The stages split ``delay`` evenly; after the last one the card is gone.
    """
    if card.deleted_at is None:
        return None
    elapsed = now - card.deleted_at
    index = int(elapsed / delay * len(DELETION_STAGES)) if delay > 0 else len(DELETION_STAGES)
    return DELETION_STAGES[min(index, len(DELETION_STAGES) - 1)]


def deletion_done(card: Card, now: float, delay: float) -> bool:
    return card.deleted_at is not None and now - card.deleted_at >= delay


def describe(card: Card, version: CardVersion, stage: str | None) -> dict[str, Any]:
    """DescribeModelCardResponse."""
    out: dict[str, Any] = {
        "ModelCardArn": card.arn,
        "ModelCardName": card.name,
        "ModelCardVersion": version.number,
        "Content": version.content,
        "ModelCardStatus": version.status,
        "CreationTime": card.created,
        "CreatedBy": card.created_by,
        "LastModifiedTime": version.modified,
        "LastModifiedBy": version.modified_by,
    }
    if card.security_config:
        out["SecurityConfig"] = card.security_config
    if stage:
        out["ModelCardProcessingStatus"] = stage
    return out


def summary(card: Card) -> dict[str, Any]:
    """ModelCardSummary (always the latest version)."""
    return {
        "ModelCardName": card.name,
        "ModelCardArn": card.arn,
        "ModelCardStatus": card.latest.status,
        "CreationTime": card.created,
        "LastModifiedTime": card.latest.modified,
    }


def version_summary(card: Card, version: CardVersion) -> dict[str, Any]:
    """ModelCardVersionSummary."""
    return {
        "ModelCardName": card.name,
        "ModelCardArn": card.arn,
        "ModelCardStatus": version.status,
        "ModelCardVersion": version.number,
        "CreationTime": version.created,
        "LastModifiedTime": version.modified,
    }


# The only Content paths DescribeModelCard keeps with IncludedData=MetadataOnly (botocore doc).
METADATA_PATHS = (
    ("model_overview", "model_id"),
    ("model_overview", "model_name"),
    ("intended_uses", "risk_rating"),
    ("model_package_details", "model_package_group_name"),
    ("model_package_details", "model_package_arn"),
)


def _content_value(content: Any, path: tuple[str, str]) -> Any:
    section = content.get(path[0]) if isinstance(content, dict) else None
    return section.get(path[1]) if isinstance(section, dict) else None


def metadata_only(content: str) -> str:
    """Content reduced to the unencrypted metadata fields (IncludedData=MetadataOnly)."""
    parsed, kept = json.loads(content), {}  # type: ignore[var-annotated]
    for path in METADATA_PATHS:
        value = _content_value(parsed, path)
        if value is not None:
            kept.setdefault(path[0], {})[path[1]] = value
    return json.dumps(kept)


def search_record(card: Card) -> dict[str, Any]:
    """The ``ModelCard`` member of a SearchRecord: latest version, content, tags and the
    fields SageMaker derives from content (ModelId, RiskRating, ModelPackageGroupName)."""
    version = card.latest
    out = describe(card, version, None)
    out["Tags"] = [{"Key": k, "Value": v} for k, v in card.tags.items()]
    parsed = json.loads(version.content)
    derived = {
        "ModelId": _content_value(parsed, ("model_overview", "model_id"))
        or _content_value(parsed, ("model_package_details", "model_package_arn")),
        "RiskRating": _content_value(parsed, ("intended_uses", "risk_rating")),
        "ModelPackageGroupName": _content_value(
            parsed, ("model_package_details", "model_package_group_name")
        ),
    }
    out.update({k: v for k, v in derived.items() if isinstance(v, str)})
    return out


@dataclass(eq=False)
class ExportJob:
    card: Card
    name: str
    version: int
    output_path: str
    created: float
    status: str = "InProgress"
    modified: float = 0.0
    failure: str | None = None
    artifact: str | None = None
    denied: str | None = None  # why the creator may not write the PDF (fails the job)

    @property
    def arn(self) -> str:
        return f"{self.card.arn}/export-job/{self.name}"

    def describe(self) -> dict[str, Any]:
        out = self.summary()
        out["OutputConfig"] = {"S3OutputPath": self.output_path}
        if self.failure:
            out["FailureReason"] = self.failure
        if self.artifact:
            out["ExportArtifacts"] = {"S3ExportArtifacts": self.artifact}
        return out

    def summary(self) -> dict[str, Any]:
        return {
            "ModelCardExportJobName": self.name,
            "ModelCardExportJobArn": self.arn,
            "Status": self.status,
            "ModelCardName": self.card.name,
            "ModelCardVersion": self.version,
            "CreatedAt": self.created,
            "LastModifiedAt": self.modified or self.created,
        }
