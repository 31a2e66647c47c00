"""A local multi-account emulator of SageMaker model cards and AWS RAM, over real HTTP.

``Sandbox`` starts the server (``sb.start()``, ``sb.endpoint``, ``sb.client(...)``,
``sb.reset()``, ``sb.configure(...)``, ``sb.advance(...)``); ``SandboxConfig`` describes
accounts, the Organization and delays; ``FaultSettings`` injects latency and errors.
Model-card and RAM calls are answered by the sandbox's own services, everything else
by moto. Never imported by the reconciler's core.
"""

from __future__ import annotations

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.config import Organization, SandboxConfig, load_config
from reconciler.sandbox.errors import AwsError
from reconciler.sandbox.faults import FailNext, FaultSettings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from reconciler.sandbox.instance import Sandbox


def __getattr__(name: str) -> object:
    # Sandbox pulls in moto (~0.5 s); submodules such as errors or config stay light.
    if name == "Sandbox":
        from reconciler.sandbox.instance import Sandbox

        return Sandbox
    raise AttributeError(f"module 'reconciler.sandbox' has no attribute {name!r}")


__all__ = [
    "AwsError",
    "Caller",
    "FailNext",
    "FaultSettings",
    "Organization",
    "Sandbox",
    "SandboxConfig",
    "load_config",
]
