"""Who changed a share outside git, from CloudTrail. Pure.

For each share change a plan would make to undo drift, the RAM calls that make such drift
(a ``DisassociateResourceShare`` of the principal that is missing, a
``RejectResourceShareInvitation`` by it, an ``AssociateResourceSharePermission`` of another
permission...) are looked for among the card account's RAM events after the last apply that
changed the share (``ShareScope``); the newest one names who, from which account, when and
with which call. Where none is found, or CloudTrail could not be read, the attribution says
so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from reconciler.desired.model import Ownership
from reconciler.live.model import LiveShare, Trail, TrailEvent
from reconciler.plan.model import Action, Change
from reconciler.plan.payloads import ChangeMembers
from reconciler.reports.drift import Attribution, ShareEdit, split_identity

RETENTION_DAYS = 90  # CloudTrail's event history

# For each share change a plan would make to undo drift: the request member naming what
# changed (None: the share as a whole), and the RAM calls that make that drift.
_CALLS: dict[Action, tuple[str | None, tuple[str, ...]]] = {
    Action.ASSOCIATE_PRINCIPALS: (
        "principals",
        ("DisassociateResourceShare", "RejectResourceShareInvitation"),
    ),
    Action.DISASSOCIATE_PRINCIPALS: ("principals", ("AssociateResourceShare",)),
    Action.ASSOCIATE_RESOURCES: ("resourceArns", ("DisassociateResourceShare",)),
    Action.DISASSOCIATE_RESOURCES: ("resourceArns", ("AssociateResourceShare",)),
    Action.SET_PERMISSION: (
        None,
        (
            "AssociateResourceSharePermission",
            "DisassociateResourceSharePermission",
            "ReplacePermissionAssociations",
        ),
    ),
    Action.UPDATE_SHARE: (None, ("UpdateResourceShare", "TagResource", "UntagResource")),
}


def attributable(action: Action) -> bool:
    """True for share drift that CloudTrail can name the author of."""
    return action in _CALLS


@dataclass(frozen=True, kw_only=True)
class ShareScope:
    """Which events can explain one share's drift: those on ``arn`` after ``after`` (the
    last apply that changed the share, or the start of CloudTrail's 90 days)."""

    arn: str
    after: str  # ISO 8601
    bound: str  # the same, for people: "since the last apply that changed it (…)"
    applied_tag_key: str
    whole_history: bool  # ``after`` is the start of CloudTrail's 90 days


def attribute(change: Change, scope: ShareScope, trail: Trail) -> Attribution:
    """Who made the share drift ``change`` undoes, newest event first per entity; where
    CloudTrail has nothing (or could not be read), a note saying so."""
    member, calls = _CALLS[change.action]
    if trail.problem is not None:
        return Attribution(
            note=f"CloudTrail could not be read ({trail.problem}): who made this change is "
            "not known"
        )
    events = [e for e in trail.events if e.name in calls and _concerns(e, scope)]
    edits, unknown = [], []
    for subject in _subjects(change, member):
        event = next((e for e in events if not subject or _names(e, member, subject)), None)
        if event is None:
            unknown.append(subject)
        else:
            edits.append(share_edit(event, subject))
    return Attribution(edits=tuple(edits), note=_nothing(unknown, scope) if unknown else "")


def _subjects(change: Change, member: str | None) -> tuple[str, ...]:
    """The principals or cards the change names, each attributed on its own; ``("",)``
    for a change to the share as a whole."""
    if member is not None and isinstance(change.payload, ChangeMembers):
        return change.payload.entities
    return ("",)


def _concerns(event: TrailEvent, scope: ShareScope) -> bool:
    if not _after(event.time, scope.after):
        return False
    if event.name == "ReplacePermissionAssociations":
        return True  # by permission: every share attached to it
    if event.name == "TagResource" and _only_stamp(event, scope.applied_tag_key):
        return False
    invitation = event.response.get("resourceShareInvitation") or {}
    return scope.arn in (
        event.parameters.get("resourceShareArn"),
        invitation.get("resourceShareArn"),
    )


def _names(event: TrailEvent, member: str | None, subject: str) -> bool:
    """True when the event concerns ``subject`` (a principal or card ARN)."""
    if event.name == "RejectResourceShareInvitation":
        return event.account == subject
    listed = event.parameters.get(member or "") or []
    return isinstance(listed, list) and subject in listed


def _only_stamp(event: TrailEvent, key: str) -> bool:
    tags = event.parameters.get("tags") or []
    return bool(tags) and all(isinstance(t, Mapping) and t.get("key") == key for t in tags)


def _after(time: str, start: str) -> bool:
    try:
        return utc(time) > utc(start)
    except ValueError:
        return False


def utc(text: str) -> datetime:
    """An ISO 8601 time (``Z`` or an offset; none: UTC) as an aware datetime."""
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def share_edit(event: TrailEvent, subject: str) -> ShareEdit:
    """The edit ``event`` made, as drift shows it (``subject``: what it concerns)."""
    who, _ = split_identity(event.identity)
    return ShareEdit(
        identity=who,
        account=event.account,
        time=event.time,
        call=f"{event.source.split('.')[0]}:{event.name}",
        subject=subject,
    )


def _nothing(unknown: list[str], scope: ShareScope) -> str:
    what = f" for {', '.join(unknown)}" if any(unknown) else ""
    older = "the change is older than CloudTrail's 90 days, or " if scope.whole_history else ""
    return (
        f"CloudTrail has no event{what} {scope.bound}: {older}no API call in the card "
        "account made it (an invitation that expired or was never answered)"
    )


def share_scope(share: LiveShare, own: Ownership, now: datetime) -> ShareScope:
    """Which of CloudTrail's events can explain the drift of ``share``: those after the
    last apply that changed it (its ``ownership.applied_tag_key`` tag), or, without a
    tag or with one older than CloudTrail keeps, those of the last 90 days."""
    oldest = now - timedelta(days=RETENTION_DAYS)
    stamp = share.tags.get(own.applied_tag_key)
    applied = _kept(stamp, oldest)
    after = (oldest if applied is None else applied).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ShareScope(
        arn=share.arn,
        after=after,
        bound=_bound(after, stamp, applied is None),
        applied_tag_key=own.applied_tag_key,
        whole_history=applied is None,
    )


def _kept(stamp: str | None, oldest: datetime) -> datetime | None:
    """When the stamped apply was, if it is readable and CloudTrail still keeps that time."""
    try:
        applied = utc(stamp) if stamp else None
    except ValueError:
        return None
    return applied if applied is not None and applied > oldest else None


def _bound(after: str, stamp: str | None, whole_history: bool) -> str:
    """The scope's time bound, for people."""
    if not whole_history:
        return f"since the last apply that changed the share ({after})"
    last = f" (the last apply that changed the share was at {stamp})" if stamp else ""
    return "in CloudTrail's 90 days" + last
