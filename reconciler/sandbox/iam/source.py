"""Where identity policies come from: moto's IAM backend, read through and cached.

Roles, their inline policies (``PutRolePolicy``), attached customer-managed policies
(``CreatePolicy`` + ``AttachRolePolicy``, default version) and permissions boundary are
moto's; this module reads them for the role's account and caches the parsed result per
role ARN. The front calls ``invalidate`` on every IAM write and the sandbox on reset,
so a policy change applies to the next request. Also resolves KMS key references
(alias names and ARNs) to key ARNs through moto's KMS backend.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from moto.iam.models import iam_backends
from moto.kms.models import kms_backends

from reconciler.sandbox.iam.policy import Statement, parse


@dataclass(frozen=True)
class RolePolicies:
    """A role's identity policies, and its boundary (None: the role has no boundary)."""

    identity: tuple[Statement, ...]
    boundary: tuple[Statement, ...] | None


def _role(role_arn: str) -> Any | None:
    account = role_arn.split(":")[4]
    name = role_arn.rsplit("/", 1)[-1]
    backend = iam_backends[account]["aws"]
    # list() copies in one step under the GIL: the server's threads may be writing to IAM.
    return next((r for r in list(backend.get_roles()) if r.name == name), None)


def _managed_document(policy: Any) -> str:
    version = next(v for v in policy.versions if v.version_id == policy.default_version_id)
    return str(version.document)


def _boundary(role: Any) -> tuple[Statement, ...] | None:
    arn = role.permissions_boundary_arn
    if not arn:
        return None
    policy = iam_backends[role.account_id]["aws"].managed_policies.get(arn)
    # A boundary moto does not hold allows nothing, as an empty boundary would.
    return parse(_managed_document(policy)) if policy is not None else ()


def _load(role_arn: str) -> RolePolicies | None:
    role = _role(role_arn)
    if role is None:
        return None
    documents = list(role.policies.values())
    documents += [_managed_document(p) for p in list(role.managed_policies.values())]
    boundary = _boundary(role)
    if not documents and boundary is None:
        return None
    identity = tuple(s for d in documents for s in parse(d))
    return RolePolicies(identity, boundary)


class PolicySource:
    """Parsed policies per role ARN; None for a role moto does not hold or without policies."""

    def __init__(self) -> None:
        self._cache: dict[str, RolePolicies | None] = {}
        self._generation = 0  # a load that raced with an IAM write is not cached
        self._lock = threading.Lock()

    def for_role(self, role_arn: str) -> RolePolicies | None:
        with self._lock:
            if role_arn in self._cache:
                return self._cache[role_arn]
            generation = self._generation
        found = _load(role_arn)
        with self._lock:
            if generation == self._generation:
                self._cache[role_arn] = found
        return found

    def invalidate(self) -> None:
        with self._lock:
            self._cache.clear()
            self._generation += 1


def key_arn(reference: str) -> str:
    """The key ARN behind a key or alias ARN; the reference itself if moto has no such key."""
    parts = reference.split(":")
    if len(parts) < 6 or parts[2] != "kms":
        return reference
    region, account = parts[3], parts[4]
    backend = kms_backends[account][region]
    try:
        key_id = backend.any_id_to_key_id(parts[5] if ":alias/" in reference else reference)
    except Exception:  # moto raises KeyError/TypeError for an unknown alias
        return reference
    key = backend.keys.get(key_id)
    return str(key.arn) if key is not None else reference
