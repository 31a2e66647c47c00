"""apply.executor: running a plan. Adoptions first, then changes in order; the first
failure (an AWS error, or an asynchronous operation that fails or times out while a step
waits) fails its step with the error's code and message, and nothing after it runs.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any, cast, get_args

import pytest
from botocore.stub import ANY

from reconciler.apply.context import client_token
from reconciler.apply.executor import execute
from reconciler.apply.report import Step, StepStatus
from reconciler.aws.session import AwsSession, AwsSettings
from reconciler.aws.waits import WaitSettings
from reconciler.plan.address import Address
from reconciler.plan.codec import change_to_json
from reconciler.plan.model import Action, Change, Plan
from reconciler.plan.payloads import (
    Adopt,
    ChangeMembers,
    DeleteCard,
    MemberKind,
    Payload,
    Service,
    SetPermission,
    UpdateContent,
    UpdateStatus,
    payload_type,
)
from tests.unit.stubs import (
    AUDIT_STEPS,
    DEV,
    PERMISSION,
    RAM_STEPS,
    SAGEMAKER_STEPS,
    SHARE,
    TEST,
    TOKEN,
    Call,
    Stubbed,
    associations,
    card_arn,
    describe,
    poll,
    step,
)

CARD = "Churn"
ARN = card_arn(CARD)
ADOPT = step(Action.ADOPT, Adopt(arn=ARN, service=Service.SAGEMAKER, tags={"a": "b"}))
CONTENT = step(Action.UPDATE_CONTENT, UpdateContent(name=CARD, arn=ARN, content={"x": 1}))
STATUS = step(
    Action.UPDATE_STATUS,
    UpdateStatus(name=CARD, arn=ARN, status="PendingReview", from_status="Draft"),
)
PERMISSION_SET = step(
    Action.SET_PERMISSION, SetPermission(share_arn=SHARE, permission_arn=PERMISSION)
)


class Session:
    """What ``execute`` needs of an AwsSession: a client per service."""

    def __init__(self, stubs: Stubbed) -> None:
        self.clients = {"sagemaker": stubs.ctx.sagemaker, "ram": stubs.ctx.ram}

        self.settings = AwsSettings(region="us-east-1")

    def client(self, service: str) -> Any:
        return self.clients[service]

    def single_attempt(self) -> Session:
        """The stubs answer each call once, as a client without retries would."""
        return self


def run(stubs: Stubbed, plan: Plan, waits: WaitSettings | None = None) -> tuple[Step, ...]:
    """Execute ``plan`` one change at a time (the stubs expect calls in order); every step
    reported to ``progress`` is one of those returned. tests/unit/test_schedule.py covers
    the order and parallelism."""
    seen: list[Step] = []
    steps = execute(
        cast(AwsSession, Session(stubs)),
        plan,
        waits or stubs.ctx.waits,
        progress=seen.append,
        parallelism=1,
    )
    assert seen == list(steps)
    return steps


def outcome(steps: tuple[Step, ...]) -> list[tuple[str, StepStatus]]:
    return [(s.address, s.status) for s in steps]


def sagemaker(method: str, error: str | None = None, **params: object) -> Call:
    response = {"ModelCardArn": ARN} if method == "update_model_card" else {}
    return Call(service="sagemaker", method=method, params=params, response=response, error=error)


def test_adoptions_run_first_then_changes_in_plan_order(stubs: Stubbed) -> None:
    stubs.expect(
        sagemaker("add_tags", ResourceArn=ARN, Tags=[{"Key": "a", "Value": "b"}]),
        sagemaker("update_model_card", ModelCardName=CARD, Content='{"x":1}'),
        sagemaker("update_model_card", ModelCardName=CARD, ModelCardStatus="PendingReview"),
        Call(
            service="ram",
            method="associate_resource_share_permission",
            params={
                "resourceShareArn": SHARE,
                "permissionArn": PERMISSION,
                "replace": True,
                "clientToken": ANY,
            },
        ),
    )
    steps = run(stubs, Plan(changes=(CONTENT, STATUS, PERMISSION_SET), adoptions=(ADOPT,)))
    assert outcome(steps) == [
        (Address.card("adopt"), StepStatus.DONE),
        (Address.card("update_content"), StepStatus.DONE),
        (Address.card("update_status"), StepStatus.DONE),
        (Address.card("set_permission"), StepStatus.DONE),
    ]
    assert steps[2].detail == f"{CARD}: Draft → PendingReview"
    assert [s.action for s in steps] == [
        "adopt",
        "update_content",
        "update_status",
        "set_permission",
    ]


def test_an_aws_error_fails_its_step_and_nothing_after_it_is_attempted(stubs: Stubbed) -> None:
    stubs.expect(
        sagemaker("update_model_card", "ValidationException", ModelCardName=CARD, Content='{"x":1}')
    )
    steps = run(stubs, Plan(changes=(CONTENT, STATUS, PERMISSION_SET)))
    assert outcome(steps) == [
        (Address.card("update_content"), StepStatus.FAILED),
        (Address.card("update_status"), StepStatus.NOT_ATTEMPTED),
        (Address.card("set_permission"), StepStatus.NOT_ATTEMPTED),
    ]
    failed = steps[0]
    assert (failed.detail, failed.error_code, failed.error_message) == (
        "UpdateModelCard failed",
        "ValidationException",
        "ValidationException (stubbed)",
    )
    assert {(s.detail, s.error_code) for s in steps[1:]} == {("", None)}


def adding(principal: str) -> Change:
    payload = ChangeMembers(share_arn=SHARE, kind=MemberKind.PRINCIPAL, entities=(principal,))
    return step(Action.ASSOCIATE_PRINCIPALS, payload)


def invited(principal: str) -> Call:
    """AssociateResourceShare of ``principal``, with the token this run derives."""
    return Call(
        service="ram",
        method="associate_resource_share",
        params={"resourceShareArn": SHARE, "principals": [principal], "clientToken": ANY},
    )


def test_an_association_that_fails_while_waiting_fails_the_step(stubs: Stubbed) -> None:
    change = adding(DEV)
    stubs.expect(
        invited(DEV),
        poll(
            "PRINCIPAL",
            associations("PRINCIPAL", DEV, status="FAILED", statusMessage="invitation rejected"),
        ),
    )
    later_phase = step(Action.DELETE_CARD, DeleteCard(name=CARD, arn=ARN, status="Draft"))
    (failed, later) = run(stubs, Plan(changes=(change, later_phase)))
    assert (failed.status, failed.detail, failed.error_code, failed.error_message) == (
        StepStatus.FAILED,
        "waiting for AWS",
        "AssociationFailed",
        f"{DEV}: invitation rejected",
    )
    assert later.status is StepStatus.NOT_ATTEMPTED


def test_a_wait_that_does_not_finish_in_time_fails_the_step(stubs: Stubbed) -> None:
    change = adding(TEST)
    stubs.expect(
        invited(TEST),
        poll("PRINCIPAL", associations("PRINCIPAL", TEST, status="ASSOCIATING")),
    )
    (failed,) = run(stubs, Plan(changes=(change,)), replace(stubs.ctx.waits, timeout=0))
    assert (failed.status, failed.error_code) == (StepStatus.FAILED, "Timeout")
    assert str(failed.error_message).startswith(
        f"principal association of {SHARE} did not finish within 0 s"
    )


def test_a_card_sagemaker_cannot_delete_fails_the_step(stubs: Stubbed) -> None:
    change = step(Action.DELETE_CARD, DeleteCard(name=CARD, arn=ARN, status="Draft"))
    stubs.expect(
        sagemaker("delete_model_card", ModelCardName=CARD),
        describe(CARD, ModelCardProcessingStatus="DeleteFailed"),
    )
    (failed,) = run(stubs, Plan(changes=(change,)))
    assert (failed.status, failed.error_code, failed.error_message) == (
        StepStatus.FAILED,
        "DeleteFailed",
        f"SageMaker could not delete model card {CARD}",
    )


def test_an_empty_plan_makes_no_call(stubs: Stubbed) -> None:
    assert run(stubs, Plan(changes=())) == ()


def change_json(change: Change) -> str:
    return json.dumps(change_to_json(change), sort_keys=True)


def test_client_tokens_repeat_within_a_run_and_differ_across_runs_and_changes() -> None:
    token = client_token("run-1", change_json(CONTENT))
    assert client_token("run-1", change_json(CONTENT)) == token
    assert client_token("run-2", change_json(CONTENT)) != token
    assert client_token("run-1", change_json(STATUS)) != token


def test_each_call_of_a_step_has_its_own_repeatable_token(stubs: Stubbed) -> None:
    tokens = [stubs.ctx.sub_token(i) for i in range(3)]
    assert tokens[0] == TOKEN
    assert len(set(tokens)) == 3
    assert [stubs.ctx.sub_token(i) for i in range(3)] == tokens


def test_every_payload_class_has_a_stubbed_step() -> None:
    payloads: set[type[Payload]] = set(get_args(Payload))
    assert payloads == SAGEMAKER_STEPS | RAM_STEPS | AUDIT_STEPS


@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_every_action_has_a_step_for_its_payload(action: Action) -> None:
    assert payload_type(action) in SAGEMAKER_STEPS | RAM_STEPS | AUDIT_STEPS
