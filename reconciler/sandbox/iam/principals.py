"""The ``Principal`` element of resource-based policies (role trust policies, KMS key
policies), and whom it names.

Per the IAM User Guide ("AWS JSON policy elements: Principal"): ``"*"`` or ``{"AWS": "*"}``
is anyone; an account id or ``arn:aws:iam::<account>:root`` is every principal of that
account, so the account's own IAM policies must then allow the request too (the account
delegates); a role, user or role-session ARN names exactly that principal;
``{"Federated": <provider ARN>}`` is a web identity from that IAM identity provider;
``{"Service": …}`` names a service, which the sandbox's callers never are. A named role
covers every session of it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class Named(enum.IntEnum):
    """How a statement's principal names the caller; higher is more specific."""

    NOT = 0
    ACCOUNT = 1  # the caller's account: its IAM policies must allow too
    DIRECTLY = 2  # the caller's ARN, its role, "*", or its web identity provider


@dataclass(frozen=True, kw_only=True)
class Who:
    """The caller as a Principal element may name it."""

    account: str | None  # None for a web identity, which has no account yet
    arns: tuple[str, ...] = ()  # the session's, its role's, the user's or the root's ARN
    provider: str | None = None  # the IAM OIDC provider ARN of a web identity


@dataclass(frozen=True)
class Principals:
    anyone: bool = False
    aws: tuple[str, ...] = ()
    federated: tuple[str, ...] = ()
    service: tuple[str, ...] = ()


def _strings(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(str(v) for v in items if v is not None)


def parse_principals(raw: Any) -> Principals:
    """The Principal (or NotPrincipal) element of a statement."""
    if raw == "*":
        return Principals(anyone=True)
    if not isinstance(raw, Mapping):
        return Principals()
    aws = _strings(raw.get("AWS", []))
    return Principals(
        anyone="*" in aws,
        aws=tuple(a for a in aws if a != "*"),
        federated=_strings(raw.get("Federated", [])),
        service=_strings(raw.get("Service", [])),
    )


def _account_of(value: str) -> str | None:
    if value.isdigit() and len(value) == 12:
        return value
    parts = value.split(":")
    if len(parts) == 6 and parts[2] == "iam" and parts[5] == "root":
        return parts[4]
    return None


def names(principals: Principals, who: Who) -> Named:
    """How ``principals`` names ``who`` (``Named.NOT`` if it does not)."""
    if principals.anyone and who.account is not None:
        return Named.DIRECTLY
    if who.provider is not None and who.provider in principals.federated:
        return Named.DIRECTLY
    best = Named.NOT
    for value in principals.aws:
        if value in who.arns:
            return Named.DIRECTLY
        if who.account is not None and _account_of(value) == who.account:
            best = Named.ACCOUNT
    return best
