"""The plan: a closed set of actions, each with a display-only reason, in a fixed order.

A ``Plan`` is a value. ``diff`` builds it, renderers show it, ``apply`` executes its
``params`` (never its ``reason``). Its checksum covers every change, so a saved plan that
no longer matches live state can be refused.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from reconciler.diagnostics import Diagnostic

FORMAT_VERSION = "1"


class Action(str, Enum):
    """Everything the reconciler can do. Declared in execution order."""

    ADOPT = "adopt"
    CREATE_PERMISSION = "create_permission"
    UPDATE_PERMISSION = "update_permission"
    CREATE_CARD = "create_card"
    REPLACE_CARD = "replace_card"
    UPDATE_CONTENT = "update_content"
    UPDATE_STATUS = "update_status"
    UPDATE_TAGS = "update_tags"
    CREATE_SHARE = "create_share"
    UPDATE_SHARE = "update_share"
    SET_PERMISSION = "set_permission"
    ASSOCIATE_RESOURCES = "associate_resources"
    ASSOCIATE_PRINCIPALS = "associate_principals"
    DISASSOCIATE_PRINCIPALS = "disassociate_principals"
    DISASSOCIATE_RESOURCES = "disassociate_resources"
    DELETE_SHARE = "delete_share"
    DELETE_CARD = "delete_card"

    @property
    def kind(self) -> str:
        """'adopt', 'create', 'update', 'replace' or 'delete', for summaries and symbols."""
        if self is Action.ADOPT:
            return "adopt"
        if self in (Action.CREATE_CARD, Action.CREATE_SHARE, Action.CREATE_PERMISSION):
            return "create"
        if self is Action.REPLACE_CARD:
            return "replace"
        if self in (Action.DELETE_CARD, Action.DELETE_SHARE):
            return "delete"
        return "update"

    @property
    def order(self) -> int:
        return list(Action).index(self)


class Missing:
    """Marks a value that does not exist on one side of a field change."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "(absent)"


MISSING = Missing()


@dataclass(frozen=True)
class FieldChange:
    """One value that differs: its JSON path, and the value before and after."""

    path: str
    before: Any = MISSING
    after: Any = MISSING


@dataclass(frozen=True, eq=False)
class Change:
    """One action on one resource. ``params`` is what the executor needs, and all it uses."""

    address: str  # e.g. card.Customer-Churn-Model-Card, share.churn-dev, permission.read-only
    action: Action
    reason: str
    fields: tuple[FieldChange, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)
    needs: tuple[str, ...] = ()  # flags that must be given to apply it: "force", "prune"
    guard: str = ""  # why the change needs --force, for the refusal message

    @property
    def sort_key(self) -> tuple[int, str]:
        return (self.action.order, self.address)


@dataclass
class PlanPart:
    """What one diff (cards, shares, permissions) contributes to a plan."""

    changes: list[Change] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    adoptions: list[Change] = field(default_factory=list)


@dataclass(frozen=True)
class Unmanaged:
    """A live resource without the ownership tag: reported, never touched."""

    kind: str  # "model_card" | "resource_share" | "permission"
    name: str
    arn: str


@dataclass(frozen=True, eq=False)
class Plan:
    """Changes to make, and adoptions: live resources that already match git and only get
    the ownership tags on the next apply (after ``reconciler import``). Adoptions are not
    changes: a plan with only adoptions has no changes."""

    changes: tuple[Change, ...]
    unmanaged: tuple[Unmanaged, ...] = ()
    errors: tuple[Diagnostic, ...] = ()
    warnings: tuple[str, ...] = ()
    context: Mapping[str, str] = field(default_factory=dict)  # region, account
    managed_cards: int = 0
    adoptions: tuple[Change, ...] = ()

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)

    def summary(self) -> dict[str, int]:
        """Count of changes by kind: create, update, replace, delete."""
        counts = Counter(c.action.kind for c in self.changes)
        return {k: counts.get(k, 0) for k in ("create", "update", "replace", "delete")}

    def checksum(self) -> str:
        """sha256 over the canonical JSON of every change: equal plans, equal checksums."""
        body = json.dumps(
            [change_to_json(c) for c in (*self.adoptions, *self.changes)],
            sort_keys=True,
            separators=(",", ":"),
            default=_json_default,
        )
        return "sha256:" + hashlib.sha256(body.encode()).hexdigest()


def ordered(changes: list[Change]) -> tuple[Change, ...]:
    """Changes in execution order: by action, then address."""
    return tuple(sorted(changes, key=lambda c: c.sort_key))


def change_to_json(change: Change) -> dict[str, Any]:
    """The JSON form of one change, as in the versioned plan format."""
    return {
        "address": change.address,
        "action": change.action.value,
        "reason": change.reason,
        "needs": list(change.needs),
        "guard": change.guard,
        "fields": [_field_to_json(f) for f in change.fields],
        "params": dict(change.params),
    }


def _field_to_json(item: FieldChange) -> dict[str, Any]:
    out: dict[str, Any] = {"path": item.path}
    if item.before is not MISSING:
        out["before"] = item.before
    if item.after is not MISSING:
        out["after"] = item.after
    return out


def _json_default(value: Any) -> Any:
    if isinstance(value, tuple | frozenset | set):
        return sorted(value) if isinstance(value, frozenset | set) else list(value)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"cannot serialise {type(value).__name__} in a plan")
