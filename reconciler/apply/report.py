"""What an apply did: each step done, failed (with the AWS error) or not attempted, and the
check that live state now matches git. What consumers see is verify's own report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from reconciler.common.diagnostics import Diagnostic
from reconciler.plan.actions import Action, Guard
from reconciler.plan.address import Address
from reconciler.plan.model import Change


class StepStatus(str, Enum):
    DONE = "done"
    FAILED = "failed"
    NOT_ATTEMPTED = "not attempted"


@dataclass(frozen=True, kw_only=True)
class Step:
    address: Address
    action: Action
    status: StepStatus
    detail: str = ""
    error_code: str | None = None
    error_message: str | None = None
    seconds: float = 0.0


@dataclass(frozen=True, kw_only=True)
class GuardRefusal:
    """A change that needs a flag apply was not given (``guard.flag``)."""

    address: Address
    guard: Guard
    note: str = ""  # which principals open the share


class Limit(str, Enum):
    """The safety threshold a plan exceeds (``safety.max_<limit>_percent``)."""

    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True, kw_only=True)
class ThresholdRefusal:
    """More managed cards would change than reconciler.yaml allows without --force."""

    limit: Limit
    cards: int  # cards the plan would change in this way
    existing: int  # managed cards
    percent_allowed: float


Refusal = GuardRefusal | ThresholdRefusal


@dataclass(frozen=True, kw_only=True)
class ApplyReport:
    checksum: str
    steps: tuple[Step, ...] = ()
    remaining: tuple[Change, ...] = ()  # what a plan after the apply still wants to change
    converged: bool | None = None  # None when the apply stopped before checking
    refused: tuple[Refusal, ...] = ()  # safety refusals; nothing was applied
    blocked: tuple[Diagnostic, ...] = ()  # plan errors: their resources were held back
    warnings: tuple[str, ...] = ()  # the plan's warnings, e.g. managed resources left in AWS
    context: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)  # the plan's display names

    @property
    def failed(self) -> bool:
        return (
            bool(self.refused)
            or bool(self.blocked)
            or any(s.status is StepStatus.FAILED for s in self.steps)
            or self.converged is False
        )
