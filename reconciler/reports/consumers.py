"""What consumer accounts see: the records of ``reconciler verify``. Data only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class AccountCheck:
    """What one consumer account sees of one share."""

    account: str  # the name in reconciler.yaml
    account_id: str
    share: str
    invitation: str | None  # accepted now | already accepted | not needed (...) | None: unread
    visible: tuple[str, ...] = ()  # card names described successfully by ARN
    missing: tuple[str, ...] = ()  # card names the account could not describe
    permission: str | None = None  # the permission name in force; None when unknown
    actions: tuple[str, ...] = ()  # the actions it grants
    problems: tuple[str, ...] = ()
    # model package groups listed as shared (CrossAccount) whose selected versions it can
    # describe, and those it cannot see or read
    groups_visible: tuple[str, ...] = ()
    groups_missing: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True, kw_only=True)
class VerifyReport:
    checks: tuple[AccountCheck, ...]
    context: Mapping[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(not c.ok for c in self.checks)
