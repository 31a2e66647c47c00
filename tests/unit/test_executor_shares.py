"""The executor's RAM steps against stubbed RAM: permissions, shares and their members.
Each payload makes exactly these calls, with its clientToken, and waits for associations
to settle where RAM makes them asynchronously.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace

import pytest

from reconciler.apply import executor
from reconciler.apply.gate import Gate
from reconciler.apply.report import StepStatus
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Change
from reconciler.plan.payloads import (
    Adopt,
    ChangeMembers,
    CreatePermission,
    CreateShare,
    DeleteShare,
    MemberKind,
    Service,
    SetPermission,
    UpdatePermission,
    UpdateShare,
)
from tests.unit.stubs import (
    DEV,
    PERMISSION,
    RAM_STEPS,
    SHARE,
    TEST,
    TOKEN,
    Call,
    Stubbed,
    associations,
    card_arn,
    payload_types,
    poll,
    step,
    sub_token,
)

CARD = card_arn("Churn")
ACTIONS = ("sagemaker:ListModelCardVersions", "sagemaker:DescribeModelCard")
POLICY = json.dumps({"Effect": "Allow", "Action": sorted(ACTIONS)}, separators=(",", ":"))
OWNED = {"managed-by": "reconciler"}
SENT_TAGS = [{"key": "managed-by", "value": "reconciler"}]
SUB = [sub_token(i) for i in range(3)]  # the clientTokens of a step's calls; SUB[0] is TOKEN


def ram(method: str, response: dict[str, object] | None = None, **params: object) -> Call:
    return Call(service="ram", method=method, params=params, response=response or {})


def created(cards: list[str], accounts: list[str], external: bool = False) -> Call:
    """CreateResourceShare of churn-dev with ``cards`` and ``accounts``."""
    return ram(
        "create_resource_share",
        {"resourceShare": {"resourceShareArn": SHARE, "name": "churn-dev"}},
        name="churn-dev",
        resourceArns=cards,
        principals=accounts,
        permissionArns=[PERMISSION],
        tags=SENT_TAGS,
        allowExternalPrincipals=external,
        clientToken=TOKEN,
    )


def versions(*numbers: int, default: int) -> Call:
    found = [
        {"arn": PERMISSION, "version": str(n), "defaultVersion": n == default} for n in numbers
    ]
    return ram("list_permission_versions", {"permissions": found}, permissionArn=PERMISSION)


def new_version(number: int) -> Call:
    return ram(
        "create_permission_version",
        {"permission": {"arn": PERMISSION, "version": str(number)}},
        permissionArn=PERMISSION,
        policyTemplate=POLICY,
        clientToken=TOKEN,
    )


def members(kind: MemberKind, *entities: str) -> ChangeMembers:
    return ChangeMembers(share_arn=SHARE, kind=kind, entities=entities)


UPDATE = UpdatePermission(name="read-only", arn=PERMISSION, actions=ACTIONS)

CASES = [
    pytest.param(
        step(Action.ADOPT, Adopt(arn=SHARE, service=Service.RAM, tags=OWNED)),
        [ram("tag_resource", resourceShareArn=SHARE, tags=SENT_TAGS)],
        "now managed: tagged managed-by",
        id="adopt-a-share-tags-it",
    ),
    pytest.param(
        step(
            Action.CREATE_PERMISSION,
            CreatePermission(
                name="read-only",
                arn=PERMISSION,
                actions=ACTIONS,
                resource_type="sagemaker:ModelCard",
                tags=OWNED,
            ),
        ),
        [
            ram(
                "create_permission",
                {"permission": {"arn": PERMISSION, "version": "1"}},
                name="read-only",
                resourceType="sagemaker:ModelCard",
                policyTemplate=POLICY,
                tags=SENT_TAGS,
                clientToken=TOKEN,
            )
        ],
        f"created {PERMISSION}",
        id="create-permission-with-a-sorted-policy",
    ),
    pytest.param(
        step(Action.UPDATE_PERMISSION, UPDATE),
        [versions(1, 2, default=2), new_version(3)],
        "created version 3 of read-only (now the default)",
        id="new-permission-version",
    ),
    pytest.param(
        step(Action.UPDATE_PERMISSION, UPDATE),
        [
            versions(1, 2, 3, 4, 5, default=5),
            Call(
                service="ram",
                method="delete_permission_version",
                params={"permissionArn": PERMISSION, "permissionVersion": 1, "clientToken": SUB[1]},
                error="OperationNotPermittedException",  # still attached to a share
            ),
            ram(
                "delete_permission_version",
                {"returnValue": True},
                permissionArn=PERMISSION,
                permissionVersion=2,
                clientToken=SUB[2],
            ),
            new_version(6),
        ],
        "deleted unused version 2; created version 6 of read-only (now the default)",
        id="at-five-versions-the-oldest-unused-one-goes-first",
    ),
    pytest.param(
        step(
            Action.CREATE_SHARE,
            CreateShare(
                name="churn-dev",
                principals=(DEV,),
                resource_arns=(CARD,),
                permission_arn=PERMISSION,
                tags=OWNED,
                allow_external_principals=True,
            ),
        ),
        [
            created([CARD], [DEV], external=True),
            poll("RESOURCE", associations("RESOURCE", CARD)),
            poll("PRINCIPAL", associations("PRINCIPAL", DEV, status="ASSOCIATING", external=True)),
        ],
        f"created {SHARE}; associated; invitation sent to {DEV}",
        id="create-share-then-wait-for-its-associations",
    ),
    pytest.param(
        step(
            Action.UPDATE_SHARE,
            UpdateShare(
                share_arn=SHARE,
                name="churn-staging",
                allow_external_principals=False,
                tags_add={"purpose": "qa"},
                tags_remove=("owner",),
            ),
        ),
        [
            ram(
                "update_resource_share",
                resourceShareArn=SHARE,
                clientToken=TOKEN,
                name="churn-staging",
                allowExternalPrincipals=False,
            ),
            ram("tag_resource", resourceShareArn=SHARE, tags=[{"key": "purpose", "value": "qa"}]),
            ram("untag_resource", resourceShareArn=SHARE, tagKeys=["owner"]),
        ],
        "updated allowExternalPrincipals, name; set 1 tag(s); removed 1 tag(s)",
        id="update-share-settings-and-tags",
    ),
    pytest.param(
        step(Action.UPDATE_SHARE, UpdateShare(share_arn=SHARE, tags_add={"purpose": "qa"})),
        [ram("tag_resource", resourceShareArn=SHARE, tags=[{"key": "purpose", "value": "qa"}])],
        "set 1 tag(s)",
        id="update-share-tags-only",
    ),
    pytest.param(
        step(Action.SET_PERMISSION, SetPermission(share_arn=SHARE, permission_arn=PERMISSION)),
        [
            ram(
                "associate_resource_share_permission",
                {"returnValue": True},
                resourceShareArn=SHARE,
                permissionArn=PERMISSION,
                replace=True,
                clientToken=TOKEN,
            )
        ],
        f"permission set to {PERMISSION}",
        id="set-permission-replaces-the-attached-one",
    ),
    pytest.param(
        step(Action.ASSOCIATE_PRINCIPALS, members(MemberKind.PRINCIPAL, TEST)),
        [
            ram(
                "associate_resource_share",
                resourceShareArn=SHARE,
                principals=[TEST],
                clientToken=TOKEN,
            ),
            poll("PRINCIPAL", associations("PRINCIPAL", TEST, status="ASSOCIATING")),
            poll("PRINCIPAL", associations("PRINCIPAL", TEST)),
        ],
        "associated",
        id="add-a-principal-then-poll-until-associated",
    ),
    pytest.param(
        step(Action.DISASSOCIATE_RESOURCES, members(MemberKind.RESOURCE, CARD)),
        [
            ram(
                "disassociate_resource_share",
                resourceShareArn=SHARE,
                resourceArns=[CARD],
                clientToken=TOKEN,
            ),
            poll("RESOURCE", associations("RESOURCE", CARD, status="DISASSOCIATING")),
            poll("RESOURCE", associations("RESOURCE")),
        ],
        "disassociated",
        id="remove-a-card-then-poll-until-gone",
    ),
    pytest.param(
        step(Action.DELETE_SHARE, DeleteShare(share_arn=SHARE, name="churn-dev")),
        [
            ram(
                "delete_resource_share",
                {"returnValue": True},
                resourceShareArn=SHARE,
                clientToken=TOKEN,
            )
        ],
        "deleted churn-dev",
        id="delete-share",
    ),
]


@pytest.mark.parametrize(("change", "calls", "detail"), CASES)
def test_each_ram_step_makes_these_calls(
    stubs: Stubbed, change: Change, calls: list[Call], detail: str
) -> None:
    assert stubs.dispatch(change, *calls) == detail


def test_more_than_a_hundred_cards_are_associated_a_hundred_a_call(stubs: Stubbed) -> None:
    cards = [card_arn(f"Card-{i:03d}") for i in range(150)]
    change = step(Action.ASSOCIATE_RESOURCES, members(MemberKind.RESOURCE, *cards))
    detail = stubs.dispatch(
        change,
        ram(
            "associate_resource_share",
            resourceShareArn=SHARE,
            resourceArns=cards[:100],
            clientToken=SUB[0],
        ),
        ram(
            "associate_resource_share",
            resourceShareArn=SHARE,
            resourceArns=cards[100:],
            clientToken=SUB[1],
        ),
        poll("RESOURCE", associations("RESOURCE", *cards)),
    )
    assert detail == "associated"


def test_every_payload_of_these_steps_has_a_case() -> None:
    assert payload_types(CASES) == RAM_STEPS


def _share_of(cards: list[str]) -> Change:
    payload = CreateShare(
        name="churn-dev",
        principals=(DEV,),
        resource_arns=tuple(cards),
        permission_arn=PERMISSION,
        tags=OWNED,
        allow_external_principals=False,
    )
    return step(Action.CREATE_SHARE, payload)


def all_written(gate: Gate, address: Address) -> threading.Timer:
    """In 50 ms: the card at ``address`` is written, and with it every card of the apply."""

    def written() -> None:
        gate.finished(address)
        gate.cards_done()

    timer = threading.Timer(0.05, written)
    timer.start()
    return timer


def test_a_share_step_stopped_before_any_call_was_not_attempted(stubs: Stubbed) -> None:
    """Its cards are still being written when another step fails: no call is made."""
    gate = Gate(pending={Address.card("New")})
    gate.stop()
    done = executor._run(replace(stubs.ctx, ready=gate), _share_of([card_arn("New")]))
    assert done.status is StepStatus.NOT_ATTEMPTED
    stubs.done()


def test_a_share_step_stopped_between_batches_says_how_far_it_got(stubs: Stubbed) -> None:
    """100 cards are ready and go with CreateResourceShare (without its account: cards of
    the apply are still being written); the step then waits for the card this apply is
    still writing, and another step fails: no further call, no account added."""
    ready = [card_arn(f"Old-{i:03d}") for i in range(100)]
    stubs.expect(created(ready, []))
    gate = Gate(pending={Address.card("New")})
    stopping = threading.Timer(0.05, gate.stop)
    stopping.start()
    done = executor._run(replace(stubs.ctx, ready=gate), _share_of([*ready, card_arn("New")]))
    stopping.join()
    assert (done.status, done.error_code) == (StepStatus.FAILED, "StoppedByEarlierFailure")
    assert "the share exists with 100 of 101 cards and 0 of 1 accounts" in str(done.error_message)
    stubs.done()


def test_a_share_created_while_cards_are_written_gets_its_accounts_after_them(
    stubs: Stubbed,
) -> None:
    """Its one card is ready, but another card of the apply is still being written: the
    share is created with the card and no account, and the account is added once every
    card of the apply is written."""
    gate = Gate(pending={Address.card("Other")})
    stubs.expect(
        created([CARD], []),
        ram(
            "associate_resource_share",
            resourceShareArn=SHARE,
            principals=[DEV],
            clientToken=sub_token("principals/0"),
        ),
        poll("RESOURCE", associations("RESOURCE", CARD)),
        poll("PRINCIPAL", associations("PRINCIPAL", DEV)),
    )

    when: list[bool] = []  # whether every card was written, at each AssociateResourceShare
    stubs.ctx.ram.meta.events.register(
        "provide-client-params.ram.AssociateResourceShare",
        lambda **_: when.append(gate.cards_written()),
    )
    writing = all_written(gate, Address.card("Other"))
    done = executor._run(replace(stubs.ctx, ready=gate), _share_of([CARD]))
    writing.join()
    assert done.status is StepStatus.DONE, done
    assert when == [True]
    stubs.done()


def test_the_last_cards_and_the_accounts_go_in_one_call(stubs: Stubbed) -> None:
    """100 cards are ready, one is still being written: the share is created with the
    100, and the last card goes with the account once every card is written."""
    ready = [card_arn(f"Old-{i:03d}") for i in range(100)]
    new = card_arn("New")
    stubs.expect(
        created(ready, []),
        ram(
            "associate_resource_share",
            resourceShareArn=SHARE,
            resourceArns=[new],
            principals=[DEV],
            clientToken=sub_token(1),
        ),
        poll("RESOURCE", associations("RESOURCE", *ready, new)),
        poll("PRINCIPAL", associations("PRINCIPAL", DEV)),
    )
    gate = Gate(pending={Address.card("New")})
    writing = all_written(gate, Address.card("New"))
    done = executor._run(replace(stubs.ctx, ready=gate), _share_of([*ready, new]))
    writing.join()
    assert done.status is StepStatus.DONE, done
    stubs.done()


def test_a_share_whose_calls_are_all_made_finishes_after_another_step_fails(
    stubs: Stubbed,
) -> None:
    """Every card of the apply is written and the share's one call carries its card and
    account; another step fails meanwhile: nothing is left to call, so the step waits
    for its associations and is done."""
    gate = Gate()
    stubs.expect(
        created([CARD], [DEV]),
        poll("RESOURCE", associations("RESOURCE", CARD)),
        poll("PRINCIPAL", associations("PRINCIPAL", DEV)),
    )
    stubs.ctx.ram.meta.events.register(
        "provide-client-params.ram.CreateResourceShare", lambda **_: gate.stop()
    )
    done = executor._run(replace(stubs.ctx, ready=gate), _share_of([CARD]))
    assert done.status is StepStatus.DONE, done
    stubs.done()


def test_an_empty_share_is_created_without_waiting(stubs: Stubbed) -> None:
    """No card and no account: nothing is associated, so nothing is waited for."""
    payload = CreateShare(
        name="churn-dev",
        principals=(),
        resource_arns=(),
        permission_arn=PERMISSION,
        tags=OWNED,
        allow_external_principals=False,
    )
    stubs.expect(created([], []))
    done = executor._run(stubs.ctx, step(Action.CREATE_SHARE, payload))
    assert (done.status, done.detail) == (StepStatus.DONE, f"created {SHARE}")
    assert stubs.sleeps == []
    stubs.done()
