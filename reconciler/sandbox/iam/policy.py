"""Policies parsed once, and IAM's decision for one request against them.

``parse`` turns a policy document (JSON text or a mapping) into statements, each knowing
its ``Sid`` and the policy it came from (``source``, for error messages). ``decide``
applies IAM's evaluation logic within one set of identity policies (or a boundary, or a
session policy): an explicit ``Deny`` whose action, resource and conditions all match wins;
otherwise a matching ``Allow`` allows; otherwise the request is implicitly denied.
``granted`` does the same for a resource-based policy (a trust or key policy) and says how
its ``Principal`` named the caller (``principals``).

A condition IAM could not evaluate in the sandbox (a key the sandbox cannot know, an
operator IAM does not have) raises ``Unevaluable`` naming the key, the statement and the
policy, but only when the decision depends on it: a statement whose action, resource or
other conditions already do not match is decided without it.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.sandbox.iam.conditions import Condition, Context
from reconciler.sandbox.iam.patterns import action_pattern, arn_matches
from reconciler.sandbox.iam.principals import Named, Principals, Who, names, parse_principals
from reconciler.sandbox.iam.request_context import CannotEvaluate, substitute


class Decision(enum.Enum):
    ALLOW = "allow"
    EXPLICIT_DENY = "explicit deny"
    IMPLICIT_DENY = "implicit deny"


class Unevaluable(Exception):
    """A statement's condition needs what the sandbox cannot know."""

    def __init__(self, cause: CannotEvaluate, statement: Statement) -> None:
        where = f"statement {statement.sid!r}" if statement.sid else "a statement"
        super().__init__(
            f"The sandbox cannot evaluate the condition key {cause.key} in {where} of "
            f"{statement.source or 'a policy'}: {cause.reason}. Remove the condition, or "
            "test this policy against AWS."
        )
        self.key = cause.key


def _strings(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(_text(v) for v in items if v is not None)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True, kw_only=True)
class Statement:
    allow: bool
    actions: tuple[str, ...]
    not_action: bool = False
    resources: tuple[str, ...]
    not_resource: bool = False
    conditions: tuple[Condition, ...] = ()
    principals: Principals | None = None  # resource-based policies only
    not_principal: bool = False
    sid: str = ""
    source: str = ""

    def applies(self, action: str, resource: str, context: Context) -> bool:
        """Whether action, resource and conditions all match (Unevaluable if that
        depends on something the sandbox cannot know)."""
        try:
            return self._names(action, resource, context) and self._conditions_hold(context)
        except CannotEvaluate as cause:
            raise Unevaluable(cause, self) from cause

    def names_principal(self, who: Who) -> Named:
        if self.principals is None:
            return Named.NOT
        found = names(self.principals, who)
        if self.not_principal:
            return Named.NOT if found is not Named.NOT else Named.DIRECTLY
        return found

    def _names(self, action: str, resource: str, context: Context) -> bool:
        hit = any(action_pattern(p).fullmatch(action) for p in self.actions)
        if hit == self.not_action:
            return False
        patterns = (substitute(p, context) for p in self.resources)
        hit = any(arn_matches(p, resource) for p in patterns if p is not None)
        return hit != self.not_resource

    def _conditions_hold(self, context: Context) -> bool:
        pending: CannotEvaluate | None = None
        for condition in self.conditions:
            if not condition.known():
                reason = f"{condition.operator} is not an IAM condition operator"
                pending = pending or CannotEvaluate(condition.key, reason)
                continue
            try:
                if not condition.holds(context):
                    return False
            except CannotEvaluate as cause:
                pending = pending or cause
        if pending is not None:
            raise pending
        return True


def _conditions(block: Any) -> tuple[Condition, ...]:
    if not isinstance(block, Mapping):
        return ()
    return tuple(
        Condition(str(operator), str(key).lower(), _strings(values))
        for operator, keys in block.items()
        if isinstance(keys, Mapping)
        for key, values in keys.items()
    )


def _statement(raw: Mapping[str, Any], source: str) -> Statement:
    principal = raw.get("Principal", raw.get("NotPrincipal"))
    resources = _strings(raw.get("Resource", raw.get("NotResource", [])))
    if principal is not None and not resources:
        resources = ("*",)  # a trust policy's statements apply to the role itself
    return Statement(
        allow=raw.get("Effect") == "Allow",
        actions=_strings(raw.get("Action", raw.get("NotAction", []))),
        not_action="NotAction" in raw,
        resources=resources,
        not_resource="NotResource" in raw,
        conditions=_conditions(raw.get("Condition")),
        principals=parse_principals(principal) if principal is not None else None,
        not_principal="NotPrincipal" in raw,
        sid=str(raw.get("Sid", "")),
        source=source,
    )


def parse(document: str | Mapping[str, Any], source: str = "") -> tuple[Statement, ...]:
    """The statements of one policy document (IAM has already validated its syntax);
    ``source`` names the policy in error messages."""
    raw = json.loads(document) if isinstance(document, str) else document
    statements = raw.get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    return tuple(_statement(s, source) for s in statements if isinstance(s, Mapping))


def decide(
    statements: Iterable[Statement], action: str, resource: str, context: Context
) -> Decision:
    """IAM's decision within one set of policies (identity policies, a boundary, or the
    session policies)."""
    allowed = False
    for statement in statements:
        if statement.applies(action, resource, context):
            if not statement.allow:
                return Decision.EXPLICIT_DENY
            allowed = True
    return Decision.ALLOW if allowed else Decision.IMPLICIT_DENY


class Grant(enum.Enum):
    """What a resource-based policy says about one request."""

    DIRECTLY = "allows the caller"
    ACCOUNT = "allows the caller's account"
    NONE = "does not allow"
    DENY = "explicitly denies"


def granted(
    statements: Iterable[Statement], action: str, resource: str, context: Context, who: Who
) -> Grant:
    """The decision of a resource-based policy for ``who``."""
    best = Named.NOT
    for statement in statements:
        named = statement.names_principal(who)
        if named is Named.NOT or not statement.applies(action, resource, context):
            continue
        if not statement.allow:
            return Grant.DENY
        best = max(best, named)
    return {Named.DIRECTLY: Grant.DIRECTLY, Named.ACCOUNT: Grant.ACCOUNT}.get(best, Grant.NONE)
