"""The plan as a pull-request comment: a summary table first, then one collapsible section
per resource, then a footer. Values are shortened, and the whole comment stays under
GitHub's 65,536 character limit, saying what was left out and where the full plan is.
Every value from git or AWS goes through ``markdown`` (escaped, or fenced), so none can
change the comment's structure.
"""

from __future__ import annotations

from collections.abc import Mapping

from reconciler.common.words import count
from reconciler.plan.address import Address
from reconciler.plan.model import MISSING, Change, FieldChange, Plan
from reconciler.render.graph import mermaid_change
from reconciler.render.labels import labelled, labelled_text
from reconciler.render.markdown import code, code_span, html_code, text
from reconciler.render.plan_common import (
    PLANS,
    SYMBOLS,
    PlanReport,
    action_label,
    held_back,
    needs_note,
    show,
    summary_line,
    unmanaged_address,
)
from reconciler.render.worddiff import diff_block, is_long

GITHUB_LIMIT = 65_536
RESERVE = 600  # room for the closing note
VALUE_LIMIT = 120
TEXT_LIMIT = 500  # characters of a sentence (a reason, an error, a warning)
TOPOLOGY_SHARE = 0.25  # at most this part of what is left goes to the sharing diagram
MARKER = "<!-- modelcard-reconciler:plan -->"
_EMOJI = {"+": "🟢", "~": "🟡", "-": "🔴", "-/+": "🟣"}


@PLANS.register("markdown")
def render(report: PlanReport, limit: int = GITHUB_LIMIT) -> str:
    plan = report.plan
    budget = _Budget(limit - RESERVE)
    out = budget.take(_head(report))
    out += budget.take(_errors(report) + _notes(report))
    out += budget.take(_table(report), share=0.6)
    out += budget.take(_topology(report), share=TOPOLOGY_SHARE)
    out += budget.take(_stats(report))
    out += budget.take(
        [_section(address, changes, plan.names) for address, changes in _by_address(plan)]
    )
    if budget.dropped:
        out.append(
            f"> ✂️ {budget.dropped} table rows or sections left out to stay under "
            f"GitHub's {GITHUB_LIMIT:,}-character limit. The full plan is in "
            f"{text(report.full_plan_hint)}."
        )
    return "\n".join([*out, _footer(plan)]) + "\n"


def _footer(plan: Plan) -> str:
    """The last line: a reader (and a test) sees that nothing after a value was swallowed."""
    resources = count(len({c.address for c in plan.changes}), "resource")
    changes = f"{count(len(plan.changes), 'change')} to {resources}" if plan.changes else ""
    errors = count(len(plan.errors), "error") if plan.errors else ""
    return f"End of plan: {', '.join(p for p in (changes, errors) if p) or 'no changes'}."


def _head(report: PlanReport) -> list[str]:
    context = report.plan.context
    return [
        MARKER,
        f"### Model card plan: {_headline(report)}",
        "",
        f"Account {code_span(context.get('account', '?'))}, "
        f"region {code_span(context.get('region', '?'))}.",
        "",
    ]


