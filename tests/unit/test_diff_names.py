"""diff.names: the display names a plan carries for the IDs and ARNs it shows: accounts
as reconciler.yaml names them, permissions by name, and the card ARNs the changes touch
or show by card name. Only display: payloads keep the IDs and ARNs."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.common.arns import Arns
from reconciler.common.status import CardStatus
from reconciler.diff.names import display_names
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Change, FieldChange, Reason
from reconciler.plan.payloads import ChangeMembers, DeleteCard, MemberKind
from tests.unit.builders import ARNS, CARD, DEV, MANAGED, PROD, READ_ONLY, TEST, example, share_arn

CONFIG = example().config
FRAUD = ARNS.card("Fraud")
ELSEWHERE = Arns("aws", "eu-west-1", "999999999999").card("Fraud")


def fixed() -> dict[str, str]:
    """What every plan names, whatever its changes: accounts and permissions."""
    return {
        DEV: f"dev ({DEV})",
        TEST: f"test ({TEST})",
        PROD: f"prod ({PROD})",
        MANAGED: "AWSRAMPermissionSageMakerModelCards",
        ARNS.permission("AWSRAMPermissionSageMakerModelCardsAllowExport"): (
            "AWSRAMPermissionSageMakerModelCardsAllowExport"
        ),
        READ_ONLY: "read-only",
    }


def deleted(name: str, *fields: FieldChange) -> Change:
    return Change(
        address=Address.card(name),
        action=Action.DELETE_CARD,
        reason=Reason.NOT_IN_GIT,
        payload=DeleteCard(name=name, arn=ARNS.card(name), status=CardStatus.DRAFT),
        fields=fields,
    )


def shared(*fields: FieldChange) -> Change:
    return Change(
        address=Address.share("churn-dev"),
        action=Action.ASSOCIATE_RESOURCES,
        reason=Reason.MEMBERS_MISSING,
        payload=ChangeMembers(
            share_arn=share_arn("churn-dev"), kind=MemberKind.RESOURCE, entities=()
        ),
        fields=fields,
    )


def value(before: Any = None, after: Any = None) -> FieldChange:
    return FieldChange("$.resources", before, after)


CASES = [
    pytest.param([], {}, id="no-change-names-accounts-and-permissions-only"),
    pytest.param([deleted(CARD)], {ARNS.card(CARD): CARD}, id="a-card-change-names-its-card"),
    pytest.param([shared(value(after=FRAUD))], {FRAUD: "Fraud"}, id="a-card-a-share-adds"),
    pytest.param([shared(value(before=FRAUD))], {FRAUD: "Fraud"}, id="a-card-a-share-removes"),
    pytest.param(
        [shared(value(after=[FRAUD, [ARNS.card("Deep")]]))],
        {FRAUD: "Fraud", ARNS.card("Deep"): "Deep"},
        id="cards-in-nested-lists",
    ),
    pytest.param(
        [shared(value(after={"cards": (FRAUD,), "count": 1}))],
        {FRAUD: "Fraud"},
        id="cards-in-a-mapping",
    ),
    pytest.param(
        [shared(value(after=[ELSEWHERE, "Fraud", 12, None]))],
        {},
        id="another-accounts-card-and-non-arns-are-not-named",
    ),
    pytest.param(
        [deleted("Churn", FieldChange("$.content.link", after=FRAUD))],
        {ARNS.card("Churn"): "Churn"},
        id="a-card-arn-in-card-content-is-the-users-text",
    ),
]


@pytest.mark.parametrize(("changes", "cards"), CASES)
def test_display_names(changes: list[Change], cards: dict[str, str]) -> None:
    found = display_names(CONFIG, ARNS, changes)
    assert found == {**fixed(), **cards}
    assert list(found) == sorted(found), "sorted, so the plan's JSON is stable"


def test_a_permission_of_reconciler_yaml_is_named_in_the_card_accounts_region() -> None:
    arns = Arns("aws", "eu-central-1", "555555555555")
    found = display_names(CONFIG, arns, [])
    assert found[arns.permission("read-only")] == "read-only"
    assert READ_ONLY not in found  # the ARN in us-east-1 of 111111111111 is another one
    assert found[MANAGED] == "AWSRAMPermissionSageMakerModelCards"  # AWS's: global
