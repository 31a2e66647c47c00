"""reports.registry_trail: each part of a drifted model version, and each tag of a group,
attributed to the newest CloudTrail event that sent it; what CloudTrail lacks or could
not read is a note naming DescribeModelPackage's last modifier. Event values are never
shown, and events of other versions, groups or calls are not taken."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.common.status import ApprovalStatus
from reconciler.live.model import Trail, TrailEvent
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Change, FieldChange, Reason
from reconciler.plan.payloads import UpdateTags, UpdateVersion
from reconciler.reports.registry_trail import LastModified, attribute_registry

ARN = "arn:aws:sagemaker:us-east-1:111111111111:model-package/churn/2"
GROUP_ARN = "arn:aws:sagemaker:us-east-1:111111111111:model-package-group/churn"
LAST = LastModified(by="arn:aws:sts::111111111111:assumed-role/Admin/jo", at="2026-01-02")


def event(name: str, time: str, who: str = "ana", **parameters: Any) -> TrailEvent:
    return TrailEvent(
        name=name,
        source="sagemaker.amazonaws.com",
        time=time,
        identity=f"arn:aws:iam::111111111111:user/{who}",
        account="111111111111",
        parameters=parameters,
        response={},
    )


def version_change(*paths: str) -> Change:
    return Change(
        address=Address.version("churn", 2),
        action=Action.UPDATE_VERSION,
        reason=Reason.VERSION_DIFFERS,
        detail="",
        fields=tuple(FieldChange(p, "live", "git") for p in paths),
        payload=UpdateVersion(package_arn=ARN, approval=ApprovalStatus.APPROVED),
    )


def tag_change(*keys: str) -> Change:
    return Change(
        address=Address.group("churn"),
        action=Action.UPDATE_TAGS,
        reason=Reason.TAGS_DIFFER,
        detail="",
        fields=tuple(FieldChange(f"$.tags.{k}", "live", "git") for k in keys),
        payload=UpdateTags(arn=GROUP_ARN, add={}, remove=()),
    )


CONTENT = {"modelPackageArn": ARN, "modelCard": {"modelCardContent": "HIDDEN"}}
STATUS = {"modelPackageArn": ARN, "modelCard": {"modelCardStatus": "Approved"}}


@pytest.mark.parametrize(
    ("paths", "events", "expected"),
    [
        (  # the newest event that sent the part names who
            ("$.content.model_overview.model_creator",),
            [
                event("UpdateModelPackage", "2026-03-02T00:00:00Z", "new", **CONTENT),
                event("UpdateModelPackage", "2026-03-01T00:00:00Z", "old", **CONTENT),
            ],
            [("card content", "user/new")],
        ),
        (  # a status call does not explain a content change; another version's events
            ("$.content.x", "$.card.status"),
            [
                event("UpdateModelPackage", "2026-03-02T00:00:00Z", "st", **STATUS),
                event("UpdateModelPackage", "2026-03-03T00:00:00Z", "other", modelPackageArn="x"),
            ],
            [("card status", "user/st")],
        ),
        (
            ("$.stage", "$.approval"),
            [
                event(
                    "UpdateModelPackage",
                    "2026-03-02T00:00:00Z",
                    "both",
                    modelPackageArn=ARN,
                    modelApprovalStatus="Rejected",
                    modelLifeCycle={"stage": "QA"},
                )
            ],
            [("stage", "user/both"), ("approval", "user/both")],
        ),
    ],
)
def test_version_parts(
    paths: tuple[str, ...], events: list[TrailEvent], expected: list[tuple[str, str]]
) -> None:
    found = attribute_registry(version_change(*paths), Trail(since="", events=tuple(events)), LAST)
    assert [(e.subject, e.identity) for e in found.edits] == expected
    assert all(e.call == "sagemaker:UpdateModelPackage" for e in found.edits)


def test_a_part_without_an_event_names_the_last_modifier() -> None:
    found = attribute_registry(version_change("$.content.x"), Trail(since=""), LAST)
    assert found.edits == ()
    assert found.note == (
        "CloudTrail has no event that changed the card content in its 90 days; "
        f"DescribeModelPackage records its last change by {LAST.by} at {LAST.at}"
    )


def test_an_unreadable_trail_is_a_note() -> None:
    trail = Trail(since="", problem="AccessDenied: no")
    found = attribute_registry(version_change("$.stage"), trail, None)
    assert (
        found.note
        == "CloudTrail could not be read (AccessDenied: no): who made this change is not known"
    )


def test_group_tags_by_key() -> None:
    events = (
        event("DeleteTags", "2026-03-03T00:00:00Z", "del", resourceArn=GROUP_ARN, tagKeys=["a"]),
        event("AddTags", "2026-03-02T00:00:00Z", "add", resourceArn=GROUP_ARN, tags=[{"key": "b"}]),
        event("AddTags", "2026-03-04T00:00:00Z", "x", resourceArn="other", tags=[{"key": "b"}]),
        event("AddTags", "2026-03-04T00:00:00Z", "odd", resourceArn=GROUP_ARN, tags="b"),
    )
    found = attribute_registry(tag_change("a", "b", "c"), Trail(since="", events=events), None)
    assert [(e.subject, e.call, e.identity) for e in found.edits] == [
        ("tag a", "sagemaker:DeleteTags", "user/del"),
        ("tag b", "sagemaker:AddTags", "user/add"),
    ]
    assert found.note == "CloudTrail has no event that changed the tag c in its 90 days"
