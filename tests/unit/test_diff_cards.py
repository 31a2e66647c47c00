"""diff.cards: what the card diff plans, case by case, on built states.

Each row of a table is git (a DesiredState) against live (a LiveState) and what the diff
must find: changes (action, reason, typed payload, guards), plan errors (a Diagnostic on
the line that causes them), warnings or adoptions. ``LIVE`` is the example as applied,
so a row changes one thing on one side.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

import pytest

from reconciler.common.diagnostics import Position
from reconciler.desired.model import DesiredState
from reconciler.diff.cards import CardDiffOptions, diff_cards
from reconciler.diff.fields import leaves
from reconciler.live.model import LiveState
from reconciler.normalize.state import normalise
from reconciler.plan.address import Address
from reconciler.plan.model import Action, FieldChange, Guard, Listed, PlanPart, Reason
from reconciler.plan.payloads import (
    Adopt,
    CreateCard,
    DeleteCard,
    Payload,
    ReplaceCard,
    Service,
    UpdateContent,
    UpdateStatus,
    UpdateTags,
)
from tests.unit.builders import (
    ARNS,
    CARD,
    CARD_ARN,
    CARD_FILE,
    EMPTY,
    Planned,
    applied,
    card_as_applied,
    edited,
    example,
    live_card,
    live_with,
    owned,
    planned,
    with_card,
)

GIT = example()
LIVE = applied(GIT)
CONTENT = GIT.cards[CARD].content
TAGS = owned(CARD_FILE, {"team": "churn", "cost-center": "ml-platform"})
OWNER_EDIT = edited(CONTENT, "model_overview.model_owner", "churn-platform")
EVALUATION = [{"name": "holdout-2026-11", "evaluation_observation": "AUC 0.91"}]
WITH_EVALUATION = {**CONTENT, "evaluation_details": EVALUATION}  # an ignored path
OBSERVATIONS = "training_details.training_observations"  # a nested content field
KMS = "alias/model-cards"
RENAMED = "Churn-Model-Card"
GIT_RENAMED = with_card(GIT, name=RENAMED, previous_names=(CARD,))
OLD = "Old-Model-Card"
UNMANAGED = {"team": "churn", "cost-center": "ml-platform"}  # the card's tags, no ownership


def cards_diff(git: DesiredState, live: LiveState, options: CardDiffOptions) -> PlanPart:
    return diff_cards(normalise(git, live), ARNS.card, options)


def change(
    action: Action,
    reason: Reason,
    payload: Payload,
    *guards: Guard,
    address: Address = Address.card(CARD),
) -> Planned:
    return Planned(address=address, action=action, reason=reason, payload=payload, guards=guards)


def create(**changes: object) -> CreateCard:
    card = CreateCard(name=CARD, arn=CARD_ARN, status="Draft", content=CONTENT, tags=TAGS)
    return replace(card, **changes)  # type: ignore[arg-type]


def old_card(status: str = "Draft", **changes: object) -> LiveState:
    """``LIVE`` plus a card git no longer declares."""
    card = card_as_applied(GIT.cards[CARD], name=OLD, arn=ARNS.card(OLD), status=status, **changes)
    return live_with(LIVE, cards=(card,))


def content_update(content: Mapping[str, Any]) -> Planned:
    payload = UpdateContent(name=CARD, arn=CARD_ARN, content=content)
    return change(Action.UPDATE_CONTENT, Reason.CONTENT_DIFFERS, payload)


def status_update(status: str, before: str, *guards: Guard) -> Planned:
    payload = UpdateStatus(name=CARD, arn=CARD_ARN, status=status, from_status=before)
    return change(Action.UPDATE_STATUS, Reason.STATUS_DIFFERS, payload, *guards)


def tags_update(add: dict[str, str], remove: tuple[str, ...] = ()) -> Planned:
    payload = UpdateTags(arn=CARD_ARN, add=add, remove=remove)
    return change(Action.UPDATE_TAGS, Reason.TAGS_DIFFER, payload)


def replacement(reason: Reason, new: CreateCard, old: DeleteCard) -> Planned:
    payload = ReplaceCard(create=new, delete=old)
    address = Address.card(new.name)
    return change(Action.REPLACE_CARD, reason, payload, Guard.REPLACES_CARD, address=address)


def deletion(reason: Reason, old: DeleteCard, *guards: Guard) -> Planned:
    return change(Action.DELETE_CARD, reason, old, *guards, address=Address.card(old.name))


NONE, ADOPT, PRUNE = CardDiffOptions(), CardDiffOptions(adopt=True), CardDiffOptions(prune=True)
RENAMED_CARD = create(name=RENAMED, arn=ARNS.card(RENAMED))
CARD_DELETED = DeleteCard(name=CARD, arn=CARD_ARN, status="Draft")
ORPHAN = DeleteCard(name=OLD, arn=ARNS.card(OLD), status="Draft")

CHANGES = [
    pytest.param(GIT, LIVE, NONE, [], id="in-sync-plans-nothing"),
    pytest.param(
        GIT,
        EMPTY,
        NONE,
        [change(Action.CREATE_CARD, Reason.NOT_IN_ACCOUNT, create())],
        id="not-in-account-is-created",
    ),
    pytest.param(
        with_card(GIT, content=OWNER_EDIT),
        LIVE,
        NONE,
        [content_update(OWNER_EDIT)],
        id="content-edited-in-git",
    ),
    pytest.param(
        GIT,
        live_card(LIVE, content={**OWNER_EDIT, "evaluation_details": EVALUATION}, version=2),
        NONE,
        [content_update(WITH_EVALUATION)],
        id="content-edited-live-is-written-back-with-ignored-values-kept",
    ),
    pytest.param(
        GIT, live_card(LIVE, content=WITH_EVALUATION), NONE, [], id="ignored-path-set-live"
    ),
    pytest.param(
        with_card(GIT, ignore=(OBSERVATIONS,)),
        live_card(LIVE, content=edited(CONTENT, OBSERVATIONS, "written by the pipeline")),
        NONE,
        [],
        id="nested-ignored-path-set-live-under-a-parent-git-lacks",
    ),
    pytest.param(
        with_card(GIT, status="PendingReview"),
        LIVE,
        NONE,
        [status_update("PendingReview", "Draft")],
        id="promoted-to-review",
    ),
    pytest.param(
        GIT,
        live_card(LIVE, status="PendingReview"),
        NONE,
        [status_update("Draft", "PendingReview")],
        id="sent-back-to-draft",
    ),
    pytest.param(
        with_card(GIT, status="Archived"),
        live_card(LIVE, status="Approved"),
        NONE,
        [status_update("Archived", "Approved", Guard.ARCHIVES_APPROVED)],
        id="archiving-an-approved-card-needs-force",
    ),
    pytest.param(
        with_card(GIT, content=OWNER_EDIT, status="PendingReview"),
        LIVE,
        NONE,
        [content_update(OWNER_EDIT), status_update("PendingReview", "Draft")],
        id="content-before-status",
    ),
    pytest.param(
        with_card(GIT, tags={"team": "retention", "cost-center": "ml-platform"}),
        LIVE,
        NONE,
        [tags_update({"team": "retention"})],
        id="tag-changed-in-git",
    ),
    pytest.param(
        GIT,
        live_card(LIVE, tags={**TAGS, "owner": "ana"}),
        NONE,
        [tags_update({}, ("owner",))],
        id="tag-added-live-is-removed",
    ),
    pytest.param(
        GIT,
        live_card(LIVE, tags={k: v for k, v in TAGS.items() if k != "reconciler-source"}),
        NONE,
        [tags_update({"reconciler-source": CARD_FILE})],
        id="source-tag-removed-live-is-restored",
    ),
    pytest.param(
        GIT,
        live_card(LIVE, tags={**TAGS, "aws:cloudformation:stack-name": "cards"}),
        NONE,
        [],
        id="aws-system-tags-are-not-compared",
    ),
    pytest.param(
        with_card(GIT, kms_key_id=KMS),
        live_card(LIVE, content=WITH_EVALUATION),
        NONE,
        [
            replacement(
                Reason.KMS_KEY_CHANGED,
                create(kms_key_id=KMS, content=WITH_EVALUATION),
                CARD_DELETED,
            )
        ],
        id="new-kms-key-replaces-the-card-keeping-ignored-values",
    ),
    pytest.param(
        GIT_RENAMED,
        LIVE,
        NONE,
        [replacement(Reason.RENAMED, RENAMED_CARD, CARD_DELETED)],
        id="rename-replaces-the-old-card",
    ),
    pytest.param(
        GIT_RENAMED,
        live_card(LIVE, content=WITH_EVALUATION),
        NONE,
        [replacement(Reason.RENAMED, replace(RENAMED_CARD, content=WITH_EVALUATION), CARD_DELETED)],
        id="rename-keeps-the-ignored-values-of-the-old-card",
    ),
    pytest.param(
        GIT_RENAMED,
        live_with(LIVE, cards=(card_as_applied(GIT_RENAMED.cards[RENAMED]),)),
        NONE,
        [deletion(Reason.RENAME_LEFTOVER, CARD_DELETED, Guard.REPLACES_CARD)],
        id="rename-whose-delete-failed-deletes-the-leftover",
    ),
    pytest.param(
        GIT_RENAMED,
        live_card(LIVE, tags=UNMANAGED),
        NONE,
        [
            change(
                Action.CREATE_CARD,
                Reason.NOT_IN_ACCOUNT,
                RENAMED_CARD,
                address=Address.card(RENAMED),
            )
        ],
        id="rename-from-an-unmanaged-card-creates-and-leaves-it",
    ),
    pytest.param(
        GIT,
        old_card(),
        PRUNE,
        [deletion(Reason.NOT_IN_GIT, ORPHAN, Guard.DELETES)],
        id="prune-deletes-a-managed-card-not-in-git",
    ),
    pytest.param(
        GIT,
        old_card("Approved"),
        PRUNE,
        [
            deletion(
                Reason.NOT_IN_GIT,
                replace(ORPHAN, status="Approved"),
                Guard.DELETES,
                Guard.DELETES_APPROVED,
            )
        ],
        id="prune-of-an-approved-card-also-needs-force",
    ),
    pytest.param(GIT, old_card(tags=UNMANAGED), PRUNE, [], id="prune-never-deletes-unmanaged"),
    pytest.param(
        GIT,
        old_card(processing_status="DeleteInProgress"),
        PRUNE,
        [],
        id="prune-skips-a-card-being-deleted",
    ),
]


@pytest.mark.parametrize(("git", "live", "options", "expected"), CHANGES)
def test_changes(
    git: DesiredState, live: LiveState, options: CardDiffOptions, expected: list[Planned]
) -> None:
    found = cards_diff(git, live, options)
    assert (found.errors, found.warnings, found.adoptions) == ([], [], [])
    assert [planned(c) for c in found.changes] == expected


ERRORS = [
    pytest.param(
        with_card(GIT, status="Approved"),
        LIVE,
        ("illegal-transition", "$.status", Position(3, 9)),
        id="draft-to-approved-skips-review",
    ),
    pytest.param(
        GIT,
        live_card(LIVE, status="Archived"),
        ("illegal-transition", "$.status", Position(3, 9)),
        id="archived-is-terminal",
    ),
    pytest.param(
        with_card(GIT, status="Archived", content=OWNER_EDIT),
        live_card(LIVE, status="Archived"),
        ("archived-content", "$.content", Position(9, 3)),
        id="archived-card-refuses-content",
    ),
    pytest.param(
        GIT,
        live_card(LIVE, tags=UNMANAGED, content=OWNER_EDIT),
        ("unmanaged-card", "$.name", Position(2, 7)),
        id="unmanaged-card-in-the-way",
    ),
    pytest.param(
        GIT,
        live_card(LIVE, processing_status="DeleteInProgress"),
        ("card-deleting", "$.name", Position(2, 7)),
        id="card-being-deleted",
    ),
]


@pytest.mark.parametrize(("git", "live", "expected"), ERRORS)
def test_plan_errors_point_at_the_line_that_causes_them(
    git: DesiredState, live: LiveState, expected: tuple[str, str, Position]
) -> None:
    found = cards_diff(git, live, NONE)
    assert [(e.file, e.code, e.path, e.position) for e in found.errors] == [(CARD_FILE, *expected)]
    assert found.changes == []


def test_an_illegal_transition_says_where_the_card_may_go() -> None:
    (error,) = cards_diff(with_card(GIT, status="Approved"), LIVE, NONE).errors
    assert error.message.startswith(
        "Draft → Approved is not an allowed transition; from Draft a card may move to: "
        "PendingReview."
    )
    (terminal,) = cards_diff(GIT, live_card(LIVE, status="Archived"), NONE).errors
    assert "from Archived a card may move to: none (it is terminal)" in terminal.message


def test_transitions_from_reconciler_yaml_replace_the_default_lifecycle() -> None:
    transitions = MappingProxyType({**GIT.config.transitions, "Draft": frozenset({"Approved"})})
    git = replace(
        with_card(GIT, status="Approved"), config=replace(GIT.config, transitions=transitions)
    )
    found = cards_diff(git, LIVE, NONE)
    assert [(c.action, c.guards) for c in found.changes] == [(Action.UPDATE_STATUS, ())]
    promoted = cards_diff(with_card(git, status="PendingReview"), LIVE, NONE)
    assert [e.code for e in promoted.errors] == ["illegal-transition"]


def test_a_managed_card_not_in_git_is_a_warning_without_prune() -> None:
    found = cards_diff(GIT, old_card(), NONE)
    assert found.changes == []
    assert found.warnings == [
        f"card '{OLD}' is managed but no longer in git: plan with --prune to delete it"
    ]


@pytest.mark.parametrize(
    ("git", "live"),
    [
        pytest.param(GIT, old_card(tags=UNMANAGED), id="unmanaged"),
        pytest.param(GIT_RENAMED, LIVE, id="renamed-away"),
    ],
)
def test_no_warning_for_cards_git_does_not_own_or_renamed(
    git: DesiredState, live: LiveState
) -> None:
    assert cards_diff(git, live, NONE).warnings == []


@pytest.mark.parametrize(
    "tags",
    [
        pytest.param(UNMANAGED, id="user-tags-only"),
        pytest.param({**UNMANAGED, "aws:cloudformation:stack-name": "cards"}, id="with-aws-tags"),
    ],
)
def test_an_unmanaged_card_that_matches_git_is_adopted(tags: dict[str, str]) -> None:
    found = cards_diff(GIT, live_card(LIVE, tags=tags), NONE)
    assert (found.changes, found.errors) == ([], [])
    adopt = Adopt(arn=CARD_ARN, service=Service.SAGEMAKER, tags=owned(CARD_FILE))
    assert [planned(a) for a in found.adoptions] == [change(Action.ADOPT, Reason.IMPORTED, adopt)]


def test_an_unmanaged_card_with_another_status_is_not_adopted() -> None:
    found = cards_diff(GIT, live_card(LIVE, tags=UNMANAGED, status="PendingReview"), NONE)
    assert found.adoptions == []
    assert [e.code for e in found.errors] == ["unmanaged-card"]


@pytest.mark.parametrize(
    ("live", "changes"),
    [
        pytest.param(
            live_card(LIVE, tags=UNMANAGED, content=OWNER_EDIT),
            [content_update(CONTENT)],
            id="differing-card",
        ),
        pytest.param(live_card(LIVE, tags=UNMANAGED), [], id="card-in-sync"),
    ],
)
def test_adopt_flag_tags_a_card_as_managed_before_changing_it(
    live: LiveState, changes: list[Planned]
) -> None:
    """--adopt: the ownership tags are an adoption (the executor runs adoptions first), so
    no change is made to a card the apply role does not own yet."""
    found = cards_diff(GIT, live, ADOPT)
    adopt = Adopt(arn=CARD_ARN, service=Service.SAGEMAKER, tags=owned(CARD_FILE))
    assert [planned(a) for a in found.adoptions] == [change(Action.ADOPT, Reason.IMPORTED, adopt)]
    assert [planned(c) for c in found.changes] == changes


def test_a_card_whose_live_content_is_not_json_is_held_back_with_who_changed_it() -> None:
    from reconciler.live.sagemaker import _from_record

    record = {
        "ModelCardName": CARD,
        "ModelCardArn": CARD_ARN,
        "ModelCardStatus": "Draft",
        "ModelCardVersion": 3,
        "Content": "{not json",
        "Tags": [{"Key": k, "Value": v} for k, v in owned(CARD_FILE, UNMANAGED).items()],
        "LastModifiedBy": {"IamIdentity": {"Arn": "arn:aws:sts::222222222222:assumed-role/X/y"}},
    }
    live_card_record = _from_record(record)
    assert (live_card_record.unreadable, dict(live_card_record.content)) == (True, {})
    live = live_with(LIVE, cards=(live_card_record,))
    found = cards_diff(GIT, live, NONE)
    assert [c.address for c in found.changes if c.address == Address.card(CARD)] == []
    (error,) = found.errors
    assert (error.code, error.path) == ("unreadable-content", "$.content")
    assert "last changed by arn:aws:sts::222222222222:assumed-role/X/y" in error.message


def test_a_new_card_lists_its_fields_when_they_are_read() -> None:
    """Every value of a new card's content is a field; they are listed on first read (a
    first apply of many cards never shows them), and then as a plan shows them."""
    (new,) = cards_diff(
        GIT, LiveState(cards={}, shares={}, permissions={}), CardDiffOptions()
    ).changes
    assert isinstance(new.fields, Listed) and new.fields._list is not None
    fields = list(new.fields)
    assert new.fields._list is None
    assert fields[0] == FieldChange("$.status", after="Draft")
    assert fields[1:] == leaves(CONTENT, "$.content")
    assert new.fields == tuple(fields) and len(new.fields) == len(fields)
    assert new.fields[1] == fields[1]
