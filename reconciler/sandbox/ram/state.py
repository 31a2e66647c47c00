"""All RAM state of one sandbox and the look-ups every RAM operation shares.

Shares are keyed by ARN, whose account and region fields scope them: an owner reaches
only shares of its own account in the Region it calls, as in AWS where shares are
regional. Receivers reach a share only through a principal association in force.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.config import Organization, SandboxConfig
from reconciler.sandbox.ram.errors import malformed_arn, unknown_share
from reconciler.sandbox.ram.model import (
    ACTIVE,
    ASSOCIATED,
    PRINCIPAL,
    SHARE_ARN,
    Invitation,
    Permission,
    Share,
)
from reconciler.sandbox.ram.params import str_list


class ResourceDirectory(Protocol):
    """What RAM needs to know of the resources it shares (implemented by SageMaker)."""

    def card_exists(self, arn: str) -> bool: ...

    def group_exists(self, arn: str) -> bool: ...


@dataclass
class RamState:
    """Every record RAM holds; replaced as a whole by ``reset``."""

    shares: dict[str, Share] = field(default_factory=dict)
    invitations: dict[str, Invitation] = field(default_factory=dict)
    permissions: dict[str, Permission] = field(default_factory=dict)  # customer-managed
    tokens: dict[tuple[str, str, str, str], tuple[str, dict[str, Any]]] = field(
        default_factory=dict
    )
    sharing_enabled_by_call: bool = False


@dataclass
class RamContext:
    """State plus the sandbox's configuration, clock and resource directory."""

    config: Callable[[], SandboxConfig]
    resources: ResourceDirectory
    clock: Callable[[], float]
    state: RamState = field(default_factory=RamState)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def now(self) -> float:
        return self.clock()

    def org(self) -> Organization | None:
        return self.config().organization

    def org_sharing(self) -> bool:
        """Whether RAM sharing with the Organization is on (config or an Enable call)."""
        org = self.org()
        return org is not None and (org.ram_sharing_enabled or self.state.sharing_enabled_by_call)

    def owned_share(self, caller: Caller, arn: str) -> Share:
        """The caller's share in the caller's Region; any other ARN is unknown to it."""
        share = self.any_share(arn)
        if share.owner != caller.account_id or share.region != caller.region:
            raise unknown_share(arn)
        return share

    def any_share(self, arn: str) -> Share:
        if not SHARE_ARN.match(arn or ""):
            raise malformed_arn(
                f"The specified resource share ARN {arn} is not valid. "
                "Verify the ARN and try again."
            )
        share = self.state.shares.get(arn)
        if share is None:
            raise unknown_share(arn)
        return share

    def owned_shares(self, caller: Caller) -> list[Share]:
        return [
            s
            for s in self.state.shares.values()
            if s.owner == caller.account_id and s.region == caller.region
        ]

    def received_shares(self, caller: Caller) -> list[Share]:
        """Shares of other accounts in this Region whose principals include the caller, in force.

        An invited account sees the share only once it has accepted: Terraform's
        ``aws_ram_resource_share_accepter`` accepts first and then waits for the share to
        appear under OTHER-ACCOUNTS.
        """
        return [
            s
            for s in self.state.shares.values()
            if s.region == caller.region
            and s.owner != caller.account_id
            and self.reaches(s, caller.account_id)
        ]

    def reaches(self, share: Share, account: str) -> bool:
        """Whether an ACTIVE share has an ASSOCIATED principal that covers ``account`` now."""
        if share.status != ACTIVE:
            return False
        now = self.now()
        return any(
            a.status(now) == ASSOCIATED and self.covers(a.entity, account)
            for a in share.of_kind(PRINCIPAL)
        )

    def covers(self, principal: str, account: str) -> bool:
        """An account id covers itself; an org or OU ARN its members while org sharing is on."""
        if principal == account:
            return True
        org = self.org()
        if org is None or not self.org_sharing():
            return False
        if principal == org.arn:
            return bool(org.contains(account))
        unit = principal.rsplit("/", 1)[-1]
        return principal == org.ou_arn(unit) and account in org.units.get(unit, frozenset())


def share_arn_filter(params: Mapping[str, Any]) -> set[str]:
    """The ``resourceShareArns`` filter of a request; a malformed ARN is an error."""
    arns = set(str_list(params, "resourceShareArns"))
    for arn in arns:
        if not SHARE_ARN.match(arn):
            raise malformed_arn(
                f"The resource share ARN {arn} is not valid. Verify the ARN and try again."
            )
    return arns
