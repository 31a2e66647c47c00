"""Where policies come from: moto's IAM and KMS backends and the declared roles, read through
and cached.

A role is the one moto's IAM holds under that name in that account (its inline policies,
attached customer-managed policies at their default version, permissions boundary, tags and
trust policy), else the one the configuration declares there (``declared``), else none:
a session of a role that does not exist is allowed nothing. An IAM user's policies are its
inline and attached policies and those of its groups. The account root is not limited by
IAM policies. The service control policies of the Organization the configuration declares
limit every principal of a member account, its root too. Parsed role policies are cached
per role ARN; the front calls ``invalidate`` on every IAM write and the sandbox on reset and
reconfigure, so a change applies to the next request. Also: KMS key policies, aliases and
tags, IAM OIDC providers, and which account owns a resource.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from moto.iam.models import iam_backends
from moto.kms.models import kms_backends

from reconciler.sandbox.caller import Caller
from reconciler.sandbox.config import SandboxConfig, declared_role
from reconciler.sandbox.iam.policy import Statement, parse

Statements = tuple[Statement, ...]


@dataclass(frozen=True, kw_only=True)
class RolePolicies:
    """A role's identity policies, boundary (None: no boundary), tags and trust policy."""

    identity: Statements
    boundary: Statements | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    trust: Statements = ()


@dataclass(frozen=True, kw_only=True)
class PrincipalPolicies:
    """What limits one caller: service control policies (one set per level, each must
    allow), identity policies (None: the account root, unlimited by them), boundary,
    session policies (each must allow), and its tags (None: unknown)."""

    identity: Statements | None
    boundary: Statements | None = None
    sessions: tuple[Statements, ...] = ()
    tags: Mapping[str, str] | None = field(default_factory=dict)
    scps: tuple[Statements, ...] = ()


def service_control_policies(config: SandboxConfig, account: str) -> tuple[Statements, ...]:
    """The SCPs limiting ``account``'s principals, by level (root, OUs, the account)."""
    org = config.organization
    if org is None or not org.scps:
        return ()
    return tuple(
        tuple(
            s
            for n, document in enumerate(org.scps[level], 1)
            for s in parse(document, f"service control policy {n} attached to {level}")
        )
        for level in org.scp_levels(account)
        if level in org.scps
    )


def _split(role_arn: str) -> tuple[str, str]:
    return role_arn.split(":")[4], role_arn.rsplit("/", 1)[-1]


def _moto_role(role_arn: str) -> Any | None:
    account, name = _split(role_arn)
    backend = iam_backends[account]["aws"]
    # list() copies in one step under the GIL: the server's threads may be writing to IAM.
    return next((r for r in list(backend.get_roles()) if r.name == name), None)


def _managed(account: str, arn: str) -> str | None:
    policy = iam_backends[account]["aws"].managed_policies.get(arn)
    if policy is None:
        return None
    version = next(v for v in policy.versions if v.version_id == policy.default_version_id)
    return str(version.document)


def _tag_map(raw: Any) -> dict[str, str]:
    items = raw.values() if isinstance(raw, Mapping) else (raw or [])
    return {str(t["Key"]): str(t.get("Value", "")) for t in items if isinstance(t, Mapping)}


def _from_moto(role: Any) -> RolePolicies:
    arn = str(role.arn)
    identity = [
        s
        for name, doc in role.policies.items()
        for s in parse(doc, f"inline policy {name!r} of {arn}")
    ]
    for policy in list(role.managed_policies.values()):
        document = _managed(role.account_id, policy.arn)
        identity += parse(document, f"managed policy {policy.arn}") if document else ()
    boundary = None
    if role.permissions_boundary_arn:
        document = _managed(role.account_id, role.permissions_boundary_arn)
        source = f"permissions boundary {role.permissions_boundary_arn}"
        # A boundary moto does not hold allows nothing, as an empty boundary would.
        boundary = parse(document, source) if document else ()
    trust = parse(role.assume_role_policy_document or "{}", f"trust policy of {arn}")
    return RolePolicies(
        identity=tuple(identity), boundary=boundary, tags=_tag_map(role.tags), trust=trust
    )


def _declared(config: SandboxConfig, role_arn: str) -> RolePolicies | None:
    account, name = _split(role_arn)
    role = declared_role(config, account, name)
    if role is None:
        return None
    identity = tuple(
        s
        for policy, doc in role.documents().items()
        for s in parse(doc, f"policy {policy!r} of the declared role {role_arn}")
    )
    trust = parse(role.trust_for(account), f"trust policy of the declared role {role_arn}")
    return RolePolicies(identity=identity, tags=dict(role.tags), trust=trust)


def _user(caller: Caller) -> PrincipalPolicies:
    backend = iam_backends[caller.account_id]["aws"]
    name = caller.arn.rsplit("/", 1)[-1]
    user = backend.users.get(name)
    if user is None:
        return PrincipalPolicies(identity=(), tags=None)
    holders: list[Any] = [user, *[g for g in list(backend.groups.values()) if user in g.users]]
    identity: list[Statement] = []
    for holder in holders:
        source = f"{type(holder).__name__.lower()} {holder.name}"
        for policy_name, doc in holder.policies.items():
            identity += parse(doc, f"inline policy {policy_name!r} of {source}")
        for policy in list(holder.managed_policies.values()):
            document = _managed(caller.account_id, policy.arn)
            identity += parse(document, f"managed policy {policy.arn}") if document else ()
    return PrincipalPolicies(identity=tuple(identity), tags=None)


