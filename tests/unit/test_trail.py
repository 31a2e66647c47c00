"""Attribution of share drift from CloudTrail events (commands/trail), on built events."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.live.model import Trail, TrailEvent
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Change, Reason
from reconciler.plan.payloads import ChangeMembers, MemberKind, SetPermission, UpdateShare
from reconciler.reports.trail import ShareScope, attribute

SHARE = "arn:aws:ram:us-east-1:111111111111:resource-share/s"
ADMIN = "arn:aws:sts::111111111111:assumed-role/Admin/jo"
SCOPE = ShareScope(
    arn=SHARE,
    after="2026-11-30T10:00:00Z",
    bound="since the last apply that changed the share (2026-11-30T10:00:00Z)",
    applied_tag_key="reconciler-applied-at",
    whole_history=False,
)


def event(name: str, time: str = "2026-11-30T11:00:00Z", **parameters: Any) -> TrailEvent:
    return TrailEvent(
        name=name,
        source="ram.amazonaws.com",
        time=time,
        identity=ADMIN,
        account="111111111111",
        parameters={"resourceShareArn": SHARE, **parameters},
        response={},
    )


def change(action: Action, payload: Any) -> Change:
    return Change(
        address=Address.share("s"), action=action, reason=Reason.PERMISSION_DIFFERS, payload=payload
    )


SWAP = change(Action.SET_PERMISSION, SetPermission(share_arn=SHARE, permission_arn="p"))
TAGS = change(Action.UPDATE_SHARE, UpdateShare(share_arn=SHARE, tags_add={"a": "b"}))
MISSING = change(
    Action.ASSOCIATE_PRINCIPALS,
    ChangeMembers(share_arn=SHARE, kind=MemberKind.PRINCIPAL, entities=("222222222222",)),
)


PERMISSION = "AssociateResourceSharePermission"
STAMP = [{"key": "reconciler-applied-at", "value": "2026-11-30T10:00:05Z"}]
CASES = {
    "permission-swapped": (SWAP, [event(PERMISSION)], [f"ram:{PERMISSION}"]),
    "before-the-last-apply": (SWAP, [event(PERMISSION, "2026-11-30T09:00:00Z")], []),
    "apply-time-tag-is-not-drift": (TAGS, [event("TagResource", tags=STAMP)], []),
    "untagged": (TAGS, [event("UntagResource", tagKeys=["team"])], ["ram:UntagResource"]),
    "another-principal": (
        MISSING,
        [event("DisassociateResourceShare", principals=["333333333333"])],
        [],
    ),
    "this-principal": (
        MISSING,
        [event("DisassociateResourceShare", principals=["222222222222"])],
        ["ram:DisassociateResourceShare"],
    ),
}


@pytest.mark.parametrize(("drift", "events", "calls"), list(CASES.values()), ids=list(CASES))
def test_the_newest_call_that_explains_the_drift_names_who(
    drift: Change, events: list[TrailEvent], calls: list[str]
) -> None:
    found = attribute(drift, SCOPE, Trail(since=SCOPE.after, events=tuple(events)))
    assert [e.call for e in found.edits] == calls
    assert [e.identity for e in found.edits] == ["assumed-role/Admin/jo"] * len(calls)
    assert bool(found.note) is not bool(calls)


def test_a_trail_that_could_not_be_read_is_said_so() -> None:
    found = attribute(SWAP, SCOPE, Trail(since=SCOPE.after, problem="AccessDeniedException: no"))
    assert found.edits == ()
    assert found.note.startswith("CloudTrail could not be read (AccessDeniedException: no)")
