"""Problems found in the user's files, as values.

A ``Diagnostic`` names the file, the line and column, the JSON path of the value and a
message a person can act on. Loading and validation collect every diagnostic of a run and
hand them to a renderer; nothing here raises or prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Position:
    """A 1-based line and column in a file."""

    line: int
    column: int


START = Position(1, 1)


@dataclass(frozen=True, order=True, kw_only=True)
class Diagnostic:
    """One problem in one file. Sorted by file, then position, then path."""

    file: str
    position: Position
    path: str  # JSON path of the value, e.g. $.content.model_overview.model_owner
    message: str
    code: str  # a stable identifier of the check, e.g. "schema", "duplicate-key"
    severity: Severity = Severity.ERROR

    @property
    def line(self) -> int:
        return self.position.line

    @property
    def column(self) -> int:
        return self.position.column


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """True when any diagnostic is an error (warnings do not fail a run)."""
    return any(d.severity is Severity.ERROR for d in diagnostics)


def json_path(parts: Iterable[str | int]) -> str:
    """Render path parts as a JSONPath string: ``$.a.b[0]``; odd keys are quoted."""
    out = "$"
    for part in parts:
        out = extend_path(out, part)
    return out


def extend_path(path: str, part: str | int) -> str:
    """``path`` (a JSONPath string) one step further down."""
    if isinstance(part, int):
        return f"{path}[{part}]"
    if part.replace("_", "a").replace("-", "a").isalnum():
        return f"{path}.{part}"
    return f"{path}[{_quote(part)}]"


def _quote(key: str) -> str:
    return "'" + key.replace("\\", "\\\\").replace("'", "\\'") + "'"
