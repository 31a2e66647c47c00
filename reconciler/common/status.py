"""Statuses as SageMaker defines them: a model card's (``ModelCardStatus`` in botocore's model),
the one type every stage uses for git's statuses, live statuses and the lifecycle, and a
model version's approval (``ModelApprovalStatus``).

Values compare equal to their text ("Approved"), which is also how they are written in
YAML, sent to AWS and shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

from reconciler.common.errors import ReconcilerError

E = TypeVar("E", bound=Enum)


def _read(cls: type[E], value: object, what: str, noun: str) -> E:
    """``value`` as a member of ``cls``; a value SageMaker does not define is refused by
    name rather than compared as text."""
    try:
        return cls(value)
    except ValueError:
        raise ReconcilerError(
            f"{what} has {noun} {value!r}, which is none of {', '.join(s.value for s in cls)}",
            hint="SageMaker's answer is not what its API defines: try again, or report it",
        ) from None


class CardStatus(str, Enum):
    """Declared in lifecycle order."""

    DRAFT = "Draft"
    PENDING_REVIEW = "PendingReview"
    APPROVED = "Approved"
    ARCHIVED = "Archived"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def read(cls, value: object, what: str) -> CardStatus:
        """The status AWS (or a saved plan) gave for ``what``."""
        return _read(cls, value, what, "status")


class ApprovalStatus(str, Enum):
    """A model version's approval (``ModelApprovalStatus`` in botocore's model)."""

    PENDING = "PendingManualApproval"
    APPROVED = "Approved"
    REJECTED = "Rejected"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def read(cls, value: object, what: str) -> ApprovalStatus:
        """The approval AWS gave for ``what``."""
        return _read(cls, value, what, "approval")


@dataclass(frozen=True, kw_only=True)
class Lifecycle:
    """A model version's stage (``ModelLifeCycle``: ``Stage``, ``StageStatus``,
    ``StageDescription``), the same value in git, live state and the plan."""

    stage: str
    status: str
    description: str | None = None
