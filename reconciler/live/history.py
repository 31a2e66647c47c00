"""Read a card's version history, newest first: to say who changed it since git last
matched it (``history_since``: stops at the first version the caller's predicate accepts,
so a card edited once costs one list call and two describes), and every version with the
commit that wrote it (``card_versions``, from the ``reconciler-versions`` tag).

Drift reads less (``confirmed_by_versions``, ``edits_after_apply``, ``traced_from``): one
ListModelCardVersions of a card confirms its Search record when the newest version listed
is the record's (number, status, time), and names every version; Search's record names
who wrote the newest version (``LastModifiedBy``) and who created the card, the author of
version 1 (``CreatedBy``). Only the authors of the versions between are described.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from botocore.exceptions import ClientError

from reconciler.aws.session import aws_errors, error_code, pages
from reconciler.common.content import readable_content
from reconciler.common.names import COMMIT_TAG, VERSIONS_TAG, parse_versions
from reconciler.common.status import CardStatus
from reconciler.live.model import LiveCard, TracedVersion, Version, VersionSummary
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
    when = summary.get("LastModifiedTime") or summary.get("CreationTime")
    return TracedVersion(
        number=number,
        status=CardStatus.read(summary.get("ModelCardStatus"), f"model card {name}"),
        modified_at=time_text(when),
        modified_by=_author(sagemaker, name, number),
        commit=_commit(number, commits, latest),
    )


def _commit(number: int, commits: dict[int, str], latest: str | None) -> str | None:
    """The commit that wrote version ``number``: in full when it is the latest apply's."""
    commit = commits.get(number)
    if commit and latest and latest.startswith(commit):
        return latest
    return commit


def list_versions(client: Any, name: str) -> tuple[VersionSummary, ...] | None:
    """Every version of the card, newest first (ListModelCardVersions: the card store);
    None when the card does not exist."""
    with aws_errors(f"listing the versions of model card {name}"):
        try:
            return tuple(
                VersionSummary(
                    number=int(s["ModelCardVersion"]),
                    status=CardStatus.read(s.get("ModelCardStatus"), f"model card {name}"),
                    modified_at=time_text(s.get("LastModifiedTime") or s.get("CreationTime")),
                )
                for s in _summaries(client, name)
            )
        except ClientError as e:
            if error_code(e) == "ResourceNotFound":
                return None
            raise


def confirmed_by_versions(client: Any, card: LiveCard) -> LiveCard | None:
    """``card`` (Search's view) with its version listing, confirmed current when the
    newest version listed is the one Search shows; None when the listing says otherwise
    (a newer version, another status or time) or the card is gone."""
    listing = list_versions(client, card.name)
    newest = listing[0] if listing else None
    if newest is None or (newest.number, newest.status, newest.modified_at) != (
        card.version,
        card.status,
        card.last_modified_time,
    ):
        return None
    return replace(card, confirmed=True, versions=listing)


def edits_after_apply(client: Any, card: LiveCard) -> tuple[tuple[Version, ...], int] | None:
    """The versions written after the newest one an apply wrote (the ``reconciler-
    versions`` tag), newest first with their authors but not their content, and that
    version's number; None without a listing, or when an apply wrote the newest version
    (git moved on since, or the tag says so wrongly): then only content can tell."""
    written = parse_versions(card.tags.get(VERSIONS_TAG, ""))
    listing = card.versions or ()
    if not listing or listing[0].number in written:
        return None
    base = max((n for n in written if n < listing[0].number), default=None)
    if base is None:
        return None
    newer = [v for v in listing if v.number > base]
    authors = _authors(client, card, [v.number for v in newer])
    return tuple(_unread(v, authors.get(v.number)) for v in newer), base


def traced_from(client: Any, card: LiveCard) -> tuple[TracedVersion, ...]:
    """Every version of a card confirmed by its listing, with its commit and author."""
    listing = card.versions or ()
    commits = parse_versions(card.tags.get(VERSIONS_TAG, ""))
    latest = card.tags.get(COMMIT_TAG)
    authors = _authors(client, card, [v.number for v in listing])
    return tuple(
        TracedVersion(
            number=v.number,
            status=v.status,
            modified_at=v.modified_at,
            modified_by=authors.get(v.number),
            commit=_commit(v.number, commits, latest),
        )
        for v in listing
    )


def _authors(client: Any, card: LiveCard, numbers: list[int]) -> dict[int, str | None]:
    """Who wrote each version: the newest from Search's record, version 1 its creator,
    any other described (metadata only)."""
    known = {card.version: card.last_modified_by, 1: card.created_by}
    with aws_errors(f"reading the versions of model card {card.name}"):
        return {n: known[n] if n in known else _author(client, card.name, n) for n in numbers}


def _author(client: Any, name: str, number: int) -> str | None:
    described = client.describe_model_card(
        ModelCardName=name, ModelCardVersion=number, IncludedData="MetadataOnly"
    )
    return identity(described.get("LastModifiedBy") or described.get("CreatedBy"))


def _unread(version: VersionSummary, author: str | None) -> Version:
    """A listed version whose content was not read."""
    return Version(
        number=version.number,
        status=version.status,
        modified_by=author,
        modified_at=version.modified_at,
        content={},
    )
