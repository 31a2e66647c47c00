"""Renderers for what `import` and `pull` wrote to the repository, and for `iam-policy`:
the JSON shapes documented in docs/formats.md, versioned by ``format_version``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

FORMAT_VERSION = "1"


class Written(Protocol):
    """What one target's import or pull did to the repository's files."""

    written: list[str]
    skipped: list[str]  # "name: why" (nothing to do)
    failed: list[str]  # "name: why" (named but impossible)
    notes: list[str]  # what the next plan will do with them


@dataclass(frozen=True, kw_only=True)
class WrittenReport:
    """Files an `import` or `pull` wrote, what it left alone and why, and whether the
    repository validates afterwards."""

    command: str  # "import" or "pull"
    written: tuple[str, ...]
    skipped: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    valid: bool = True

    def adding(self, where: str, result: Written) -> WrittenReport:
        """This report with one target's files, skipped and failed names and notes added;
        ``where`` names the target when there are several."""
        return replace(
            self,
            written=(*self.written, *result.written),
            skipped=(*self.skipped, *(where + s for s in result.skipped)),
            failed=(*self.failed, *(where + f for f in result.failed)),
            notes=(*self.notes, *(where + n for n in result.notes)),
        )


def written_json(report: WrittenReport) -> str:
    body = {
        "format_version": FORMAT_VERSION,
        "command": report.command,
        "written": list(report.written),
        "skipped": list(report.skipped),
        "failed": list(report.failed),
        "notes": list(report.notes),
        "valid": report.valid,
    }
    return _dump(body)


@dataclass(frozen=True, kw_only=True)
class PolicyReport:
    role: str
    account: str | None
    policy: Mapping[str, Any] = field(default_factory=dict)


def policy_json(report: PolicyReport) -> str:
    body = {
        "format_version": FORMAT_VERSION,
        "role": report.role,
        "account": report.account,
        "policy": dict(report.policy),
    }
    return _dump(body)


def _dump(body: Mapping[str, Any]) -> str:
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
