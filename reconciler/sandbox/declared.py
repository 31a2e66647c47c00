"""Roles and OIDC identity providers a sandbox starts with, declared in its accounts file.

A role in AWS exists because someone created it; the sandbox's own callers need a first
role to act through, so the accounts file (``roles:``) declares roles that exist in the
sandbox from the start, in the accounts they name (``"*"``: every account): their trust
policy, their identity policies and their tags. ``admin: true`` gives a role the identity
policy ``Allow * on *``: those are the all-powerful roles, and ``SandboxAdmin`` in every
account is the only one a sandbox has unless its accounts file says otherwise. Declared
roles are read by the sandbox's IAM and STS only; IAM's own ``GetRole`` and ``ListRoles``
(moto) do not list them. A role created through IAM with the same name in the same
account takes precedence.

``oidc_providers:`` declares IAM OIDC identity providers (what ``CreateOpenIDConnectProvider``
makes) in the accounts they name; providers created through IAM count as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ADMIN_POLICY: Mapping[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "SandboxAdmin", "Effect": "Allow", "Action": "*", "Resource": "*"}],
}
EVERY_ACCOUNT = "*"
GITHUB_ISSUER = "https://token.actions.githubusercontent.com"


def trust_accounts_of(account: str) -> Mapping[str, Any]:
    """A trust policy letting principals of the role's own account assume it (``{account}``
    is filled in per account), the trust AWS's console proposes for "this account"."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
            }
        ],
    }


@dataclass(frozen=True, kw_only=True)
class DeclaredRole:
    """A role that exists from the start: ``name`` in each of ``accounts``.

    ``trust`` is the trust policy; ``{account}`` inside it stands for the role's account.
    None trusts the role's own account (``trust_accounts_of``).
    """

    name: str
    accounts: tuple[str, ...] = (EVERY_ACCOUNT,)
    admin: bool = False
    trust: Mapping[str, Any] | None = None
    policies: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)

    def exists_in(self, account: str) -> bool:
        return EVERY_ACCOUNT in self.accounts or account in self.accounts

    def documents(self) -> dict[str, Mapping[str, Any]]:
        """Identity policies by name (an admin role's first)."""
        found: dict[str, Mapping[str, Any]] = {"admin": ADMIN_POLICY} if self.admin else {}
        return {**found, **self.policies}

    def trust_for(self, account: str) -> Mapping[str, Any]:
        if self.trust is None:
            return trust_accounts_of(account)
        filled: Mapping[str, Any] = _fill(self.trust, account)
        return filled


@dataclass(frozen=True, kw_only=True)
class OidcProvider:
    """An IAM OIDC identity provider for ``url`` in each of ``accounts``."""

    url: str = GITHUB_ISSUER
    accounts: tuple[str, ...] = (EVERY_ACCOUNT,)
    client_ids: tuple[str, ...] = ("sts.amazonaws.com",)

    def exists_in(self, account: str) -> bool:
        return EVERY_ACCOUNT in self.accounts or account in self.accounts

    def arn(self, account: str) -> str:
        host = self.url.removeprefix("https://")
        return f"arn:aws:iam::{account}:oidc-provider/{host}"


DEFAULT_ROLES = (DeclaredRole(name="SandboxAdmin", admin=True),)


def _fill(value: Any, account: str) -> Any:
    if isinstance(value, str):
        return value.replace("{account}", account)
    if isinstance(value, Mapping):
        return {k: _fill(v, account) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, account) for v in value]
    return value


def _accounts(raw: Mapping[str, Any]) -> tuple[str, ...]:
    value = raw.get("accounts", [EVERY_ACCOUNT])
    return tuple(str(a) for a in (value if isinstance(value, list) else [value]))


def role_from(raw: Mapping[str, Any]) -> DeclaredRole:
    """A DeclaredRole from its YAML/JSON form; ValueError names what is wrong."""
    unknown = set(raw) - {"name", "accounts", "admin", "trust", "policies", "tags"}
    if unknown or not isinstance(raw.get("name"), str):
        raise ValueError(
            f"a role needs a name and takes accounts, admin, trust, policies, tags; "
            f"got {sorted(raw)}"
        )
    return DeclaredRole(
        name=raw["name"],
        accounts=_accounts(raw),
        admin=bool(raw.get("admin", False)),
        trust=raw.get("trust"),
        policies=dict(raw.get("policies") or {}),
        tags={str(k): str(v) for k, v in (raw.get("tags") or {}).items()},
    )


def provider_from(raw: Mapping[str, Any]) -> OidcProvider:
    """An OidcProvider from its YAML/JSON form; ValueError names what is wrong."""
    unknown = set(raw) - {"url", "accounts", "client_ids"}
    if unknown:
        raise ValueError(f"an OIDC provider takes url, accounts, client_ids; got {sorted(raw)}")
    return OidcProvider(
        url=str(raw.get("url", GITHUB_ISSUER)),
        accounts=_accounts(raw),
        client_ids=tuple(str(c) for c in raw.get("client_ids", ["sts.amazonaws.com"])),
    )
