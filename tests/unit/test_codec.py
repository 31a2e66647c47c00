"""plan.codec: the JSON plan, both ways. Every action's change reads back as it was
written; the checksum covers what a change does and not how it is described; plans of
another format and payloads of the wrong shape are refused, naming the change.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any, get_args

import pytest

from reconciler.common.status import ApprovalStatus, CardStatus, Lifecycle
from reconciler.plan.address import Address
from reconciler.plan.codec import (
    FORMAT_VERSION,
    PlanFormatError,
    change_from_json,
    change_to_json,
    changes_from_document,
    checksum,
)
from reconciler.plan.model import MISSING, Action, Change, FieldChange, Guard, Plan, Reason
from reconciler.plan.payloads import (
    Adopt,
    ChangeMembers,
    CreateCard,
    CreatePermission,
    CreateShare,
    DeleteCard,
    DeleteShare,
    ExportCard,
    MemberKind,
    Payload,
    ReplaceCard,
    ReplicateCard,
    Service,
    SetPermission,
    UpdateContent,
    UpdatePackageApproval,
    UpdatePermission,
    UpdateShare,
    UpdateStatus,
    UpdateTags,
    UpdateVersion,
)

CARD = "arn:aws:sagemaker:us-east-1:111111111111:model-card/Churn"
SHARE = "arn:aws:ram:us-east-1:111111111111:resource-share/churn-dev"
PERMISSION = "arn:aws:ram:us-east-1:111111111111:permission/read-only"
CONTENT = {"model_overview": {"model_owner": "ana", "tags": ["a", "b"]}, "risk": 0.5}
CREATE = CreateCard(
    name="Churn",
    arn=CARD,
    status="Draft",
    content=CONTENT,
    tags={"managed-by": "reconciler"},
    kms_key_id="alias/cards",
)
DELETE = DeleteCard(name="Old", arn=CARD + "-old", status="Approved")

# One payload (and the reason it is planned for) per action: a new action without a row
# here makes the round trip below fail for it.
SAMPLES: dict[Action, tuple[Reason, Payload]] = {
    Action.ADOPT: (
        Reason.IMPORTED,
        Adopt(arn=SHARE, service=Service.RAM, tags={"managed-by": "reconciler"}),
    ),
    Action.CREATE_PERMISSION: (
        Reason.NOT_IN_ACCOUNT,
        CreatePermission(
            name="read-only",
            arn=PERMISSION,
            actions=("sagemaker:DescribeModelCard",),
            resource_type="sagemaker:ModelCard",
            tags={"managed-by": "reconciler"},
        ),
    ),
    Action.UPDATE_PERMISSION: (
        Reason.ACTIONS_DIFFER,
        UpdatePermission(name="read-only", arn=PERMISSION, actions=("a:B", "a:C")),
    ),
    Action.CREATE_CARD: (Reason.NOT_IN_ACCOUNT, CREATE),
    Action.REPLACE_CARD: (Reason.RENAMED, ReplaceCard(create=CREATE, delete=DELETE)),
    Action.UPDATE_CONTENT: (
        Reason.CONTENT_DIFFERS,
        UpdateContent(name="Churn", arn=CARD, content=CONTENT),
    ),
    Action.UPDATE_STATUS: (
        Reason.STATUS_DIFFERS,
        UpdateStatus(name="Churn", arn=CARD, status="Approved", from_status="PendingReview"),
    ),
    Action.UPDATE_TAGS: (
        Reason.TAGS_DIFFER,
        UpdateTags(arn=CARD, add={"team": "churn"}, remove=("owner",)),
    ),
    Action.REPLICATE_CARD: (
        Reason.SOURCE_UPDATED,
        ReplicateCard(
            content=UpdateContent(name="eu-Churn", arn=CARD, content=CONTENT),
            status=UpdateStatus(name="eu-Churn", arn=CARD, status="Approved", from_status="Draft"),
            tags=UpdateTags(arn=CARD, add={"reconciler-replica-version": "3"}, remove=()),
        ),
    ),
    Action.UPDATE_PACKAGE_APPROVAL: (
        Reason.APPROVAL_DIFFERS,
        UpdatePackageApproval(
            package_arn="arn:aws:sagemaker:us-east-1:111111111111:model-package/churn/1",
            card_name="Churn",
            approval="Approved",
            from_approval="PendingManualApproval",
        ),
    ),
    Action.UPDATE_VERSION: (
        Reason.VERSION_DIFFERS,
        UpdateVersion(
            package_arn="arn:aws:sagemaker:us-east-1:111111111111:model-package/churn/2",
            content=CONTENT,
            card_status=CardStatus.APPROVED,
            from_card_status=CardStatus.PENDING_REVIEW,
            stage=Lifecycle(stage="Production", status="Approved", description="go"),
            approval=ApprovalStatus.APPROVED,
            approval_description="card v2",
            from_approval=ApprovalStatus.PENDING,
        ),
    ),
    Action.EXPORT_CARD: (
        Reason.EXPORT_MISSING,
        ExportCard(
            name="Churn",
            version=None,
            status="Approved",
            output_path="s3://audit/model-cards",
            attempt=2,
        ),
    ),
    Action.CREATE_SHARE: (
        Reason.NOT_IN_ACCOUNT,
        CreateShare(
            name="churn-dev",
            principals=("222222222222",),
            resource_arns=(CARD,),
            permission_arn=PERMISSION,
            tags={"purpose": "development"},
            allow_external_principals=True,
        ),
    ),
    Action.UPDATE_SHARE: (
        Reason.SETTINGS_DIFFER,
        UpdateShare(share_arn=SHARE, name="churn-staging", allow_external_principals=False),
    ),
    Action.SET_PERMISSION: (
        Reason.PERMISSION_OUTDATED,
        SetPermission(share_arn=SHARE, permission_arn=PERMISSION),
    ),
    Action.ASSOCIATE_RESOURCES: (
        Reason.MEMBERS_MISSING,
        ChangeMembers(share_arn=SHARE, kind=MemberKind.RESOURCE, entities=(CARD,)),
    ),
    Action.ASSOCIATE_PRINCIPALS: (
        Reason.MEMBERS_MISSING,
        ChangeMembers(share_arn=SHARE, kind=MemberKind.PRINCIPAL, entities=("222222222222",)),
    ),
    Action.DISASSOCIATE_PRINCIPALS: (
        Reason.MEMBERS_NOT_SELECTED,
        ChangeMembers(share_arn=SHARE, kind=MemberKind.PRINCIPAL, entities=("333333333333",)),
    ),
    Action.DISASSOCIATE_RESOURCES: (
        Reason.MEMBERS_NOT_SELECTED,
        ChangeMembers(share_arn=SHARE, kind=MemberKind.RESOURCE, entities=(CARD,)),
    ),
    Action.DELETE_SHARE: (Reason.NOT_IN_GIT, DeleteShare(share_arn=SHARE, name="churn-dev")),
    Action.DELETE_CARD: (Reason.NOT_IN_GIT, DELETE),
}


def sample(action: Action, **changes: Any) -> Change:
    reason, payload = SAMPLES[action]
    change = Change(
        address=Address.card(action.value),
        action=action,
        reason=reason,
        payload=payload,
        detail=f"why {action.value}",
        fields=(
            FieldChange("$.status", "Draft", "Approved"),
            FieldChange("$.content.added", after=["x", {"y": 1}]),
            FieldChange("$.tags.removed", before="v"),
        ),
        guards=(Guard.DELETES, Guard.OPENS_SHARE),
        guard_note="999999999999",
    )
    return replace(change, **changes)


def through_json(change: Change) -> Change:
    """The change as a saved plan gives it back: written, serialised, read."""
    return change_from_json(json.loads(json.dumps(change_to_json(change))))


def described(change: Change) -> tuple[Any, ...]:
    return (
        change.address,
        change.action,
        change.reason,
        change.payload,
        change.guards,
        change.fields,
        change.detail,
        change.guard_note,
    )


@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_every_action_reads_back_as_it_was_written(action: Action) -> None:
    change = sample(action)
    again = through_json(change)
    assert described(again) == described(change)
    assert type(again.payload) is type(change.payload)


def test_every_payload_class_has_a_sample() -> None:
    assert {type(p) for _, p in SAMPLES.values()} == set(get_args(Payload))


def test_absent_sides_of_a_field_stay_absent() -> None:
    written = change_to_json(sample(Action.UPDATE_TAGS))["fields"]
    assert written[1] == {"path": "$.content.added", "after": ["x", {"y": 1}]}
    assert written[2] == {"path": "$.tags.removed", "before": "v"}
    assert through_json(sample(Action.UPDATE_TAGS)).fields[2].after is MISSING


def test_the_document_carries_enum_values_and_the_flags_the_guards_need() -> None:
    written = change_to_json(sample(Action.ASSOCIATE_PRINCIPALS))
    assert written["action"] == "associate_principals"
    assert written["reason"] == "members_missing"
    assert written["guards"] == ["deletes", "opens_share"]
    assert written["needs"] == ["prune", "force"]
    assert written["payload"]["kind"] == "PRINCIPAL"


def test_a_plan_document_reads_back_changes_and_adoptions() -> None:
    changes = [sample(a) for a in Action if a is not Action.ADOPT]
    document = {
        "format_version": FORMAT_VERSION,
        "changes": [change_to_json(c) for c in changes],
        "adoptions": [change_to_json(sample(Action.ADOPT))],
    }
    read = changes_from_document(json.loads(json.dumps(document)))
    assert [described(c) for c in read] == [described(c) for c in changes]
    (adoption,) = changes_from_document(document, "adoptions")
    assert adoption.payload == SAMPLES[Action.ADOPT][1]


# -- checksum ------------------------------------------------------------------------------


def plan_of(change: Change) -> Plan:
    return Plan(changes=(change,))


def test_checksum_ignores_display_text() -> None:
    base = checksum(plan_of(sample(Action.UPDATE_STATUS)))
    reworded = sample(Action.UPDATE_STATUS, detail="other words", guard_note="", fields=())
    assert checksum(plan_of(reworded)) == base


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param(
            {
                "payload": UpdateStatus(
                    name="Churn", arn=CARD, status="Archived", from_status="Approved"
                )
            },
            id="payload",
        ),
        pytest.param({"reason": Reason.CONTENT_DIFFERS}, id="reason"),
        pytest.param({"guards": (Guard.ARCHIVES_APPROVED,)}, id="guards"),
        pytest.param({"address": Address.card("Other")}, id="address"),
    ],
)
def test_checksum_changes_with_what_a_change_does(changes: dict[str, Any]) -> None:
    base = checksum(plan_of(sample(Action.UPDATE_STATUS)))
    assert checksum(plan_of(sample(Action.UPDATE_STATUS, **changes))) != base


def test_a_plan_read_back_has_the_checksum_it_was_written_with() -> None:
    changes = tuple(sample(a) for a in Action if a is not Action.ADOPT)
    read = tuple(through_json(c) for c in changes)
    adoption = (sample(Action.ADOPT),)
    assert checksum(Plan(changes=read, adoptions=adoption)) == checksum(
        Plan(changes=changes, adoptions=adoption)
    )


def test_checksum_covers_adoptions() -> None:
    adoption = sample(Action.ADOPT)
    assert checksum(Plan(changes=(), adoptions=(adoption,))) != checksum(Plan(changes=()))
    assert checksum(Plan(changes=())).startswith("sha256:")


# -- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        pytest.param(
            "1",
            "it has plan format '1'; this reconciler reads format '2' "
            "(format 1 plans carry untyped params)",
            id="format-1",
        ),
        pytest.param(None, "it has plan format None; this reconciler reads format '2'", id="none"),
        pytest.param("3", "it has plan format '3'; this reconciler reads format '2'", id="newer"),
    ],
)
def test_a_plan_of_another_format_is_refused(version: str | None, expected: str) -> None:
    with pytest.raises(PlanFormatError) as refused:
        changes_from_document({"format_version": version, "changes": []})
    assert str(refused.value) == expected


def test_changes_that_are_not_a_list_are_refused() -> None:
    with pytest.raises(PlanFormatError, match="'changes' is not a list"):
        changes_from_document({"format_version": FORMAT_VERSION, "changes": {}})


def written_with(action: Action, /, **body: Any) -> dict[str, Any]:
    return {**change_to_json(sample(action)), **body}


@pytest.mark.parametrize(
    ("body", "says"),
    [
        pytest.param(
            written_with(
                Action.UPDATE_STATUS,
                payload={"name": "Churn", "arn": CARD, "status": "Approved"},
            ),
            "required field missing @ $.from_status",
            id="field-missing",
        ),
        pytest.param(
            written_with(
                Action.SET_PERMISSION,
                payload=change_to_json(sample(Action.CREATE_CARD))["payload"],
            ),
            "required field missing @ $.share_arn",
            id="payload-of-another-action",
        ),
        pytest.param(
            written_with(
                Action.ASSOCIATE_RESOURCES,
                payload={"share_arn": SHARE, "kind": "MEMBER", "entities": [CARD]},
            ),
            "expected MemberKind @ $.kind",
            id="unknown-member-kind",
        ),
        pytest.param(
            written_with(Action.DELETE_CARD, action="rename_card"),
            "'rename_card' is not a valid Action",
            id="unknown-action",
        ),
        pytest.param(
            written_with(Action.DELETE_CARD, reason="whim"),
            "'whim' is not a valid Reason",
            id="unknown-reason",
        ),
        pytest.param(
            {k: v for k, v in change_to_json(sample(Action.DELETE_CARD)).items() if k != "payload"},
            "missing 'payload'",
            id="no-payload",
        ),
    ],
)
def test_a_change_of_the_wrong_shape_is_refused_naming_its_address(
    body: dict[str, Any], says: str
) -> None:
    with pytest.raises(PlanFormatError) as refused:
        changes_from_document({"format_version": FORMAT_VERSION, "changes": [body]})
    message = str(refused.value)
    assert message.startswith(f"change {body['address']}: ")
    assert says in message
