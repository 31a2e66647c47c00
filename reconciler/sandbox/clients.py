"""Client helpers for tests and tools: per-account boto3 clients that check the contract.

``AccountClients`` bundles the clients of one account; SageMaker and RAM clients are
contract-checked (every response is validated against botocore's model and a
violation raises ``ContractViolation`` from the call that received it).
"""

from __future__ import annotations

from typing import Any

from reconciler.sandbox.http import contract
from reconciler.sandbox.instance import Sandbox

CHECKED_SERVICES = frozenset({"sagemaker", "ram", "cloudtrail"})


def checked_client(
    sandbox: Sandbox,
    service: str,
    account: str | None = None,
    role: str = "SandboxAdmin",
    **kwargs: Any,
) -> Any:
    """``sandbox.client(...)`` plus contract checks for the services the sandbox owns."""
    client = sandbox.client(service, account, role, **kwargs)
    if service in CHECKED_SERVICES:
        client.sandbox_responses = contract.attach(client)
    return client


class AccountClients:
    """Lazily created clients of one account: ``acct.sagemaker``, ``acct.ram``, ``acct.s3``."""

    def __init__(self, sandbox: Sandbox, account: str, role: str = "SandboxAdmin") -> None:
        self.sandbox, self.account, self.role = sandbox, account, role
        self._clients: dict[str, Any] = {}

    def __getattr__(self, service: str) -> Any:
        if service.startswith("_"):
            raise AttributeError(service)
        if service not in self._clients:
            name = service.replace("_", "-")
            self._clients[service] = checked_client(self.sandbox, name, self.account, self.role)
        return self._clients[service]
