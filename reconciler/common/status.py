"""A model card's status, as SageMaker defines it (``ModelCardStatus`` in botocore's model):
the one type every stage uses for git's statuses, live statuses and the lifecycle.

Values compare equal to their text ("Approved"), which is also how they are written in
YAML, sent to AWS and shown.
"""

from __future__ import annotations

from enum import Enum

from reconciler.common.errors import ReconcilerError


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
        """The status AWS (or a saved plan) gave for ``what``; a value SageMaker does not
        define is refused by name rather than compared as text."""
        try:
            return cls(value)
        except ValueError:
            raise ReconcilerError(
                f"{what} has status {value!r}, which is none of {', '.join(s.value for s in cls)}",
                hint="SageMaker's answer is not what its API defines: try again, or report it",
            ) from None
