"""`reconciler probe`'s records: an assumption, what one check observed, the finding that
compares the two, and the report of a run. Pure; the renderers (text, JSON, and the sandbox
accounts file of ``--sandbox-config``) read these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

# A SandboxConfig setting's value as the probe reads or writes it.
SwitchValue = bool | int | float | str | tuple[str, ...] | Mapping[str, tuple[str, ...]]
# How far a measured delay may exceed the sandbox's before the two count as different:
# waits in the reconciler are bounded in tens of seconds, so a second either way is noise.
DELAY_TOLERANCE_SECONDS = 1.0


class Outcome(str, Enum):
    MATCHES = "matches"
    DIFFERS = "differs"
    UNCHECKED = "unchecked"


class Mode(str, Enum):
    """Whether a read settles the assumption, or only a write (``--write``) can."""

    READ = "read-only"
    WRITE = "write"
    NONE = "not-checkable"  # no account can show it (``Assumption.why_not`` says why)


class Compare(str, Enum):
    """How an observed value is held against the assumed one."""

    EQUAL = "equal"
    DELAY = "delay"  # a measured delay agrees when at most the assumed one plus tolerance


@dataclass(frozen=True, kw_only=True)
class Assumption:
    """One behaviour AWS does not document, as the sandbox assumes it."""

    key: str
    switch: str | None  # the SandboxConfig field that holds it (None: not a setting)
    assumed: SwitchValue | None  # that field's default
    summary: str  # what the sandbox assumes, one sentence
    consequence: str  # what follows for the reconciler if an account differs
    mode: Mode
    compare: Compare = Compare.EQUAL
    why_not: str = ""  # with Mode.NONE: why no account can show it

    @property
    def checkable(self) -> bool:
        return self.mode is not Mode.NONE

    def agrees(self, value: SwitchValue) -> bool:
        """Whether ``value``, as an account showed it, is what the sandbox assumes."""
        if self.compare is Compare.DELAY:
            assert isinstance(value, (int, float)) and isinstance(self.assumed, (int, float))
            return value <= self.assumed + DELAY_TOLERANCE_SECONDS
        return self.assumed is not None and canonical(value) == canonical(self.assumed)


def canonical(value: SwitchValue) -> object:
    """A value in a form where order does not matter (sets of names, sorted actions)."""
    if isinstance(value, Mapping):
        return {k: tuple(sorted(v)) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(sorted(value))
    return value


@dataclass(frozen=True, kw_only=True)
class Observation:
    """What one check saw: a sentence, the setting's value it implies (None: none), and the
    outcome when the check decides it itself (None: compare ``value`` with the assumption)."""

    shown: str
    value: SwitchValue | None = None
    outcome: Outcome | None = None


@dataclass(frozen=True, kw_only=True)
class Finding:
    """An assumption held against what the account showed."""

    assumption: Assumption
    outcome: Outcome
    shown: str
    value: SwitchValue | None  # the setting that reproduces the account (None: unknown)

    @classmethod
    def of(cls, assumption: Assumption, seen: Observation) -> Finding:
        outcome = seen.outcome
        if outcome is None:
            agrees = seen.value is not None and assumption.agrees(seen.value)
            unknown = seen.value is None
            outcome = (
                Outcome.UNCHECKED if unknown else Outcome.MATCHES if agrees else Outcome.DIFFERS
            )
        return cls(assumption=assumption, outcome=outcome, shown=seen.shown, value=seen.value)


@dataclass(frozen=True, kw_only=True)
class ProbeReport:
    """One probe run: where, whether it wrote, every finding in the assumptions' order, and
    anything its scratch resources left behind (with the command that deletes it)."""

    account: str
    region: str
    target: str
    write: bool
    findings: tuple[Finding, ...]
    leftovers: tuple[str, ...] = ()

    def count(self, outcome: Outcome) -> int:
        return sum(1 for f in self.findings if f.outcome is outcome)

    @property
    def differs(self) -> bool:
        return self.count(Outcome.DIFFERS) > 0
