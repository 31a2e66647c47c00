"""What an apply did: each step done, failed (with the AWS error) or not attempted, the
check that live state now matches git, and what each consumer account sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from reconciler.plan.model import Change


class StepStatus(str, Enum):
    DONE = "done"
    FAILED = "failed"
    NOT_ATTEMPTED = "not attempted"


@dataclass(frozen=True)
class Step:
    address: str
    action: str
    status: StepStatus
    detail: str = ""
    error_code: str | None = None
    error_message: str | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class AccountCheck:
    """What one consumer account sees of one share."""

    account: str  # the name in reconciler.yaml
    account_id: str
    share: str
    invitation: str  # accepted now | already accepted | not needed (same Organization) | ...
    visible: tuple[str, ...]  # card names described successfully by ARN
    missing: tuple[str, ...]  # card names the account could not describe
    permission: str  # the permission name in force
    actions: tuple[str, ...]  # the actions it grants
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ApplyReport:
    checksum: str
    steps: tuple[Step, ...] = ()
    remaining: tuple[Change, ...] = ()  # what a plan after the apply still wants to change
    converged: bool | None = None  # None when the apply stopped before checking
    checks: tuple[AccountCheck, ...] = ()
    refused: tuple[str, ...] = ()  # safety refusals; nothing was applied
    warnings: tuple[str, ...] = ()  # the plan's warnings, e.g. managed resources left in AWS
    context: dict[str, str] = field(default_factory=dict)
    kind: str = "apply"  # or "verify": only consumer checks

    @property
    def failed(self) -> bool:
        return (
            bool(self.refused)
            or any(s.status is StepStatus.FAILED for s in self.steps)
            or self.converged is False
            or any(not c.ok for c in self.checks)
        )
