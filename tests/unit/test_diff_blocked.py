"""diff.blocked: a plan error holds back the card or share whose file it is on, and a
blocked card is taken out of the associations and share creations that would add it;
every other change is kept as it was."""

from __future__ import annotations

import pytest

from reconciler.common.diagnostics import START, Diagnostic
from reconciler.diff.blocked import blocked_addresses, without_blocked
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Change, FieldChange, Reason
from reconciler.plan.payloads import (
    ChangeMembers,
    CreateShare,
    MemberKind,
    Payload,
    SetPermission,
)
from tests.unit.builders import ARNS, CARD, CARD_ARN, CARD_FILE, DEV, MANAGED, example, share_arn

OTHER_ARN = ARNS.card("Fraud-Model-Card")
DEV_SHARE = share_arn("churn-dev")


def error_in(file: str) -> Diagnostic:
    return Diagnostic(file=file, position=START, path="$", message="m", code="c")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param([], set(), id="no-error-blocks-nothing"),
        pytest.param([CARD_FILE], {Address.card(CARD)}, id="an-error-in-a-card-file"),
        pytest.param(
            ["shares/churn-dev.yaml", "shares/churn-dev.yaml"],
            {Address.share("churn-dev")},
            id="two-errors-in-one-share-file",
        ),
        pytest.param(
            [CARD_FILE, "shares/churn-prod.yaml"],
            {Address.card(CARD), Address.share("churn-prod")},
            id="errors-in-a-card-and-a-share",
        ),
        pytest.param(["reconciler.yaml"], set(), id="an-error-in-no-resource-file"),
        pytest.param(["cards/Gone.yaml"], set(), id="a-file-git-does-not-declare"),
    ],
)
def test_blocked_addresses(files: list[str], expected: set[Address]) -> None:
    found = blocked_addresses(example(), [error_in(f) for f in files])
    assert found == frozenset(expected)


def change(address: Address, action: Action, payload: Payload, *fields: FieldChange) -> Change:
    return Change(
        address=address,
        action=action,
        reason=Reason.MEMBERS_MISSING,
        payload=payload,
        fields=fields,
    )


def members(kind: MemberKind, *entities: str, fields: tuple[FieldChange, ...] = ()) -> Change:
    action = (
        Action.ASSOCIATE_RESOURCES if kind is MemberKind.RESOURCE else Action.ASSOCIATE_PRINCIPALS
    )
    payload = ChangeMembers(share_arn=DEV_SHARE, kind=kind, entities=entities)
    return change(Address.share("churn-dev"), action, payload, *fields)


def created(*cards: str) -> Change:
    payload = CreateShare(
        name="churn-dev",
        principals=(DEV,),
        resource_arns=cards,
        permission_arn=MANAGED,
        tags={},
        allow_external_principals=True,
    )
    fields = (
        FieldChange("$.principals", after=[DEV]),
        FieldChange("$.resources", after=list(cards)),
    )
    return change(Address.share("churn-dev"), Action.CREATE_SHARE, payload, *fields)


def added(entity: str) -> FieldChange:
    return FieldChange(f"$.resources[{entity}]", after=entity)


BLOCKED = frozenset({CARD_ARN})
BOTH = (CARD_ARN, OTHER_ARN)
KEPT = [
    pytest.param(
        members(MemberKind.PRINCIPAL, CARD_ARN), id="principals-are-no-cards-even-if-named-alike"
    ),
    pytest.param(members(MemberKind.RESOURCE, OTHER_ARN), id="an-association-of-other-cards"),
    pytest.param(
        change(
            Address.share("churn-prod"),
            Action.SET_PERMISSION,
            SetPermission(share_arn=share_arn("churn-prod"), permission_arn=MANAGED),
        ),
        id="a-share-change-that-names-no-card",
    ),
]


@pytest.mark.parametrize("kept", KEPT)
def test_changes_that_do_not_add_a_blocked_card_are_kept_as_they_are(kept: Change) -> None:
    (found,) = without_blocked([kept], frozenset(), BLOCKED)
    assert (found.payload, tuple(found.fields)) == (kept.payload, tuple(kept.fields))


def test_a_change_of_a_blocked_resource_is_dropped_and_the_others_keep_their_order() -> None:
    first, last = members(MemberKind.RESOURCE, OTHER_ARN), created(OTHER_ARN)
    blocked_share = change(
        Address.share("churn-prod"),
        Action.SET_PERMISSION,
        SetPermission(share_arn=share_arn("churn-prod"), permission_arn=MANAGED),
    )
    found = list(
        without_blocked([first, blocked_share, last], frozenset({blocked_share.address}), BLOCKED)
    )
    assert [(c.address, c.action, c.payload) for c in found] == [
        (first.address, first.action, first.payload),
        (last.address, last.action, last.payload),
    ]


def test_without_blocked_cards_every_change_is_the_same_object() -> None:
    changes = [members(MemberKind.RESOURCE, CARD_ARN), created(CARD_ARN)]
    found = list(without_blocked(changes, frozenset(), frozenset()))
    assert all(f is c for f, c in zip(found, changes, strict=True))


def test_a_blocked_card_leaves_an_association_and_its_field() -> None:
    before = members(MemberKind.RESOURCE, *BOTH, fields=(added(CARD_ARN), added(OTHER_ARN)))
    (found,) = without_blocked([before], frozenset(), BLOCKED)
    assert found.payload == ChangeMembers(
        share_arn=DEV_SHARE, kind=MemberKind.RESOURCE, entities=(OTHER_ARN,)
    )
    assert tuple(found.fields) == (added(OTHER_ARN),)
    assert (found.address, found.action, found.reason) == (
        before.address,
        before.action,
        before.reason,
    )


def test_a_field_that_removes_a_blocked_card_goes_with_it() -> None:
    removed = FieldChange(f"$.resources[{CARD_ARN}]", before=CARD_ARN)
    before = members(MemberKind.RESOURCE, *BOTH, fields=(removed, added(OTHER_ARN)))
    (found,) = without_blocked([before], frozenset(), BLOCKED)
    assert tuple(found.fields) == (added(OTHER_ARN),)


def test_an_association_of_blocked_cards_only_is_dropped() -> None:
    assert (
        list(without_blocked([members(MemberKind.RESOURCE, CARD_ARN)], frozenset(), BLOCKED)) == []
    )


def test_a_share_created_with_a_blocked_card_is_created_without_it() -> None:
    (found,) = without_blocked([created(*BOTH)], frozenset(), BLOCKED)
    assert isinstance(found.payload, CreateShare)
    assert found.payload.resource_arns == (OTHER_ARN,)
    assert found.payload.principals == (DEV,)
    assert tuple(found.fields) == (
        FieldChange("$.principals", after=[DEV]),
        FieldChange("$.resources", after=[OTHER_ARN]),
    )


def test_a_share_created_with_only_blocked_cards_is_still_created_empty() -> None:
    """The share itself is not blocked: it exists, and takes the card once it is fixed."""
    (found,) = without_blocked([created(CARD_ARN)], frozenset(), BLOCKED)
    assert isinstance(found.payload, CreateShare)
    assert found.payload.resource_arns == ()
    assert FieldChange("$.resources", after=[]) in tuple(found.fields)
