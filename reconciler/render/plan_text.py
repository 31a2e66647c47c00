"""The plan for a terminal, in the manner of `terraform plan`: a symbol per action, the
address, the reason, the field diffs and a summary line. Colour only when asked for.
"""

from __future__ import annotations

from collections.abc import Mapping

from reconciler.common.words import count
from reconciler.plan.model import MISSING, Change, FieldChange, Plan
from reconciler.render.labels import labelled, labelled_text
from reconciler.render.plan_common import (
    PLANS,
    SYMBOLS,
    VERBS,
    PlanReport,
    action_label,
    arn_note,
    held_back,
    needs_note,
    show,
    stats_lines,
    summary_line,
    unmanaged_address,
)
from reconciler.render.worddiff import inline, is_long

VALUE_LIMIT = 300
_COLORS = {"+": "32", "~": "33", "-": "31", "-/+": "35", "!": "31", "bold": "1"}


class _Paint:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, key: str) -> str:
        return f"\033[{_COLORS[key]}m{text}\033[0m" if self.enabled else text


@PLANS.register("text")
def render(report: PlanReport) -> str:
    plan, paint = report.plan, _Paint(report.color)
    lines = [
        paint(
            f"Model card plan for account {plan.context.get('account', '?')} in "
            f"{plan.context.get('region', '?')}",
            "bold",
        ),
        "",
    ]
    for change in plan.changes:
        lines += _change(change, paint, plan.names)
    lines += _adoptions(plan) + _errors(plan, paint) + _notes(plan) + stats_lines(report.stats)
    lines.append(_closing(plan, paint))
    return "\n".join(lines) + "\n"


def _change(change: Change, paint: _Paint, names: Mapping[str, str]) -> list[str]:
    symbol = SYMBOLS[change.action.kind]
    head = (
        f"  # {change.address} {VERBS[change.action.kind]} ({action_label(change)})"
        f"{needs_note(change)}: {labelled_text(change.detail, names)}"
    )
    lines = [head, f"  {paint(symbol, symbol)} {change.address}"]
    lines += [f"      {_field(f, paint, names)}" for f in change.fields]
    return [*lines, ""]


def _field(item: FieldChange, paint: _Paint, names: Mapping[str, str]) -> str:
    before, after = (labelled(item.path, v, names) for v in (item.before, item.after))
    if item.before is MISSING:
        return f"{paint('+', '+')} {item.path}: {show(after, VALUE_LIMIT)}"
    if item.after is MISSING:
        return f"{paint('-', '-')} {item.path}: {show(before, VALUE_LIMIT)}"
    if is_long(before, after):
        words = inline(before, after, paint if paint.enabled else None)
        return f"{paint('~', '~')} {item.path}:\n          {words}"
    return (
        f"{paint('~', '~')} {item.path}: {show(before, VALUE_LIMIT)} → {show(after, VALUE_LIMIT)}"
    )


def _adoptions(plan: Plan) -> list[str]:
    if not plan.adoptions:
        return []
    lines = ["Adopted on the next apply (ownership tags only; nothing else changes):"]
    return [*lines, *(f"  = {a.address}" for a in plan.adoptions), ""]


def _errors(plan: Plan, paint: _Paint) -> list[str]:
    return [
        f"{paint('Error', '!')}: {e.file}:{e.line}:{e.column}: {e.path}: {e.message}"
        for e in plan.errors
    ] + ([""] if plan.errors else [])


def _notes(plan: Plan) -> list[str]:
    lines = [f"Warning: {w}" for w in plan.warnings]
    if plan.unmanaged:
        lines.append(f"Unmanaged (never changed): {len(plan.unmanaged)}")
        lines += [f"  {unmanaged_address(u)}{arn_note(u)}" for u in plan.unmanaged]
    return [*lines, ""] if lines else []


def _closing(plan: Plan, paint: _Paint) -> str:
    if plan.errors:
        rest = summary_line(plan) if plan.changes else "Nothing else changes."
        return paint(f"{held_back(len(plan.errors))}. {rest}", "!")
    if not plan.changes:
        adopt = len(plan.adoptions)
        return "No changes. Live state matches git." + (
            f" {count(adopt, 'imported resource')} will be adopted on the next apply."
            if adopt
            else ""
        )
    return paint(summary_line(plan), "bold")
