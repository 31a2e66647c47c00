"""What a step handler gets: the clients, its idempotency token, the wait settings, and
the gate that says which cards are ready to associate."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from reconciler.apply.gate import OPEN, Gate
from reconciler.aws.session import DEFAULT_MAX_ATTEMPTS
from reconciler.aws.waits import WaitSettings

_NAMESPACE = uuid.UUID("6f1d5a3e-57a4-4b4e-9f0e-2b8f6d1c7a90")


@dataclass(frozen=True, kw_only=True)
class StepContext:
    sagemaker: Any
    ram: Any
    token: str
    waits: WaitSettings
    commit: str | None = None  # the git commit being applied, for the audit trail
    ready: Gate = OPEN  # hands out cards to associate once this apply has written them
    # A SageMaker client that tries each call once, for calls that must not act twice
    # (``aws.once``); None: ``sagemaker``. And how many attempts such a call may make.
    sagemaker_once: Any = None
    max_attempts: int = DEFAULT_MAX_ATTEMPTS

    def sub_token(self, part: int | str) -> str:
        """A distinct, repeatable token for the ``part``-th call of a multi-call step (a
        number, or a name for a kind of call: ``principals/3``)."""
        return self.token if part == 0 else str(uuid.uuid5(_NAMESPACE, f"{self.token}/{part}"))


def client_token(run_id: str, change_key: str) -> str:
    """A RAM clientToken derived from the change (its place in the plan, address and action)
    and the apply run (a random id):
    every retry of a step within a run sends the same token, so it cannot act twice. A
    later run gets new tokens, because RAM answers a known token with the old result and
    does nothing, which would silently skip a change that repeats (a second re-invitation
    after an expiry)."""
    return str(uuid.uuid5(_NAMESPACE, f"{run_id}\n{change_key}"))