class PolicySource:
    """Parsed policies per role ARN, and each caller's ``PrincipalPolicies``."""

    def __init__(self, config: Callable[[], SandboxConfig] = SandboxConfig) -> None:
        self._config = config
        self._cache: dict[str, RolePolicies | None] = {}
        self._generation = 0  # a load that raced with an IAM write is not cached
        self._lock = threading.Lock()

    def for_role(self, role_arn: str) -> RolePolicies | None:
        """The role's policies; None when no such role exists."""
        with self._lock:
            if role_arn in self._cache:
                return self._cache[role_arn]
            generation = self._generation
        role = _moto_role(role_arn)
        found = _from_moto(role) if role is not None else _declared(self._config(), role_arn)
        with self._lock:
            if generation == self._generation:
                self._cache[role_arn] = found
        return found

    def for_caller(self, caller: Caller) -> PrincipalPolicies:
        scps = service_control_policies(self._config(), caller.account_id)
        return replace(self._own(caller), scps=scps) if scps else self._own(caller)

    def _own(self, caller: Caller) -> PrincipalPolicies:
        if caller.is_root:
            return PrincipalPolicies(identity=None, tags={})
        if caller.role_arn is None:
            return _user(caller)
        role = self.for_role(caller.role_arn)
        if role is None:  # the role was deleted, or never existed: it allows nothing
            return PrincipalPolicies(identity=())
        session = caller.session
        tags = {**role.tags, **(session.tags if session else {})}
        return PrincipalPolicies(
            identity=role.identity,
            boundary=role.boundary,
            sessions=self._session_policies(caller),
            tags=tags,
        )

    def _session_policies(self, caller: Caller) -> tuple[Statements, ...]:
        session = caller.session
        if session is None:
            return ()
        found = [parse(session.policy, "the session policy")] if session.policy else []
        for arn in session.policy_arns:
            document = _managed(arn.split(":")[4], arn)
            found.append(parse(document, f"session policy {arn}") if document else ())
        return tuple(found)

    def invalidate(self) -> None:
        with self._lock:
            self._cache.clear()
            self._generation += 1


def _key(reference: str) -> Any | None:
    parts = reference.split(":")
    if len(parts) < 6 or parts[2] != "kms":
        return None
    backend = kms_backends[parts[4]][parts[3]]
    try:
        key_id = backend.any_id_to_key_id(parts[5] if ":alias/" in reference else reference)
    except Exception:  # moto raises KeyError/TypeError for an unknown alias
        return None
    return backend.keys.get(key_id)


def key_arn(reference: str) -> str:
    """The key ARN behind a key or alias ARN; the reference itself if moto has no such key."""
    key = _key(reference)
    return str(key.arn) if key is not None else reference


def key_policy(reference: str) -> Statements | None:
    """The key policy of a KMS key (None: no such key)."""
    key = _key(reference)
    if key is None:
        return None
    document = key.policy if isinstance(key.policy, str) else json.dumps(key.policy)
    return parse(document, f"the key policy of {key.arn}")


def key_facts(reference: str) -> dict[str, tuple[str, ...]]:
    """``kms:ResourceAliases`` and ``aws:ResourceTag/…`` of a KMS key."""
    key = _key(reference)
    if key is None:
        return {}
    backend = kms_backends[key.account_id][key.region]
    aliases = tuple(sorted(str(a) for a in key.aliases))
    tags = backend.list_resource_tags(key.id).get("Tags", [])
    facts: dict[str, tuple[str, ...]] = {
        f"aws:ResourceTag/{t['TagKey']}": (str(t["TagValue"]),) for t in tags
    }
    return {**facts, "kms:ResourceAliases": aliases} if aliases else facts


def resource_account(resource: str) -> str | None:
    """The account that owns ``resource``: its ARN's account, or an S3 bucket's owner."""
    parts = resource.split(":")
    if len(parts) < 6:
        return None
    if parts[4]:
        return parts[4]
    if parts[2] == "s3":
        from moto.s3.models import s3_backends

        owner = s3_backends.bucket_accounts.get(parts[5].split("/", 1)[0])
        return str(owner[1]) if owner else None
    return None


def bucket_policy(resource: str) -> Statements | None:
    """The policy of the S3 bucket that ``resource`` (a bucket or object ARN) is in; None
    when the bucket has none (or does not exist)."""
    from moto.s3.models import s3_backends

    bucket = resource.split(":", 5)[5].split("/", 1)[0]
    owner = resource_account(resource)
    found = s3_backends[owner]["aws"].buckets.get(bucket) if owner else None
    document = getattr(found, "policy", None)
    if not document:
        return None
    text = document.decode("utf-8") if isinstance(document, bytes) else str(document)
    return parse(text, f"the bucket policy of {bucket}")


@dataclass(frozen=True)
class Provider:
    """An IAM OIDC identity provider: its ARN and the audiences (client IDs) it accepts."""

    arn: str
    client_ids: tuple[str, ...]


def oidc_provider(config: SandboxConfig, account: str, issuer: str) -> Provider | None:
    """The account's IAM OIDC provider for ``issuer``: created in IAM, or declared."""
    host = issuer.removeprefix("https://").rstrip("/")
    for provider in list(iam_backends[account]["aws"].open_id_providers.values()):
        if str(provider.url).rstrip("/") == host:
            return Provider(str(provider.arn), tuple(provider.client_id_list or ()))
    for declared in config.oidc_providers:
        if declared.exists_in(account) and declared.url.removeprefix("https://") == host:
            return Provider(declared.arn(account), declared.client_ids)
    return None
