"""The audit trail's reports, as plain data for the renderers: a card's live versions
with the commit behind each (``reconciler history``), a model version's card and approval
changes from CloudTrail (``reconciler history <group>/<version>``), and a downloaded PDF
export (``reconciler export``). Pure; JSON shapes in docs/formats.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.live.model import TracedVersion

FORMAT_VERSION = "1"
NOT_FROM_GIT = "not from git"


def origin(version: TracedVersion) -> str:
    """The commit that wrote a version, or "not from git"."""
    return version.commit or NOT_FROM_GIT


def version_json(version: TracedVersion) -> dict[str, Any]:
    return {
        "version": version.number,
        "status": version.status,
        "modified_at": version.modified_at,
        "modified_by": version.modified_by,
        "commit": version.commit,
    }


@dataclass(frozen=True, kw_only=True)
class HistoryReport:
    """Every live version of one card, newest first."""

    card: str
    versions: tuple[TracedVersion, ...]
    context: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class VersionEvent:
    """One call that changed a model version (or registered it), as CloudTrail recorded
    it: which parts it sent (card content, card status, stage, approval)."""

    time: str
    identity: str | None
    account: str | None
    call: str  # e.g. sagemaker:UpdateModelPackage
    parts: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class VersionState:
    """A model version as DescribeModelPackage has it now."""

    approval: str
    card_status: str | None
    stage: str | None  # "<stage>/<status>"
    modified_by: str | None
    modified_at: str | None


@dataclass(frozen=True, kw_only=True)
class VersionHistoryReport:
    """A model version's changes, newest first: CloudTrail's events of its 90 days (a
    model version keeps no versions of its card), and ``note`` when CloudTrail could not
    be read."""

    version: str  # <group>/<number>
    arn: str
    current: VersionState
    events: tuple[VersionEvent, ...]
    note: str = ""
    context: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ExportReport:
    """The PDF of one card version: where it is in S3, where it was saved, and whether
    this run had to export it first."""

    card: str
    version: int
    uri: str
    file: str
    exported: bool
