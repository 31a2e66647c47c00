"""The records RAM keeps: resource shares, their associations, invitations, permissions.

Status that changes with time (an association settling, an invitation expiring) is a
``Timeline`` of dated states, read lazily at "now": no background thread moves anything,
and advancing the sandbox clock moves every record consistently.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

MODEL_CARD_TYPE = "sagemaker:ModelCard"
GROUP_TYPE = "sagemaker:ModelPackageGroup"
SHARED_TYPES = (MODEL_CARD_TYPE, GROUP_TYPE)  # what the sandbox's RAM shares
PRINCIPAL = "PRINCIPAL"
RESOURCE = "RESOURCE"
ACTIVE, DELETED = "ACTIVE", "DELETED"
ASSOCIATING, ASSOCIATED = "ASSOCIATING", "ASSOCIATED"
DISASSOCIATING, DISASSOCIATED = "DISASSOCIATING", "DISASSOCIATED"
PENDING, ACCEPTED, REJECTED, EXPIRED = "PENDING", "ACCEPTED", "REJECTED", "EXPIRED"

MODEL_CARD_ARN = re.compile(
    r"^arn:aws[a-z-]*:sagemaker:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"model-card/(?P<name>[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})$"
)
GROUP_ARN = re.compile(
    r"^arn:aws[a-z-]*:sagemaker:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"model-package-group/(?P<name>[a-z0-9](-*[a-z0-9]){0,62})$"
)
ANY_ARN = re.compile(
    r"^arn:aws[a-z-]*:(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):"
    r"(?P<account>\d{12}|aws)?:(?P<resource>.+)$"
)
SHARE_ARN = re.compile(
    r"^arn:aws[a-z-]*:ram:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"resource-share/(?P<id>[0-9a-f-]+)$"
)
INVITATION_ARN = re.compile(
    r"^arn:aws[a-z-]*:ram:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"resource-share-invitation/(?P<id>[0-9a-f-]+)$"
)


@dataclass
class Timeline:
    """Dated states; the state at ``now`` is the last one whose time is not after it."""

    entries: list[tuple[float, str, str]] = field(default_factory=list)

    def at(self, now: float) -> tuple[float, str, str]:
        """(since, state, message) in force at ``now``."""
        current = self.entries[0]
        for entry in self.entries:
            if entry[0] <= now:
                current = entry
        return current

    def rewrite(self, now: float, *upcoming: tuple[float, str, str]) -> None:
        """Drop the states planned after ``now`` and plan ``upcoming`` instead."""
        self.entries = [e for e in self.entries if e[0] <= now] + list(upcoming)


@dataclass
class Association:
    """One principal or resource in a share; ``invitation`` is set while one is needed."""

    share_arn: str
    kind: str
    entity: str
    created: float
    timeline: Timeline
    external: bool = False
    invitation_arn: str | None = None

    def status(self, now: float) -> str:
        return self.timeline.at(now)[1]


@dataclass
class Invitation:
    """An invitation to one account to join one share."""

    arn: str
    share_arn: str
    sender: str
    receiver: str
    created: float
    timeline: Timeline

    def status(self, now: float) -> str:
        return self.timeline.at(now)[1]


@dataclass
class Share:
    """A resource share; ``permissions`` maps resource type -> (permission ARN, version)."""

    arn: str
    name: str
    owner: str
    region: str
    allow_external: bool
    created: float
    updated: float
    status: str = ACTIVE
    tags: dict[str, str] = field(default_factory=dict)
    permissions: dict[str, tuple[str, int]] = field(default_factory=dict)
    associations: dict[tuple[str, str], Association] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Association]:
        return [a for a in self.associations.values() if a.kind == kind]


@dataclass
class PermissionVersion:
    version: int
    actions: tuple[str, ...]
    template: str
    created: float


@dataclass
class Permission:
    """A managed permission: AWS-managed (owner ``aws``) or customer-managed (an account)."""

    arn: str
    name: str
    resource_type: str
    owner: str
    versions: list[PermissionVersion]
    default_version: int = 1
    type_default: bool = False
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def aws_managed(self) -> bool:
        return self.owner == "aws"

    def version(self, number: int | None = None) -> PermissionVersion | None:
        wanted = self.default_version if number is None else number
        return next((v for v in self.versions if v.version == wanted), None)


def shared_type(arn: str) -> tuple[str, re.Match[str]] | None:
    """RAM's type of a resource the sandbox's RAM shares (a model card, or a model package
    group, whose ARN SageMaker writes in lower case), with the ARN's parts; else None."""
    card = MODEL_CARD_ARN.match(arn)
    if card:
        return MODEL_CARD_TYPE, card
    group = GROUP_ARN.match(arn)
    return (GROUP_TYPE, group) if group else None


def new_share_arn(region: str, account: str) -> str:
    return f"arn:aws:ram:{region}:{account}:resource-share/{uuid.uuid4()}"


def new_invitation_arn(region: str, account: str) -> str:
    return f"arn:aws:ram:{region}:{account}:resource-share-invitation/{uuid.uuid4()}"


def tag_list(tags: dict[str, str]) -> list[dict[str, Any]]:
    return [{"key": k, "value": v} for k, v in tags.items()]
