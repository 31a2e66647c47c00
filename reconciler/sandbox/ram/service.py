"""The sandbox's AWS RAM service, as AWS behaves for ``sagemaker:ModelCard`` shares.

The project owns RAM entirely (moto's RAM is not used): the WSGI front maps a rest-json
request to its botocore operation name and wire members and calls ``RamService.call``;
SageMaker asks ``authorize`` before letting another account use a card, and tells RAM
when a card is deleted. Every call is first put to the caller's identity policies
(``authz``); that is in addition to ``authorize``, which is RAM's resource-side grant.
This module dispatches operations and applies ``clientToken`` idempotency; the other
modules of this package own the operations themselves.
"""

from __future__ import annotations

import copy
import json
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from reconciler.sandbox.authz import ALLOW_ALL, IdentityPolicies
from reconciler.sandbox.caller import Caller
from reconciler.sandbox.config import SandboxConfig
from reconciler.sandbox.ram.access import authorize, resource_policy
from reconciler.sandbox.ram.associations import HANDLERS as ASSOCIATION_HANDLERS
from reconciler.sandbox.ram.authz import requests_for
from reconciler.sandbox.ram.errors import not_permitted, ram_error
from reconciler.sandbox.ram.invitations import HANDLERS as INVITATION_HANDLERS
from reconciler.sandbox.ram.model import DISASSOCIATED, RESOURCE
from reconciler.sandbox.ram.permissions import HANDLERS as PERMISSION_HANDLERS
from reconciler.sandbox.ram.share_permissions import HANDLERS as SHARE_PERMISSION_HANDLERS
from reconciler.sandbox.ram.shares import HANDLERS as SHARE_HANDLERS
from reconciler.sandbox.ram.state import RamContext, RamState, ResourceDirectory

Handler = Callable[[RamContext, Caller, Mapping[str, Any]], dict[str, Any]]
HANDLERS: dict[str, Handler] = {
    **SHARE_HANDLERS,
    **ASSOCIATION_HANDLERS,
    **SHARE_PERMISSION_HANDLERS,
    **INVITATION_HANDLERS,
    **PERMISSION_HANDLERS,
}
# Operations whose request has a clientToken (botocore's RAM model) that the sandbox serves.
IDEMPOTENT = frozenset(
    {
        "CreateResourceShare",
        "UpdateResourceShare",
        "DeleteResourceShare",
        "AssociateResourceShare",
        "DisassociateResourceShare",
        "AssociateResourceSharePermission",
        "DisassociateResourceSharePermission",
        "AcceptResourceShareInvitation",
        "RejectResourceShareInvitation",
        "CreatePermission",
        "CreatePermissionVersion",
        "DeletePermission",
        "DeletePermissionVersion",
        "SetDefaultPermissionVersion",
    }
)

__all__ = ["RamService", "ResourceDirectory"]


class RamService:
    """RAM for every account and Region of one sandbox; thread-safe."""

    def __init__(
        self,
        config: Callable[[], SandboxConfig],
        resources: ResourceDirectory,
        clock: Callable[[], float] = time.time,
        iam: Callable[[], IdentityPolicies] = lambda: ALLOW_ALL,
    ) -> None:
        self._ctx = RamContext(config=config, resources=resources, clock=clock)
        self._iam = iam

    def call(self, caller: Caller, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run one RAM operation for ``caller``; return the wire response or raise AwsError."""
        handler = HANDLERS.get(operation)
        if handler is None:
            raise not_permitted(f"The sandbox does not implement the RAM operation {operation}.")
        with self._ctx.lock:
            # Identity policies first, against state as it is: a denied call changes nothing.
            self._iam().authorize(caller, requests_for(self._ctx, caller, operation, params))
            if operation not in IDEMPOTENT:
                return handler(self._ctx, caller, params)
            return self._idempotent(handler, caller, operation, params)

    def _idempotent(
        self, handler: Handler, caller: Caller, operation: str, params: dict[str, Any]
    ) -> dict[str, Any]:
        """Same token and parameters: the first answer again; other parameters: an error.
        Tokens are kept for the sandbox's lifetime: AWS publishes no window.
        AWS undocumented: client-token-window"""
        token = params.get("clientToken")
        if token is not None and (not isinstance(token, str) or not token):
            raise ram_error("InvalidClientTokenException", "clientToken must be a string.")
        token = token or str(uuid.uuid4())
        key = (caller.account_id, caller.region, operation, token)
        digest = json.dumps(
            {k: v for k, v in params.items() if k != "clientToken"}, sort_keys=True, default=str
        )
        seen = self._ctx.state.tokens.get(key)
        if seen is not None:
            if seen[0] != digest:
                raise ram_error(
                    "IdempotentParameterMismatchException",
                    f"clientToken {token} was already used with other parameters "
                    f"for {operation}; use a new token for a different request.",
                )
            return copy.deepcopy(seen[1])
        result = {**handler(self._ctx, caller, params), "clientToken": token}
        self._ctx.state.tokens[key] = (digest, copy.deepcopy(result))
        return result

    def authorize(
        self,
        consumer_account: str,
        resource_arn: str,
        action: str,
        principal_arn: str | None = None,
    ) -> None:
        """Return if RAM grants ``action`` on another account's card; else AccessDenied.

        ``principal_arn`` (optional) only words the error as IAM does for that caller.
        """
        with self._ctx.lock:
            authorize(self._ctx, consumer_account, resource_arn, action, principal_arn)

    def resource_policy(self, resource_arn: str) -> dict[str, Any] | None:
        """The resource policy RAM keeps on a resource it shares (``access.resource_policy``)."""
        with self._ctx.lock:
            return resource_policy(self._ctx, resource_arn)

    def on_resource_deleted(self, arn: str) -> None:
        """A deleted card leaves every share that held it (DISASSOCIATED at once)."""
        with self._ctx.lock:
            now = self._ctx.now()
            for share in self._ctx.state.shares.values():
                held = share.associations.get((RESOURCE, arn))
                if held is not None and held.status(now) != DISASSOCIATED:
                    held.timeline.rewrite(now, (now, DISASSOCIATED, "The resource was deleted."))

    def reset(self) -> None:
        with self._ctx.lock:
            self._ctx.state = RamState()
