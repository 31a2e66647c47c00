"""Who signed a request: maps the SigV4 access key to a ``Caller`` using moto's own records.

Keys that moto STS issued by ``AssumeRole`` belong to the role's account and act as
``arn:aws:sts::<acct>:assumed-role/<role>/<session>``; keys of IAM users created in
the sandbox act as that user; any other key (e.g. ``testing``) acts as the root of
``config.default_account`` (``arn:aws:iam::<acct>:root``, user id = the account id).
Role sessions are issued here (``issue``: moto's STS makes the keys, the sandbox keeps
what STS records about the session: tags, session policies, source identity, provider),
after ``iam.trust`` has allowed them. Resolved keys, and at each ``reset()`` every key
moto's STS has issued, are remembered
for the sandbox's lifetime, so a client keeps its identity across ``reset()`` (which
wipes moto's STS records), just as real credentials outlive the resources they touched.

Role ids: a role keeps the ``AROA…`` id IAM gave it at creation, and an assumed-role
session is ``<role id>:<session name>`` everywhere (AssumeRole's ``AssumedRoleId``,
GetCallerIdentity's ``UserId``, a card's ``CreatedBy``). moto invents a new random id
on every read for a role it does not hold; ``install_stable_role_ids`` makes that id a
fixed function of the role ARN instead.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Callable
from dataclasses import replace

from moto.iam.models import get_account_id_from, iam_backends
from moto.sts.models import AssumedRole, sts_backends

from reconciler.sandbox.caller import Caller, Session
from reconciler.sandbox.config import SandboxConfig


def role_id(role_arn: str) -> str:
    """The unique id of the role: IAM's if moto holds the role, else derived from its ARN."""
    parts = role_arn.split(":")
    if len(parts) == 6 and parts[4].isdigit():
        for role in list(iam_backends[parts[4]]["aws"].get_roles()):
            if role.arn == role_arn:
                return str(role.id)
    digest = base64.b32encode(hashlib.sha256(role_arn.encode()).digest()).decode()
    return "AROA" + digest[:17]


def current_role_id(account: str, role_name: str) -> str | None:
    """The id of the role moto holds under this name, or None."""
    backend = iam_backends[account]["aws"]
    return next((str(r.id) for r in list(backend.get_roles()) if r.name == role_name), None)


def _session_user_id(self: AssumedRole) -> str:
    return f"{role_id(self.role_arn)}:{self.session_name}"


def install_stable_role_ids() -> None:
    """Make moto's ``AssumedRole.user_id`` stable (idempotent)."""
    AssumedRole.user_id = property(_session_user_id)  # type: ignore[method-assign,assignment]


def _from_moto(access_key: str, region: str) -> Caller | None:
    account = get_account_id_from(access_key)
    role = sts_backends[account]["aws"].get_assumed_role_from_access_key(access_key)
    if role is not None:
        return Caller(account, role.arn, region, role.user_id, role.role_arn)
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

    def issue(
        self, role_arn: str, session_name: str, session: Session, duration: int = 3600
    ) -> tuple[AssumedRole, Caller]:
        """A new session of ``role_arn`` (already allowed), remembered with its facts."""
        account = role_arn.split(":")[4]
        region = self._config().region
        role = sts_backends[account]["aws"].assume_role(
            region_name=region,
            role_session_name=session_name,
            role_arn=role_arn,
            policy=session.policy or "",
            duration=duration,
            external_id="",
        )
        caller = Caller(account, role.arn, region, role.user_id, role_arn, session=session)
        with self._lock:
            self._known[role.access_key_id] = caller
        return role, caller

    def remember_issued(self) -> None:
        """Remember every session moto's STS has issued, so its keys outlive a moto reset."""
        region = self._config().region
        for account, regional in list(sts_backends.items()):
            for backend in list(regional.values()):
                for role in list(backend.assumed_roles):
                    caller = Caller(account, role.arn, region, role.user_id, role.role_arn)
                    with self._lock:
                        self._known.setdefault(role.access_key_id, caller)


def _in_region(caller: Caller, region: str) -> Caller:
    return replace(caller, region=region)
