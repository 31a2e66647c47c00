"""pytest fixtures for the sandbox: one server per session, clean state per test.

- ``sandbox_config``: the ``SandboxConfig`` the session's sandbox starts with (session
  scope; override it in a conftest to declare roles or change switches).
- ``sandbox_session``: the running ``Sandbox`` (session scope; started once, ~50 ms).
  With ``RECONCILER_SANDBOX_SWITCHES`` naming an accounts file (``reconciler probe
  --sandbox-config`` writes one), the settings it sets replace ``sandbox_config``'s, so
  the suite runs against what a real account showed.
- ``sandbox``: the same sandbox, reset before each test (state, moto, clock, faults,
  config), so tests are independent and fast.
- ``aws``: a factory ``aws(service, account=None, role="SandboxAdmin")`` of boto3 clients;
  SageMaker and RAM clients fail the call on any response that breaks botocore's model.
- ``account``: a factory ``account("222222222222")`` of ``AccountClients`` bundles.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from reconciler.sandbox.clients import AccountClients, checked_client
from reconciler.sandbox.config import SandboxConfig, with_switches
from reconciler.sandbox.instance import Sandbox

SWITCHES_VARIABLE = "RECONCILER_SANDBOX_SWITCHES"


@pytest.fixture(scope="session")
def sandbox_config() -> SandboxConfig:
    return SandboxConfig()


@pytest.fixture(scope="session")
def sandbox_session(sandbox_config: SandboxConfig) -> Iterator[Sandbox]:
    switches = os.environ.get(SWITCHES_VARIABLE)
    config = with_switches(sandbox_config, Path(switches)) if switches else sandbox_config
    with Sandbox(config=config) as sb:
        yield sb


@pytest.fixture
def sandbox(sandbox_session: Sandbox) -> Iterator[Sandbox]:
    sandbox_session.reset()
    yield sandbox_session


@pytest.fixture
def aws(sandbox: Sandbox) -> Callable[..., Any]:
    def make(
        service: str, account: str | None = None, role: str = "SandboxAdmin", **kwargs: Any
    ) -> Any:
        return checked_client(sandbox, service, account, role, **kwargs)

    return make


@pytest.fixture
def account(sandbox: Sandbox) -> Callable[[str], AccountClients]:
    return lambda account_id: AccountClients(sandbox, account_id)
