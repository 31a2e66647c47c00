"""Fixtures for the sandbox tests: RAM with fake cards and a manual clock; roles with policies."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.config import Organization, SandboxConfig
from reconciler.sandbox.ram.service import RamService

OWNER, DEV, PROD, OTHER = "111111111111", "222222222222", "444444444444", "555555555555"
REGION = "us-east-1"


def card_arn(name: str, account: str = OWNER, region: str = REGION) -> str:
    return f"arn:aws:sagemaker:{region}:{account}:model-card/{name}"


def caller(account: str, region: str = REGION) -> Caller:
    return Caller(account, f"arn:aws:sts::{account}:assumed-role/Admin/test", region)


@dataclass
class FakeCards:
    """A ResourceDirectory holding a fixed set of card ARNs."""

    arns: set[str] = field(default_factory=set)

    def card_exists(self, arn: str) -> bool:
        return arn in self.arns

    def group_exists(self, arn: str) -> bool:
        return arn in self.arns


@dataclass
class ManualClock:
    now: float = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class RamWorld:
    """A RamService with its fakes and a mutable config, plus call shorthands."""

    service: RamService
    cards: FakeCards
    clock: ManualClock
    settings: dict[str, SandboxConfig]

    def as_(self, account: str, region: str = REGION) -> Callable[..., dict[str, Any]]:
        def call(operation: str, **params: Any) -> dict[str, Any]:
            return self.service.call(caller(account, region), operation, params)

        return call

    def configure(self, config: SandboxConfig) -> None:
        self.settings["now"] = config

    def settle(self) -> None:
        self.clock.advance(self.settings["now"].association_delay_seconds + 0.01)


def make_world(config: SandboxConfig | None = None) -> RamWorld:
    settings = {"now": config or SandboxConfig(association_delay_seconds=1.0)}
    cards = FakeCards({card_arn("churn"), card_arn("fraud")})
    clock = ManualClock()
    service = RamService(lambda: settings["now"], cards, clock)
    return RamWorld(service, cards, clock, settings)


@pytest.fixture
def world() -> RamWorld:
    return make_world()


@pytest.fixture
def org_world() -> RamWorld:
    org = Organization(
        management_account=OWNER,
        members=frozenset({DEV, PROD}),
        units={"ou-sb01-prod0001": frozenset({PROD})},
    )
    return make_world(SandboxConfig(organization=org, association_delay_seconds=1.0))


# -- identity policies ----------------------------------------------------------------

TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
        }
    ],
}


def statement(effect: str, action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    """One policy statement; ``not_action=`` / ``not_resource=`` / ``condition=`` as extras."""
    found: dict[str, Any] = {"Effect": effect}
    found["NotAction" if extra.pop("not_action", False) else "Action"] = action
    found["NotResource" if extra.pop("not_resource", False) else "Resource"] = resource
    if "condition" in extra:
        found["Condition"] = extra.pop("condition")
    return found


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return statement("Allow", action, resource, **extra)


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return statement("Deny", action, resource, **extra)


@pytest.fixture
def role(sandbox: Any) -> Callable[..., Any]:
    """``role(*statements, account=, name=, managed=)``: a role holding those statements
    (inline, or as an attached customer-managed policy) and clients acting as it."""
    from reconciler.sandbox.clients import AccountClients

    def make(
        *statements: dict[str, Any],
        account: str = OWNER,
        name: str = "Scoped",
        managed: bool = False,
    ) -> AccountClients:
        iam = sandbox.client("iam", account)
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))
        if statements:
            document = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
            if managed:
                arn = iam.create_policy(PolicyName=f"{name}-policy", PolicyDocument=document)
                iam.attach_role_policy(RoleName=name, PolicyArn=arn["Policy"]["Arn"])
            else:
                iam.put_role_policy(RoleName=name, PolicyName="inline", PolicyDocument=document)
        return AccountClients(sandbox, account, role=name)

    return make
