"""Read a card's version history, newest first, to say who changed it since git last
matched it. Stops at the first version the caller's predicate accepts, so a card edited
once costs one list call and two describes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reconciler.aws.session import aws_errors, pages
from reconciler.live.model import Version
from reconciler.live.sagemaker import identity
from reconciler.normalize import readable_content

MAX_VERSIONS = 50


def history_since(
    client: Any, name: str, matches_git: Callable[[Mapping[str, Any]], bool]
) -> tuple[tuple[Version, ...], Version | None]:
    """The versions after the newest one whose content matches git (newest first), and
    that matching version (None when no version within MAX_VERSIONS matches)."""
    with aws_errors(f"reading the version history of model card {name}"):
        numbers = [
            v["ModelCardVersion"]
            for v in pages(
                client.list_model_card_versions,
                "ModelCardVersionSummaryList",
                "NextToken",
                ModelCardName=name,
                SortBy="Version",
                SortOrder="Descending",
                MaxResults=100,
            )
        ]
        newer: list[Version] = []
        for number in numbers[:MAX_VERSIONS]:
            version = _describe(client, name, number)
            if matches_git(version.content):
                return tuple(newer), version
            newer.append(version)
    return tuple(newer), None


def _describe(client: Any, name: str, number: int) -> Version:
    card = client.describe_model_card(ModelCardName=name, ModelCardVersion=number)
    modified = card.get("LastModifiedTime") or card.get("CreationTime")
    return Version(
        number=number,
        status=card.get("ModelCardStatus", ""),
        modified_by=identity(card.get("LastModifiedBy") or card.get("CreatedBy")),
        modified_at=modified.isoformat() if modified is not None else None,
        content=readable_content(card.get("Content")) or {},  # unreadable: matches nothing
    )
