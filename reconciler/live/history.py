"""Read a card's version history, newest first: to say who changed it since git last
matched it (``history_since``: stops at the first version the caller's predicate accepts,
so a card edited once costs one list call and two describes), and every version with the
commit that wrote it (``card_versions``, from the ``reconciler-versions`` tag).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from reconciler.aws.session import aws_errors, pages
from reconciler.common.content import readable_content
from reconciler.common.names import COMMIT_TAG, VERSIONS_TAG, parse_versions
from reconciler.common.status import CardStatus
from reconciler.live.model import TracedVersion, Version
from reconciler.live.sagemaker import identity, time_text

MAX_VERSIONS = 50


def history_since(
    client: Any, name: str, matches_git: Callable[[Mapping[str, Any]], bool]
) -> tuple[tuple[Version, ...], Version | None]:
    """The versions after the newest one whose content matches git (newest first), and
    that matching version (None when no version within MAX_VERSIONS matches)."""
    with aws_errors(f"reading the version history of model card {name}"):
        numbers = [v["ModelCardVersion"] for v in _summaries(client, name)]
        newer: list[Version] = []
        for number in numbers[:MAX_VERSIONS]:
            version = _describe(client, name, number)
            if matches_git(version.content):
                return tuple(newer), version
            newer.append(version)
    return tuple(newer), None


def _summaries(client: Any, name: str) -> Iterator[Mapping[str, Any]]:
    """The card's version summaries, newest first."""
    return pages(
        client.list_model_card_versions,
        "ModelCardVersionSummaryList",
        "NextToken",
        ModelCardName=name,
        SortBy="Version",
        SortOrder="Descending",
        MaxResults=100,
    )


def _describe(client: Any, name: str, number: int) -> Version:
    card = client.describe_model_card(ModelCardName=name, ModelCardVersion=number)
    return Version(
        number=number,
        status=CardStatus.read(card.get("ModelCardStatus"), f"model card {name}"),
        modified_by=identity(card.get("LastModifiedBy") or card.get("CreatedBy")),
        modified_at=time_text(card.get("LastModifiedTime") or card.get("CreationTime")),
        content=readable_content(card.get("Content")) or {},  # unreadable: matches nothing
    )


def card_versions(sagemaker: Any, name: str) -> tuple[TracedVersion, ...]:
    """Every live version of a card (newest first) with the commit that wrote it, if any."""
    with aws_errors(f"reading the versions of model card {name}"):
        card = sagemaker.describe_model_card(ModelCardName=name)
        tags = {
            t["Key"]: t["Value"]
            for t in sagemaker.list_tags(ResourceArn=card["ModelCardArn"])["Tags"]
        }
        summaries = list(_summaries(sagemaker, name))
        commits = parse_versions(tags.get(VERSIONS_TAG, ""))
        latest = tags.get(COMMIT_TAG)
        return tuple(_traced(sagemaker, name, s, commits, latest) for s in summaries)


def _traced(
    sagemaker: Any,
    name: str,
    summary: Mapping[str, Any],
    commits: dict[int, str],
    latest: str | None,
) -> TracedVersion:
    number = int(summary["ModelCardVersion"])
    card = sagemaker.describe_model_card(
        ModelCardName=name, ModelCardVersion=number, IncludedData="MetadataOnly"
    )
    when = summary.get("LastModifiedTime") or summary.get("CreationTime")
    return TracedVersion(
        number=number,
        status=CardStatus.read(summary.get("ModelCardStatus"), f"model card {name}"),
        modified_at=time_text(when),
        modified_by=identity(card.get("LastModifiedBy") or card.get("CreatedBy")),
        commit=_commit(number, commits, latest),
    )


def _commit(number: int, commits: dict[int, str], latest: str | None) -> str | None:
    """The commit that wrote version ``number``: in full when it is the latest apply's."""
    commit = commits.get(number)
    if commit and latest and latest.startswith(commit):
        return latest
    return commit
