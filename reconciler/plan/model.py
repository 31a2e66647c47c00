"""The plan: a closed set of actions on resources, in a fixed order.

A ``Plan`` is a value. The diff builds it, renderers show it, and the executor runs each
change's typed ``payload`` (never its ``detail``, which is display text only). The
checksum (``plan.codec``) covers each change's address, action, reason, guards and
payload, so rewording a message never makes a saved plan stale.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from reconciler.common.diagnostics import Diagnostic
from reconciler.plan.actions import Action, Flag, Guard, Reason
from reconciler.plan.address import Address
from reconciler.plan.payloads import Payload, payload_type

__all__ = [
    "MISSING",
    "Action",
    "Change",
    "FieldChange",
    "Flag",
    "Guard",
    "Listed",
    "Missing",
    "Plan",
    "PlanPart",
    "Reason",
    "Unmanaged",
    "ordered",
]


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


class Listed(Sequence[FieldChange]):
    """Field changes listed the first time something reads them. A new card's fields are
    every value of its content: a first apply of many cards would list hundreds of
    thousands that only a plan shown to people ever reads."""

    __slots__ = ("_items", "_list")

    def __init__(self, list_them: Callable[[], Iterable[FieldChange]]) -> None:
        self._list: Callable[[], Iterable[FieldChange]] | None = list_them
        self._items: tuple[FieldChange, ...] = ()

    def _all(self) -> tuple[FieldChange, ...]:
        list_them = self._list
        if list_them is not None:  # two readers at once both list them, to the same result
            self._items = tuple(list_them())
            self._list = None
        return self._items

    @overload
    def __getitem__(self, index: int) -> FieldChange: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[FieldChange, ...]: ...
    def __getitem__(self, index: int | slice) -> FieldChange | tuple[FieldChange, ...]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[FieldChange]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        """Equal to the tuple of the same fields (what ``fields`` holds otherwise)."""
        if isinstance(other, Listed):
            return self._all() == other._all()
        return isinstance(other, tuple) and self._all() == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._all())


@dataclass(frozen=True, kw_only=True, eq=False)
class Change:
    """One action on one resource. ``payload`` is what the executor needs, and all it uses;
    ``detail`` and ``fields`` are for people."""

    address: Address  # shown as card.Customer-Churn-Model-Card, share.churn-dev, ...
    action: Action
    reason: Reason
    payload: Payload
    detail: str = ""  # the reason as a sentence, with what only the live state knows
    fields: Sequence[FieldChange] = ()  # a tuple, or ``Listed`` on first use
    guards: tuple[Guard, ...] = ()  # what makes it need a flag
    guard_note: str = ""  # display: which principals open the share, for the refusal

    def __post_init__(self) -> None:
        if not isinstance(self.address, Address):
            raise TypeError(f"a change's address is an Address, not {self.address!r}")
        expected = payload_type(self.action)
        if not isinstance(self.payload, expected):
            raise TypeError(
                f"{self.action.value} carries {expected.__name__}, "
                f"not {type(self.payload).__name__}"
            )

    @property
    def needs(self) -> tuple[Flag, ...]:
        """The flags apply must be given to run this change, in display order."""
        wanted = {g.flag for g in self.guards}
        return tuple(f for f in Flag if f in wanted)

    @property
    def sort_key(self) -> tuple[int, Address]:
        return (self.action.order, self.address)


@dataclass(kw_only=True)
class PlanPart:
    """What one diff (cards, shares, permissions) contributes to a plan."""

    changes: list[Change] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    adoptions: list[Change] = field(default_factory=list)
    # Resources held back by an error that is not on their own file (a hub replica's is
    # on its spoke's entry in reconciler.yaml): the plan leaves out their changes too.
    held: frozenset[Address] = frozenset()


@dataclass(frozen=True)
class Unmanaged:
    """A live resource without the ownership tag: reported, never touched."""

    kind: str  # "model_card" | "resource_share" | "permission"
    name: str
    arn: str


@dataclass(frozen=True, kw_only=True, eq=False)
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
    names: Mapping[str, str] = field(default_factory=dict)  # display names of IDs and ARNs
    # The live facts each touched resource had, by address text (``diff.basis``).
    basis: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)

    def summary(self) -> dict[str, int]:
        """Count of changes by kind: create, update, replace, delete."""
        counts = Counter(c.action.kind for c in self.changes)
        return {k: counts.get(k, 0) for k in ("create", "update", "replace", "delete")}


def ordered(changes: list[Change]) -> tuple[Change, ...]:
    """Changes in execution order: by action, then address."""
    return tuple(sorted(changes, key=lambda c: c.sort_key))
