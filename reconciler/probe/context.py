"""What every check works with: the card account's sessions, the repository's settings, the
scratch names of this run, and the few helpers checks share (an AWS error's code, a session
policy that leaves actions out, waiting for something to show).

Sessions: ``session`` is the card account as apply opens it (``card_account.role_arn``, else
the caller's own credentials); ``ambient`` is the caller's own credentials, for the reads
apply's policy does not grant (RAM's type and permission lists, CloudTrail) and for deleting
what the apply role may not. ``restricted`` assumes ``card_account.role_arn`` again, as apply
does, with an inline session policy: IAM then allows only what both the role's policies and
the session policy allow, so a call that still succeeds without an action does not need it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

from botocore.exceptions import ClientError

from reconciler.aws.session import AwsSession, aws_errors, error_code, new_session
from reconciler.common.regions import partition_for
from reconciler.desired.model import Account, DesiredState

T = TypeVar("T")
PREFIX = "reconciler-probe-"  # every scratch resource's name starts with it
SESSION = "reconciler-probe"
DENIED = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"})


class Skip(Exception):
    """A check, or the rest of a phase, cannot go on; the message says why."""


def denied(error: ClientError) -> bool:
    return error_code(error) in DENIED


def said(error: ClientError) -> str:
    """``Code: message`` of an AWS error, for a finding's sentence."""
    detail = error.response.get("Error", {})
    return f"{detail.get('Code')}: {detail.get('Message')}"


@dataclass(frozen=True, kw_only=True)
class ProbeContext:
    state: DesiredState
    session: AwsSession  # the card account as apply opens it
    ambient: AwsSession  # the caller's own credentials
    role_arn: str | None  # card_account.role_arn, assumed again with session policies
    run_id: str
    wait_seconds: float = 900.0  # how long to wait for anything eventually visible
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    @property
    def account(self) -> str:
        return self.state.config.card_account_id

    @property
    def region(self) -> str:
        return self.state.config.region

    @property
    def name(self) -> str:
        """The name of this run's scratch card, share and permission."""
        return f"{PREFIX}{self.run_id}"

    def tags(self) -> dict[str, str]:
        """The scratch resources' tags: the reconciler's ownership tag, which apply's policy
        requires on everything it creates, and this run as its source."""
        owner = self.state.config.ownership
        return {owner.tag_key: owner.tag_value, owner.source_tag_key: self.name}

    def consumers(self) -> list[Account]:
        """Target accounts with a role the card account may assume, in name order."""
        found = self.state.config.accounts.values()
        return sorted((a for a in found if a.role_arn), key=lambda a: a.name)

    def invited(self) -> Account | None:
        """The target account the scratch share is shared with: one with a role that a share
        in git names (apply's policy shares with no other), outside the Organization if one
        is (it gets an invitation to answer)."""
        named = {p for s in self.state.shares.values() for p in s.principals}
        shared = [a for a in self.consumers() if a.name in named or a.id in named]
        return min(shared, key=lambda a: (not a.external, a.name), default=None)

    @property
    def external(self) -> bool:
        """Whether a share in git allows principals outside the Organization (apply's policy
        allows such shares only then)."""
        return any(s.allow_external_principals for s in self.state.shares.values())

    def card_arn(self, name: str | None = None) -> str:
        where = f"{partition_for(self.region)}:sagemaker:{self.region}:{self.account}"
        return f"arn:{where}:model-card/{name or self.name}"


def without(ctx: ProbeContext, *actions: str) -> AwsSession | None:
    """The apply role again, with a session policy that allows everything but ``actions``
    (None without ``card_account.role_arn``)."""
    policy = {"Effect": "Allow", "NotAction": list(actions), "Resource": "*"}
    return restricted(ctx, [policy])


def restricted(ctx: ProbeContext, statements: list[dict[str, Any]]) -> AwsSession | None:
    """The apply role assumed again from the caller's credentials with ``statements`` as
    its session policy (None without ``card_account.role_arn``)."""
    if ctx.role_arn is None:
        return None
    policy = json.dumps({"Version": "2012-10-17", "Statement": statements})
    with aws_errors(f"assuming {ctx.role_arn} with a session policy"):
        creds = ctx.ambient.client("sts").assume_role(
            RoleArn=ctx.role_arn, RoleSessionName=SESSION, Policy=policy
        )["Credentials"]
    boto = new_session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    return AwsSession(replace(ctx.session.settings, role_arn=None), ctx.session.stats, boto)


NO_ROLE = (
    "not checked: neither --role-arn nor card_account.role_arn names a role to assume again "
    "with a session policy (bootstrap --operator makes one)"
)


def until(
    ctx: ProbeContext, look: Callable[[], T | None], what: str, pause: float = 0.05
) -> tuple[T, float]:
    """``look`` again and again (first ``pause`` seconds apart, then further) until it
    returns something: that, and the seconds it took. Raises Skip when
    ``ctx.wait_seconds`` pass first."""
    started = ctx.clock()
    while True:
        found = look()
        waited = ctx.clock() - started
        if found is not None:
            return found, waited
        if waited > ctx.wait_seconds:
            raise Skip(f"{what} did not happen within {ctx.wait_seconds:.0f} s")
        ctx.sleep(pause)
        pause = min(pause * 1.5, 5.0)


def server_time(response: dict[str, Any]) -> float:
    """When the service answered (its Date header; the local clock without one)."""
    headers = response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
    date = headers.get("date")
    return parsedate_to_datetime(date).timestamp() if date else time.time()
