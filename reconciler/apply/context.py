"""What a step handler gets: the clients, its idempotency token and the wait settings."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from reconciler.apply.waits import WaitSettings

_NAMESPACE = uuid.UUID("6f1d5a3e-57a4-4b4e-9f0e-2b8f6d1c7a90")


@dataclass(frozen=True)
class StepContext:
    sagemaker: Any
    ram: Any
    token: str
    waits: WaitSettings

    def sub_token(self, part: int) -> str:
        """A distinct, repeatable token for the ``part``-th call of a multi-call step."""
        return self.token if part == 0 else str(uuid.uuid5(_NAMESPACE, f"{self.token}/{part}"))


def client_token(plan_checksum: str, change_json: str) -> str:
    """A RAM clientToken derived from the plan and the change: the same change of the same
    plan always sends the same token, so a retried call cannot act twice."""
    return str(uuid.uuid5(_NAMESPACE, f"{plan_checksum}\n{change_json}"))
