"""Who signed a request: maps the SigV4 access key to a ``Caller`` using moto's own records.

Keys that moto STS issued by ``AssumeRole`` belong to the role's account and act as
``arn:aws:sts::<acct>:assumed-role/<role>/<session>``; keys of IAM users created in
the sandbox act as that user; any other key (e.g. ``testing``) acts as the root of
``config.default_account``. Resolved keys are remembered for the sandbox's lifetime,
so a client keeps its identity across ``reset()`` (which wipes moto's STS records),
just as real credentials outlive the resources they touched.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from moto.iam.models import get_account_id_from, iam_backends
from moto.sts.models import sts_backends

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.config import SandboxConfig


def _from_moto(access_key: str, region: str) -> Caller | None:
    account = get_account_id_from(access_key)
    role = sts_backends[account]["aws"].get_assumed_role_from_access_key(access_key)
    if role is not None:
        return Caller(account, role.arn, region, role.user_id)
    user = iam_backends[account]["aws"].get_user_from_access_key_id(access_key)
    if user is not None:
        return Caller(account, user.arn, region, user.id)
    return None


def root_caller(account: str, region: str) -> Caller:
    """The identity of an account's root user, used for keys the sandbox never issued."""
    return Caller(account, f"arn:aws:iam::{account}:root", region, account)


class IdentityResolver:
    """Resolves access keys to callers; thread-safe, remembers keys moto issued."""

    def __init__(self, config: Callable[[], SandboxConfig]) -> None:
        self._config = config
        self._known: dict[str, Caller] = {}
        self._lock = threading.Lock()

    def resolve(self, access_key: str | None, region: str | None = None) -> Caller:
        region = region or self._config().region
        with self._lock:
            known = self._known.get(access_key or "")
        if known is not None:
            return known if known.region == region else _in_region(known, region)
        found = _from_moto(access_key, region) if access_key else None
        if found is None:
            return root_caller(self._config().default_account, region)
        with self._lock:
            self._known[access_key or ""] = found
        return found


def _in_region(caller: Caller, region: str) -> Caller:
    return Caller(caller.account_id, caller.arn, region, caller.principal_id)
