"""One report for a run over several targets: each target's own report (rendered in the
same format), grouped under the target's name, account and region, or the error that
stopped that target. JSON nests each target's report document (shape in docs/formats.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from reconciler.common.words import count
from reconciler.render import Registry
from reconciler.render import markdown as md

FORMAT_VERSION = "1"


@dataclass(frozen=True, kw_only=True)
class TargetSection:
    name: str
    account: str
    region: str
    body: str = ""  # the target's report in the chosen format
    error: str | None = None  # what stopped the target; then there is no body


GROUPED: Registry[Sequence[TargetSection]] = Registry("reports by target")


def _headline(sections: Sequence[TargetSection]) -> str:
    failed = [s.name for s in sections if s.error is not None]
    tail = f"; failed: {', '.join(failed)}" if failed else ""
    return f"{count(len(sections), 'target')}{tail}"


def _where(section: TargetSection) -> str:
    return f"account {section.account}, {section.region}"


def _grouped(
    sections: Sequence[TargetSection],
    heading: Callable[[TargetSection], str],
    failure: str,
    footer: str,
) -> str:
    """Each section under its heading (its report, or the failure), then the headline."""
    parts = [
        heading(s) + (f"{failure}{s.error}\n" if s.error is not None else s.body) + "\n"
        for s in sections
    ]
    return "".join(parts) + footer.format(_headline(sections)) + "\n"


@GROUPED.register("text")
def text(sections: Sequence[TargetSection]) -> str:
    return _grouped(sections, lambda s: f"=== target {s.name} ({_where(s)}) ===\n", "error: ", "{}")


@GROUPED.register("markdown")
def markdown(sections: Sequence[TargetSection]) -> str:
    return _grouped(
        _escaped(sections),
        lambda s: f"## Target {md.code_span(s.name)} ({_where(s)})\n\n",
        "**Failed:** ",
        "_{}_",
    )


def _escaped(sections: Sequence[TargetSection]) -> list[TargetSection]:
    """The sections with each error as Markdown text (the message may quote AWS)."""
    return [replace(s, error=md.text(s.error)) if s.error is not None else s for s in sections]


@GROUPED.register("json")
def as_json(sections: Sequence[TargetSection]) -> str:
    document = {
        "format_version": FORMAT_VERSION,
        "targets": [
            {
                "name": s.name,
                "account": s.account,
                "region": s.region,
                "report": json.loads(s.body) if s.error is None else None,
                "error": s.error,
            }
            for s in sections
        ],
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
