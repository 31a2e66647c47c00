"""A local multi-account emulator of SageMaker model cards and AWS RAM, over real HTTP.

``Sandbox`` starts the server (``sb.start()``, ``sb.endpoint``, ``sb.client(...)``,
``sb.reset()``, ``sb.configure(...)``, ``sb.advance(...)``); ``SandboxConfig`` describes
accounts, the Organization and delays; ``FaultSettings`` injects latency and errors.
Model-card and RAM calls are answered by the sandbox's own services, everything else
by moto. Every caller is held to its IAM policies on every model-card, RAM, S3, KMS and
CloudTrail call, and assuming a role to its trust policy (``iam``): a role exists only if
created in IAM or declared in the accounts file (``declared``; ``SandboxAdmin``, allowed
everything, in every account by default). Never imported by the reconciler's core.

Layout, lowest layer first; a module imports only from its own layer and those below:

1. The shared core, at the top of this package: ``authz``, ``config``, ``caller``,
   ``clock``, ``declared``, ``errors``, ``faults``, ``identity``, ``paging``,
   ``validation``. It
   imports no subpackage. It sits here rather than in a ``core/`` subpackage because code outside
   the sandbox (the CLI, the demo, benchmarks, tests) imports ``config`` and ``faults``
   at these paths, and one flat core reads better than a core split in two places.
2. The services ``ram`` and ``sagemaker``, ``iam`` (identity policies), ``cloudtrail`` and
   ``cloudformation`` (what moto's stack engine lacks, and the template check): each imports
   the core only, never another of them (they meet through protocols that ``instance``
   wires: services ask ``authz.IdentityPolicies``, which ``iam`` implements) and never
   ``http``.
3. ``http``: the WSGI front, wire format, HTTP server, control API and contract checks;
   imports the core and the services.
4. Assembly: ``instance`` (``Sandbox``), ``server`` (``reconciler sandbox``),
   ``selftest`` (moto seams checked at start-up), ``clients`` and ``pytest_plugin``
   (for tests); these may import any layer.
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