class _Budget:
    """Characters left for the comment; counts the pieces that did not fit."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.dropped = 0

    def take(self, pieces: list[str], share: float = 1.0) -> list[str]:
        """The leading pieces that fit in ``share`` of what is left; the rest are dropped."""
        allowance = int(self.left * share)
        kept: list[str] = []
        for piece in pieces:
            if len(piece) + 1 > allowance:
                self.dropped += len(pieces) - len(kept)
                break
            kept.append(piece)
            allowance -= len(piece) + 1
            self.left -= len(piece) + 1
        return kept


def _topology(report: PlanReport) -> list[str]:
    if report.topology is None:
        return []
    legend = (
        "Green and *added*: access this plan grants; red, dashed and *removed*: access it "
        "takes away; a status or permission that changes reads before → after."
    )
    return [mermaid_change(report.topology, "#### Who sees which card", legend)]


def _by_address(plan: Plan) -> list[tuple[Address, list[Change]]]:
    """Changes grouped per resource, in the order the plan first touches each one."""
    groups: dict[Address, list[Change]] = {}
    for change in plan.changes:
        groups.setdefault(change.address, []).append(change)
    return list(groups.items())


def _stats(report: PlanReport) -> list[str]:
    if report.stats is None:
        return []
    calls = report.stats.get("calls", {})
    rows = [f"| `{name}` | {n} |" for name, n in sorted(calls.items())]
    return [
        f"<details><summary>API calls: {sum(calls.values())}</summary>",
        "",
        "| Operation | Calls |",
        "|---|---|",
        *rows,
        "",
        "</details>",
        "",
    ]


def _headline(report: PlanReport) -> str:
    plan = report.plan
    if plan.errors:
        rest = summary_line(plan).removeprefix("Plan: ") if plan.changes else "nothing else changes"
        return f"❌ {held_back(len(plan.errors))}; {rest}"
    return "no changes" if not plan.changes else summary_line(plan).removeprefix("Plan: ")


def _errors(report: PlanReport) -> list[str]:
    lines = [
        f"- ❌ {code_span(f'{e.file}:{e.line}:{e.column}')} {code_span(e.path)}: "
        f"{text(e.message, TEXT_LIMIT)}"
        for e in report.plan.errors
    ]
    return [*lines, ""] if lines else []


def _table(report: PlanReport) -> list[str]:
    if not report.plan.changes:
        return []
    rows = ["| | Resource | Action | Reason |", "|---|---|---|---|"]
    for change in report.plan.changes:
        emoji = _EMOJI[SYMBOLS[change.action.kind]]
        rows.append(
            f"| {emoji} | {code_span(str(change.address), cell=True)} | {action_label(change)}"
            f"{needs_note(change)} | "
            f"{text(labelled_text(change.detail, report.plan.names), TEXT_LIMIT)} |"
        )
    return [*rows, ""]


def _notes(report: PlanReport) -> list[str]:
    plan = report.plan
    lines = [f"> ⚠️ {text(w, TEXT_LIMIT)}" for w in plan.warnings]
    if plan.adoptions:
        names = ", ".join(code_span(str(a.address)) for a in plan.adoptions)
        lines.append(f"Adopted on the next apply (ownership tags only): {names}")
    if plan.unmanaged:
        names = ", ".join(code_span(unmanaged_address(u)) for u in plan.unmanaged)
        lines.append(f"Unmanaged, never changed ({len(plan.unmanaged)}): {names}")
    return [*lines, ""] if lines else []


def _section(address: Address, changes: list[Change], names: Mapping[str, str]) -> str:
    items = [f for c in changes for f in c.fields]
    actions = ", ".join(action_label(c) for c in changes)
    lines = [
        f"<details><summary>{html_code(str(address))}: {actions} "
        f"({count(len(items), 'field')})</summary>",
        "",
        "| Field | Before | After |",
        "|---|---|---|",
    ]
    lines += [_row(f, names) for f in items]
    lines += word_diffs(items)
    return "\n".join([*lines, "", "</details>", ""])


def word_diffs(items: list[FieldChange], *, reverse: bool = False) -> list[str]:
    """A ```diff block per long text change, after the table: what changed inside it
    (``reverse`` reads after → before, as drift does: from git to live)."""
    lines: list[str] = []
    for item in items:
        old, new = (item.after, item.before) if reverse else (item.before, item.after)
        if is_long(old, new):
            lines += ["", f"Words changed in {code(item.path)}:", ""]
            lines += diff_block(old, new)
    return lines


def _row(item: FieldChange, names: Mapping[str, str]) -> str:
    if is_long(item.before, item.after):
        return f"| {code(item.path)} | *(words changed: below)* | |"
    before, after = (labelled(item.path, v, names) for v in (item.before, item.after))
    old = "" if item.before is MISSING else code(show(before, VALUE_LIMIT))
    new = "" if item.after is MISSING else code(show(after, VALUE_LIMIT))
    return f"| {code(item.path)} | {old} | {new} |"
