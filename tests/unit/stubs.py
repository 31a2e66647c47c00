"""Real boto3 clients with botocore's ``Stubber``: each expected call names its service,
method and exact parameters and gives the response (or error) AWS would. Nothing is sent;
botocore still checks every request and response against the service model.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache
from typing import Any

import boto3
from botocore.config import Config
from botocore.stub import Stubber

from reconciler.apply import executor
from reconciler.apply.context import StepContext
from reconciler.aws.waits import WaitSettings
from reconciler.common.content import content_json
from reconciler.plan.address import Address
from reconciler.plan.model import Action, Change, FieldChange, Reason
from reconciler.plan.payloads import (
    Adopt,
    ChangeMembers,
    CreateCard,
    CreatePermission,
    CreateShare,
    DeleteCard,
    DeleteShare,
    ExportCard,
    Payload,
    ReplaceCard,
    ReplicateCard,
    SetPermission,
    UpdateContent,
    UpdatePackageApproval,
    UpdatePermission,
    UpdateShare,
    UpdateStatus,
    UpdateTags,
    UpdateVersion,
)

OWNER, DEV, TEST = "111111111111", "222222222222", "333333333333"
TOKEN = "token-of-this-step"  # the step's clientToken; its later calls use sub_token(i)
SHARE = f"arn:aws:ram:us-east-1:{OWNER}:resource-share/churn-dev"
PERMISSION = f"arn:aws:ram:us-east-1:{OWNER}:permission/read-only"

# The payloads whose steps test_executor_cards, _shares and _audit stub; together,
# every payload class (test_executor checks), so a new payload needs a stubbed case.
SAGEMAKER_STEPS = frozenset(
    {
        Adopt,
        CreateCard,
        UpdateContent,
        UpdateStatus,
        UpdateTags,
        ReplicateCard,
        ReplaceCard,
        DeleteCard,
    }
)
AUDIT_STEPS = frozenset({ExportCard, UpdatePackageApproval, UpdateVersion})  # test_executor_audit
RAM_STEPS = frozenset(
    {
        Adopt,
        CreatePermission,
        UpdatePermission,
        CreateShare,
        UpdateShare,
        SetPermission,
        ChangeMembers,
        DeleteShare,
    }
)


def card_arn(name: str) -> str:
    return f"arn:aws:sagemaker:us-east-1:{OWNER}:model-card/{name}"


@cache
def client(service: str) -> Any:
    """A client of ``service`` with dummy credentials and no retries (a stubbed error is
    answered once). Made once: creating a client loads its service model."""
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    return session.client(service, config=Config(retries={"mode": "standard", "max_attempts": 1}))


def clients() -> tuple[Any, Any]:
    """The SageMaker and RAM clients."""
    return client("sagemaker"), client("ram")


@contextmanager
def stubbed_client(service: str, *calls: Call) -> Iterator[Any]:
    """The client of ``service``, which must be called with ``calls`` in order (and no
    other call) before the block ends. For code that makes its calls one after another."""
    found = client(service)
    with Stubber(found) as stub:
        for call in calls:
            expect(stub, call)
        yield found
        stub.assert_no_pending_responses()


@dataclass(frozen=True, kw_only=True)
class Call:
    """One API call a step must make, and what AWS answers."""

    service: str  # "sagemaker" or "ram"
    method: str  # the boto3 method, e.g. "update_model_card"
    params: dict[str, Any]
    response: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # answer with this error code instead of ``response``
    message: str | None = None  # the error's message (default: "<code> (stubbed)")
    status: int = 400  # the error's HTTP status


def expect(stub: Stubber, call: Call) -> None:
    """``stub``'s client must make ``call`` next; AWS answers as ``call`` says."""
    if call.error:
        stub.add_client_error(
            call.method,
            service_error_code=call.error,
            service_message=call.message or f"{call.error} (stubbed)",
            http_status_code=call.status,
            expected_params=call.params,
        )
    else:
        stub.add_response(call.method, call.response, call.params)


@dataclass(frozen=True, kw_only=True)
class Stubbed:
    """The stubbers of both clients, the step context using them, and the sleeps waited."""

    stubbers: dict[str, Stubber]
    ctx: StepContext
    sleeps: list[float]

    def expect(self, *calls: Call) -> None:
        for call in calls:
            expect(self.stubbers[call.service], call)

    def dispatch(self, change: Change, *calls: Call) -> str:
        """Run ``change``'s step, which must make ``calls`` in order; what it says it did."""
        self.expect(*calls)
        return executor.dispatch(self.ctx, change)

    def done(self) -> None:
        """Every expected call was made."""
        for stub in self.stubbers.values():
            stub.assert_no_pending_responses()


@contextmanager
def stubbed(timeout: float = 1) -> Iterator[Stubbed]:
    sagemaker, ram = clients()
    sleeps: list[float] = []
    waits = WaitSettings(timeout=timeout, first_delay=0.01, sleep=sleeps.append)
    ctx = StepContext(sagemaker=sagemaker, ram=ram, token=TOKEN, waits=waits)
    with Stubber(sagemaker) as sm, Stubber(ram) as rm:
        yield Stubbed(stubbers={"sagemaker": sm, "ram": rm}, ctx=ctx, sleeps=sleeps)


def payload_types(cases: list[Any]) -> set[type[Payload]]:
    """The payload classes of the steps in a table of ``pytest.param(change, ...)``."""
    return {type(case.values[0].payload) for case in cases}


def sub_token(part: int | str) -> str:
    """The clientToken of a step's ``part``-th call (``TOKEN`` for the first)."""
    return StepContext(sagemaker=None, ram=None, token=TOKEN, waits=WaitSettings()).sub_token(part)


def step(action: Action, payload: Payload, fields: int = 0) -> Change:
    """A change that carries ``payload``; the reason never steers the executor, so every
    step here gives the same one."""
    return Change(
        address=Address.card(action.value),
        action=action,
        reason=Reason.NOT_IN_ACCOUNT,
        payload=payload,
        fields=tuple(FieldChange(f"$.content.f{i}", i, i + 1) for i in range(fields)),
    )


# -- responses -------------------------------------------------------------------------


def associations(
    kind: str, *entities: str, status: str = "ASSOCIATED", external: bool = False, **extra: Any
) -> dict[str, Any]:
    """A GetResourceShareAssociations response of churn-dev."""
    return {
        "resourceShareAssociations": [
            {
                "resourceShareArn": SHARE,
                "associatedEntity": e,
                "associationType": kind,
                "status": status,
                "external": external,
                **extra,
            }
            for e in entities
        ]
    }


def poll(kind: str, response: dict[str, Any]) -> Call:
    """One look at the share's associations of ``kind`` while a step waits."""
    return Call(
        service="ram",
        method="get_resource_share_associations",
        params={"associationType": kind, "resourceShareArns": [SHARE]},
        response=response,
    )


def described(name: str, content: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A DescribeModelCard response."""
    return {
        "ModelCardArn": card_arn(name),
        "ModelCardName": name,
        "ModelCardVersion": 1,
        "Content": content_json(content),
        "ModelCardStatus": "Draft",
        "CreationTime": datetime(2026, 11, 20, tzinfo=timezone.utc),
        "CreatedBy": {},
        **extra,
    }


def describe(name: str, *, gone: bool = False, **response: Any) -> Call:
    """DescribeModelCard of ``name``: ResourceNotFound when ``gone``."""
    return Call(
        service="sagemaker",
        method="describe_model_card",
        params={"ModelCardName": name},
        response=described(name, {}, **response) if not gone else {},
        error="ResourceNotFound" if gone else None,
    )
