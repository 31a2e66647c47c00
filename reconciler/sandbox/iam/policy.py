"""Identity policies parsed once, and IAM's decision for one request against them.

``parse`` turns a policy document (JSON text or a mapping) into statements. ``decide``
applies IAM's evaluation logic within one set of policies: an explicit ``Deny`` whose
action, resource and conditions all match wins; otherwise a matching ``Allow`` allows;
otherwise the request is implicitly denied. A statement with an operator IAM does not
know can never allow; as a ``Deny`` it applies (the sandbox never errs towards access).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.sandbox.iam.conditions import Condition, Context
from reconciler.sandbox.iam.patterns import action_pattern, arn_matches


class Decision(enum.Enum):
    ALLOW = "allow"
    EXPLICIT_DENY = "explicit deny"
    IMPLICIT_DENY = "implicit deny"


def _strings(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(_text(v) for v in items if v is not None)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True)
class Statement:
    allow: bool
    actions: tuple[str, ...]
    not_action: bool
    resources: tuple[str, ...]
    not_resource: bool
    conditions: tuple[Condition, ...]

    def applies(self, action: str, resource: str, context: Context) -> bool:
        hit = any(action_pattern(p).fullmatch(action) for p in self.actions)
        if hit == self.not_action:
            return False
        hit = any(arn_matches(p, resource) for p in self.resources)
        if hit == self.not_resource:
            return False
        return all(self._holds(c, context) for c in self.conditions)

    def _holds(self, condition: Condition, context: Context) -> bool:
        if not condition.known():
            return not self.allow
        return condition.holds(context)


def _conditions(block: Any) -> tuple[Condition, ...]:
    if not isinstance(block, Mapping):
        return ()
    return tuple(
        Condition(str(operator), str(key).lower(), _strings(values))
        for operator, keys in block.items()
        if isinstance(keys, Mapping)
        for key, values in keys.items()
    )


def _statement(raw: Mapping[str, Any]) -> Statement:
    return Statement(
        allow=raw.get("Effect") == "Allow",
        actions=_strings(raw.get("Action", raw.get("NotAction", []))),
        not_action="NotAction" in raw,
        resources=_strings(raw.get("Resource", raw.get("NotResource", []))),
        not_resource="NotResource" in raw,
        conditions=_conditions(raw.get("Condition")),
    )


def parse(document: str | Mapping[str, Any]) -> tuple[Statement, ...]:
    """The statements of one policy document (IAM has already validated its syntax)."""
    raw = json.loads(document) if isinstance(document, str) else document
    statements = raw.get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    return tuple(_statement(s) for s in statements if isinstance(s, Mapping))


def decide(
    statements: Iterable[Statement], action: str, resource: str, context: Context
) -> Decision:
    """IAM's decision within one set of policies (identity policies, or a boundary)."""
    allowed = False
    for statement in statements:
        if statement.applies(action, resource, context):
            if not statement.allow:
                return Decision.EXPLICIT_DENY
            allowed = True
    return Decision.ALLOW if allowed else Decision.IMPLICIT_DENY
