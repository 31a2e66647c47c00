"""Who changed a model version or a group's tags outside git, from CloudTrail. Pure.

For a version a plan would set back (``update_version``), each part that differs (the
card's content, the card's status, the stage, the approval) is attributed to the newest
``UpdateModelPackage`` of that version that sent that part; for a group's tags, each tag
to the newest ``AddTags`` or ``DeleteTags`` of the group that names its key. The newest
call that sent a part is the one that made the live value what it is. Where CloudTrail
has no such event, or could not be read, the attribution says so, and for a version
names who ``DescribeModelPackage`` says last modified it (``LastModifiedBy``), which is
all the registry itself records.

Event parameters are untrusted: only their ARNs and the presence of members are read, and
nothing of their values is shown (``ModelCardContent`` is sensitive, and CloudTrail does
not document what it records of it). AWS undocumented: trail-package-update-fields
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.live.model import Trail, TrailEvent
from reconciler.plan.address import Kind
from reconciler.plan.model import Action, Change
from reconciler.plan.payloads import UpdateTags, UpdateVersion
from reconciler.reports.audit import VersionEvent
from reconciler.reports.drift import Attribution, ShareEdit, split_identity
from reconciler.reports.trail import share_edit

UPDATE = "UpdateModelPackage"
REGISTER = "CreateModelPackage"
TAG_CALLS = ("AddTags", "DeleteTags")
CALLS = (UPDATE, *TAG_CALLS)


@dataclass(frozen=True, kw_only=True)
class Part:
    """A part of a model version a change sets, and where UpdateModelPackage sends it."""

    path: str  # the plan's field path, or its prefix
    subject: str  # for people
    member: tuple[str, ...]  # the path in CloudTrail's requestParameters


PARTS = (
    Part(path="$.content", subject="card content", member=("modelCard", "modelCardContent")),
    Part(path="$.card.status", subject="card status", member=("modelCard", "modelCardStatus")),
    Part(path="$.stage", subject="stage", member=("modelLifeCycle",)),
    Part(path="$.approval", subject="approval", member=("modelApprovalStatus",)),
)


@dataclass(frozen=True, kw_only=True)
class LastModified:
    """What DescribeModelPackage records of a version's last change."""

    by: str | None
    at: str | None


def is_registry_drift(change: Change) -> bool:
    """True for registry drift CloudTrail can name the author of."""
    if change.action is Action.UPDATE_VERSION:
        return isinstance(change.payload, UpdateVersion)
    return change.action is Action.UPDATE_TAGS and change.address.kind is Kind.GROUP


def attribute_registry(change: Change, trail: Trail, last: LastModified | None) -> Attribution:
    """Who made the drift ``change`` undoes, one edit per part (or tag) that differs."""
    if trail.problem is not None:
        return Attribution(note=_unreadable(trail.problem, last))
    if isinstance(change.payload, UpdateVersion):
        found = dict(_version_edits(change, change.payload.package_arn, trail))
    elif isinstance(change.payload, UpdateTags):
        found = dict(_tag_edits(change, change.payload.arn, trail))
    else:
        return Attribution()
    edits = tuple(e for e in found.values() if e is not None)
    unknown = [subject for subject, edit in found.items() if edit is None]
    return Attribution(edits=edits, note=_nothing(unknown, last) if unknown else "")


def _version_edits(
    change: Change, arn: str, trail: Trail
) -> Iterator[tuple[str, ShareEdit | None]]:
    paths = [f.path for f in change.fields]
    for part in PARTS:
        if not any(p == part.path or p.startswith(part.path + ".") for p in paths):
            continue
        event = next(
            (e for e in trail.events if _updates(e, arn) and _has(e.parameters, part.member)),
            None,
        )
        yield part.subject, share_edit(event, part.subject) if event else None


def _updates(event: TrailEvent, arn: str) -> bool:
    return event.name == UPDATE and event.parameters.get("modelPackageArn") == arn


def _has(parameters: Mapping[str, Any], member: tuple[str, ...]) -> bool:
    value: Any = parameters
    for key in member:
        if not isinstance(value, Mapping) or key not in value:
            return False
        value = value[key]
    return True


def _tag_edits(change: Change, arn: str, trail: Trail) -> Iterator[tuple[str, ShareEdit | None]]:
    for key in sorted({f.path.removeprefix("$.tags.") for f in change.fields}):
        event = next((e for e in trail.events if _tags_key(e, arn, key)), None)
        subject = f"tag {key}"
        yield subject, share_edit(event, subject) if event else None


def _tags_key(event: TrailEvent, arn: str, key: str) -> bool:
    if event.name not in TAG_CALLS or event.parameters.get("resourceArn") != arn:
        return False
    tags = event.parameters.get("tags") or []
    keys = event.parameters.get("tagKeys") or []
    named = [t.get("key") for t in tags if isinstance(t, Mapping)] if isinstance(tags, list) else []
    return key in named or (isinstance(keys, list) and key in keys)


def _last(last: LastModified | None) -> str:
    if last is None or not last.by:
        return ""
    when = f" at {last.at}" if last.at else ""
    return f"; DescribeModelPackage records its last change by {last.by}{when}"


def _nothing(unknown: list[str], last: LastModified | None) -> str:
    return (
        f"CloudTrail has no event that changed the {', '.join(unknown)} in its 90 days{_last(last)}"
    )


def _unreadable(problem: str, last: LastModified | None) -> str:
    return (
        f"CloudTrail could not be read ({problem}): who made this change is not known{_last(last)}"
    )


def version_events(trail: Trail, arn: str) -> tuple[VersionEvent, ...]:
    """The events that registered the version ``arn`` or changed it, newest first, each
    with the parts it sent."""
    found = []
    for event in trail.events:
        registered = event.name == REGISTER and event.response.get("modelPackageArn") == arn
        if not (registered or _updates(event, arn)):
            continue
        parts = tuple(p.subject for p in PARTS if _has(event.parameters, p.member))
        who, _ = split_identity(event.identity)
        found.append(
            VersionEvent(
                time=event.time,
                identity=who,
                account=event.account,
                call=f"sagemaker:{event.name}",
                parts=("registered", *parts) if registered else parts,
            )
        )
    return tuple(found)
